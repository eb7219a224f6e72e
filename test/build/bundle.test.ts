// The published package has no dependencies: `npm run build` bundles the
// libraries into dist/ (scripts/build.mjs). A bare import left in the bundle
// would work in a clone (node_modules is there) and fail once installed, so
// the built files are checked here: `npm test` builds before vitest runs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** The code in dist/: the bin (cli.js), the loader and the CommonJS chunks. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : /\.c?js$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Module specifiers of static imports, re-exports, dynamic imports and require() with a literal (text that only looks like one, in a message, has spaces or brackets). */
function specifiers(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+)["']|\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g)) {
    const s = m[1] ?? m[2]!;
    if (/^[\w@./:-]+$/.test(s)) out.push(s);
  }
  return out;
}

const BUILT_IN = new Set(builtinModules);

describe('the bundle in dist/', () => {
  it('imports nothing but Node built-ins and its own chunks', () => {
    expect(existsSync(join(DIST, 'cli.js')), 'dist/cli.js is missing: run npm run build first').toBe(true);
    const bare = new Set<string>();
    for (const f of jsFiles(DIST)) for (const s of specifiers(readFileSync(f, 'utf8'))) if (!s.startsWith('./') && !s.startsWith('../') && !s.startsWith('node:') && !BUILT_IN.has(s)) bare.add(`${s} (in ${f.slice(DIST.length + 1)})`);
    expect([...bare]).toEqual([]);
  });

  it('the self-check finds a bare import', () => {
    expect(specifiers('import{a}from"zod";import("./x.js");export*from"node:fs";x("import ", ")");require("tar");require(x)')).toEqual(['zod', './x.js', 'node:fs', 'tar']);
  });

  it('carries the licence of every library it bundles, and package.json declares no runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    const licences = readFileSync(join(DIST, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const name of ['commander', 'zod', 'intl-messageformat', 'marked', 'tar', 'minipass']) {
      const at = licences.search(new RegExp(`^${name} \\d+\\.\\d+\\.\\d+ \\(`, 'm'));
      expect(at, `${name} is not in THIRD-PARTY-LICENSES.txt`).toBeGreaterThanOrEqual(0);
      expect(licences.slice(at, at + 600)).toMatch(/permission|licen[cs]e|copyright/i);
    }
  });
});
