// Where a bundle is assembled before it becomes a .tar.gz: a private
// directory next to the output, removed whatever happens. Nothing under the
// final name exists until the archive is complete (bundle-writer.ts), so an
// interrupted run or a full disk leaves nothing behind.
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';

/** The output location cannot take the bundle: a full disk, a quota, a read-only mount. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

const OUTPUT_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG', 'EIO']);

/** Errors of the output side abort the collection; errors reading the device only mark a source. */
export function asOutputError(e: unknown, where: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && OUTPUT_CODES.has(code)) {
    const what = code === 'ENOSPC' ? 'no space left on device' : code === 'EDQUOT' ? 'disk quota exceeded' : code === 'EROFS' ? 'read-only file system' : code === 'EFBIG' ? 'file too large' : 'input/output error';
    return new OutputError(`${where}: ${what} while writing the bundle; nothing was left behind`, code);
  }
  return e;
}

export interface StagingHooks {
  /** test seam: make a write fail as a full disk would */
  failWrite?: (rel: string) => NodeJS.ErrnoException | null;
}

const BUFFER_BYTES = 256 * 1024;

/**
 * An output file written through a buffer (a journal is millions of small lines).
 * One buffer for the file's life, taken on its first buffered write, that text is
 * encoded into and chunks are copied into: no Buffer for each line nor a
 * concatenation for each write, whose garbage outlived the young generation
 * (held until the next flush) and grew collect's memory with the journal's size.
 * Opened, written and closed with synchronous calls (the methods stay
 * asynchronous for their callers): a collection writes some 170 files, mostly
 * small, and each asynchronous call was a round trip through the thread pool;
 * a write of 256 KiB to the page cache holds the event loop for less time than that.
 */
export class StagedFile {
  private buf: Buffer | null = null;
  private used = 0;
  bytes = 0;

  constructor(
    private readonly fd: number,
    private readonly rel: string,
    private readonly staging: Staging,
  ) {}

  async write(data: Buffer | string): Promise<void> {
    const len = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (len === 0) return;
    if (this.used + len > BUFFER_BYTES) await this.flush();
    this.bytes += len;
    if (len > BUFFER_BYTES) {
      // Bigger than the buffer: written as it is (a file written whole, a long journal entry).
      await this.put(typeof data === 'string' ? Buffer.from(data) : data);
      return;
    }
    this.buf ??= Buffer.allocUnsafe(BUFFER_BYTES);
    if (typeof data === 'string') this.buf.write(data, this.used);
    else data.copy(this.buf, this.used);
    this.used += len;
    if (this.used === BUFFER_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    await this.put(this.buf!.subarray(0, n));
  }

  private async put(data: Buffer): Promise<void> {
    this.staging.checkHook(this.rel);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at, data.length - at);
    } catch (e) {
      throw asOutputError(e, this.staging.outDir);
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

export class Staging {
  /** the private directory holding everything in progress */
  readonly root: string;
  private bundleDir: string | null = null;
  private name: string | null = null;
  private cleaned = false;

  private constructor(
    readonly outDir: string,
    private readonly hooks: StagingHooks,
  ) {
    this.root = join(outDir, `.charger-diag-collect.partial-${randomBytes(6).toString('hex')}`);
  }

  /** Create the private directory in outDir: the first write, so an unusable output fails before anything runs. */
  static create(outDir: string, hooks: StagingHooks = {}): Staging {
    const s = new Staging(outDir, hooks);
    try {
      mkdirSync(s.root, { mode: 0o700 });
    } catch (e) {
      const err = asOutputError(e, outDir);
      if (err instanceof OutputError) throw err;
      const code = (e as NodeJS.ErrnoException).code;
      throw new OutputError(`${outDir}: cannot write the bundle here (${code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such directory' : code ?? String(e)})`, code ?? 'EIO');
    }
    return s;
  }

  /** Name the bundle's top directory; over --ssh the name waits for the device's host name. */
  begin(bundleName: string): void {
    if (this.bundleDir) throw new Error('staging already begun');
    this.name = bundleName;
    this.bundleDir = join(this.root, bundleName);
    try {
      mkdirSync(this.bundleDir, { mode: 0o700 });
    } catch (e) {
      throw asOutputError(e, this.outDir);
    }
  }

  get bundleName(): string {
    if (!this.name) throw new Error('staging not begun');
    return this.name;
  }

  get dir(): string {
    if (!this.bundleDir) throw new Error('staging not begun');
    return this.bundleDir;
  }

  checkHook(rel: string): void {
    const e = this.hooks.failWrite?.(rel);
    if (e) throw asOutputError(e, this.outDir);
  }

  pathOf(rel: string): string {
    return join(this.dir, rel);
  }

  async open(rel: string): Promise<StagedFile> {
    const p = this.pathOf(rel);
    try {
      mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
      return new StagedFile(openSync(p, 'wx', 0o600), rel, this);
    } catch (e) {
      throw asOutputError(e, this.outDir);
    }
  }

  /** A scratch file outside the bundle directory (removed with the staging area). */
  async openScratch(name: string): Promise<StagedFile> {
    try {
      return new StagedFile(openSync(join(this.root, name), 'wx', 0o600), name, this);
    } catch (e) {
      throw asOutputError(e, this.outDir);
    }
  }

  scratchPath(name: string): string {
    return join(this.root, name);
  }

  async writeFile(rel: string, data: Buffer | string): Promise<number> {
    const f = await this.open(rel);
    try {
      await f.write(data);
    } finally {
      await f.close();
    }
    return f.bytes;
  }

  /**
   * Remove the staging area without blocking: the files' unlinks run side by side
   * (a bundle is a few hundred files, ~30 ms one after the other). Idempotent;
   * an exit meanwhile still removes what is left (cleanupSync).
   */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    await rm(this.root, { recursive: true, force: true });
    this.cleaned = true;
  }

  /** Synchronous, for the process 'exit' handler of an interrupted run. Idempotent. */
  cleanupSync(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    rmSync(this.root, { recursive: true, force: true });
  }
}
