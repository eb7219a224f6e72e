// Secrets whose name and value are separate fields: an OCPP 1.6 configuration
// key ({"key":"AuthorizationKey","value":"..."}), an OCPP 2.0.1 variable
// ({"component":{...},"variable":{"name":"BasicAuthPassword"},"attributeValue":"..."}),
// a form field ({"name":"password","value":"..."}), a Python repr
// (key='AuthorizationKey', value='...'), in plain or escaped JSON. The name
// stays; the value fields of the object that names it are the secrets.
import { nameStrength } from './names.js';

export interface Span {
  start: number;
  end: number;
}

export const PAIR_HINT = /(?:key|name)\\{0,7}["']?[ \t]*[:=]/i;
// "key": "X", 'name': 'X', key='X', \"name\":\"X\", and escaped again (a command line quoted in a journal field)
const NAMING = /(?<![A-Za-z0-9_])(?:key|name)\\{0,7}["']?[ \t]*[:=][ \t]*(\\{0,7}["'])/gi;
const VALUE_FIELD = /(?<![A-Za-z0-9_])(?:value|attributeValue|val)(\\{0,7}["']?)[ \t]*[:=][ \t]*/gi;

const WINDOW = 2048;

/** The opening bracket of the object (or call) around p, within WINDOW characters; -1 when none. */
function openerBefore(t: string, p: number): number {
  let depth = 0;
  const stop = Math.max(0, p - WINDOW);
  for (let k = p - 1; k >= stop; k--) {
    const c = t[k];
    if (c === '}' || c === ')' || c === ']') depth++;
    else if (c === '{' || c === '(' || c === '[') {
      if (depth === 0) return c === '[' ? -1 : k;
      depth--;
    } else if (c === '\n') return -1;
  }
  return -1;
}

/** The closing bracket matching the opener at o, within WINDOW characters; the line's end when none. */
function closerAfter(t: string, o: number): number {
  let depth = 0;
  const stop = Math.min(t.length, o + WINDOW);
  for (let k = o; k < stop; k++) {
    const c = t[k];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return k;
    } else if (c === '\n') return k;
  }
  return stop;
}

const STOP = new Uint8Array(128);
for (const c of ' \t\n\r"\'`\\,}]);') STOP[c.charCodeAt(0)] = 1;

function valueSpan(t: string, p: number, limit: number): Span | null {
  let q: string | null = null;
  let k = p;
  while (t.charCodeAt(k) === 92 && k - p < 8) k++;
  if (t[k] === '"' || t[k] === "'") q = t.slice(p, k + 1);
  if (q) {
    const start = p + q.length;
    const end = t.indexOf(q, start);
    return end === -1 || end > limit ? null : { start, end };
  }
  if (t[p] === '{' || t[p] === '[') return null;
  let e = p;
  while (e < limit) {
    const c = t.charCodeAt(e);
    if (c < 128 && STOP[c] === 1) break;
    e++;
  }
  return e > p ? { start: p, end: e } : null;
}

/** Spans of the values of objects whose key/name field names a secret, in order, not overlapping. */
export function pairSecretSpans(t: string): Span[] {
  const spans: Span[] = [];
  NAMING.lastIndex = 0;
  let done = 0;
  let m: RegExpExecArray | null;
  while ((m = NAMING.exec(t)) !== null) {
    const quote = m[1]!;
    const start = m.index + m[0].length;
    const end = t.indexOf(quote, start);
    if (end === -1 || end - start > 80 || end === start) continue;
    const name = t.slice(start, end);
    if (!/^[A-Za-z][A-Za-z0-9_.\- ]*$/.test(name) || nameStrength(name) === 0) continue;
    let o = openerBefore(t, m.index);
    if (o === -1 || o < done) continue;
    // OCPP 2.0.1: the name is the variable's; the value is its parent's attributeValue.
    if (/variable\\{0,7}["']?[ \t]*:[ \t]*$/i.test(t.slice(Math.max(0, o - 28), o))) {
      const parent = openerBefore(t, o);
      if (parent === -1 || parent < done) continue;
      o = parent;
    }
    const close = closerAfter(t, o);
    VALUE_FIELD.lastIndex = o;
    let v: RegExpExecArray | null;
    while ((v = VALUE_FIELD.exec(t)) !== null && v.index < close) {
      const span = valueSpan(t, v.index + v[0].length, close);
      if (span && span.start >= done) {
        spans.push(span);
        done = span.end;
      }
    }
    done = Math.max(done, close);
    NAMING.lastIndex = Math.max(NAMING.lastIndex, close);
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * Kubernetes-style env lists in YAML: `- name: DB_PASSWORD` and on the next
 * line `value: ...`. Given the previous line and this one, the span of the
 * secret in this one, or null.
 */
export function yamlNamedValue(prev: string, line: string): Span | null {
  const n = /^[ \t]*(?:-[ \t]+)?name:[ \t]*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*$/.exec(prev);
  if (!n || nameStrength(n[1]!) === 0) return null;
  const v = /^([ \t]*value:[ \t]*)(["']?)/.exec(line);
  if (!v) return null;
  const start = v[0].length;
  let end = line.length;
  if (v[2]) {
    const q = line.indexOf(v[2], start);
    if (q !== -1) end = q;
  } else {
    const hash = line.indexOf(' #', start);
    if (hash !== -1) end = hash;
    while (end > start && /\s/.test(line[end - 1]!)) end--;
  }
  return end > start ? { start, end } : null;
}
