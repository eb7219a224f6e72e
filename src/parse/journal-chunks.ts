// Cutting a journal file into chunks of whole lines, read straight into the
// chunk buffers by a ChunkReader (journal-read.ts), which hashes every byte on
// the way.
//
// A line longer than a chunk is gathered here, up to the journal's line cap
// and no further, and so is a last line without '\n'; both are handled here
// exactly as readJournal handles them.
import type { ChunkReader } from './journal-read.js';
import { decodeLine, type ChunkResult } from './journal-quiet.js';
import { JOURNAL_MAX_LINE_BYTES, journalLineResult, overlongProblem } from './journal.js';

const NL = 0x0a;

export interface ChunkSink {
  /** a buffer of the chunk size to read into, one the sink is done with; may wait until one is free */
  take(): Buffer | Promise<Buffer>;
  /** whole lines in buf[0, length), the last ending in '\n', in file order; the sink owns buf until take() hands it out again */
  chunk(buf: Buffer, length: number): void | Promise<void>;
  /** the result of one line handled here, in file order */
  line(result: ChunkResult): void | Promise<void>;
}

/** Result of one line handled here (longer than a chunk, or the last one without '\n'). */
function oneLine(bytes: Buffer | null, partial: boolean, source: string): ChunkResult {
  const out: ChunkResult = { lines: 1, quiet: 0, quietInWindow: 0, records: [], lacks: [], skipped: 0, problems: [] };
  const r = bytes === null ? { problem: overlongProblem } : journalLineResult(decodeLine(bytes, 0, bytes.length), 1, source, partial);
  if (r === null) return out;
  if ('problem' in r) {
    out.skipped = 1;
    out.problems.push({ line: 1, reason: r.problem });
  } else {
    out.records.push(r);
    out.lacks.push(0);
  }
  return out;
}

/**
 * Read the file on to its end into sink, through `reader` (which hashes
 * what it reads). The next read runs while a chunk is scanned: into the
 * other buffer, which the sink is done with.
 */
export async function readChunks(reader: ChunkReader, source: string, sink: ChunkSink): Promise<void> {
  let cur = await sink.take();
  let fill = 0;
  reader.start(cur, 0);
  for (;;) {
    const n = reader.finish();
    const filled = fill + n;
    // At the end of the file what is left may still hold whole lines (those
    // that followed a line longer than a chunk): they go out as a chunk first.
    if (filled === 0) break;
    const lastNl = cur.lastIndexOf(NL, filled - 1);
    if (lastNl >= 0) {
      const next = await sink.take();
      cur.copy(next, 0, lastNl + 1, filled);
      fill = filled - lastNl - 1;
      reader.start(next, fill);
      await sink.chunk(cur, lastNl + 1);
      cur = next;
      continue;
    }
    if (n === 0) break;
    if (filled < cur.length) {
      fill = filled;
      reader.start(cur, fill);
      continue;
    }
    // One line fills the whole chunk: gather it here, up to the line cap.
    let parts: Buffer[] = [Buffer.from(cur)];
    let length = cur.length;
    let overlong = length > JOURNAL_MAX_LINE_BYTES;
    let ended = false;
    fill = 0;
    while (!ended) {
      reader.start(cur, 0);
      const m = reader.finish();
      if (m === 0) break;
      const nl = cur.indexOf(NL);
      const end = nl >= 0 && nl < m ? nl : m;
      length += end;
      if (!overlong && length > JOURNAL_MAX_LINE_BYTES) {
        overlong = true;
        parts = [];
      }
      if (!overlong) parts.push(Buffer.from(cur.subarray(0, end)));
      if (end < m) {
        ended = true;
        // What follows the long line starts the next chunk.
        cur.copy(cur, 0, end + 1, m);
        fill = m - end - 1;
      }
    }
    await sink.line(oneLine(overlong ? null : Buffer.concat(parts), !ended, source));
    if (!ended) break;
    reader.start(cur, fill);
  }
  if (fill > 0) {
    // The file ended inside a line: the collection was cut mid-entry.
    await sink.line(oneLine(Buffer.from(cur.subarray(0, fill)), true, source));
  }
}
