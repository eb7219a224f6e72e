// Device paths as seen from this machine: the live filesystem, or a mounted
// disk under --root DIR. On a disk image an absolute symbolic link
// (/etc/localtime -> /usr/share/zoneinfo/...) means a path on that disk, so
// links are resolved component by component inside DIR, never escaping to
// this machine's own files.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { lstat, readlink, readdir, stat as fsStat } from 'node:fs/promises';
import { join, posix } from 'node:path';

export interface DirEntry {
  name: string;
  kind: 'file' | 'dir' | 'link' | 'other';
}

export interface FsView {
  /** null for the live system */
  readonly root: string | null;
  /** the path on this machine that holds a device path (links resolved inside the root) */
  hostPath(devicePath: string): Promise<string>;
  list(deviceDir: string): Promise<DirEntry[]>;
  /** a link's target as stored on the device, or null when not a link */
  linkTarget(devicePath: string): Promise<string | null>;
  /** at most maxBytes of a file; `more` tells whether it was longer */
  readHead(devicePath: string, maxBytes: number): Promise<{ data: Buffer; more: boolean }>;
  /** what a path is, links followed (inside the root); throws ENOENT/EACCES like stat */
  stat(devicePath: string): Promise<'file' | 'dir' | 'other'>;
}

async function kindOf(path: string): Promise<'file' | 'dir' | 'other'> {
  const st = await fsStat(path);
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

const MAX_HOPS = 40;

function eloop(path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${path}: too many levels of symbolic links`);
  e.code = 'ELOOP';
  return e;
}

/** Resolve a device path under root, following links as the device would see them. */
export async function resolveInRoot(root: string, devicePath: string): Promise<string> {
  const pending = devicePath.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = join(root, ...done, part);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch {
      // Missing: the caller's open reports it for the full path.
      return join(root, ...done, part, ...pending);
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) throw eloop(devicePath);
    const target = await readlink(candidate);
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return join(root, ...done);
}

/**
 * Synchronous calls: the files read this way are small (unit files, configuration, /proc), and an
 * asynchronous open, fstat, read and close are a round trip through the thread pool each, most of
 * a small file's cost. O_NONBLOCK: a FIFO in a file's place (a link to one on a hostile disk image)
 * opens at once, to be refused, instead of waiting for a writer forever.
 */
function readHeadOf(path: string, maxBytes: number): { data: Buffer; more: boolean } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      const e: NodeJS.ErrnoException = new Error('is a directory');
      e.code = 'EISDIR';
      throw e;
    }
    // Nothing to copy, and an empty copy would say something else (an empty unit file is a masked unit).
    if (st.isFIFO()) throw new Error('a FIFO, not read');
    // Sized by the file, not the cap: a zero-filled buffer of the cap for each of
    // hundreds of small files was most of collect's peak memory. /proc files
    // report size 0 and files may grow: read until EOF (or the cap) whatever
    // stat says, in pieces of at least 64 KiB.
    const pieces: Buffer[] = [];
    let len = 0;
    for (let want = Math.min(maxBytes + 1, Math.max(st.size + 1, 65536)); len <= maxBytes; want = Math.min(maxBytes + 1 - len, 65536)) {
      const piece = Buffer.allocUnsafe(want);
      const bytesRead = readSync(fd, piece, 0, want, null);
      if (bytesRead === 0) break;
      pieces.push(piece.subarray(0, bytesRead));
      len += bytesRead;
    }
    const data = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, len);
    return { data: data.subarray(0, Math.min(len, maxBytes)), more: len > maxBytes };
  } finally {
    closeSync(fd);
  }
}

async function listDir(path: string): Promise<DirEntry[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .map((d) => ({ name: d.name, kind: d.isSymbolicLink() ? 'link' : d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other' }) as DirEntry)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function liveView(): FsView {
  return {
    root: null,
    hostPath: async (p) => p,
    list: (d) => listDir(d),
    linkTarget: async (p) => {
      try {
        return (await lstat(p)).isSymbolicLink() ? await readlink(p) : null;
      } catch {
        return null;
      }
    },
    readHead: async (p, max) => readHeadOf(p, max),
    stat: (p) => kindOf(p),
  };
}

export function rootView(root: string): FsView {
  const parentOf = (p: string) => posix.dirname(p);
  return {
    root,
    hostPath: (p) => resolveInRoot(root, p),
    list: async (d) => listDir(await resolveInRoot(root, d)),
    linkTarget: async (p) => {
      try {
        const host = join(await resolveInRoot(root, parentOf(p)), posix.basename(p));
        return (await lstat(host)).isSymbolicLink() ? await readlink(host) : null;
      } catch {
        return null;
      }
    },
    readHead: async (p, max) => readHeadOf(await resolveInRoot(root, p), max),
    stat: async (p) => kindOf(await resolveInRoot(root, p)),
  };
}

/** A link target as an absolute device path (relative targets are relative to the link's directory). */
export function absoluteTarget(linkPath: string, target: string): string {
  return posix.normalize(target.startsWith('/') ? target : posix.join(posix.dirname(linkPath), target));
}
