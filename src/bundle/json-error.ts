// Where a JSON text goes wrong, as "line L column C". V8's JSON.parse message
// only sometimes carries a position, differs between Node versions and may
// quote a slice of the input (which can be long or hold a secret), so the
// position comes from our own scan and the message is trimmed to its reason.

/** 0-based offset of the first syntax error in text, or null when it is valid JSON. */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const n = text.length;
  // Each frame: what the container expects next.
  const stack: ('obj-key' | 'obj-colon' | 'obj-value' | 'obj-next' | 'arr-value' | 'arr-first' | 'arr-next')[] = [];

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return false;
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const num = (): boolean => {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (!r || r[0] === '' || r[0] === '-') return false;
    i += r[0].length;
    return true;
  };
  // Parse one scalar or open a container; false on error (i at the fault).
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      stack.push('obj-key');
      ws();
      if (text[i] === '}') {
        i++;
        stack.pop();
      }
      return true;
    }
    if (c === '[') {
      i++;
      stack.push('arr-first');
      ws();
      if (text[i] === ']') {
        i++;
        stack.pop();
      }
      return true;
    }
    if (c === '"') return str();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return true;
      }
    }
    return false;
  };

  if (!value()) return i;
  while (stack.length > 0) {
    ws();
    const top = stack[stack.length - 1];
    const c = text[i];
    switch (top) {
      case 'obj-key':
        if (c !== '"' || !str()) return i;
        stack[stack.length - 1] = 'obj-colon';
        break;
      case 'obj-colon':
        if (c !== ':') return i;
        i++;
        stack[stack.length - 1] = 'obj-next';
        if (!value()) return i;
        break;
      case 'obj-next':
        if (c === ',') {
          i++;
          stack[stack.length - 1] = 'obj-key';
        } else if (c === '}') {
          i++;
          stack.pop();
        } else return i;
        break;
      case 'arr-first':
        stack[stack.length - 1] = 'arr-next';
        if (!value()) return i;
        break;
      case 'arr-next':
        if (c === ',') {
          i++;
          if (!value()) return i;
        } else if (c === ']') {
          i++;
          stack.pop();
        } else return i;
        break;
      default:
        return i;
    }
  }
  ws();
  return i < n ? i : null;
}

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNl = -1;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lastNl = k;
  }
  return { line, column: offset - lastNl };
}

/**
 * "Unexpected token '}' at line 3 column 1": the parser's reason without the
 * quoted input or its own position, plus where our scan put the fault.
 */
export function describeJsonError(text: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  let reason = raw
    // The quoted slice is elided at either end ("...abc", "abc...") when the input is long.
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/ of JSON input$/, ' of input');
  if (reason.length > 120) reason = `${reason.slice(0, 117)}...`;
  const offset = jsonErrorOffset(text);
  if (offset === null) return reason;
  const { line, column } = lineColumn(text, offset);
  return `${reason} at line ${line} column ${column}`;
}
