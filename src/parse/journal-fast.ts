// Reading commands/journal.jsonl fast, in memory bounded by a few chunks.
//
// The file is cut into chunks of whole lines and hashed in one sequential
// pass (journal-chunks.ts); each chunk is scanned (journal-quiet.ts: most
// lines are proven quiet from their raw bytes, the rest fully parsed), and
// the results are used in file order, so records reach onRecord in the same
// order, with the same line numbers, as from readJournal (the full parse);
// quiet records are only counted.
//
// A big file is read with worker threads: one reads and hashes (reading and
// hashing a gigabyte here would make this thread the bottleneck, as it also
// runs everything onRecord does), others scan, and this thread only uses the
// results; it holds at most 2 × scanners + 2 chunks, each returned to the
// reader only once its result has been used. A small file is read in this
// thread (starting workers costs more than they save), and so is any file
// where the compiled worker script is missing (the test runner executes the
// TypeScript sources).
import { openSync, closeSync, fstatSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { scanChunk, type ChunkResult, type JournalWindow } from './journal-quiet.js';
import { readChunks } from './journal-chunks.js';
import { JOURNAL_MAX_LINE_BYTES } from './journal.js';
import { ProblemLog, type LogRecord, type ParseProblem } from './types.js';
import type { BufferBack, ToMain, WorkerRole } from './journal-worker.js';

export type { JournalWindow } from './journal-quiet.js';

export interface FastJournalOptions {
  /** the bundle's window, as LogScanner judges it (null: open-ended) */
  window: JournalWindow;
  /** scanning worker threads; 0 reads in this thread. Default: by file size and CPU count, or CHARGER_DIAG_JOURNAL_WORKERS */
  workers?: number;
  /** bytes per chunk. Default 4 MiB, or CHARGER_DIAG_JOURNAL_CHUNK (tests use small chunks to cross every boundary case) */
  chunkBytes?: number;
  /** false: no SHA-256 of the file (the caller does not need it: about 1 s of CPU per GiB saved). Default true */
  hash?: boolean;
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
/** Below this, starting workers costs more than they save. */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;
const MAX_WORKERS = 4;
/** No chunk holds more than the longest line a journal reader keeps. */
const MAX_CHUNK = JOURNAL_MAX_LINE_BYTES;

const WORKER_SCRIPT = new URL('./journal-worker.js', import.meta.url);

function envCount(name: string): number | undefined {
  const v = process.env[name];
  return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

function workersAvailable(): boolean {
  return WORKER_SCRIPT.protocol === 'file:' && existsSync(fileURLToPath(WORKER_SCRIPT));
}

/**
 * Scanning workers besides the reading one and this thread. Measured on 2
 * CPUs, 1 GiB: two scanners were a few percent faster than one (scanning is
 * the longest stage), three no faster; each one costs about 25 MB, so no more
 * than two whatever the CPU count.
 */
function defaultWorkers(size: number): number {
  const cpus = availableParallelism();
  if (size < WORKER_MIN_BYTES || cpus < 2) return 0;
  return 2;
}

/** Uses chunk results in file order: line numbers, counts, problems, records. */
class Collector {
  private readonly log = new ProblemLog();
  private records = 0;
  private quietInWindow = 0;
  private lineBase = 0;

  constructor(private readonly onRecord: (r: LogRecord) => void) {}

  use(r: ChunkResult): void {
    for (const p of r.problems) this.log.add(this.lineBase + p.line, p.reason);
    // Problems past the first few of a chunk are only counted.
    this.log.skipped += r.skipped - r.problems.length;
    this.records += r.quiet + r.records.length;
    this.quietInWindow += r.quietInWindow;
    for (const rec of r.records) {
      rec.line += this.lineBase;
      this.onRecord(rec);
    }
    this.lineBase += r.lines;
  }

  result(sha256: string | null): FastJournalResult {
    return { records: this.records, skipped: this.log.skipped, problems: this.log.problems, quietInWindow: this.quietInWindow, sha256 };
  }
}

/**
 * Read a journal export; onRecord gets every record that is not provably
 * quiet, in file order. Counts (records, skipped, problems) are those of
 * readJournal on the same file. I/O errors are thrown, as readJournal's are.
 */
export async function readJournalFast(
  path: string,
  source: string,
  opts: FastJournalOptions,
  onRecord: (r: LogRecord) => void,
): Promise<FastJournalResult> {
  const fd = openSync(path, 'r');
  const chunkBytes = Math.min(MAX_CHUNK, Math.max(64, opts.chunkBytes ?? envCount('CHARGER_DIAG_JOURNAL_CHUNK') ?? DEFAULT_CHUNK));
  let workers: number;
  try {
    const wanted = opts.workers ?? envCount('CHARGER_DIAG_JOURNAL_WORKERS') ?? defaultWorkers(fstatSync(fd).size);
    workers = wanted > 0 && workersAvailable() ? Math.min(wanted, MAX_WORKERS) : 0;
    if (workers === 0) return await readHere(fd, source, opts.window, chunkBytes, opts.hash ?? true, onRecord);
  } finally {
    closeSync(fd);
  }
  return readWithWorkers(path, source, opts.window, chunkBytes, workers, opts.hash ?? true, onRecord);
}

async function readHere(fd: number, source: string, window: JournalWindow, chunkBytes: number, hashing: boolean, onRecord: (r: LogRecord) => void): Promise<FastJournalResult> {
  const c = new Collector(onRecord);
  // Two buffers in turn: each chunk is scanned and used before the next is taken.
  const buffers = [Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)];
  let turn = 0;
  const sha256 = await readChunks(fd, source, {
    take: () => buffers[turn++ % 2]!,
    chunk: (buf, length) => c.use(scanChunk(buf, 0, length, source, window)),
    line: (result) => c.use(result),
  }, hashing);
  return c.result(sha256);
}

function readWithWorkers(
  path: string,
  source: string,
  window: JournalWindow,
  chunkBytes: number,
  scanners: number,
  hashing: boolean,
  onRecord: (r: LogRecord) => void,
): Promise<FastJournalResult> {
  const workers: Worker[] = [];
  const toScanners: MessagePort[] = [];
  for (let k = 0; k < scanners; k++) {
    const { port1, port2 } = new MessageChannel();
    const role: WorkerRole = { role: 'scan', source, window, input: port2 };
    workers.push(new Worker(WORKER_SCRIPT, { workerData: role, transferList: [port2] }));
    toScanners.push(port1);
  }
  const readerRole: WorkerRole = { role: 'reader', path, source, chunkBytes, buffers: 2 * scanners + 2, hashing, scanners: toScanners };
  const reader = new Worker(WORKER_SCRIPT, { workerData: readerRole, transferList: toScanners });
  workers.push(reader);

  const c = new Collector(onRecord);
  let settled = false;
  const done = new Promise<FastJournalResult>((resolve, reject) => {
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    // Results arrive as each worker finishes; they are used in sequence.
    const waiting = new Map<number, { result: ChunkResult; buffer?: ArrayBuffer }>();
    let next = 0;
    let end: { chunks: number; sha256: string | null } | null = null;
    const onMessage = (m: ToMain) => {
      if (settled) return;
      if ('error' in m) return fail(Object.assign(new Error(`${path}: cannot read (${m.error})`), { code: m.error, path }));
      if ('end' in m) end = m;
      else waiting.set(m.seq, m);
      try {
        for (let w = waiting.get(next); w !== undefined; w = waiting.get(next)) {
          waiting.delete(next++);
          c.use(w.result);
          if (w.buffer) reader.postMessage({ buffer: w.buffer } satisfies BufferBack, [w.buffer]);
        }
      } catch (err) {
        return fail(err);
      }
      if (end !== null && next === end.chunks) {
        settled = true;
        resolve(c.result(end.sha256));
      }
    };
    for (const w of workers) {
      w.on('message', onMessage);
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`journal worker exited with code ${code}`)));
    }
  });
  return done.finally(() => Promise.all(workers.map((w) => w.terminate())));
}
