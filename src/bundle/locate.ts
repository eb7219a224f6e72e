// Where bundles are on disk, by their content: a directory with manifest.json,
// a .tar.gz, or a directory holding such bundles directly inside it. Shared by
// `check` (samples/) and the fleet view (a directory `collect` filled), so the
// two never disagree about what counts as a bundle.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const TARBALL = /\.(?:tar\.gz|tgz)$/i;

export function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isBundleDirectory(dir: string): boolean {
  return isRegularFile(join(dir, 'manifest.json'));
}

export interface DirectoryEntry {
  name: string;
  /** joined onto the directory as the user gave it */
  path: string;
  kind: 'directory' | 'file';
}

/**
 * The visible entries of a directory in name order (byte order, so the same
 * on every machine). Hidden entries are not bundles (a half-written
 * `.charger-diag-*` staging directory is hidden); dangling links and special
 * files are nothing to read.
 */
export function listDirectory(dir: string): DirectoryEntry[] {
  const out: DirectoryEntry[] = [];
  const names = readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(dir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) out.push({ name, path, kind: 'directory' });
    else if (st.isFile()) out.push({ name, path, kind: 'file' });
  }
  return out;
}

/** Is this directory entry a bundle by itself (a bundle directory or a .tar.gz)? */
export function isBundleEntry(e: DirectoryEntry): boolean {
  return e.kind === 'directory' ? isBundleDirectory(e.path) : TARBALL.test(e.name);
}
