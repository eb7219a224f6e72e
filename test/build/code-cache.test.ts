// dist/ runs through its loader (src/load-chunks.ts) with V8's code cache that `npm run build`
// fills for the Node that built it. These run the built bin's loader in child processes, as the
// bin does, and read back what became of each chunk's cache; the output must not depend on it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const MARK = 'chunk-cache-use:';

/** Runs `analyze samples/seed-incident --json` through the loader of `dist`; its stdout and each chunk's cache use. */
function analyzeWith(dist: string, nodeArgs: string[] = []): { stdout: string; use: Record<string, string>; files: Record<string, string> } {
  const script = `
const dist = process.argv[1];
const { ChunkLoader } = require(require('node:path').join(dist, 'load-chunks.cjs'));
const loader = new ChunkLoader(dist);
process.on('exit', () => process.stderr.write('${MARK}' + JSON.stringify(loader.cacheUse()) + '\\n'));
loader.runCli(['analyze', 'samples/seed-incident', '--json']);
`;
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', script, dist], { cwd: ROOT, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith(MARK));
  expect(line, `no cache report from the loader; stderr: ${r.stderr}`).toBeDefined();
  const chunks = JSON.parse(line!.slice(MARK.length)) as { chunk: string; cache: string; file: string }[];
  return { stdout: r.stdout, use: Object.fromEntries(chunks.map((c) => [c.chunk, c.cache])), files: Object.fromEntries(chunks.map((c) => [c.chunk, c.file])) };
}

let scratch: string;

/** A copy of dist/ beside the package files the code looks for (package.json, report-templates/). */
function copyOfDist(name: string): string {
  const dir = join(scratch, name);
  cpSync(DIST, join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'report-templates'), join(dir, 'report-templates'));
  return join(dir, 'dist');
}

beforeAll(() => {
  expect(existsSync(join(DIST, 'cli.cjs')), 'dist/ is missing or old: run npm run build first').toBe(true);
  scratch = mkdtempSync(join(tmpdir(), 'charger-diag-code-cache-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("dist/'s code cache", () => {
  it('holds a cache for every chunk a small analyze compiles, and V8 takes each one', () => {
    const { stdout, use } = analyzeWith(DIST);
    expect(JSON.parse(stdout)).toHaveProperty('findings');
    // The entry runs before the bin sets its V8 flags: it has no cache, by design (scripts/build.mjs).
    expect(use['cli.cjs']).toBe('none');
    const chunks = Object.entries(use).filter(([c]) => c !== 'cli.cjs');
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.filter(([, u]) => u !== 'accepted')).toEqual([]);
  });

  it('without a cache, or with a damaged one, the output is the same and V8 compiles the code', () => {
    const reference = analyzeWith(DIST).stdout;

    const none = copyOfDist('none');
    rmSync(join(none, 'code-cache'), { recursive: true });
    const plain = analyzeWith(none);
    expect(plain.stdout).toBe(reference);
    expect(new Set(Object.values(plain.use))).toEqual(new Set(['none']));

    const damaged = copyOfDist('damaged');
    const { files } = analyzeWith(damaged);
    const main = Object.keys(files).find((c) => c.startsWith('chunks/main-'))!;
    const zod = Object.keys(files).find((c) => c.startsWith('chunks/zod-'))!;
    const bytes = readFileSync(files[main]!);
    // The header V8 checks first (magic, version and flag hashes) is kept; the code after it is not.
    writeFileSync(files[main]!, Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(bytes.length - 64, 0xa5)]));
    writeFileSync(files[zod]!, bytes.subarray(0, 10));
    const hurt = analyzeWith(damaged);
    expect(hurt.stdout).toBe(reference);
    expect(hurt.use[main]).toBe('rejected');
    expect(hurt.use[zod]).toBe('rejected');
  });

  it('never reads the cache of another Node, or of other V8 flags: each is kept under the version, architecture and flags that made it', () => {
    const other = copyOfDist('other');
    for (const d of readdirSync(join(other, 'code-cache'))) renameSync(join(other, 'code-cache', d), join(other, 'code-cache', `v20.0.0-${process.arch === 'x64' ? 'arm64' : 'x64'}-${d}`));
    expect(new Set(Object.values(analyzeWith(other).use))).toEqual(new Set(['none']));

    // Every command starts under the same V8 flags (src/cli.ts): the build fills one directory.
    // Under other flags (here one more, given to node), V8 would turn the caches down: none is read.
    expect(readdirSync(join(DIST, 'code-cache')).filter((d) => d.startsWith(`${process.version}-${process.arch}-`)).length).toBe(1);
    const flagged = analyzeWith(DIST, ['--no-flush-bytecode']);
    expect(flagged.stdout).toBe(analyzeWith(DIST).stdout);
    expect(new Set(Object.values(flagged.use))).toEqual(new Set(['none']));
  });
});
