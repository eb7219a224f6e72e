// Where the package's own files are (report-templates/, package.json, the
// collection script's shell parts), found from this module's place. The same
// code runs from src/ (tests), one file per module, and bundled into dist/
// (the published bin), where what a module's URL is relative to depends on
// the chunk the bundler put it in: a fixed '../..' holds in only one of them.
import { existsSync } from 'node:fs';
import { dirname, join, parse, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The nearest directory above this module that holds package.json: the clone or the installed package. */
export function packageRoot(): string {
  if (root !== null) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir || dir === parse(dir).root) throw new Error(`no package.json above ${here}: charger-diag's files are missing`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** A file of the package, by its path from the package root (report-templates/en/messages.json, package.json). */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/**
 * The collection script's static shell parts: copied next to the bundle by
 * the build (dist/collect/script/), read from the sources when running from them.
 */
export function collectScriptFile(name: string): string {
  const fromDist = fileURLToPath(import.meta.url).startsWith(packageFile('dist') + sep);
  return packageFile(fromDist ? 'dist' : 'src', 'collect', 'script', name);
}
