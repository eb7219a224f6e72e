// Reading a journal file chunk by chunk and taking its SHA-256 as it is
// read: inline, or on a worker thread that reads and hashes the next chunk
// while this thread scans the last one.
//
// Measured on the bench (2 CPUs, 1 GiB journal): the hash and the read(2)
// calls were about a third of the fast path's CPU time; on their own thread
// they leave the main thread's time, for about the same CPU in all and a few
// MB of memory (the thread). The thread reads into the chunk buffers in place (they are
// shared memory), and only into the one that is not being scanned.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';

export interface ChunkReader {
  /** start reading the file on into buf[at, buf.length), up to its end; every byte read is hashed */
  start(buf: Buffer, at: number): void;
  /** the bytes read by the last start(): 0 at the end of the file. Throws the read's error */
  finish(): number;
  /** the hex SHA-256 of every byte read, or null when not hashing */
  digest(): Promise<string | null>;
  /** free the reader (after digest() or on an error) */
  close(): Promise<void>;
}

/** Fill buf from `at` on, or up to the end of the file; the bytes read. */
function fill(fd: number, buf: Uint8Array, at: number): number {
  let total = 0;
  while (at + total < buf.length) {
    const n = readSync(fd, buf, at + total, buf.length - at - total, null);
    if (n === 0) break;
    total += n;
  }
  return total;
}

export function inlineReader(fd: number, hashing: boolean): ChunkReader {
  const hash = hashing ? createHash('sha256') : null;
  let n = 0;
  return {
    start(buf, at) {
      n = fill(fd, buf, at);
      hash?.update(buf.subarray(at, at + n));
    },
    finish: () => n,
    digest: () => Promise.resolve(hash ? hash.digest('hex') : null),
    close: () => Promise.resolve(),
  };
}

// State shared with the thread (Int32 slots): the last request done, the
// bytes it read, and the length of an error message (UTF-8, from ERROR_AT) when it failed.
const DONE = 0;
const BYTES = 1;
const ERROR = 2;
const ERROR_AT = 16;
const STATE_BYTES = 1024;

// CommonJS source, evaluated: the thread needs no file of its own next to the built one.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { fd, hashing, state, buffers } = workerData;
const views = buffers.map((b) => new Uint8Array(b.buffer, b.offset, b.length));
const hash = hashing ? require('node:crypto').createHash('sha256') : null;
const slots = new Int32Array(state);
parentPort.on('message', (m) => {
  if (m === null) return parentPort.postMessage(hash ? hash.digest('hex') : null);
  const buf = views[m.index].subarray(m.at);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total === buf.length) break;
    }
    if (hash) hash.update(buf.subarray(0, total));
  } catch (e) {
    const text = Buffer.from(String(e && e.message)).subarray(0, ${STATE_BYTES - ERROR_AT});
    new Uint8Array(state).set(text, ${ERROR_AT});
    Atomics.store(slots, ${ERROR}, text.length || 1);
  }
  Atomics.store(slots, ${BYTES}, total);
  Atomics.store(slots, ${DONE}, m.seq);
  Atomics.notify(slots, ${DONE});
});`;

/** No chunk takes this long to read and hash: past it the thread is taken as lost. */
const STALL_MS = 60_000;

/**
 * Reads and hashes on a worker thread, into `buffers` only (each on a SharedArrayBuffer). They
 * are handed to the thread once: a SharedArrayBuffer in every request cost about 150 µs to post
 * on the bench's 1 GiB (40 ms in all), a request of numbers next to nothing.
 */
export async function threadReader(fd: number, hashing: boolean, buffers: readonly Buffer[]): Promise<ChunkReader> {
  // Loaded here: a small journal is read inline, and the worker machinery is not free to load.
  const { Worker } = await import('node:worker_threads');
  const state = new SharedArrayBuffer(STATE_BYTES);
  const slots = new Int32Array(state);
  const shared = buffers.map((b) => ({ buffer: b.buffer, offset: b.byteOffset, length: b.length }));
  const worker = new Worker(WORKER, { eval: true, workerData: { fd, hashing, state, buffers: shared } });
  let failed: Error | null = null;
  worker.on('error', (e) => (failed = e));
  let seq = 0;
  return {
    start(buf, at) {
      const index = buffers.indexOf(buf);
      if (index < 0) throw new Error('the journal reading thread was given a buffer it does not hold');
      worker.postMessage({ index, at, seq: ++seq });
    },
    finish() {
      const since = Date.now();
      while (Atomics.load(slots, DONE) !== seq) {
        if (Date.now() - since > STALL_MS) throw failed ?? new Error('the journal reading thread stalled');
        Atomics.wait(slots, DONE, seq - 1, 1000);
      }
      const error = Atomics.load(slots, ERROR);
      if (error !== 0) throw new Error(Buffer.from(state, ERROR_AT, error).toString());
      return Atomics.load(slots, BYTES);
    },
    async digest() {
      if (failed) throw failed;
      return new Promise<string | null>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the journal reading thread ended early')));
        worker.postMessage(null);
      });
    },
    close: async () => void (await worker.terminate()),
  };
}
