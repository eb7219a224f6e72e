// A bind that failed because the port was taken, in the words each runtime uses.
// IPv6 addresses are returned in brackets ("[::]"), as ss and nginx print them.
import { anyOfWords } from './words.js';

export interface PortConflictEvent {
  address?: string;
  port?: number;
  /** the phrase that matched, as the line says it */
  detail: string;
}

function normAddress(a: string): string | undefined {
  const t = a.trim();
  if (t === '' || t === '*') return undefined;
  if (t.includes(':') && !t.startsWith('[')) return `[${t}]`;
  return t;
}

/** "0.0.0.0:8000", "[::]:80", ":::8000" (node), ":8000" (Go) → address and port. */
function splitHostPort(hp: string): { address?: string; port?: number } {
  const m = /^(.*):(\d{1,5})$/.exec(hp.trim());
  if (!m) return {};
  const port = Number(m[2]);
  if (port > 65535) return {};
  const address = normAddress(m[1]!);
  return address === undefined ? { port } : { address, port };
}

function event(detail: string, where: { address?: string; port?: number } = {}): PortConflictEvent {
  const e: PortConflictEvent = { detail: detail.trim().slice(0, 200) };
  if (where.address !== undefined) e.address = where.address;
  if (where.port !== undefined) e.port = where.port;
  return e;
}

/** Python prints socket addresses as tuples: ('0.0.0.0', 8000) or ('::', 8000, 0, 0). */
function pythonAddress(text: string): { address?: string; port?: number } {
  const m = /\(\s*'([^']*)',\s*(\d{1,5})\s*(?:,[^)]*)?\)/.exec(text);
  if (!m) return {};
  const address = normAddress(m[1]!);
  return address === undefined ? { port: Number(m[2]) } : { address, port: Number(m[2]) };
}

/**
 * Texts (any case) of which every line classifyPortConflict classifies holds
 * at least one: the journal's quiet-line filter forwards only lines holding
 * one (parse/journal-quiet.ts); test/classify/filter-words.test.ts checks it.
 */
export const PORT_CONFLICT_WORDS: readonly string[] = ['in use', 'eaddrinuse', 'errno 98', '(98: '];

/** Could this text be a port conflict? (One of PORT_CONFLICT_WORDS, any case.) */
export const PORT_CONFLICT_TEXT = anyOfWords(PORT_CONFLICT_WORDS);

const PATTERNS: [RegExp, (m: RegExpExecArray) => PortConflictEvent][] = [
  // uvicorn/asyncio: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use
  // gunicorn: connection to ('0.0.0.0', 8000) failed: [Errno 98] Address already in use
  [/\[Errno 98\][^\n]*/, (m) => event(m[0], pythonAddress(m.input))],
  // gunicorn: Connection in use: ('0.0.0.0', 8000)
  [/Connection in use: \(\s*'([^']*)',\s*(\d{1,5})[^)]*\)/, (m) => event(m[0], { address: normAddress(m[1]!), port: Number(m[2]) })],
  [/Connection in use: (\S+)/, (m) => event(m[0], /:\d+$/.test(m[1]!) ? splitHostPort(m[1]!) : {})],
  // nginx: bind() to 0.0.0.0:80 failed (98: Address already in use)
  [/bind\(\) to (\S+) failed \(98: [^)]*\)/, (m) => event(m[0], m[1]!.startsWith('unix:') ? {} : splitHostPort(m[1]!))],
  // node: Error: listen EADDRINUSE: address already in use 0.0.0.0:8000 (older: listen EADDRINUSE :::3000)
  [/listen EADDRINUSE(?::)?(?: address already in use)? (\S+)/, (m) => event(m[0], splitHostPort(m[1]!))],
  // Not node's "code: 'EADDRINUSE'" line of the same error dump: one failure, one event.
  [/(?<!['"])\bEADDRINUSE\b(?!['"])/, (m) => event(m[0])],
  // Go: listen tcp :8000: bind: address already in use
  [/listen (?:tcp|tcp4|tcp6|udp) (\S*:\d{1,5}): bind: address already in use/, (m) => event(m[0], splitHostPort(m[1]!))],
  // werkzeug/Flask: Port 5000 is in use by another program.
  [/Port (\d{1,5}) is in use by another program/, (m) => event(m[0], { port: Number(m[1]) })],
];

const ADDRESS_IN_USE = /address already in use/i;
// systemd: Failed to create listening socket (0.0.0.0:8000): Address already in use
const HOST_PORT_NEAR = /(?<![\w.:])((?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]|\*):\d{1,5})(?![\w.:])/g;

/** A failed bind because the port was taken, or null. */
export function classifyPortConflict(text: string): PortConflictEvent | null {
  for (const [re, make] of PATTERNS) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  const m = ADDRESS_IN_USE.exec(text);
  if (!m) return null;
  for (const hp of text.matchAll(HOST_PORT_NEAR)) {
    const where = splitHostPort(hp[1]!);
    if (where.port !== undefined) return event(m[0], where);
  }
  return event(m[0]);
}
