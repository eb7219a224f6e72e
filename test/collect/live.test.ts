// collect on this machine, with its real commands. Systemd is not running in
// the usual CI container: systemctl must then be recorded as failed with its
// own message, and the collection must still succeed. Two live processes
// carry secrets on their command lines; neither secret may reach the bundle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { extract, filesContaining, manifestOf, runCli, sourcesOf, systemdRunning, tempDir, type CliResult } from './helpers.js';
import { callCli } from '../helpers/cli.js';
import type { Manifest } from '../../src/bundle/manifest.js';

const SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => res.end(req.url === '/api/health' ? 'ok' : 'no'));
srv.listen(0, '127.0.0.1', () => {
  console.log(new Date().toISOString() + ' INFO charger-api listening on ' + srv.address().port + ' with --token=SUPERSECRETAPPLOG1');
});`;

async function waitFor<T>(f: () => T | null, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('collect on this machine', () => {
  let work: string;
  let out: string;
  let server: ChildProcess;
  let disguised: ChildProcess;
  let port: number;
  let logPath: string;
  let result: CliResult;
  let bundleDir: string;
  let cleanup: () => void;
  let manifest: Manifest;

  beforeAll(async () => {
    work = tempDir('cd-live-');
    out = join(work, 'out');
    mkdirSync(out);
    // A hand-started API server: listening, stdout in a file (as with nohup), a secret in argv.
    logPath = join(work, 'nohup.out');
    const fd = openSync(logPath, 'a');
    server = spawn(process.execPath, ['-e', SERVER, '--', '--api-key=SUPERSECRETNODE1'], { stdio: ['ignore', fd, fd], detached: true });
    port = await waitFor(() => {
      const m = /listening on (\d+)/.exec(readFileSync(logPath, 'utf8'));
      return m ? Number(m[1]) : null;
    });
    // A process whose name itself carries a secret (exec -a rewrites argv[0]).
    disguised = spawn('bash', ['-c', 'exec -a "myserver --api-key=SUPERSECRET123" sleep 300'], { stdio: 'ignore', detached: true });
    result = await runCli(['collect', '--since', '-15m', '--out', out, '--health-url', `http://127.0.0.1:${port}/api/health`], { cwd: work });
    const bundle = result.stdout.split('\n')[0]!;
    ({ dir: bundleDir, cleanup } = extract(bundle));
    manifest = manifestOf(bundleDir);
  }, 120_000);

  afterAll(() => {
    for (const c of [server, disguised]) if (c?.pid) process.kill(-c.pid, 'SIGKILL');
    cleanup?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finishes in seconds and prints the bundle and report paths on stdout, progress on stderr', () => {
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(30_000);
    const [bundle, report] = result.stdout.trim().split('\n');
    expect(bundle).toMatch(new RegExp(`^${out}/charger-diag-[A-Za-z0-9.-]+-\\d{8}-\\d{6}\\.tar\\.gz$`));
    expect(report).toBe(bundle!.replace(/\.tar\.gz$/, '.report.md'));
    // Nothing else in the output directory: no staging or temporary leftovers.
    expect(readdirSync(out).sort()).toEqual([bundle!, report!].map((p) => p.slice(out.length + 1)).sort());
    // Without a terminal (CI) only the summary: no line per source.
    expect(result.stderr).not.toMatch(/^ {2}ps /m);
    const lines = result.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('charger-diag: '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Collected \d+ sources in [\d.]+ s: \d+ ok, \d+ missing, \d+ denied, \d+ timed out/);
    expect(lines[1]).toContain(`Bundle: ${bundle}`);
    expect(lines[2]).toContain(`Report: ${report}`);
  });

  it('--verbose prints each source with its command and duration; --quiet only the paths written', async () => {
    const dir = join(work, 'levels');
    mkdirSync(dir);
    const verbose = await callCli(['collect', '--since', '-1m', '--no-report', '--out', dir, '--verbose'], { cwd: work });
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stderr).toMatch(/^ {2}ps commands\/ps\.txt: ok \([\d.]+ (B|KiB|MiB), \d+ ms\) \$ ps -eo /m);
    expect(verbose.stderr).toMatch(/^Collected \d+ sources/m);
    const quiet = await callCli(['collect', '--since', '-1m', '--no-report', '--out', join(dir, 'q.tar.gz'), '--quiet'], { cwd: work });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe(`${join(dir, 'q.tar.gz')}\n`);
    expect(quiet.stderr.split('\n').filter((l) => l && !l.startsWith('charger-diag: '))).toEqual([]);
    const both = await callCli(['collect', '--quiet', '--verbose'], { cwd: work });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^charger-diag: --quiet and --verbose contradict each other/);
  }, 60_000);

  it('records systemctl as failed with its own message when systemd is not running', () => {
    const units = sourcesOf(manifest, 'units')[0]!;
    if (systemdRunning()) expect(units.status).toBe('ok');
    else {
      expect(units).toMatchObject({ status: 'failed', command: 'systemctl list-units --all --no-pager --plain --full', exitCode: 1 });
      expect(units.error).toBe("System has not been booted with systemd as init system (PID 1). Can't operate.");
      expect(units.path ?? null).toBeNull();
      expect(sourcesOf(manifest, 'unit-props')[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('not run: systemctl list-units gave no unit list') });
    }
  });

  it('writes the canonical sources with their commands, and a manifest the reader validates', () => {
    expect(manifest.tool?.name).toBe('charger-diag');
    expect(manifest.host?.cpus).toBeGreaterThan(0);
    expect(manifest.host?.bootId).toMatch(/^[0-9a-f]{32}$/);
    expect(manifest.collectedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    const ps = sourcesOf(manifest, 'ps')[0]!;
    expect(ps).toMatchObject({ status: 'ok', path: 'commands/ps.txt', command: 'ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args', exitCode: 0 });
    expect(readFileSync(join(bundleDir, 'commands/ps.txt'), 'utf8')).toMatch(/^\s+PID\s+PPID USER\s+STARTED ELAPSED\s+RSS %CPU CGROUP\s+COMMAND/);
    for (const [id, path] of [['listeners', 'commands/ss-ltnup.txt'], ['disk', 'commands/df.txt'], ['disk', 'commands/df-inodes.txt'], ['os', 'commands/uname.txt'], ['memory', 'files/proc/meminfo'], ['load', 'files/proc/loadavg']]) {
      expect(sourcesOf(manifest, id!).find((s) => s.path === path), path).toMatchObject({ status: 'ok' });
    }
    const journalDirs = readFileSync(join(bundleDir, 'commands/journal-dirs.txt'), 'utf8');
    expect(journalDirs).toMatch(/\/var\/log\/journal|\/run\/log\/journal/);
    for (const s of manifest.sources ?? []) {
      expect(['ok', 'missing', 'denied', 'timeout', 'failed', 'truncated', 'unavailable']).toContain(s.status);
      if (s.status !== 'unavailable') expect(s.status === 'ok' ? s.path : s.error, JSON.stringify(s)).toBeTruthy();
    }
  });

  it('reads procinfo of the listening server and copies the file its stdout goes to', () => {
    const procinfo = JSON.parse(readFileSync(join(bundleDir, 'commands/procinfo.json'), 'utf8')) as { processes: { pid: number; exe: string; stdout: string }[] };
    const me = procinfo.processes.find((p) => p.pid === server.pid);
    expect(me).toMatchObject({ exe: process.execPath, stdout: logPath });
    const log = sourcesOf(manifest, 'app-log').find((s) => s.path === `files${logPath}`);
    expect(log).toMatchObject({ status: 'ok' });
    expect(readFileSync(join(bundleDir, `files${logPath}`), 'utf8')).toContain('INFO charger-api listening on');
  });

  it('probes the health URL from the device', () => {
    const probes = JSON.parse(readFileSync(join(bundleDir, 'commands/health-probes.json'), 'utf8')) as { probes: { url: string; status: number; error: string | null }[] };
    expect(probes.probes).toEqual([expect.objectContaining({ url: `http://127.0.0.1:${port}/api/health`, status: 200, error: null })]);
  });

  it('keeps the secrets of live command lines and logs out of the bundle', () => {
    for (const s of ['SUPERSECRET123', 'SUPERSECRETNODE1', 'SUPERSECRETAPPLOG1']) expect(filesContaining(bundleDir, s), s).toEqual([]);
    const ps = readFileSync(join(bundleDir, 'commands/ps.txt'), 'utf8');
    expect(ps).toContain('myserver --api-key=[redacted:secret-arg]');
    expect(manifest.redaction?.enabled).toBe(true);
    expect(manifest.redaction?.replacements?.['secret-arg']).toBeGreaterThanOrEqual(2);
  });

  it('analyze reads the bundle', async () => {
    const r = await callCli(['analyze', result.stdout.split('\n')[0]!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/window .* → /);
  });
});
