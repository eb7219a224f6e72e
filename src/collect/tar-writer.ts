// The bundle's tar stream, written here rather than by the tar package: its
// packer reads files ahead of the consumer (26 MB of buffers for a 50 MB
// staging area, 50 MB more peak memory for a collection with a big journal),
// while this one reads the next 64 KiB only once the previous chunk has been
// taken, into the same buffer, so memory stays the same whatever the bundle's size. POSIX ustar:
// regular files and directories only (a bundle holds nothing else), no owner
// (uid and gid 0, no names: the collecting machine's accounts are not the
// device's), a pax header for a path longer than the 100 bytes of a ustar
// name or not plain ASCII.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 512;
const CHUNK = 64 * 1024;

function octal(n: number, width: number): string {
  // width - 1 digits and a NUL, as the fields' own width says.
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, o: { mode: number; size: number; mtime: number; type: '0' | '5' | 'x' }): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(o.mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(o.size, 12), 124, 'ascii');
  h.write(octal(o.mtime, 12), 136, 'ascii');
  h.write(o.type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  // The checksum is the sum of the header's bytes with its own field read as spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A pax record "LEN path=VALUE\n", LEN counting the whole record, its own digits included. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.from(`${len}${body}`);
}

function padding(size: number): Buffer | null {
  const rest = size % BLOCK;
  return rest === 0 ? null : Buffer.alloc(BLOCK - rest);
}

/** Headers for one entry: a pax header first when the path does not fit a ustar name. */
function headersOf(path: string, o: { mode: number; size: number; mtime: number; type: '0' | '5' }): Buffer[] {
  const plain = Buffer.byteLength(path) <= 100 && /^[\x20-\x7e]*$/.test(path);
  if (plain) return [header(path, o)];
  const pax = paxRecord('path', path);
  const out = [header(`PaxHeader/${Buffer.from(path).subarray(-80).toString('latin1').replace(/[^\x20-\x7e]/g, '_')}`, { mode: 0o644, size: pax.length, mtime: o.mtime, type: 'x' }), pax];
  const pad = padding(pax.length);
  if (pad) out.push(pad);
  // The ustar name is a stand-in that readers without pax still get something recognisable from.
  out.push(header(Buffer.from(path).subarray(0, 100).toString('latin1').replace(/[^\x20-\x7e]/g, '_'), o));
  return out;
}

/**
 * Writes the tar stream of `entries` (paths relative to `cwd`, directories as
 * such, parents before what they hold) to `put`, which resolves once it is done
 * with the chunk it was given. Headers, padding and file data are gathered into
 * one buffer of 64 KiB, reused, and handed over only when full: packing a
 * 150 MB journal leaves no 150 MB of read buffers for the GC, and a bundle of
 * 170 small files is some twenty hand-overs to gzip instead of five hundred
 * (each a round trip through the thread pool: 115 ms of a one-second collect).
 * The staging area is ours and complete, so it is read with synchronous calls:
 * an asynchronous stat, open, read and close per file was one more round trip each.
 * Directories carry no time (as the tar package's portable mode wrote them).
 */
export async function writeTar(cwd: string, entries: string[], put: (chunk: Buffer) => Promise<void>): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const flush = async () => {
    if (used === 0) return;
    await put(buf.subarray(0, used));
    used = 0;
  };
  const add = async (bytes: Buffer) => {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, CHUNK - used);
      bytes.copy(buf, used, at, at + n);
      used += n;
      at += n;
      if (used === CHUNK) await flush();
    }
  };
  for (const rel of entries) {
    const abs = join(cwd, rel);
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const b of headersOf(`${rel}/`, { mode: st.mode, size: 0, mtime: 0, type: '5' })) await add(b);
      continue;
    }
    if (!st.isFile()) throw new Error(`${abs}: not a regular file or a directory`);
    const fd = openSync(abs, 'r');
    try {
      // The size read now is the size written.
      const size = st.size;
      for (const b of headersOf(rel, { mode: st.mode, size, mtime: Math.floor(st.mtimeMs / 1000), type: '0' })) await add(b);
      let done = 0;
      while (done < size) {
        const bytesRead = readSync(fd, buf, used, Math.min(CHUNK - used, size - done), done);
        if (bytesRead === 0) throw new Error(`${abs}: shorter than its ${size} bytes while packing`);
        done += bytesRead;
        used += bytesRead;
        if (used === CHUNK) await flush();
      }
      const pad = padding(size);
      if (pad) await add(pad);
    } finally {
      closeSync(fd);
    }
  }
  // The end of the archive: two empty blocks.
  await add(Buffer.alloc(2 * BLOCK));
  await flush();
}
