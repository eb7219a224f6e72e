// logfmt (key=value pairs, values optionally double-quoted with Go-style
// escapes) as written by the ngrok agent and other Go programs.

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f' };

function readQuoted(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const hexLen = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      const hex = hexLen ? text.slice(i + 2, i + 2 + hexLen) : '';
      if (hexLen && hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
        const code = parseInt(hex, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
        i += 2 + hexLen;
        continue;
      }
      out += ch;
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  // A line cut inside a quoted value (truncated copy) still yields what was there.
  return { value: out, end: text.length };
}

/**
 * Parse `t=... lvl=warn msg="failed to open private leg" err="..."` into a
 * map. A bare word without `=` becomes a key with an empty value; later
 * duplicates win, as logfmt readers usually do.
 */
export function parseLogfmt(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    let keyEnd = i;
    while (keyEnd < n && text[keyEnd] !== '=' && !/\s/.test(text[keyEnd]!)) keyEnd++;
    const key = text.slice(i, keyEnd);
    if (keyEnd >= n || text[keyEnd] !== '=') {
      if (key) out[key] = '';
      i = keyEnd;
      continue;
    }
    let v = keyEnd + 1;
    if (text[v] === '"') {
      const q = readQuoted(text, v);
      if (key) out[key] = q.value;
      i = q.end;
    } else {
      let end = v;
      while (end < n && !/\s/.test(text[end]!)) end++;
      if (key) out[key] = text.slice(v, end);
      i = end;
    }
  }
  return out;
}
