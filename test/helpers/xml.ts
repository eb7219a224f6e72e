// A strict well-formedness check for the XML the report writes (its SVG): every tag closed in
// order, attribute values quoted, no raw `<` or stray `&` in text or values. Enough to catch
// unescaped bundle text; the browser test parses the same SVG with the browser's XML parser.
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  let i = 0;
  while (i < xml.length) {
    const c = xml[i]!;
    if (c === '<') {
      tag.lastIndex = i;
      const m = tag.exec(xml);
      if (!m) {
        problems.push(`bad markup at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
        i++;
        continue;
      }
      const [, close, name, attrs, selfClose] = m;
      for (const v of attrs!.matchAll(/="([^"]*)"/g)) if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(v[1]!)) problems.push(`stray & in an attribute of <${name}>`);
      if (close) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      } else if (!selfClose) stack.push(name!);
      i = tag.lastIndex;
    } else if (c === '&') {
      entity.lastIndex = i;
      if (!entity.exec(xml)) problems.push(`stray & at ${i}`);
      i++;
    } else if (c === '>') {
      problems.push(`raw > at ${i}`);
      i++;
    } else i++;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' ')}`);
  return problems;
}
