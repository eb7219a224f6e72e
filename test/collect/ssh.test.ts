// collect --ssh against a real OpenSSH server that the test starts on
// 127.0.0.1 (its own host key, a throwaway user key, no PAM) and stops. The
// device is this machine, so the same catalogue run locally must give the
// same sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { extract, filesContaining, manifestOf, runCli, sourcesOf, tempDir, type CliResult } from './helpers.js';
import { describeWith } from '../helpers/needs.js';
import { SSHD_NEEDS, freePort, keygen, startSshd, type Sshd } from './sshd.js';
import type { Manifest } from '../../src/bundle/manifest.js';

const run = describeWith(SSHD_NEEDS);

run('collect --ssh', () => {
  let work: string;
  let sshd: Sshd;
  let port: number;
  let key: string;
  let http: Server;
  let httpPort: number;
  let disguised: ChildProcess;
  let sshOut: string;
  let localOut: string;
  let result: CliResult;
  let local: CliResult;
  let bundleDir: string;
  let localDir: string;
  let manifest: Manifest;
  let localManifest: Manifest;
  const cleanups: (() => void)[] = [];
  const logFile = () => join(work, 'app.log');

  const sshArgs = () => ['--ssh-option', '-i', '--ssh-option', key, '--ssh-option', '-oStrictHostKeyChecking=no', '--ssh-option', '-oUserKnownHostsFile=/dev/null', '--ssh-option', '-oLogLevel=ERROR'];

  beforeAll(async () => {
    work = tempDir('cd-ssh-');
    key = join(work, 'user_key');
    keygen(key, 'user');
    sshd = await startSshd(join(work, 'sshd'), key);
    port = sshd.port;

    http = createServer((req, res) => {
      res.statusCode = req.url === '/api/health' ? 200 : 404;
      res.end('ok');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    httpPort = (http.address() as AddressInfo).port;
    disguised = spawn('bash', ['-c', 'exec -a "myserver --api-key=SUPERSECRET123" sleep 300'], { stdio: 'ignore', detached: true });
    const now = Date.now();
    writeFileSync(
      logFile(),
      [
        `${new Date(now - 3 * 3600_000).toISOString()} ERROR old failure outside the window`,
        `${new Date(now - 60_000).toISOString()} ERROR upstream refused, retrying with --password=SUPERSECRETLOG2`,
      ].join('\n') + '\n',
    );

    sshOut = join(work, 'ssh-out');
    localOut = join(work, 'local-out');
    mkdirSync(sshOut);
    mkdirSync(localOut);
    const common = ['--since', '-15m', '--log', logFile(), '--health-url', `http://127.0.0.1:${httpPort}/api/health`, '--no-report'];
    result = await runCli(['collect', '--ssh', `${userInfo().username}@127.0.0.1:${port}`, ...sshArgs(), '--out', sshOut, ...common]);
    local = await runCli(['collect', '--out', localOut, ...common]);
    const a = extract(result.stdout.trim());
    const b = extract(local.stdout.trim());
    cleanups.push(a.cleanup, b.cleanup);
    bundleDir = a.dir;
    localDir = b.dir;
    manifest = manifestOf(bundleDir);
    localManifest = manifestOf(localDir);
  }, 180_000);

  afterAll(async () => {
    sshd?.stop();
    if (disguised?.pid) process.kill(-disguised.pid, 'SIGKILL');
    await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
    for (const c of cleanups) c();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('collects over ssh and writes one bundle', () => {
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(readdirSync(sshOut)).toEqual([result.stdout.trim().slice(sshOut.length + 1)]);
    const raw = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as { collector: { mode: string; user: string; command: string } };
    expect(raw.collector).toMatchObject({ mode: 'ssh', user: userInfo().username });
    expect(raw.collector.command).toContain(`--ssh ${userInfo().username}@127.0.0.1:${port}`);
  });

  it('runs the same catalogue as a local collection of the same machine', () => {
    const ids = (m: Manifest) => [...new Set((m.sources ?? []).map((s) => s.id))].sort();
    expect(ids(manifest)).toEqual(ids(localManifest));
    const unitFiles = (m: Manifest) => sourcesOf(m, 'unit-files').map((s) => s.path).sort();
    expect(unitFiles(manifest)).toEqual(unitFiles(localManifest));
    const statusOf = (m: Manifest, id: string) => sourcesOf(m, id).map((s) => `${s.path ?? ''} ${s.status} ${s.error ?? ''}`).sort();
    for (const id of ['units', 'unit-props', 'timers', 'boots', 'coredumps', 'syslog', 'journald', 'cron', 'disk', 'memory', 'load', 'health-script']) {
      expect(statusOf(manifest, id), id).toEqual(statusOf(localManifest, id));
    }
    expect(readFileSync(join(bundleDir, 'commands/ps.txt'), 'utf8').split('\n')[0]).toBe(readFileSync(join(localDir, 'commands/ps.txt'), 'utf8').split('\n')[0]);
    expect(manifest.host).toMatchObject({ hostname: localManifest.host!.hostname, kernel: localManifest.host!.kernel, bootId: localManifest.host!.bootId, journalStorage: localManifest.host!.journalStorage });
  });

  it('applies the window to a --log file by its line times and probes the health URL on the device', () => {
    const log = readFileSync(join(bundleDir, `files${logFile()}`), 'utf8');
    expect(log).toContain('ERROR upstream refused, retrying with --password=[redacted:secret-arg]');
    expect(log).not.toContain('old failure');
    const probes = JSON.parse(readFileSync(join(bundleDir, 'commands/health-probes.json'), 'utf8')) as { probes: { status: number }[] };
    expect(probes.probes.map((p) => p.status)).toEqual([200]);
  });

  it('keeps secrets of the device out of the bundle', () => {
    for (const s of ['SUPERSECRET123', 'SUPERSECRETLOG2']) expect(filesContaining(bundleDir, s), s).toEqual([]);
    expect(readFileSync(join(bundleDir, 'commands/ps.txt'), 'utf8')).toContain('myserver --api-key=[redacted:secret-arg]');
    const procinfo = JSON.parse(readFileSync(join(bundleDir, 'commands/procinfo.json'), 'utf8')) as { processes: { pid: number }[] };
    expect(procinfo.processes.map((p) => p.pid)).toContain(disguised.pid);
  });

  it('an unreachable device is one line on stderr, exit 2, and nothing written', async () => {
    const out = join(work, 'refused');
    mkdirSync(out);
    const closed = await freePort();
    const r = await runCli(['collect', '--ssh', `root@127.0.0.1:${closed}`, ...sshArgs(), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^charger-diag: --ssh root@127.0.0.1:${closed}: .*Connection refused`));
    expect(readdirSync(out)).toEqual([]);
  });

  it('a key the device does not accept fails at once (BatchMode: no password prompt)', async () => {
    const out = join(work, 'denied');
    mkdirSync(out);
    keygen(join(work, 'other_key'));
    const r = await runCli(['collect', '--ssh', `root@127.0.0.1:${port}`, '--ssh-option', '-i', '--ssh-option', join(work, 'other_key'), '--ssh-option', '-oIdentitiesOnly=yes', '--ssh-option', '-oStrictHostKeyChecking=no', '--ssh-option', '-oUserKnownHostsFile=/dev/null', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^charger-diag: --ssh root@127\.0\.0\.1:\d+: .*Permission denied/);
    expect(readdirSync(out)).toEqual([]);
  });
});
