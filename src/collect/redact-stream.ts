// Redaction of streamed outputs, line by line with bounded memory. `redact`
// works on one string; what it cannot see line by line is a secret that spans
// lines: a private key block whose body comes one line (or one journal
// record) at a time, and a `- name: DB_PASSWORD` / `value: x` pair. Those are
// tracked here as state. The state of a key block ends at its END line, or
// when its body's shape ends (a few lines that are not base64), or after as
// many lines as the largest key has, so a block whose END never comes cannot
// swallow what follows.
import { addCounts, redact, redactDeep, redactNamedValueLine, redactTracking, type RedactionCounts } from '../redact.js';
import { isPemHeaderLine, looksLikeBody, PEM_END_ANY } from '../redact/pem.js';

export type LineRedactor = (line: string) => string | null;

const KEY_MARK = '[redacted:private-key]';
// An RSA 16384-bit key is about 150 lines of 64 characters.
const KEY_MAX_LINES = 400;
// Lines of other text (another process's) a key block may be interleaved with before it is taken as ended.
const KEY_MAX_MISSES = 8;

interface KeyState {
  lines: number;
  misses: number;
}

/** A line of a key body: base64 alone on its line, an encryption header, or base64 after a log line's prefix (`app[12]: MIIE...`). */
export function isKeyBodyLine(line: string): boolean {
  const s = line.trim();
  if (isPemHeaderLine(s)) return true;
  if (/^[A-Za-z0-9+/=]+$/.test(s)) return true;
  const k = s.lastIndexOf(': ');
  return k !== -1 && looksLikeBody(s.slice(k + 2).trim());
}

/** One more line while a key block is open: true when it belongs to the block (drop it), false to redact it as usual. */
function stillInKey(state: KeyState, line: string): 'body' | 'end' | 'other' | 'closed' {
  state.lines++;
  if (PEM_END_ANY.test(line)) return 'end';
  if (isKeyBodyLine(line)) return state.lines > KEY_MAX_LINES ? 'closed' : 'body';
  state.misses++;
  return state.misses > KEY_MAX_MISSES || state.lines > KEY_MAX_LINES ? 'closed' : 'other';
}

/**
 * A stateful redactor for one text stream. Returns the line to write, or null
 * to drop it (a line inside a private key block). `counts` null: no redaction.
 */
export function textLineRedactor(counts: RedactionCounts | null): LineRedactor {
  if (!counts) return (line) => line;
  let key: KeyState | null = null;
  let prev = '';
  return (line) => {
    if (key) {
      const where = stillInKey(key, line);
      if (where === 'body') return null;
      if (where === 'end') {
        key = null;
        const end = PEM_END_ANY.exec(line)!;
        const rest = line.slice(end.index + end[0].length);
        prev = rest;
        return rest.trim() === '' ? null : redact(rest, counts);
      }
      if (where === 'closed') key = null;
    }
    const r = redactTracking(line, counts);
    let out = r.text;
    if (r.keyOpen) key = { lines: 0, misses: 0 };
    if (prev !== '' && out.includes('value:')) out = redactNamedValueLine(prev, out, counts);
    prev = line;
    return out;
  };
}

/** For `journalctl -o json` lines: the result is always the same JSON document with secrets replaced. */
export function jsonLineRedactor(counts: RedactionCounts | null): LineRedactor {
  if (!counts) return (line) => line;
  // Open key blocks by the process that logs them (a key printed one line per entry), so other processes' entries in between neither end nor join them.
  const open = new Map<string, KeyState>();
  return (line) => {
    if (open.size > 0 && line.includes('"MESSAGE"')) {
      const body = keyBodyRecord(line, open);
      if (body !== null) return body;
    }
    // journalctl writes a value that is not valid UTF-8 as an array of byte values, where no pattern can see it.
    if (/":\[\d/.test(line)) {
      const viaBytes = redactByteArrays(line, counts);
      if (viaBytes !== null) line = viaBytes;
    }
    const scratch: RedactionCounts = {};
    const out = redactTracking(line, scratch).text;
    // Whether a key block is left open is a question about MESSAGE, not the raw line: another field
    // after it (logger's _CMDLINE quoting the BEGIN line again) would close the block in the raw text.
    if (line.includes('-----BEGIN ')) {
      const doc = parseRecord(line);
      if (doc && typeof doc.MESSAGE === 'string' && redactTracking(doc.MESSAGE, {}).keyOpen) {
        if (open.size >= 64) open.clear();
        open.set(emitterOf(doc), { lines: 0, misses: 0 });
      }
    }
    // A field holding a backslash is escaped in the line, where no pattern sees what it reads: a quoted
    // argument or JSON (systemd's _CMDLINE of `logger -- "{\"key\": ...}"`), systemd's `\x40` for the `@`
    // of a unit name (autossh@pi:PASSWORD\x40relay.service). Such a record is redacted field by field.
    if (line.includes('\\\\')) {
      const doc = parseRecord(line);
      if (doc) return JSON.stringify(redactDeep(doc, counts));
    }
    if (out === line) return line;
    try {
      JSON.parse(out);
      addCounts(counts, scratch);
      return out;
    } catch {
      // Not valid after redaction, or not JSON at all.
    }
    try {
      const doc = JSON.parse(line) as unknown;
      return JSON.stringify(redactDeep(doc, counts));
    } catch {
      addCounts(counts, scratch);
      return out;
    }
  };
}

function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const doc = JSON.parse(line) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Who logs a key block: the program's name on this boot, as the program itself sends it
 * (SYSLOG_IDENTIFIER, else _COMM). Not its pid: a script that logs a key with one `logger` per
 * line gives every line another pid. Not its unit or command line either: journald reads those
 * from /proc when the line arrives, so a short-lived sender has them on some lines and not on
 * others. A line taken for the block must still look like a key's body, so another process of
 * the same name cannot lose a line of its own.
 */
function emitterOf(doc: Record<string, unknown>): string {
  const f = (k: string): string => (typeof doc[k] === 'string' ? (doc[k] as string) : '');
  return `${f('_BOOT_ID')}/${f('SYSLOG_IDENTIFIER') || f('_COMM')}`;
}

/**
 * A record of a program whose key block is open: when its MESSAGE is a body line, that line becomes
 * the mark wherever the record holds it (MESSAGE, and _CMDLINE when `logger` printed it); the block was
 * counted at its BEGIN.
 */
function keyBodyRecord(line: string, open: Map<string, KeyState>): string | null {
  const doc = parseRecord(line);
  if (!doc || typeof doc.MESSAGE !== 'string') return null;
  const who = emitterOf(doc);
  const state = open.get(who);
  if (!state) return null;
  const where = stillInKey(state, doc.MESSAGE);
  if (where === 'body') {
    // The line may be in the record twice: a process that logs it by argument (logger) has it in _CMDLINE too.
    // (8 characters and more: a body's last line may be short, mHLGsmJf4A==.)
    const body = doc.MESSAGE.trim();
    doc.MESSAGE = KEY_MARK;
    if (body.length >= 8) {
      for (const [k, v] of Object.entries(doc)) if (typeof v === 'string' && v.includes(body)) doc[k] = v.split(body).join(KEY_MARK);
    }
    return JSON.stringify(doc);
  }
  if (where !== 'other') open.delete(who);
  return null;
}

/** A byte-array field holding a secret becomes its redacted text (the odd bytes as U+FFFD); null when nothing changed. */
function redactByteArrays(line: string, counts: RedactionCounts): string | null {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  let changed = false;
  for (const [k, v] of Object.entries(doc)) {
    if (!Array.isArray(v) || v.length === 0 || !v.every((b) => typeof b === 'number')) continue;
    const text = Buffer.from(v as number[]).toString('utf8');
    const red = redact(text, counts);
    if (red !== text) {
      doc[k] = red;
      changed = true;
    }
  }
  return changed ? JSON.stringify(doc) : null;
}

/**
 * Splits a byte stream into lines (without their "\n"). A line longer than
 * maxLineBytes is passed on in pieces of that size, so memory stays bounded
 * whatever the input.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;

  constructor(
    private readonly onLine: (line: Buffer, complete: boolean) => void,
    private readonly maxLineBytes = 16 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl === -1) break;
      if (this.carryLen === 0) this.onLine(chunk.subarray(pos, nl), true);
      else {
        this.carry.push(chunk.subarray(pos, nl));
        this.flushCarry(true);
      }
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      this.carry.push(Buffer.from(chunk.subarray(pos)));
      this.carryLen += chunk.length - pos;
      if (this.carryLen >= this.maxLineBytes) this.flushCarry(false);
    }
  }

  /** The end of the stream: a last line without newline is passed on as incomplete. */
  end(): void {
    if (this.carryLen > 0) this.flushCarry(false);
  }

  private flushCarry(complete: boolean): void {
    const buf = Buffer.concat(this.carry);
    this.carry = [];
    this.carryLen = 0;
    this.onLine(buf, complete);
  }
}
