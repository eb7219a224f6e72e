// A collection that cannot finish leaves nothing behind: killed (SIGTERM),
// interrupted (Ctrl-C), or out of disk space. And a hung command is timed
// out without holding the collection up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { CLI, extract, tempDir } from './helpers.js';
import { collect } from '../../src/collect/collect.js';
import { OutputError } from '../../src/collect/staging.js';

let work: string;
beforeAll(() => {
  work = tempDir('cd-abort-');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an interrupted collection', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  let connected: () => void = () => undefined;

  beforeAll(async () => {
    // A health endpoint that accepts and never answers: the collector waits on it, mid-run.
    server = createServer((s) => {
      sockets.push(s);
      connected();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`by ${signal} exits 130 and leaves nothing in the output directory`, async () => {
      const out = join(work, `out-${signal}`);
      mkdirSync(out);
      const child = spawn(process.execPath, [CLI, 'collect', '--since', '-5m', '--out', out, '--health-url', `http://127.0.0.1:${port}/health`, '--timeout', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      await new Promise<void>((r) => (connected = r));
      // By now everything but the probe is staged in the output directory.
      expect(readdirSync(out).some((n) => n.startsWith('.charger-diag-collect.partial-'))).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(130);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n').pop()).toBe('charger-diag: interrupted');
      expect(readdirSync(out)).toEqual([]);
    }, 60_000);
  }
});

describe('a full disk', () => {
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

  it('is one clear line, exit 2, and nothing left on the full file system', async (ctx) => {
    const mnt = join(work, 'tiny');
    mkdirSync(mnt);
    const m = canMount ? spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mnt], { encoding: 'utf8' }) : null;
    if (!m || m.status !== 0) {
      // Containers without CAP_SYS_ADMIN: the in-process test below injects ENOSPC instead.
      ctx.skip();
      return;
    }
    try {
      const r = spawnSync(process.execPath, [CLI, 'collect', '--since', '-5m', '--out', mnt], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').pop()).toBe(`charger-diag: ${mnt}: no space left on device while writing the bundle; nothing was left behind`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(mnt)).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  }, 120_000);

  for (const when of ['commands/ps.txt', 'bundle.tar.gz'] as const) {
    it(`stops with an OutputError and removes everything when writing ${when} fails with ENOSPC`, async () => {
      const out = join(work, `enospc-${when.replace(/\W/g, '_')}`);
      mkdirSync(out);
      const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const attempt = collect({ since: '-5m', out, report: false }, { progress: null, failWrite: (rel) => (rel === when ? enospc : null) });
      await expect(attempt).rejects.toBeInstanceOf(OutputError);
      await expect(attempt).rejects.toThrow(`${out}: no space left on device while writing the bundle; nothing was left behind`);
      expect(readdirSync(out)).toEqual([]);
    }, 60_000);
  }
});

describe('a hung command', () => {
  it('is timed out with its partial output kept and marked, and the collection goes on', async () => {
    const out = join(work, 'hung');
    mkdirSync(out);
    const started = Date.now();
    const r = await collect(
      { since: '-5m', out, report: false, timeout: 1 },
      { progress: null, extraCommands: [{ id: 'dmesg', path: 'commands/hung.txt', argv: ['sh', '-c', 'echo "partial line"; exec sleep 60'] }] },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    const hung = r.sources.find((s) => s.path === 'commands/hung.txt');
    expect(hung).toMatchObject({ status: 'timeout', error: 'timed out after 1 s; the 13 bytes printed before are kept' });
    const { dir, cleanup } = extract(r.bundlePath);
    try {
      expect(readFileSync(join(dir, 'commands/hung.txt'), 'utf8')).toBe('partial line\n');
      expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).sources).toContainEqual(expect.objectContaining({ path: 'commands/hung.txt', status: 'timeout' }));
    } finally {
      cleanup();
    }
  }, 90_000);
});
