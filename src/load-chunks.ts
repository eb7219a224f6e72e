// The loader of dist/: the bin (dist/cli.js) hands it dist/cli.cjs, and it loads that and every
// chunk it requires, compiling each with V8's code cache when dist/ holds one made by this
// very Node. Not part of the bundle it loads: scripts/build.mjs builds it on its own, as
// dist/load-chunks.cjs, for old syntax (the entry's version check must get to speak).
//
// Why: compiling the code a small `analyze` runs was about 15% of its CPU time (docs/testing.md,
// the bench's first row). Node 20 has no code cache for ES modules (module.enableCompileCache
// came in Node 22.1), but vm.Script takes one for a function body: the build turns esbuild's ES
// module chunks into CommonJS ones and runs a few commands to fill one cache per chunk
// (dist/code-cache/<node version>-<arch>-<V8's tag>/, the tag being V8's hash of its version and
// flags: a collection runs under other flags than an analysis, src/cli.ts, and so has caches of
// its own). A cache of another Node or other flags is never read. V8 checks a cache's
// header, not its code, and crashes on damaged code: each cache starts with the SHA-256 of
// its bytes, and one that does not match is never handed to V8. A cache belongs to its chunk by
// name: chunk names carry esbuild's hash of their content (and V8 checks the source's length).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

/** Where the caches of the running Node, under its V8 flags as they are now, are kept under `dist`. */
export function codeCacheDir(dist: string): string {
  return join(dist, 'code-cache', `${process.version}-${process.arch}-${cachedDataVersionTag().toString(16)}`);
}

const DIGEST = 32;

/** What a cache file starts with: the SHA-256 of the cache. */
function digest(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** What became of one chunk's cache: used, turned down by V8, or there was none. */
export type CacheUse = 'accepted' | 'rejected' | 'none';

interface Loaded {
  exports: unknown;
}

interface Compiled {
  file: string;
  script: Script;
  cache: CacheUse;
  /** where its cache is (or would be), by the flags when it was compiled */
  cacheFile: string;
}

export class ChunkLoader {
  private readonly modules = new Map<string, Loaded>();
  private readonly compiled: Compiled[] = [];
  private readonly nodeRequire: NodeRequire;

  /** `dist`: the directory holding cli.cjs, chunks/ and code-cache/. */
  constructor(private readonly dist: string) {
    this.nodeRequire = createRequire(join(dist, 'load-chunks.cjs'));
  }

  /**
   * Runs the CommonJS chunk `file` (an absolute path) once and returns its exports. Chunks
   * name each other as the ES build did ("./chunk-X.js"); the .cjs beside it is what runs.
   */
  load(file: string): unknown {
    const known = this.modules.get(file);
    if (known) return known.exports;
    const module: Loaded = { exports: {} };
    // Registered before it runs, as Node does: a chunk that requires one still loading gets its exports so far.
    this.modules.set(file, module);
    const code = file.replace(/\.js$/, '.cjs');
    const cacheFile = this.cacheFile(code);
    const source = `(function (exports, require, module, __filename, __dirname, __chunk_url) {${readFileSync(code, 'utf8')}\n})`;
    let stored: Buffer | null;
    try {
      stored = readFileSync(cacheFile);
    } catch {
      stored = null;
    }
    const cachedData = stored && stored.length > DIGEST && digest(stored.subarray(DIGEST)).equals(stored.subarray(0, DIGEST)) ? stored.subarray(DIGEST) : undefined;
    const script = new Script(source, { filename: code, ...(cachedData ? { cachedData } : {}) });
    const cache: CacheUse = stored === null ? 'none' : !cachedData || script.cachedDataRejected ? 'rejected' : 'accepted';
    this.compiled.push({ file: code, script, cache, cacheFile });
    const dir = dirname(code);
    const require = (spec: string): unknown => (spec.startsWith('./') || spec.startsWith('../') ? this.load(join(dir, spec)) : this.nodeRequire(spec));
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run(module.exports, require, module, code, dir, pathToFileURL(file).href);
    return module.exports;
  }

  /**
   * Runs the CLI (dist/cli.cjs): with `args`, as `charger-diag ARGS` (the build's warm-up
   * commands, the tests), else with this process's arguments (the bin).
   */
  runCli(args?: string[]): void {
    const bin = join(this.dist, 'cli.js');
    if (args) process.argv = [process.argv[0]!, bin, ...args];
    this.load(bin);
  }

  /** Each chunk compiled so far, what became of its cache, and where that cache is. */
  cacheUse(): { chunk: string; cache: CacheUse; file: string }[] {
    return this.compiled.map((c) => ({ chunk: relative(this.dist, c.file), cache: c.cache, file: c.cacheFile }));
  }

  /**
   * For the build: writes the cache of every chunk compiled in this process, with the functions
   * the commands run so far compiled into it. `except`: chunks compiled before the bin changed
   * V8's flags (dist/cli.cjs), whose cache V8 would reject as made under other flags.
   */
  writeCaches(except: string[] = []): number {
    let n = 0;
    for (const c of this.compiled) {
      if (except.includes(relative(this.dist, c.file))) continue;
      const data = c.script.createCachedData();
      mkdirSync(dirname(c.cacheFile), { recursive: true });
      writeFileSync(c.cacheFile, Buffer.concat([digest(data), data]));
      n++;
    }
    return n;
  }

  private cacheFile(code: string): string {
    return join(codeCacheDir(this.dist), `${relative(this.dist, code).split(/[\\/]/).join('~')}.cache`);
  }
}

/** The bin: runs dist/cli.cjs next to `bin` (dist/cli.js). */
export function runBin(bin: string): void {
  const dist = dirname(bin);
  if (!existsSync(join(dist, 'cli.cjs'))) throw new Error(`${basename(bin)}: ${join(dist, 'cli.cjs')} is missing: rebuild with npm run build`);
  new ChunkLoader(dist).runCli();
}
