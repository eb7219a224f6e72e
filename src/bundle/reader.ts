// Opening a bundle: a directory or a .tar.gz, both untrusted (they come from
// tickets). Only regular files are listed; links and special files are
// recorded as refused and never followed; every later access goes through
// pathOf(), which accepts listed files only.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, constants as fsConstants, lstatSync, openSync, opendirSync, readSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { InputError } from '../errors.js';
import { parseManifest, type Manifest } from './manifest.js';
import { DEFAULT_LIMITS, extractTarball, quoteName, type BundleLimits } from './tar.js';

export type { BundleLimits } from './tar.js';

export interface Bundle {
  /** as the user gave it */
  displayPath: string;
  /** directory on disk holding the bundle's files (the directory itself, or a private mkdtemp extraction for .tar.gz) */
  root: string;
  manifest: Manifest;
  /** bundle-relative POSIX paths of all regular files, sorted */
  files: string[];
  /** entries refused while reading (links or special files in a directory bundle): reported, never followed */
  refused: { path: string; reason: string }[];
  has(rel: string): boolean;
  /** absolute path for streaming, guaranteed inside root and a regular file (not a symlink) */
  pathOf(rel: string): string;
  /** read a whole small file as UTF-8; throws InputError naming the file when over maxBytes (default 64 MiB) */
  readText(rel: string, maxBytes?: number): Promise<string>;
  size(rel: string): number;
  /** sha256 (hex) of the .tar.gz file itself; for a directory, of the sorted "path\0size\0sha256(content)\n" lines of every file. Cached. */
  sha256(): Promise<string>;
  /**
   * Would sha256() use the hash of this file's content? True for a file of a
   * directory bundle until sha256() has started; false for a .tar.gz, whose
   * hash is the archive's. A reader of a big file asks before hashing it.
   */
  wantsContentHash?(rel: string): boolean;
  /**
   * Hand over the SHA-256 of a file's content computed while reading all of
   * it (the journal reader hashes as it scans), so that sha256() of a
   * directory bundle does not read a gigabyte journal a second time. Same
   * value by construction; ignored when wantsContentHash(rel) is false.
   */
  adoptContentHash?(rel: string, sha256Hex: string): void;
  /** remove a temporary extraction; idempotent */
  close(): Promise<void>;
}

export const DEFAULT_READ_TEXT_BYTES = 64 * 1024 * 1024;
const MANIFEST = 'manifest.json';
const MANIFEST_MAX_BYTES = 8 * 1024 * 1024;

export async function openBundle(path: string, limits?: Partial<BundleLimits>): Promise<Bundle> {
  const lim: BundleLimits = { ...DEFAULT_LIMITS, ...stripUndefined(limits ?? {}) };
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`no such bundle: ${path}`);
    throw new InputError(`${path}: cannot read (${code ?? String(err)})`);
  }
  if (st.isDirectory()) return openDirectory(path, lim);
  if (st.isFile() && /\.(tar\.gz|tgz)$/i.test(path)) return openTarball(path, st.size, lim);
  throw new InputError(`${path}: not a bundle (expected a bundle directory or a .tar.gz/.tgz of one)`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function openDirectory(displayPath: string, limits: BundleLimits): Promise<Bundle> {
  const root = realpathSync.native(displayPath);
  const { files, refused } = walk(root, displayPath, limits);
  const manifest = loadManifest(root, files, displayPath);
  return makeBundle({ displayPath, root, files, refused, manifest, temporary: false, hashTarget: null });
}

async function openTarball(displayPath: string, compressedSize: number, limits: BundleLimits): Promise<Bundle> {
  if (limits.maxCompressedBytes !== undefined && compressedSize > limits.maxCompressedBytes) {
    throw new InputError(`${displayPath}: refused: ${compressedSize} bytes is over the limit of ${limits.maxCompressedBytes} bytes`);
  }
  const temp = await mkdtemp(join(tmpdir(), 'charger-diag-'));
  try {
    const tree = await extractTarball(displayPath, temp, limits, displayPath);
    // The normal layout is charger-diag-<host>-<date>/manifest.json: one
    // top-level directory holding everything. Read from inside it.
    let prefix = '';
    const tops = new Set<string>();
    for (const p of [...tree.files.keys(), ...tree.directories]) tops.add(p.split('/')[0] ?? p);
    const [only] = [...tops];
    if (tops.size === 1 && only !== undefined && tree.directories.has(only) && tree.files.has(`${only}/${MANIFEST}`)) {
      prefix = `${only}/`;
    }
    const files = new Map<string, number>();
    for (const [p, size] of tree.files) if (p.startsWith(prefix)) files.set(p.slice(prefix.length), size);
    const root = prefix ? join(temp, prefix.slice(0, -1)) : temp;
    const manifest = loadManifest(root, files, displayPath);
    return makeBundle({ displayPath, root, files, refused: [], manifest, temporary: temp, hashTarget: displayPath });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Regular files under root by lstat, never following a link. Synchronous, as
 * are the reads of small files below: a bundle is a few hundred small files,
 * and an asynchronous lstat, open, read or close is a round trip through the
 * thread pool each, about 80 ms of waiting on a bundle of 170 files here.
 */
function walk(root: string, displayPath: string, limits: BundleLimits): { files: Map<string, number>; refused: { path: string; reason: string }[] } {
  const files = new Map<string, number>();
  const refused: { path: string; reason: string }[] = [];
  const pending: string[] = [''];
  let seen = 0;
  while (pending.length > 0) {
    const relDir = pending.pop() as string;
    let dir;
    try {
      dir = opendirSync(relDir ? join(root, relDir) : root);
    } catch (err) {
      refused.push({ path: relDir, reason: `cannot read directory (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
      continue;
    }
    try {
      // One entry at a time: a directory of millions of entries stops at the limit, never read whole.
      for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) {
        const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
        if (++seen > limits.maxEntries) throw new InputError(`${displayPath}: refused: more than ${limits.maxEntries} entries`);
        let st;
        try {
          st = lstatSync(join(root, rel));
        } catch (err) {
          refused.push({ path: rel, reason: `cannot stat (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
          continue;
        }
        if (st.isSymbolicLink()) refused.push({ path: rel, reason: 'symbolic link (not followed)' });
        else if (st.isDirectory()) pending.push(rel);
        else if (st.isFile()) files.set(rel, st.size);
        else refused.push({ path: rel, reason: `special file (${specialKind(st)}), not read` });
      }
    } finally {
      dir.closeSync();
    }
  }
  refused.sort((a, b) => cmp(a.path, b.path));
  return { files, refused };
}

function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'unknown type';
}

function loadManifest(root: string, files: Map<string, number>, displayPath: string): Manifest {
  const size = files.get(MANIFEST);
  if (size === undefined) throw new InputError(`${displayPath}: not a charger-diag bundle (no manifest.json)`);
  const name = manifestDisplayName(displayPath);
  const text = readRegular(join(root, MANIFEST), MANIFEST_MAX_BYTES, name);
  return parseManifest(text, name);
}

/** "samples/x/manifest.json" for a directory; "b.tar.gz:manifest.json" inside an archive. */
function manifestDisplayName(displayPath: string): string {
  if (/\.(tar\.gz|tgz)$/i.test(displayPath)) return `${displayPath}:${MANIFEST}`;
  return `${displayPath.replace(/\/+$/, '')}/${MANIFEST}`;
}

/** A bundle file opened for reading, never through a final symlink; `display` names it in the error. */
function openToRead(abs: string, display: string): number {
  try {
    return openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`${display}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * Read a file that must be a regular file (not through a final symlink), up to
 * maxBytes. O_NONBLOCK: a FIFO put in a file's place after the listing makes
 * the open return at once (and fstat refuse it) instead of waiting for a writer.
 */
function readRegular(abs: string, maxBytes: number, display: string): string {
  const fd = openToRead(abs, display);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${display}: not a regular file`);
    if (st.size > maxBytes) throw new InputError(`${display}: ${st.size} bytes is over the limit of ${maxBytes} bytes for a whole-file read`);
    // Read at most maxBytes + 1 even if the file grew after fstat.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let len = 0;
    while (len < buf.length) {
      const bytesRead = readSync(fd, buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    if (len > maxBytes) throw new InputError(`${display}: over the limit of ${maxBytes} bytes for a whole-file read`);
    return buf.toString('utf8', 0, len);
  } finally {
    closeSync(fd);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface BundleParts {
  displayPath: string;
  root: string;
  files: Map<string, number>;
  refused: { path: string; reason: string }[];
  manifest: Manifest;
  /** the mkdtemp directory to remove on close, or false for a user's directory */
  temporary: string | false;
  /** the archive to hash, or null to hash the file list */
  hashTarget: string | null;
}

function makeBundle(parts: BundleParts): Bundle {
  const { displayPath, root, files, refused, manifest, temporary, hashTarget } = parts;
  const sorted = [...files.keys()].sort(cmp);
  let hash: Promise<string> | null = null;
  const adopted = new Map<string, string>();
  let closed = false;
  const rootWithSep = root.endsWith(sep) ? root : root + sep;

  const pathOf = (rel: string): string => {
    if (!files.has(rel)) throw new InputError(`${displayPath}: no file ${quoteName(rel)} in the bundle`);
    if (closed) throw new InputError(`${displayPath}: bundle already closed`);
    const abs = join(root, rel);
    // The listing was checked when opened; check again so a directory bundle
    // changed since (a file swapped for a link) cannot lead outside root.
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      throw new InputError(`${displayPath}: ${rel} disappeared from the bundle`);
    }
    if (!st.isFile()) throw new InputError(`${displayPath}: ${rel} is no longer a regular file`);
    // One realpath(3) call: the JavaScript realpathSync takes an lstat per component of the path
    // (a third of the analysis's file-system time on a bundle of 170 files).
    const real = realpathSync.native(abs);
    if (!real.startsWith(rootWithSep)) throw new InputError(`${displayPath}: ${rel} resolves outside the bundle`);
    return abs;
  };

  return {
    displayPath,
    root,
    manifest,
    files: sorted,
    refused,
    has: (rel) => files.has(rel),
    pathOf,
    readText: async (rel, maxBytes = DEFAULT_READ_TEXT_BYTES) => readRegular(pathOf(rel), maxBytes, `${displayPath}: ${rel}`),
    size: (rel) => {
      const s = files.get(rel);
      if (s === undefined) throw new InputError(`${displayPath}: no file ${quoteName(rel)} in the bundle`);
      return s;
    },
    sha256: async () => {
      hash ??= hashTarget ? hashFile(hashTarget) : hashListing(sorted, files, (rel) => adopted.get(rel) ?? hashContent(pathOf(rel), files.get(rel) ?? 0));
      return hash;
    },
    wantsContentHash: (rel) => !hashTarget && !hash && files.has(rel),
    adoptContentHash: (rel, sha256Hex) => {
      if (!hashTarget && !hash && files.has(rel) && /^[0-9a-f]{64}$/.test(sha256Hex)) adopted.set(rel, sha256Hex);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}

function hashFile(abs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(abs)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', (err: NodeJS.ErrnoException) => reject(new InputError(`${abs}: cannot read (${err.code ?? err.message})`)));
  });
}

// Below this size a file is hashed with synchronous reads; a bigger one streams, so hashing an
// application log of hundreds of MiB does not hold the event loop (the journal's reading thread
// may be handing over chunks meanwhile).
const SYNC_HASH_BYTES = 1024 * 1024;
const hashBuf = Buffer.allocUnsafe(64 * 1024);

function hashContent(abs: string, size: number): string | Promise<string> {
  if (size > SYNC_HASH_BYTES) return hashFile(abs);
  const fd = openToRead(abs, abs);
  try {
    const h = createHash('sha256');
    for (let at = 0; ; ) {
      const n = readSync(fd, hashBuf, 0, hashBuf.length, at);
      if (n === 0) break;
      h.update(hashBuf.subarray(0, n));
      at += n;
    }
    return h.digest('hex');
  } catch (err) {
    throw new InputError(`${abs}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

async function hashListing(sorted: string[], files: Map<string, number>, contentHash: (rel: string) => string | Promise<string>): Promise<string> {
  const outer = createHash('sha256');
  for (const rel of sorted) {
    const inner = await contentHash(rel);
    outer.update(`${rel}\0${files.get(rel) ?? 0}\0${inner}\n`);
  }
  return outer.digest('hex');
}
