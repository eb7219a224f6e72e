// Redaction of streamed outputs, line by line with bounded memory. `redact`
// works on one string; what it cannot see line by line is a private key
// block, whose body spans lines: that is tracked here as state. Journal JSON
// lines keep multi-line messages inside one line, where `redact` sees the
// whole block, but a block cut short would swallow the JSON's closing quote:
// such a line is redacted field by field instead.
import { redact, redactDeep, type RedactionCounts } from '../redact.js';

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

export type LineRedactor = (line: string) => string | null;

/**
 * A stateful redactor for one text stream. Returns the line to write, or null
 * to drop it (a line inside a private key block). `counts` null: no redaction.
 */
export function textLineRedactor(counts: RedactionCounts | null): LineRedactor {
  if (!counts) return (line) => line;
  let inKey = false;
  return (line) => {
    if (inKey) {
      const end = KEY_END.exec(line);
      if (!end) return null;
      inKey = false;
      const rest = line.slice(end.index + end[0].length);
      return rest.trim() === '' ? null : redact(rest, counts);
    }
    const begin = KEY_BEGIN.exec(line);
    if (begin && !KEY_END.test(line.slice(begin.index))) {
      inKey = true;
      counts['private-key'] = (counts['private-key'] ?? 0) + 1;
      return redact(line.slice(0, begin.index), counts) + '[redacted:private-key]';
    }
    return redact(line, counts);
  };
}

/** For `journalctl -o json` lines: the result is always the same JSON document with secrets replaced. */
export function jsonLineRedactor(counts: RedactionCounts | null): LineRedactor {
  if (!counts) return (line) => line;
  return (line) => {
    // journalctl writes a value that is not valid UTF-8 as an array of byte values, where no pattern can see it.
    if (/":\[\d/.test(line)) {
      const viaBytes = redactByteArrays(line, counts);
      if (viaBytes !== null) line = viaBytes;
    }
    const scratch: RedactionCounts = {};
    const out = redact(line, scratch);
    if (out === line) return line;
    try {
      JSON.parse(out);
      merge(counts, scratch);
      return out;
    } catch {
      // Not valid after redaction (a key block cut short ate a quote), or not JSON at all.
    }
    try {
      const doc = JSON.parse(line) as unknown;
      return JSON.stringify(redactDeep(doc, counts));
    } catch {
      merge(counts, scratch);
      return out;
    }
  };
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

function merge(into: RedactionCounts, from: RedactionCounts): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
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
