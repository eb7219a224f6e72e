// Which commands of the built bin run V8's optimizing compiler (src/cli.ts, src/compilers.ts),
// seen from V8 itself: --trace-opt prints a line for each function TurboFan is asked to optimize.
// A command on a small bundle runs without it, big logs turn it on, and a collection of one
// device never turns it on, whatever it collects.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAVY_REDACT_BYTES, HEAVY_TEXT_LOG_BYTES } from '../../src/compilers.js';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli.js');
const SEED = join(ROOT, 'samples', 'seed-incident');

let scratch: string;

/** The bin with V8's optimization trace: the command's exit status and how many functions TurboFan took. */
function traced(args: string[]): { status: number | null; optimized: number; stdout: string } {
  const r = spawnSync(process.execPath, ['--trace-opt', BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const optimized = r.stdout.split('\n').filter((l) => l.startsWith('[') && /TURBOFAN/i.test(l)).length;
  return { status: r.status, optimized, stdout: r.stdout };
}

/** Appends copies of `from` to `file` until it holds at least `bytes`. */
function grow(file: string, from: string, bytes: number): void {
  const text = readFileSync(from);
  while (!existsSync(file) || statSync(file).size < bytes) appendFileSync(file, text);
}

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist', 'cli.cjs')), 'dist/ is missing or old: run npm run build first').toBe(true);
  scratch = mkdtempSync(join(tmpdir(), 'charger-diag-compilers-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the optimizing compiler of the bin', () => {
  it('stays off for a small bundle, and comes on for one whose logs are big', () => {
    const small = traced(['analyze', SEED, '--json']);
    expect(small.status).toBe(0);
    expect(small.optimized).toBe(0);

    // The seed sample with its application log grown past the threshold.
    const big = join(scratch, 'big-logs');
    cpSync(SEED, big, { recursive: true });
    const log = join(big, 'files', 'home', 'basar', 'charger', 'nohup.out');
    grow(log, join(SEED, 'files', 'home', 'basar', 'charger', 'nohup.out'), HEAVY_TEXT_LOG_BYTES);
    const heavy = traced(['analyze', big, '--json']);
    expect(heavy.status).toBe(0);
    expect(heavy.optimized).toBeGreaterThan(10);

    // Half of it: still off.
    const under = join(scratch, 'under');
    cpSync(SEED, under, { recursive: true });
    writeFileSync(join(under, 'files', 'home', 'basar', 'charger', 'nohup.out'), readFileSync(log).subarray(0, HEAVY_TEXT_LOG_BYTES / 2));
    expect(traced(['analyze', under, '--json']).optimized).toBe(0);
  });

  it('comes on for a fleet of bundles, and to redact a big bundle but not a small one', () => {
    expect(traced(['analyze', SEED, join(ROOT, 'samples', 'healthy'), '--summary', '--json']).optimized).toBeGreaterThan(10);
    const big = join(scratch, 'to-redact');
    cpSync(SEED, big, { recursive: true });
    grow(join(big, 'files', 'home', 'basar', 'charger', 'nohup.out'), join(SEED, 'files', 'home', 'basar', 'charger', 'nohup.out'), HEAVY_REDACT_BYTES);
    const heavy = traced(['redact', big, '--out', join(scratch, 'redacted-big.tar.gz')]);
    expect(heavy.status).toBe(0);
    expect(heavy.optimized).toBeGreaterThan(10);
    const small = traced(['redact', SEED, '--out', join(scratch, 'redacted-small.tar.gz')]);
    expect(small.status).toBe(0);
    expect(small.optimized).toBe(0);
  });

  it('stays off in a collection of one device, even over big logs', () => {
    const root = join(scratch, 'root');
    cpSync(join(SEED, 'files'), root, { recursive: true });
    mkdirSync(join(root, 'var', 'log'), { recursive: true });
    const line = 'Dec 10 01:05:00 charger-01 charger[4242]: ERROR ocpp: heartbeat to the central system timed out after 30 s\n';
    writeFileSync(join(scratch, 'line'), line.repeat(1000));
    grow(join(root, 'var', 'log', 'syslog'), join(scratch, 'line'), HEAVY_TEXT_LOG_BYTES + 1024);
    const out = join(scratch, 'bundle.tar.gz');
    const r = traced(['collect', '--root', root, '--since', '2025-12-09', '--until', '2025-12-11', '--out', out, '--quiet']);
    expect(r.status).toBeLessThanOrEqual(1);
    // The collection holds the big log, and its report read it.
    const listing = spawnSync('tar', ['-tvzf', out], { encoding: 'utf8' }).stdout;
    const entry = listing.split('\n').find((l) => l.endsWith('/files/var/log/syslog'));
    expect(entry, listing).toBeDefined();
    expect(Number(entry!.trim().split(/\s+/)[2])).toBeGreaterThanOrEqual(HEAVY_TEXT_LOG_BYTES);
    expect(r.optimized).toBe(0);
  });
});
