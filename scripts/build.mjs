#!/usr/bin/env node
// `npm run build`: src/ bundled into dist/ by esbuild, with its dependencies.
//
// Why a bundle and not tsc's one file per module: loading about 280 modules
// (resolving, reading and compiling each) was a third of the start-up of a
// small `analyze` (docs/testing.md, the bench's first row). The bundle is
// split at the CLI's lazy imports, so a command still loads only what it uses.
// Type checking is `npm run typecheck` (tsc, which emits nothing); esbuild
// only strips the types.
//
//   node scripts/build.mjs [--outdir DIR]   (default dist/; the bench builds into its own)
//
// Besides the code: the collection script's shell parts (read at run time,
// next to the code: src/package-files.ts) and the licence texts of the
// dependencies the bundle carries, which their licences ask to travel with it.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const outIndex = argv.indexOf('--outdir');
const OUT = outIndex >= 0 ? argv[outIndex + 1] : join(ROOT, 'dist');
if (!OUT || argv.some((a, i) => a.startsWith('--') && a !== '--outdir' && i !== outIndex + 1)) {
  console.error('build: usage: node scripts/build.mjs [--outdir DIR]');
  process.exit(2);
}

/**
 * zod/mini's namespace re-exports zod's 60-odd locales as one object, and
 * src/zod.ts takes English from it (`locales.en()`): without this plugin every
 * locale (about 300 kB, three times the rest of zod) would be bundled and
 * compiled at start-up. charger-diag's messages are English, so only zod's
 * English locale is kept.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({ contents: "export { default as en } from 'zod/v4/locales/en.js';", resolveDir: ROOT }));
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // package.json's engines: node >=20.
  target: 'node20',
  outdir: OUT,
  chunkNames: 'chunks/[name]-[hash]',
  // commander is CommonJS and require()s Node's modules: the ESM bundle gives it a require.
  banner: { js: "import { createRequire as __charger_diag_require } from 'node:module';\nconst require = __charger_diag_require(import.meta.url);" },
  legalComments: 'none',
  // Less text to compile at every start; names are kept, so a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [zodEnglishOnly],
  metafile: true,
  logLevel: 'warning',
});

cpSync(join(ROOT, 'src', 'collect', 'script'), join(OUT, 'collect', 'script'), { recursive: true });
writeFileSync(join(OUT, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicences(result.metafile));

/**
 * Every package whose code is in the bundle, with its licence text, for
 * THIRD-PARTY-LICENSES.txt. A package's own dependencies count too: some ship
 * them pre-bundled into their own files (tar's index.min.js holds minipass),
 * where the metafile cannot see them.
 */
function thirdPartyLicences(metafile) {
  const packages = new Map();
  const add = (name, dir) => {
    if (packages.has(name)) return;
    packages.set(name, dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) add(dep, installedDir(dep, dir));
  };
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const name = parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
    add(name, join(ROOT, ...parts.slice(0, at + 1), ...name.split('/')));
  }
  const blocks = [];
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!licenceFile) throw new Error(`build: ${relative(ROOT, dir)} has no licence file to carry into the bundle`);
    const text = readFileSync(join(dir, licenceFile), 'utf8').trim();
    blocks.push(`${name} ${pkg.version} (${pkg.license ?? 'see below'})\n${'-'.repeat(72)}\n${text}\n`);
  }
  return `charger-diag's dist/ bundles the code of these packages; their licences follow.\n\n${blocks.join('\n')}`;
}

/** Where Node would find package `name` required from `from`: its node_modules, then each one above. */
function installedDir(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`build: ${name} (a dependency of ${relative(ROOT, from)}) is not installed`);
  }
}

if (!existsSync(join(OUT, 'cli.js'))) throw new Error(`build: ${OUT}${sep}cli.js was not written`);
