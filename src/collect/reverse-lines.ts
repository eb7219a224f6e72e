// Reading a file's lines from its end, for the journal's newest-first pass
// (run-command.ts): `journalctl --reverse` gives the newest entries first, and
// the bundle wants them in time order. The file is read backwards a chunk at a
// time, so memory is one chunk plus the line being gathered, whatever the
// file's size; a line longer than a chunk is gathered from several.
import { open, rename, rm } from 'node:fs/promises';

export const REVERSE_CHUNK_BYTES = 64 * 1024;

/**
 * The file's lines (without their "\n"), last first. A last line without "\n"
 * is one too; the empty text after a final "\n" is not.
 */
export async function* linesBackward(path: string, chunkBytes = REVERSE_CHUNK_BYTES): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = size;
    // Pieces of the line being gathered, in file order (it began in an earlier chunk).
    let pending: Buffer[] = [];
    let atEnd = true;
    while (pos > 0) {
      const n = Math.min(chunkBytes, pos);
      pos -= n;
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
        if (bytesRead === 0) throw new Error(`${path}: shorter than its size while read backwards`);
        got += bytesRead;
      }
      let end = n;
      while (end > 0) {
        const nl = buf.lastIndexOf(0x0a, end - 1);
        if (nl === -1) break;
        const piece = buf.subarray(nl + 1, end);
        const line = pending.length > 0 ? Buffer.concat([piece, ...pending]) : piece;
        pending = [];
        if (!(atEnd && line.length === 0)) yield line;
        atEnd = false;
        end = nl;
      }
      // The chunk's start is the end of a line that began earlier: kept for the next chunk.
      if (end > 0) pending.unshift(buf.subarray(0, end));
    }
    // The first line: what comes before the first "\n" (empty when the file starts with one).
    if (size > 0 && !(atEnd && pending.length === 0)) yield Buffer.concat(pending);
  } finally {
    await fh.close();
  }
}

/**
 * Keep only the file's last whole lines that fit in `maxBytes` (its first lines
 * go), copying a chunk at a time; returns the bytes and lines dropped.
 */
export async function dropHeadToFit(path: string, maxBytes: number, chunkBytes = REVERSE_CHUNK_BYTES): Promise<{ bytes: number; lines: number }> {
  const src = await open(path, 'r');
  let start: number;
  let lines = 0;
  const size = (await src.stat()).size;
  try {
    if (size <= maxBytes) return { bytes: 0, lines: 0 };
    // The first line start at or after size - maxBytes: just after a "\n" at or after size - maxBytes - 1.
    start = size;
    const buf = Buffer.allocUnsafe(chunkBytes);
    for (let pos = size - maxBytes - 1; pos < size; pos += chunkBytes) {
      const { bytesRead } = await src.read(buf, 0, chunkBytes, pos);
      if (bytesRead === 0) break;
      const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
      if (nl !== -1) {
        start = pos + nl + 1;
        break;
      }
    }
    for (let pos = 0; pos < start; ) {
      const { bytesRead } = await src.read(buf, 0, Math.min(chunkBytes, start - pos), pos);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(0x0a); i !== -1 && i < bytesRead; i = buf.indexOf(0x0a, i + 1)) lines++;
      pos += bytesRead;
    }
    const tmp = `${path}.fit`;
    const dst = await open(tmp, 'wx', 0o600);
    try {
      for (let pos = start; pos < size; ) {
        const { bytesRead } = await src.read(buf, 0, chunkBytes, pos);
        if (bytesRead === 0) break;
        await dst.write(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    } catch (e) {
      await dst.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await dst.close();
    await rename(tmp, path);
  } finally {
    await src.close();
  }
  return { bytes: start, lines };
}
