// Worker threads of the journal fast path (journal-fast.ts says how they fit).
//
// The reading worker cuts the file into chunks and hashes it (readChunks),
// sends each chunk to the scanning workers in turn, and the few lines it
// handles itself to the main thread. It has a fixed set of buffers: one comes
// back only after the main thread has used that chunk's result, so the
// reading waits for the slowest stage and memory stays bounded.
//
// A scanning worker scans each chunk it gets and sends the result, with the
// buffer, to the main thread.
import { openSync, closeSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanChunk, type ChunkResult, type JournalWindow } from './journal-quiet.js';
import { readChunks } from './journal-chunks.js';

export type WorkerRole =
  | { role: 'reader'; path: string; source: string; chunkBytes: number; buffers: number; hashing: boolean; scanners: MessagePort[] }
  | { role: 'scan'; source: string; window: JournalWindow; input: MessagePort };

/** reader → scanner */
export interface ChunkMessage {
  seq: number;
  buffer: ArrayBuffer;
  length: number;
}

/** reader or scanner → main thread */
export type ToMain =
  | { seq: number; result: ChunkResult; buffer?: ArrayBuffer }
  | { end: true; chunks: number; sha256: string | null }
  | { error: string };

/** main thread → reader: a buffer whose chunk has been used */
export interface BufferBack {
  buffer: ArrayBuffer;
}

function runReader(role: Extract<WorkerRole, { role: 'reader' }>, main: MessagePort): void {
  const free: Buffer[] = [];
  for (let k = 0; k < role.buffers; k++) free.push(Buffer.allocUnsafeSlow(role.chunkBytes));
  let waiting: ((b: Buffer) => void) | null = null;
  main.on('message', (m: BufferBack) => {
    const b = Buffer.from(m.buffer);
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(b);
    } else free.push(b);
  });
  let seq = 0;
  let next = 0;
  const post = (m: ToMain, transfer: ArrayBuffer[] = []) => main.postMessage(m, transfer);
  let fd = -1;
  (async () => {
    fd = openSync(role.path, 'r');
    const sha256 = await readChunks(fd, role.source, {
      take: () => free.pop() ?? new Promise<Buffer>((resolve) => (waiting = resolve)),
      chunk: (buf, length) => {
        const ab = buf.buffer as ArrayBuffer;
        const m: ChunkMessage = { seq: seq++, buffer: ab, length };
        role.scanners[next]!.postMessage(m, [ab]);
        next = (next + 1) % role.scanners.length;
      },
      line: (result) => post({ seq: seq++, result }),
    }, role.hashing);
    post({ end: true, chunks: seq, sha256 });
  })()
    .catch((err: NodeJS.ErrnoException) => post({ error: err.code ?? String(err) }))
    .finally(() => {
      if (fd >= 0) closeSync(fd);
    });
}

function runScanner(role: Extract<WorkerRole, { role: 'scan' }>, main: MessagePort): void {
  role.input.on('message', (m: ChunkMessage) => {
    const result = scanChunk(Buffer.from(m.buffer, 0, m.length), 0, m.length, role.source, role.window);
    const out: ToMain = { seq: m.seq, result, buffer: m.buffer };
    main.postMessage(out, [m.buffer]);
  });
}

const role = workerData as WorkerRole | undefined;
if (parentPort && role?.role === 'reader') runReader(role, parentPort);
else if (parentPort && role?.role === 'scan') runScanner(role, parentPort);
