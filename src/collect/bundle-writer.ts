// The staged bundle becomes <out>.tar.gz: written under a temporary name in
// the staging area (same directory, same file system) and renamed into place
// only once complete and flushed, so the final name never holds half a bundle.
import { createWriteStream, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { chown, open, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { writeTar } from './tar-writer.js';
import { asOutputError, type Staging } from './staging.js';

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Under sudo the bundle belongs to the user who asked for it, not to root. */
async function giveToInvokingUser(path: string): Promise<void> {
  const uid = Number(process.env.SUDO_UID);
  const gid = Number(process.env.SUDO_GID);
  if (process.getuid?.() !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0) return;
  await chown(path, uid, gid).catch(() => undefined);
}

/**
 * The bundle's directories and files, parents first and names sorted, so the
 * archive's order does not depend on the order the files were written in
 * (the collection writes several at once) nor on the file system's.
 */
function entriesOf(root: string, top: string): string[] {
  const out: string[] = [top];
  const walk = (rel: string) => {
    const names = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const child = `${rel}/${d.name}`;
      out.push(child);
      if (d.isDirectory()) walk(child);
    }
  };
  walk(top);
  return out;
}

/** Pack the staged bundle into a temporary .tar.gz in the staging area; returns its path and sha256 (hashed as it is written). */
export async function packBundle(staging: Staging): Promise<{ path: string; sha256: string }> {
  const temp = staging.scratchPath('bundle.tar.gz');
  const hash = createHash('sha256');
  try {
    staging.checkHook('bundle.tar.gz');
    const entries = entriesOf(staging.root, staging.bundleName);
    const gzip = createGzip();
    const written = pipeline(
      gzip,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const c of chunks) {
          hash.update(c);
          yield c;
        }
      },
      createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
    );
    // It may fail while the tar is still being written (handled below): not an unhandled rejection meanwhile.
    written.catch(() => undefined);
    try {
      // A chunk's write callback comes once zlib has read it: then the tar writer may reuse its buffer.
      await writeTar(staging.root, entries, (c) => new Promise((done, fail) => gzip.write(c, (e) => (e ? fail(e) : done()))));
      gzip.end();
    } catch (e) {
      gzip.destroy(e as Error);
      // A failed write (a full disk) destroys the gzip stream too: its own error is the one to report.
      throw await written.then(
        () => e,
        (w: unknown) => w,
      );
    }
    await written;
    await fsyncPath(temp);
    await giveToInvokingUser(temp);
  } catch (e) {
    throw asOutputError(e, staging.outDir);
  }
  return { path: temp, sha256: hash.digest('hex') };
}

/** Pack the staged bundle into a temporary .tar.gz in the staging area; returns its path. */
export async function packTarball(staging: Staging): Promise<string> {
  return (await packBundle(staging)).path;
}

/** A file to be placed next to the bundle (the report), prepared in the staging area. */
export async function prepareBeside(staging: Staging, content: string): Promise<string> {
  const temp = staging.scratchPath('beside.tmp');
  try {
    staging.checkHook('beside.tmp');
    await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
    await fsyncPath(temp);
    await giveToInvokingUser(temp);
  } catch (e) {
    throw asOutputError(e, staging.outDir);
  }
  return temp;
}

/** Move prepared files to their final names: renames within one directory, which a full disk cannot half-do. */
export async function commit(moves: { from: string; to: string }[]): Promise<void> {
  for (const m of moves) await rename(m.from, m.to);
}

export async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}
