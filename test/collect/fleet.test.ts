// collect from many devices: real OpenSSH servers on 127.0.0.1 (two that
// accept the key, one that refuses every key), a port where nothing listens
// and one that accepts TCP and never speaks SSH. An `ssh` on PATH in front of
// the real one writes a line when each session starts and ends, so the test
// counts how many were in flight at once instead of timing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, type AddressInfo } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, extract, manifestOf, runCli, tempDir, type CliResult } from './helpers.js';
import { describeWith } from '../helpers/needs.js';
import { callCli } from '../helpers/cli.js';
import { SSHD_NEEDS, freePort, keygen, sshOptions, startSshd, type Sshd } from './sshd.js';
import { FleetCollectionSchema, type FleetCollection } from '../../src/fleet/collection-record.js';

const run = describeWith(SSHD_NEEDS);

/** Gone, or a zombie nobody reaps yet (a container's init may not): either way no longer running. SIGKILL lands asynchronously, so look a few times. */
async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;
    } catch {
      return true;
    }
    if (state === 'Z' || state === 'X') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The most sessions open at once, replayed from the shim's start/end lines. */
function maxInFlight(log: string): { max: number; started: number } {
  let open = 0;
  let max = 0;
  let started = 0;
  for (const line of log.split('\n')) {
    if (line.startsWith('start ')) {
      started++;
      max = Math.max(max, ++open);
    } else if (line.startsWith('end ')) open--;
  }
  return { max, started };
}

run('collect from a fleet over ssh', () => {
  let work: string;
  let key: string;
  const servers: Sshd[] = [];
  let good1: number;
  let good2: number;
  let refusing: number;
  let dead: number;
  let mute: Server;
  let mutePort: number;
  const muteSockets: Socket[] = [];
  let shimDir: string;
  let shimLog: string;
  const cleanups: (() => void)[] = [];

  const env = () => ({ PATH: `${shimDir}:${process.env.PATH ?? ''}`, SHIM_LOG: shimLog });
  const records = (dir: string) => readdirSync(dir).filter((f) => /^charger-diag-fleet-.*\.json$/.test(f));
  const recordOf = (dir: string): FleetCollection => FleetCollectionSchema.parse(JSON.parse(readFileSync(join(dir, records(dir)[0]!), 'utf8')));

  beforeAll(async () => {
    work = tempDir('cd-fleet-');
    key = join(work, 'user_key');
    keygen(key, 'user');
    for (const [name, k] of [['a', key], ['b', key], ['refuses', null]] as const) servers.push(await startSshd(join(work, `sshd-${name}`), k));
    [good1, good2, refusing] = servers.map((s) => s.port) as [number, number, number];
    dead = await freePort();
    // Accepts the connection and never sends an SSH banner: only the per-host limit ends it.
    mute = createServer((s) => {
      muteSockets.push(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    mutePort = (mute.address() as AddressInfo).port;

    shimDir = join(work, 'shim');
    mkdirSync(shimDir);
    const realSsh = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
    if (!realSsh) throw new Error('ssh (openssh-client) is missing: .ci/run installs it');
    writeFileSync(
      join(shimDir, 'ssh'),
      `#!/bin/sh
echo "start $$" >> "$SHIM_LOG"
trap 'echo "end $$" >> "$SHIM_LOG"; exit 143' TERM
${realSsh} "$@"
rc=$?
echo "end $$" >> "$SHIM_LOG"
exit $rc
`,
    );
    chmodSync(join(shimDir, 'ssh'), 0o755);
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) s.stop();
    for (const s of muteSockets) s.destroy();
    await new Promise<void>((r) => (mute ? mute.close(() => r()) : r()));
    for (const c of cleanups) c();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('--hosts FILE with reachable, refusing, dead and mute devices, --jobs 2', () => {
    let out: string;
    let r: CliResult;
    let record: FleetCollection;

    beforeAll(async () => {
      out = join(work, 'fleet-out');
      shimLog = join(work, 'shim-hosts.log');
      const hosts = join(work, 'hosts.txt');
      writeFileSync(
        hosts,
        [
          '# chargers of the test site',
          `127.0.0.1:${good1}`,
          '',
          `localhost:${good2}   # the second one`,
          `127.0.0.1:${good2}`,
          `root@127.0.0.1:${refusing}`,
          `127.0.0.1:${dead}`,
          `127.0.0.1:${mutePort}`,
          `someone@127.0.0.1:${good1}`,
        ].join('\n') + '\n',
      );
      // The limit holds for every host: generous enough for a real collection on a loaded CI machine.
      r = await runCli(['collect', '--hosts', hosts, '--jobs', '2', '--host-timeout', '20', '--since', '-10m', '--out', out, ...sshOptions(key)], { env: env(), timeoutMs: 170_000 });
      record = recordOf(out);
    }, 180_000);

    it('exits 1: some hosts gave no bundle, the others did', () => {
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(1);
    });

    it('writes one bundle and one report per reachable device, named by its target (cloned devices share hostnames)', () => {
      const files = readdirSync(out).sort();
      const bundles = files.filter((f) => f.endsWith('.tar.gz'));
      expect(bundles.map((b) => b.replace(/-\d{8}-\d{6}\.tar\.gz$/, '')).sort()).toEqual(
        [`charger-diag-127.0.0.1-${good1}`, `charger-diag-127.0.0.1-${good2}`, `charger-diag-localhost-${good2}`].sort(),
      );
      expect(files.filter((f) => f.endsWith('.report.md') && !f.startsWith('charger-diag-fleet-'))).toHaveLength(3);
      // Nothing half-written or hidden is left: the bundles, their reports, the record and the fleet report.
      expect(files).toHaveLength(3 + 3 + 2);
      expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
      expect(records(out)).toHaveLength(1);
      for (const b of bundles) {
        const x = extract(join(out, b));
        cleanups.push(x.cleanup);
        const m = manifestOf(x.dir);
        expect(b).toContain(m.collector!.target!.replace(/^.*@/, '').replace(':', '-'));
        expect(m.collector!.mode).toBe('ssh');
        expect(m.collector!.command).toMatch(new RegExp(`collect --ssh ${m.collector!.target!.replace(/\./g, '\\.')} `));
        expect(m.collector!.command).not.toContain('--hosts');
        expect(existsSync(join(x.dir, 'report.md'))).toBe(true);
      }
    });

    it('prints each bundle, its report, the record and the fleet report on stdout', () => {
      const lines = r.stdout.trim().split('\n');
      expect(lines.filter((l) => l.endsWith('.tar.gz'))).toHaveLength(3);
      expect(lines.filter((l) => l.endsWith('.report.md'))).toHaveLength(4);
      const record = join(out, records(out)[0]!);
      expect(lines.slice(-2)).toEqual([record, record.replace(/\.json$/, '.report.md')]);
      for (const l of lines) expect(existsSync(l), l).toBe(true);
    });

    it('records every host once, in the order given, with why each failed one failed', () => {
      expect(record.jobs).toBe(2);
      expect(record.hostTimeoutSeconds).toBe(20);
      expect(record.window).toEqual({ since: '-10m' });
      expect(record.hosts.map((h) => [h.target, h.status, h.failure?.kind ?? null])).toEqual([
        [`127.0.0.1:${good1}`, 'ok', null],
        [`localhost:${good2}`, 'ok', null],
        [`127.0.0.1:${good2}`, 'ok', null],
        [`root@127.0.0.1:${refusing}`, 'failed', 'auth-refused'],
        [`127.0.0.1:${dead}`, 'failed', 'unreachable'],
        [`127.0.0.1:${mutePort}`, 'failed', 'timeout'],
      ]);
      const byTarget = new Map(record.hosts.map((h) => [h.target, h]));
      expect(byTarget.get(`root@127.0.0.1:${refusing}`)!.failure!.message).toMatch(/Permission denied \(publickey/);
      expect(byTarget.get(`127.0.0.1:${dead}`)!.failure!.message).toMatch(/Connection refused/);
      expect(byTarget.get(`127.0.0.1:${mutePort}`)!.failure!.message).toMatch(/no bundle within 20 s \(--host-timeout\)/);
      const ok = byTarget.get(`127.0.0.1:${good1}`)!;
      expect(ok.bundle).toMatch(/\.tar\.gz$/);
      expect(ok.report).toMatch(/\.report\.md$/);
      expect(ok.sources!.ok).toBeGreaterThan(50);
    });

    it('says on stderr which hosts failed and why, and that a repeated device was collected once', () => {
      expect(r.stderr).toContain(`someone@127.0.0.1:${good1} is the device of`);
      expect(r.stderr).toMatch(/Fleet: 3 of 6 hosts collected in [\d.]+ s; 3 failed \(1 unreachable, 1 auth-refused, 1 timeout\)/);
      expect(r.stderr).toMatch(new RegExp(`root@127\\.0\\.0\\.1:${refusing}\\s+auth-refused\\s+.*Permission denied`));
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${dead}\\s+unreachable\\s+.*Connection refused`));
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${mutePort}\\s+timeout\\s+no bundle within 20 s`));
    });

    it('writes the fleet report from the analyses of the hosts own reports, naming the hosts without a bundle and why', () => {
      const md = readFileSync(join(out, records(out)[0]!.replace(/\.json$/, '.report.md')), 'utf8');
      expect(md).toMatch(/^# Fleet post-mortem: 6 hosts/);
      // Three devices that all call themselves the same: the report tells them apart by target.
      for (const t of [`127.0.0.1:${good1}`, `localhost:${good2}`, `127.0.0.1:${good2}`, `root@127.0.0.1:${refusing}`, `127.0.0.1:${dead}`, `127.0.0.1:${mutePort}`]) expect(md, t).toContain(t);
      expect(md).toContain('3 analysed, 0 unreadable, 3 not collected');
      // Each analysed host is named by its archive, never by the staging area its report was made in.
      expect(md).not.toContain('.partial-');
      for (const b of readdirSync(out).filter((f) => f.endsWith('.tar.gz'))) expect(md).toContain(`\`${b}\``);
      expect(md).toMatch(/auth-refused[^\n]*Permission denied/);
      expect(md).toMatch(/timeout[^\n]*no bundle within 20 s/);
    });

    it('never has more than --jobs sessions in flight, and uses them', () => {
      const { max, started } = maxInFlight(readFileSync(shimLog, 'utf8'));
      expect(started).toBe(6);
      expect(max).toBe(2);
    });
  });

  it('--ssh repeated with --jobs 1 runs one session at a time and exits 0 when every host gave a bundle', async () => {
    const out = join(work, 'serial');
    shimLog = join(work, 'shim-serial.log');
    const r = await runCli(['collect', '--ssh', `127.0.0.1:${good1}`, '--ssh', `127.0.0.1:${good2}`, '--jobs', '1', '--since', '-5m', '--no-report', '--out', out, ...sshOptions(key)], { env: env(), timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(maxInFlight(readFileSync(shimLog, 'utf8'))).toEqual({ max: 1, started: 2 });
    // --no-report: neither the hosts' reports nor the fleet report.
    expect(readdirSync(out).filter((f) => f.endsWith('.report.md'))).toEqual([]);
    expect(recordOf(out).hosts.map((h) => [h.status, h.report])).toEqual([
      ['ok', null],
      ['ok', null],
    ]);
  }, 120_000);

  it('Ctrl-C while one host hangs: exit 130, the finished bundle stays, nothing half-written, no ssh left running', async () => {
    const out = join(work, 'interrupted');
    shimLog = join(work, 'shim-int.log');
    const child = spawn(process.execPath, [CLI, 'collect', '--ssh', `127.0.0.1:${good1}`, '--ssh', `127.0.0.1:${mutePort}`, '--no-report', '--out', out, ...sshOptions(key)], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // Interrupt as soon as the reachable host is done: the mute one is then certainly under way.
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes(`127.0.0.1:${good1}: ok`)) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
    // No staging area of the interrupted host, and no record (the run did not end).
    expect(files.filter((f) => !f.endsWith('.tar.gz'))).toEqual([]);
    const log = readFileSync(shimLog, 'utf8');
    expect(log.match(/^start /gm)).toHaveLength(2);
    // The hung session was ended with the collector, not left behind.
    const pids = [...log.matchAll(/^start (\d+)$/gm)].map((m) => Number(m[1]));
    for (const pid of pids) expect(await ended(pid), `ssh wrapper ${pid} still runs`).toBe(true);
  }, 60_000);

  it('no host reachable: one line naming the record, exit 2, the record still written', async () => {
    const out = join(work, 'none');
    shimLog = join(work, 'shim-none.log');
    const r = await runCli(['collect', '--ssh', `127.0.0.1:${dead}`, '--ssh', `root@127.0.0.1:${refusing}`, '--out', out, ...sshOptions(key)], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^charger-diag: no host gave a bundle \(2 failed, listed above and in .*charger-diag-fleet-.*\.json\)$/);
    expect(readdirSync(out).filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
    expect(recordOf(out).hosts.map((h) => h.failure?.kind)).toEqual(['unreachable', 'auth-refused']);
  }, 60_000);

  it('a bad line in --hosts is one line naming the file and line, before any device is contacted', async () => {
    const hosts = join(work, 'bad-hosts.txt');
    writeFileSync(hosts, `127.0.0.1:${good1}\ncharger-02 charger-03\n`);
    shimLog = join(work, 'shim-bad.log');
    const r = await callCli(['collect', '--hosts', hosts, '--out', join(work, 'bad-out'), ...sshOptions(key)], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`charger-diag: ${hosts}:2: expected one [USER@]HOST[:PORT] per line, found "charger-02 charger-03"`);
    expect(existsSync(shimLog)).toBe(false);
    expect(existsSync(join(work, 'bad-out'))).toBe(false);
  });

  it('refuses options that cannot serve several hosts', async () => {
    const hosts = join(work, 'two.txt');
    writeFileSync(hosts, `127.0.0.1:${good1}\n127.0.0.1:${good2}\n`);
    const cases: [string[], RegExp][] = [
      [['--hosts', hosts, '--out', join(work, 'x.tar.gz')], /--out .*x\.tar\.gz: several hosts give several bundles; name a directory/],
      [['--hosts', hosts, '--jobs', '0'], /--jobs 0: expected a whole number from 1 to 256/],
      [['--hosts', hosts, '--host-timeout', 'soon'], /--host-timeout soon: expected a number/],
      [['--hosts', hosts, '--root', work], /--root and --ssh\/--hosts cannot be used together/],
      [['--hosts', join(work, 'missing.txt')], /--hosts .*missing\.txt: no such file/],
      [['--jobs', '4'], /--jobs needs several hosts/],
      [['--hosts', hosts, '--print-script'], /--print-script .* drop --ssh\/--hosts/],
    ];
    for (const [args, message] of cases) {
      const r = await callCli(['collect', ...args], { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      // A combination that cannot work is a usage error: where the help is follows its line.
      const usage = /needs several|print-script|several hosts give|expected a (whole )?number|cannot be used together/.test(message.source);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(usage ? 2 : 1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
