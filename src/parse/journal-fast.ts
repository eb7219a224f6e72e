// Reading commands/journal.jsonl fast, in memory bounded by a few chunks.
//
// The file is cut into chunks of whole lines and hashed in one sequential
// pass (journal-chunks.ts); each chunk is scanned (journal-quiet.ts: most
// lines are proven quiet from their raw bytes, the rest fully parsed), and
// the results are used in file order, so records reach onRecord in the same
// order, with the same line numbers, as from readJournal (the full parse);
// quiet records are only counted.
//
// One thread scans; for a big file a second one reads and takes the SHA-256
// (journal-read.ts). Measured on 2 CPUs over a 1 GiB journal, more
// threads (one reading and hashing, two scanning) cost more CPU than they
// saved and about 50 MB of memory (docs/testing.md, the bench). This holds
// two chunk buffers, each scanned and used before the next read into it.
import { openSync, closeSync, fstatSync } from 'node:fs';
import { chunkBuffers, scanChunk, type ChunkResult, type JournalWindow } from './journal-quiet.js';
import { readChunks } from './journal-chunks.js';
import { inlineReader, threadReader, type ChunkReader } from './journal-read.js';
import { JOURNAL_MAX_LINE_BYTES } from './journal.js';
import { ProblemLog, type LogRecord, type ParseProblem } from './types.js';

export type { JournalWindow } from './journal-quiet.js';

export interface FastJournalOptions {
  /** the bundle's window, as LogScanner judges it (null: open-ended) */
  window: JournalWindow;
  /** bytes per chunk. Default 4 MiB (256 KiB for a file read on this thread), or CHARGER_DIAG_JOURNAL_CHUNK (tests use small chunks to cross every boundary case) */
  chunkBytes?: number;
  /** false: no SHA-256 of the file (the caller does not need it: about 0.6 s of CPU per GiB saved). Default true */
  hash?: boolean;
  /** read and hash on a worker thread (journal-read.ts). Default: for files of THREAD_BYTES and more */
  thread?: boolean;
  /** validate with WebAssembly (default: for files of WASM_BYTES and more, unless CHARGER_DIAG_JOURNAL_WASM=0); false: in JavaScript */
  wasm?: boolean;
}

export interface FastJournalResult {
  records: number;
  skipped: number;
  problems: ParseProblem[];
  /** records proven quiet inside the window: counted here, never delivered */
  quietInWindow: number;
  /** SHA-256 (hex) of the file's bytes as read; null when not asked for */
  sha256: string | null;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;
/**
 * Read on this thread (a file under THREAD_BYTES), chunks of 256 KiB: with 4 MiB ones, analyze of a
 * 35 MiB journal from the real-systemd lab (the report a collection makes of a busy hour) peaked
 * at 96 MB, 86 with 1 MiB, 79 with 256 KiB, for the same CPU time: besides the two buffers, a
 * chunk's records live until the chunk is done, long enough for V8 to move them to its old
 * generation. Smaller still saved nothing more. A thread's chunks stay at 4 MiB (at 1 GiB smaller
 * ones cost more in messages to the thread than they saved), and are scanned SCAN_SLICE at a time.
 */
const INLINE_CHUNK = 256 * 1024;
/**
 * The most of a chunk scanned at once (then up to the end of the line it ends in), for the same
 * reason. A thread's 4 MiB chunk scanned whole: a journal of 183 MB from a busy API (half its lines
 * health-check requests, all forwarded) peaked at 120 MB, 93 MB so; the bench's 1 GiB mixes 97
 * against 88 MB and 115 against 96 MB, for about the same time (1 MiB slices: 112 MB on the
 * error-heavy mix). A slice's scan starts knowing no boot and no settled proxy, as a chunk's does:
 * its first such lines are forwarded, for the consumers to judge.
 */
const SCAN_SLICE = INLINE_CHUNK;
const NL = 0x0a;
/** Below this a thread costs more than the reading and hashing it takes over (about 30 ms to start). */
const THREAD_BYTES = 64 * 1024 * 1024;
/**
 * Below 1 MiB the JavaScript validator checks the file: building and compiling the WebAssembly
 * module costs about what it saves there. The bin reads a bundle without TurboFan until its logs
 * are big (src/compilers.ts), and unoptimized, the JavaScript validator is slow: a 4 MiB journal
 * took 0.38 s of CPU with it, 0.26 s with this one (1 MiB: 0.24 against 0.22 s; 256 and 512 KiB:
 * the same either way).
 */
const WASM_BYTES = 1024 * 1024;
/** No chunk holds more than the longest line a journal reader keeps. */
const MAX_CHUNK = JOURNAL_MAX_LINE_BYTES;

function envCount(name: string): number | undefined {
  const v = process.env[name];
  return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

/** Uses chunk results in file order: line numbers, counts, problems, records. */
class Collector {
  private readonly log = new ProblemLog();
  private records = 0;
  private quietInWindow = 0;
  private lineBase = 0;

  constructor(private readonly onRecord: (r: LogRecord, lacks: number) => void) {}

  use(r: ChunkResult): void {
    for (const p of r.problems) this.log.add(this.lineBase + p.line, p.reason);
    // Problems past the first few of a chunk are only counted.
    this.log.skipped += r.skipped - r.problems.length;
    this.records += r.quiet + r.records.length;
    this.quietInWindow += r.quietInWindow;
    for (let i = 0; i < r.records.length; i++) {
      const rec = r.records[i]!;
      rec.line += this.lineBase;
      this.onRecord(rec, r.lacks[i]!);
    }
    this.lineBase += r.lines;
  }

  result(sha256: string | null): FastJournalResult {
    return { records: this.records, skipped: this.log.skipped, problems: this.log.problems, quietInWindow: this.quietInWindow, sha256 };
  }
}

/**
 * Read a journal export; onRecord gets every record that is not provably
 * quiet, in file order, with what its text is proven to lack (text-lacks.ts). Counts (records, skipped, problems) are those of
 * readJournal on the same file. I/O errors are thrown, as readJournal's are.
 */
export async function readJournalFast(
  path: string,
  source: string,
  opts: FastJournalOptions,
  onRecord: (r: LogRecord, lacks: number) => void,
): Promise<FastJournalResult> {
  const fd = openSync(path, 'r');
  let reader: ChunkReader | null = null;
  try {
    // A small file needs no buffer bigger than itself (plus the byte that shows its end).
    const size = fstatSync(fd).size;
    const threaded = opts.thread ?? size >= THREAD_BYTES;
    const chunkBytes = Math.max(64, Math.min(MAX_CHUNK, size + 1, opts.chunkBytes ?? envCount('CHARGER_DIAG_JOURNAL_CHUNK') ?? (threaded ? DEFAULT_CHUNK : INLINE_CHUNK)));
    const wasm = opts.wasm ?? (size >= WASM_BYTES && process.env.CHARGER_DIAG_JOURNAL_WASM !== '0');
    const hashing = opts.hash ?? true;
    // Two buffers in turn: one is scanned while the next chunk is read into the other.
    // In the validator's memory when it has one (no copy to scan them), else shared with the reading thread.
    const buffers = chunkBuffers(chunkBytes, { wasm }) ?? [0, 1].map(() => (threaded ? Buffer.from(new SharedArrayBuffer(chunkBytes)) : Buffer.allocUnsafeSlow(chunkBytes)));
    reader = threaded ? await threadReader(fd, hashing, buffers) : inlineReader(fd, hashing);
    const c = new Collector(onRecord);
    let turn = 0;
    await readChunks(reader, source, {
      take: () => buffers[turn++ % 2]!,
      chunk: (buf, length) => {
        // A thread's 4 MiB chunk is scanned, and its records handed on, a slice at a time (whole
        // lines): the records of a whole chunk outlived the young generation, and on a journal of
        // many forwarded lines (a busy API's access log) V8's old generation filled with them.
        for (let start = 0; start < length; ) {
          let end = length;
          if (length - start > SCAN_SLICE) {
            const nl = buf.indexOf(NL, start + SCAN_SLICE);
            if (nl >= 0 && nl < length) end = nl + 1;
          }
          c.use(scanChunk(buf, start, end, source, opts.window, { wasm }));
          start = end;
        }
      },
      line: (result) => c.use(result),
    });
    return c.result(await reader.digest());
  } finally {
    // The thread is stopped before its file is closed.
    await reader?.close();
    closeSync(fd);
  }
}
