// Shared by the collect tests: run the built CLI, open what it wrote, and
// search a bundle byte for byte (a secret must appear in no file at all).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { parseManifest, type Manifest } from '../../src/bundle/manifest.js';
import { Staging } from '../../src/collect/staging.js';

// `npm test` builds dist/ first: the CLI is tested as users run it.
export const CLI = join(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Temporary directories of a test file, each removed after the test that made it. */
export function scratchDirs(): { dir: (prefix: string) => string } {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    dir: (prefix) => {
      const d = tempDir(prefix);
      made.push(d);
      return d;
    },
  };
}

/** Begun staging areas (their bundle named `bundle`) in scratch directories removed after each test. */
export function scratchStagings(prefix: string): () => Staging {
  const { dir } = scratchDirs();
  return () => {
    const s = Staging.create(dir(prefix));
    s.begin('bundle');
    return s;
  };
}

/** Extract a .tar.gz with the system tar into a fresh directory; returns the bundle's top directory. */
export function extract(tarball: string): { dir: string; cleanup: () => void } {
  const into = tempDir('cd-extract-');
  const r = spawnSync('tar', ['-xzf', tarball, '-C', into], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  const [top] = readdirSync(into);
  return { dir: join(into, top!), cleanup: () => rmSync(into, { recursive: true, force: true }) };
}

export function manifestOf(bundleDir: string): Manifest {
  return parseManifest(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'), 'manifest.json');
}

/** Every regular file under dir, relative. */
export function filesUnder(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, base))) {
    const rel = base ? `${base}/${name}` : name;
    const st = statSync(join(dir, rel));
    if (st.isDirectory()) out.push(...filesUnder(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Files of the bundle whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  return filesUnder(dir).filter((rel) => readFileSync(join(dir, rel)).includes(needle));
}

export function sourcesOf(m: Manifest, id: string) {
  return (m.sources ?? []).filter((s) => s.id === id);
}

/** Whether systemd runs this machine (it does not in the usual CI container). */
export function systemdRunning(): boolean {
  try {
    return statSync('/run/systemd/system').isDirectory();
  } catch {
    return false;
  }
}
