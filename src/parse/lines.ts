// Line splitting shared by the streaming parsers. Journal exports and log
// copies can be a gigabyte, so reading goes through large buffered chunks and
// the memory held at any moment is one chunk plus at most one (capped) line.
import { createReadStream } from 'node:fs';
import { ProblemLog, type LogRecord, type ParseProblem } from './types.js';

export interface StreamedLine {
  line: number;
  text: string;
  /** The file ended without a newline after this line (collection cut it, or the writer had not finished). */
  partial?: boolean;
  /** The line exceeded maxLineBytes; `text` holds only its first maxLineBytes bytes. */
  overlong?: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
// 64 KiB: a bundle's dozens of small logs are read at once, each stream holding one chunk; at
// 1 MiB they added ~6 MB to the peak of a collection's report, and a bigger read buys nothing here.
const CHUNK_BYTES = 64 * 1024;
const NL = 0x0a;
const CR = 0x0d;

function decode(buf: Buffer, start: number, end: number): string {
  // A CRLF file (copied through Windows) would otherwise leave "\r" on every text.
  if (end > start && buf[end - 1] === CR) end--;
  return buf.toString('utf8', start, end);
}

/**
 * Stream a file's lines with 1-based numbers; a final line without newline is
 * still yielded (flag `partial: true`). Lines longer than maxLineBytes are
 * yielded truncated with `overlong: true`, the rest of them discarded, so one
 * runaway line cannot make memory grow with the file. Invalid UTF-8 becomes
 * U+FFFD. I/O errors (missing file, permission) are thrown: they are not bad
 * input but a missing source, which the caller reports as such.
 */
export async function* readLines(
  path: string,
  opts?: { maxLineBytes?: number },
): AsyncGenerator<StreamedLine> {
  const max = Math.max(1, opts?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  // Bytes of the current line carried over from earlier chunks; never more than `max`.
  let carry: Buffer[] = [];
  let carryLen = 0;
  let overlong = false;
  let lineNo = 0;

  const take = (chunk: Buffer, start: number, end: number): void => {
    if (overlong) return;
    const room = max - carryLen;
    if (end - start > room) {
      end = start + room;
      overlong = true;
    }
    if (end > start) {
      // Copy: the stream may reuse its buffers, and a slice would pin the whole 1 MiB chunk.
      carry.push(Buffer.from(chunk.subarray(start, end)));
      carryLen += end - start;
    }
  };

  const finish = (partial: boolean): StreamedLine => {
    const buf = carry.length === 1 ? carry[0]! : Buffer.concat(carry, carryLen);
    lineNo++;
    const out: StreamedLine = { line: lineNo, text: decode(buf, 0, buf.length) };
    if (partial) out.partial = true;
    if (overlong) out.overlong = true;
    carry = [];
    carryLen = 0;
    overlong = false;
    return out;
  };

  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const data of stream) {
    const chunk = data as Buffer;
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, pos);
      if (nl === -1) break;
      if (carryLen === 0 && !overlong) {
        // Common case: the whole line sits inside this chunk, no copy needed.
        lineNo++;
        if (nl - pos > max) {
          yield { line: lineNo, text: decode(chunk, pos, pos + max), overlong: true };
        } else {
          yield { line: lineNo, text: decode(chunk, pos, nl) };
        }
      } else {
        take(chunk, pos, nl);
        yield finish(false);
      }
      pos = nl + 1;
    }
    if (pos < chunk.length) take(chunk, pos, chunk.length);
  }
  if (carryLen > 0 || overlong) yield finish(true);
}

/** Same over an in-memory string (for tests and small sources). A trailing newline does not make an extra empty line. */
export function splitLines(text: string): { line: number; text: string }[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }));
}

/**
 * Stream a log file through a line parser: a record is delivered, a problem
 * counted (and sampled), null (a blank line, say) passed over. The one loop
 * behind the journal, syslog and app-log readers.
 */
export async function streamRecords(
  path: string,
  parse: (l: StreamedLine) => LogRecord | { problem: string } | null,
  onRecord: (r: LogRecord) => void,
  opts?: { maxLineBytes?: number },
): Promise<{ records: number; skipped: number; problems: ParseProblem[] }> {
  const log = new ProblemLog();
  let records = 0;
  for await (const l of readLines(path, opts)) {
    const r = parse(l);
    if (r === null) continue;
    if ('problem' in r) {
      log.add(l.line, r.problem);
      continue;
    }
    records++;
    onRecord(r);
  }
  return { records, skipped: log.skipped, problems: log.problems };
}
