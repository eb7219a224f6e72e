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
// Then each chunk is turned into CommonJS (dist/cli.cjs, dist/chunks/*.cjs) for
// the loader (src/load-chunks.ts, built as dist/load-chunks.cjs; dist/cli.js is
// the bin that calls it), and a few commands are run to fill V8's code cache of
// each chunk for this Node and each set of V8 flags the commands run under
// (dist/code-cache/): compiling was about 15% of a small `analyze`, and Node 20
// caches no ES module's code.
//
//   node scripts/build.mjs [--outdir DIR]   (default dist/; the bench builds into its own)
//
// Besides the code: the collection script's shell parts (read at run time,
// next to the code: src/package-files.ts) and the licence texts of the
// dependencies the bundle carries, which their licences ask to travel with it.
import { build, transform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const outIndex = argv.indexOf('--outdir');
// Absolute: the code cache's warm-up commands run from the repository's root (fillCodeCache).
const OUT = outIndex >= 0 ? (argv[outIndex + 1] ? resolve(argv[outIndex + 1]) : undefined) : join(ROOT, 'dist');
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
  legalComments: 'none',
  // Less text to compile at every start; names are kept, so a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [zodEnglishOnly],
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// Each ES chunk as CommonJS: imports become require() of the sibling chunk (the loader
// resolves "./chunk-X.js" to its .cjs), import() a promise of one, and import.meta.url the
// chunk's URL, which the loader passes in (src/package-files.ts finds the package by it).
for (const out of result.outputFiles) {
  if (!out.path.endsWith('.js')) throw new Error(`build: unexpected output ${out.path}`);
  const cjs = await transform(out.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'import.meta.url': '__chunk_url' },
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  writeOut(out.path.replace(/\.js$/, '.cjs'), cjs.code.replace(/^#!.*\n/, ''));
}

await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/load-chunks.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // Old syntax: on a Node too old for charger-diag, the entry's version check must get to run.
  target: 'node12',
  outfile: join(OUT, 'load-chunks.cjs'),
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(
  join(OUT, 'cli.js'),
  `#!/usr/bin/env node
// charger-diag's bin. The code is CommonJS (cli.cjs, chunks/), run by load-chunks.cjs with
// V8's code cache when there is one for this Node (src/load-chunks.ts, scripts/build.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
createRequire(import.meta.url)('./load-chunks.cjs').runBin(fileURLToPath(import.meta.url));
`,
  { mode: 0o755 },
);

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
fillCodeCache();

/**
 * V8's code cache of each chunk, for the Node running the build: each command below runs
 * through the loader in a process of its own (flags as the bin's), which then writes the cache
 * of every chunk it compiled, with the functions it ran; the next command starts from those
 * caches and adds its own. Two collections, and the commands a user runs at a desk, where
 * start-up is waited for. They all start under the same V8 flags (src/cli.ts), so they share
 * the caches, and the order matters: a function a command does not run may lose its bytecode to
 * V8's flushing of old code in a longer command's run, and then is missing from the cache that
 * run writes. The shortest command that matters most runs last: `analyze` of the seed sample took
 * about a tenth more CPU time with the caches the collections wrote last.
 */
function fillCodeCache() {
  const script = `
const [dist, ...args] = process.argv.slice(1);
const { ChunkLoader } = require(require('node:path').join(dist, 'load-chunks.cjs'));
const loader = new ChunkLoader(dist);
// cli.cjs runs before it sets the bin's V8 flags: a cache of it would not match them.
process.on('exit', () => loader.writeCaches(['cli.cjs']));
// A crash is not a command's exit 1 ("found something").
const crashed = (e) => { console.error(e); process.exit(70); };
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);
loader.runCli(args);
`;
  // A collection from the seed sample's files (a device's disk mounted here, as --root reads it)
  // with its report, into a directory of its own: the code a collection runs, on no live system.
  const scratch = mkdtempSync(join(tmpdir(), 'charger-diag-build-'));
  const commands = [
    ['collect', '--root', 'samples/seed-incident/files', '--since', '2025-12-09', '--until', '2025-12-11', '--out', join(scratch, 'warm-up.tar.gz'), '--quiet'],
    ['collect', '--print-script'],
    ['rules'],
    ['report', 'samples/seed-incident', '--lang', 'tr'],
    ['report', 'samples/seed-incident'],
    ['analyze', 'samples/seed-incident', '--json'],
  ];
  try {
    for (const args of commands) {
      const r = spawnSync(process.execPath, ['-e', script, OUT, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      // 1 is a command's "found something"; more is a failure.
      if (r.status === null || r.status > 1) {
        throw new Error(`build: filling the code cache, charger-diag ${args.join(' ')} failed (${r.signal ?? `exit ${r.status}`}): ${r.stderr.trim()}`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // One directory per set of V8 flags the commands ran under (src/load-chunks.ts).
  const caches = join(OUT, 'code-cache');
  if (!existsSync(caches) || readdirSync(caches).length === 0) throw new Error(`build: no code cache was written to ${caches}`);
}

/** Writes a built file, making its directory. */
function writeOut(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

