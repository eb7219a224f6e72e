// The SHA-256 of a journal as its chunks are read: inline, or on a worker
// thread that hashes each chunk while this thread scans it.
//
// Measured on the bench (2 CPUs, 1 GiB journal): hashing is about a quarter of
// the fast path's CPU time, and on its own thread it leaves the wall time,
// for about 10 MB of memory (the thread) and no CPU more. The thread reads the
// chunk buffers in place (they are shared memory); a buffer is written again
// only after the thread has hashed what was read into it.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface ChunkHasher {
  /** hash buf[start, end): the next bytes of the file */
  update(buf: Buffer, start: number, end: number): void;
  /** wait until buf may be written again */
  release(buf: Buffer): void;
  /** the hex digest of every byte given */
  digest(): Promise<string>;
  /** free the hasher (after digest() or on an error) */
  close(): void;
}

export function inlineHasher(): ChunkHasher {
  const hash = createHash('sha256');
  return {
    update: (buf, start, end) => void hash.update(buf.subarray(start, end)),
    release: () => {},
    digest: () => Promise.resolve(hash.digest('hex')),
    close: () => {},
  };
}

// CommonJS source, evaluated: the worker needs no file of its own next to the built one.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
const done = new Int32Array(workerData);
parentPort.on('message', (m) => {
  if (m === null) return parentPort.postMessage(hash.digest('hex'));
  try {
    hash.update(new Uint8Array(m.buffer, m.offset, m.length));
    Atomics.store(done, 0, m.seq);
  } catch {
    Atomics.store(done, 1, 1);
  }
  Atomics.notify(done, 0);
});`;

/** No chunk takes this long to hash: past it the thread is taken as lost. */
const STALL_MS = 60_000;

/** Hashes on a worker thread; every buffer given must be on a SharedArrayBuffer. */
export function workerHasher(): ChunkHasher {
  // [0]: the last message hashed; [1]: set when hashing failed.
  const done = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WORKER, { eval: true, workerData: done.buffer });
  let failed: Error | null = null;
  worker.on('error', (e) => (failed = e));
  let seq = 0;
  /** per buffer: the last message that reads it */
  const lastRead = new Map<Buffer, number>();
  return {
    update(buf, start, end) {
      if (end <= start) return;
      lastRead.set(buf, ++seq);
      worker.postMessage({ buffer: buf.buffer, offset: buf.byteOffset + start, length: end - start, seq });
    },
    release(buf) {
      const last = lastRead.get(buf);
      if (last === undefined) return;
      const since = Date.now();
      for (;;) {
        const now = Atomics.load(done, 0);
        if (now >= last) return;
        if (Atomics.load(done, 1) !== 0) throw new Error('hashing the journal failed');
        if (Date.now() - since > STALL_MS) throw new Error('the journal hashing thread stalled');
        Atomics.wait(done, 0, now, 1000);
      }
    },
    async digest() {
      if (failed) throw failed;
      const hex = await new Promise<string>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the journal hashing thread ended early')));
        worker.postMessage(null);
      });
      if (Atomics.load(done, 1) !== 0) throw new Error('hashing the journal failed');
      return hex;
    },
    close: () => void worker.terminate(),
  };
}
