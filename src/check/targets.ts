// What each PATH of `check` is, decided by its content: a bundle (directory
// with manifest.json, or a .tar.gz), a directory of unit files from a
// repository, or a directory holding bundles and unit directories.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { TARBALL, isBundleDirectory, isRegularFile, listDirectory } from '../bundle/locate.js';

export interface CheckTarget {
  kind: 'bundle' | 'unit-dir';
  /** as the user gave it, or joined onto the containing directory they gave */
  path: string;
  /** expected.json beside the manifest, NAME.expected.json beside NAME.tar.gz, or --expect */
  expectFile: string | null;
}

const UNIT_FILE = /\.(?:service|timer|socket)$/;

/** Resolve every PATH; --expect only makes sense for a single bundle. Throws InputError naming the path for anything else. */
export function resolveTargets(paths: string[], expect: string | undefined): CheckTarget[] {
  const targets: CheckTarget[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    for (const t of resolveOne(p)) {
      const key = resolve(t.path);
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(t);
    }
  }
  if (expect !== undefined) {
    const [only] = targets;
    if (targets.length !== 1 || only === undefined || only.kind !== 'bundle') {
      throw new InputError(`--expect ${expect}: names the expectations of one bundle; give exactly one bundle PATH with it (got ${describeTargets(targets)})`);
    }
    if (!isRegularFile(expect)) throw new InputError(`${expect}: no such file (--expect)`);
    only.expectFile = expect;
  }
  return targets;
}

function describeTargets(targets: CheckTarget[]): string {
  const bundles = targets.filter((t) => t.kind === 'bundle').length;
  const units = targets.length - bundles;
  return `${bundles} bundle${bundles === 1 ? '' : 's'} and ${units} unit director${units === 1 ? 'y' : 'ies'}`;
}

function resolveOne(path: string): CheckTarget[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (st.isFile()) {
    if (TARBALL.test(path)) return [tarballTarget(path)];
    throw new InputError(`${path}: not a bundle (.tar.gz) or a directory`);
  }
  if (!st.isDirectory()) throw new InputError(`${path}: not a bundle (.tar.gz) or a directory`);
  const own = classifyDirectory(path);
  if (own) return [own];
  const children = containedTargets(path);
  if (children.length > 0) return children;
  throw new InputError(
    `${path}: not a bundle (no manifest.json), not a directory of unit files (no *.service, *.timer, *.socket or NAME.d/*.conf) and holds no bundles`,
  );
}

/** A directory that is itself a bundle or a unit directory, else null. */
function classifyDirectory(dir: string): CheckTarget | null {
  if (isBundleDirectory(dir)) {
    const exp = join(dir, 'expected.json');
    return { kind: 'bundle', path: dir, expectFile: isRegularFile(exp) ? exp : null };
  }
  if (hasUnitFiles(dir)) {
    const exp = join(dir, 'expected.json');
    return { kind: 'unit-dir', path: dir, expectFile: isRegularFile(exp) ? exp : null };
  }
  return null;
}

/** Top-level unit files or drop-in directories; deeper trees are not guessed at. */
export function hasUnitFiles(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (UNIT_FILE.test(e.name) && !e.isDirectory()) return true;
    if (e.name.endsWith('.d') && e.isDirectory() && readdirSync(join(dir, e.name)).some((n) => n.endsWith('.conf'))) return true;
  }
  return false;
}

/**
 * A directory of bundles (samples/): each subdirectory must be a bundle or a
 * unit directory, so a sample that lost its manifest fails loudly instead of
 * being skipped; .tar.gz files beside them are bundles too. Hidden entries
 * and plain files (a README) are not samples.
 */
function containedTargets(dir: string): CheckTarget[] {
  const out: CheckTarget[] = [];
  for (const e of listDirectory(dir)) {
    if (e.kind === 'directory') {
      const t = classifyDirectory(e.path);
      if (!t) throw new InputError(`${e.path}: in ${dir}, neither a bundle (no manifest.json) nor a directory of unit files`);
      out.push(t);
    } else if (TARBALL.test(e.name)) {
      out.push(tarballTarget(e.path));
    }
  }
  return out;
}

function tarballTarget(path: string): CheckTarget {
  const exp = join(dirname(path), `${basename(path).replace(TARBALL, '')}.expected.json`);
  return { kind: 'bundle', path, expectFile: isRegularFile(exp) ? exp : null };
}
