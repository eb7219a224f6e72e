// Private key blocks, by their shape: the BEGIN armour line, then what a PEM
// body is made of (base64 runs, Proc-Type/DEK-Info headers), then the END
// armour line. A block whose END never comes ends where its body's shape ends,
// so a cut-short key cannot swallow the text after it. The separators between
// body lines may be real line breaks, blanks (a key pasted into one line) or
// the escapes of a JSON string (\n), so a key inside a journal record's
// MESSAGE stays inside its quotes.

const BEGIN_RE = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const END_RE = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
export const PEM_BEGIN_ANY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
export const PEM_END_ANY = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

function isB64(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/**
 * Whether a run of base64 characters reads as a piece of a key body rather than
 * a word: 16 or more characters with a digit, '+', '/', '=' or a capital
 * after the first character, or any run ending in '=' padding.
 */
export function looksLikeBody(run: string): boolean {
  if (run.length === 0) return false;
  for (let i = 0; i < run.length; i++) if (!isB64(run.charCodeAt(i))) return false;
  if (run.endsWith('=')) return true;
  if (run.length < 16) return false;
  for (let i = 1; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 43 || c === 47 || (c >= 65 && c <= 90)) return true;
  }
  return false;
}

/** A line inside a PEM block that is not base64: its encryption headers, or nothing. */
export function isPemHeaderLine(line: string): boolean {
  const s = line.trim();
  return s === '' || s.startsWith('Proc-Type:') || s.startsWith('DEK-Info:');
}

/** Length of the separator at p (line breaks, blanks, a JSON escape such as \n or \\r\\n), 0 when none. */
function separatorAt(t: string, p: number): number {
  let q = p;
  for (;;) {
    const c = t.charCodeAt(q);
    if (c === 10 || c === 13 || c === 32 || c === 9) {
      q++;
      continue;
    }
    if (c === 92) {
      let k = q;
      while (t.charCodeAt(k) === 92) k++;
      const e = t[k];
      if (e === 'n' || e === 'r' || e === 't') {
        q = k + 1;
        continue;
      }
    }
    return q - p;
  }
}

/** A base64 run at p, a JSON-escaped slash (\/) counting as one of its characters; its end. */
function runEnd(t: string, p: number): number {
  let q = p;
  for (;;) {
    const c = t.charCodeAt(q);
    if (isB64(c)) q++;
    else if (c === 92 && t.charCodeAt(q + 1) === 47) q += 2;
    else return q;
  }
}

/** End of a Proc-Type/DEK-Info header at p (before its line break or escaped \n), or -1. */
function headerEnd(t: string, p: number): number {
  if (!t.startsWith('Proc-Type:', p) && !t.startsWith('DEK-Info:', p)) return -1;
  let q = p;
  while (q < t.length && t[q] !== '\n' && t[q] !== '\r' && t[q] !== '"' && !(t[q] === '\\' && (t[q + 1] === 'n' || t[q + 1] === 'r'))) q++;
  return q;
}

/**
 * A line of a key logged with a prefix (`Dec 10 01:02:03 host app[12]: MIIE...`) at q, the start of a
 * line: its end, and whether it is the END line; null when it is no such line.
 */
function prefixedLineEnd(t: string, q: number): { end: number; isEnd: boolean } | null {
  let le = t.indexOf('\n', q);
  if (le === -1) le = t.length;
  if (le - q > 240) return null;
  const line = t.slice(q, le).trimEnd();
  const k = line.lastIndexOf(': ');
  if (k === -1) return null;
  const rest = line.slice(k + 2).trim();
  if (PEM_END_ANY.test(rest) && rest.startsWith('-----END ')) return { end: le, isEnd: true };
  return looksLikeBody(rest) ? { end: q + line.length, isEnd: false } : null;
}

/** Where the block whose BEGIN line ends at p ends, and whether its END line was seen. `prefixed`: BEGIN came after a log line's prefix. */
export function pemBlockEnd(t: string, p: number, prefixed = false): { end: number; closed: boolean } {
  let end = p;
  let q = p;
  for (let guard = 0; guard < 100_000; guard++) {
    const sep = separatorAt(t, q);
    const newLine = prefixed && t.slice(q, q + sep).includes('\n');
    q += sep;
    if (newLine) {
      const line = prefixedLineEnd(t, q);
      if (line) {
        end = q = line.end;
        if (line.isEnd) return { end, closed: true };
        continue;
      }
    }
    if (t.startsWith('-----END ', q)) {
      END_RE.lastIndex = q;
      const m = END_RE.exec(t);
      if (m) return { end: q + m[0].length, closed: true };
      return { end, closed: false };
    }
    const h = headerEnd(t, q);
    if (h !== -1) {
      end = q = h;
      continue;
    }
    const r = runEnd(t, q);
    if (r === q) return { end, closed: false };
    const run = t.slice(q, r).replace(/\\\//g, '/');
    if (!looksLikeBody(run)) {
      // A short last line of the body counts when the END line follows it.
      const after = r + separatorAt(t, r);
      if (!t.startsWith('-----END ', after)) return { end, closed: false };
    }
    end = q = r;
  }
  return { end, closed: false };
}

export interface PemResult {
  text: string;
  blocks: number;
  /** the last block of the text was not closed: its body may go on in the next line or record */
  open: boolean;
}

/** Every private key block becomes `mark`; certificates and public keys stay. */
export function redactPemBlocks(t: string, mark: string): PemResult {
  let out = '';
  let copied = 0;
  let blocks = 0;
  let open = false;
  let i = t.indexOf('-----BEGIN ');
  while (i !== -1) {
    BEGIN_RE.lastIndex = i;
    const begin = BEGIN_RE.exec(t);
    if (!begin) {
      i = t.indexOf('-----BEGIN ', i + 1);
      continue;
    }
    const lineStart = t.lastIndexOf('\n', i - 1) + 1;
    const prefixed = /: $/.test(t.slice(Math.max(lineStart, i - 2), i));
    const { end, closed } = pemBlockEnd(t, i + begin[0].length, prefixed);
    out += t.slice(copied, i) + mark;
    blocks++;
    copied = end;
    // Open: cut short where the text (or the JSON string holding it) ends, so the next line or record may go on with it.
    const rest = end + separatorAt(t, end);
    open = !closed && (rest >= t.length || t[rest] === '"');
    i = t.indexOf('-----BEGIN ', end);
  }
  return blocks === 0 ? { text: t, blocks: 0, open: false } : { text: out + t.slice(copied), blocks, open };
}
