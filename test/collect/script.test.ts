// collect --print-script: the POSIX sh script a device without Node runs by
// hand. With --tar it writes a bundle itself, which charger-diag then reads
// as any other (through the hostile-input reader). It must run under dash
// (Debian's sh) and busybox ash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBundle } from '../../src/bundle/reader.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { defaultConfig } from '../../src/config.js';
import { extract, filesContaining, manifestOf, runCli, sourcesOf, tempDir } from './helpers.js';
import { itWith, need } from '../helpers/needs.js';

const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
// Devices run the script under busybox ash as often as dash: CI installs busybox and must not skip these.
const BUSYBOX = [need(busybox !== undefined, 'no busybox to run the script under ash (apt-get install busybox)')];

describe('collect --print-script', () => {
  let work: string;
  let script: string;
  let disguised: ChildProcess;
  let notifier: ChildProcess;
  let dumper: ChildProcess;
  const TELEGRAM = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
  const GITHUB = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';

  beforeAll(async () => {
    work = tempDir('cd-script-');
    const r = await runCli(['collect', '--print-script', '--since', '-15m', '--health-url', 'http://127.0.0.1:9/health', '--log', '/var/log/does-not-exist.log']);
    expect(r.code).toBe(0);
    script = join(work, 'charger-diag-collect.sh');
    writeFileSync(script, r.stdout);
    disguised = spawn('bash', ['-c', 'exec -a "myserver --api-key=SUPERSECRET123" sleep 300'], { stdio: 'ignore', detached: true });
    notifier = spawn('bash', ['-c', `exec -a "notifier https://api.telegram.org/bot${TELEGRAM}/sendMessage https://${GITHUB}@github.com/acme/x.git" sleep 300`], { stdio: 'ignore', detached: true });
    // Single-dash password options, as a backup job's argv shows them in ps.
    dumper = spawn('bash', ['-c', 'exec -a "mysqldump -u root -pPlantedDumpPw9 charger sshpass -p PlantedSshPw8 ssh -p 22 relay" sleep 300'], { stdio: 'ignore', detached: true });
  });
  afterAll(() => {
    if (disguised?.pid) process.kill(-disguised.pid, 'SIGKILL');
    if (notifier?.pid) process.kill(-notifier.pid, 'SIGKILL');
    if (dumper?.pid) process.kill(-dumper.pid, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('prints one POSIX sh script with this run\'s window and options', async () => {
    const r = await runCli(['collect', '--print-script', '--around', '2025-12-10 01:10', '--window', '5m', '--unit', 'charger.service', '--timeout', '7']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('#!/bin/sh\n')).toBe(true);
    for (const line of ["CD_SINCE_KIND=local", "CD_SINCE_VALUE='2025-12-10 01:10:00'", 'CD_SINCE_SHIFT=-300', 'CD_UNTIL_SHIFT=300', 'CD_UNITS=charger.service', 'CD_TIMEOUT=7', 'CD_LONG_TIMEOUT=42']) {
      expect(r.stdout.split('\n')).toContain(line);
    }
  });

  it('parses as sh under dash', () => {
    expect(spawnSync('dash', ['-n', script], { encoding: 'utf8' }).stderr).toBe('');
  });
  itWith(BUSYBOX, 'parses as sh under busybox ash', () => {
    expect(spawnSync(busybox!, ['sh', '-n', script], { encoding: 'utf8' }).status).toBe(0);
  });

  for (const shell of ['dash', 'busybox']) {
    (shell === 'busybox' ? (name: string, fn: () => Promise<void>, t: number) => itWith(BUSYBOX, name, fn, t) : it)(`with --tar writes a bundle charger-diag reads, without the secrets (${shell})`, async () => {
      const tarball = join(work, `bundle-${shell}.tar.gz`);
      const fd = openSync(tarball, 'w');
      const argv = shell === 'busybox' ? [busybox!, ['sh', script, '--tar']] as const : ['dash', [script, '--tar']] as const;
      const r = spawnSync(argv[0], [...argv[1]], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 120_000 });
      closeSync(fd);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^ {2}ps commands\/ps\.txt: ok$/m);

      const bundle = await openBundle(tarball);
      try {
        expect(bundle.refused).toEqual([]);
        expect(bundle.files).toEqual(expect.arrayContaining(['manifest.json', 'commands/ps.txt', 'commands/ss-ltnup.txt', 'commands/procinfo.json', 'files/etc/os-release']));
        const a = await analyzeBundle(bundle, defaultConfig());
        expect(a.formatVersion).toBe(1);
      } finally {
        await bundle.close();
      }
      const { dir, cleanup } = extract(tarball);
      try {
        const m = manifestOf(dir);
        expect(m.redaction?.enabled).toBe(true);
        expect(m.redaction?.replacements?.['secret-arg']).toBeGreaterThanOrEqual(1);
        expect(m.window?.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        expect(sourcesOf(m, 'app-log').find((s) => s.command === 'copy of /var/log/does-not-exist.log')).toMatchObject({ status: 'missing' });
        expect(sourcesOf(m, 'health')[0]).toMatchObject({ status: 'ok', path: 'commands/health-probes.json' });
        expect(filesContaining(dir, 'SUPERSECRET123')).toEqual([]);
        expect(filesContaining(dir, 'myserver --api-key=[redacted:secret-arg]')).toContain('commands/ps.txt');
        // Tokens of services, redacted by the script's own awk as charger-diag would.
        for (const secret of [TELEGRAM, GITHUB]) expect(filesContaining(dir, secret), secret).toEqual([]);
        expect(filesContaining(dir, 'notifier https://api.telegram.org/bot[redacted:service-token]/sendMessage https://[redacted:url-credentials]@github.com/acme/x.git')).toContain('commands/ps.txt');
        for (const secret of ['PlantedDumpPw9', 'PlantedSshPw8']) expect(filesContaining(dir, secret), secret).toEqual([]);
        expect(filesContaining(dir, 'mysqldump -u root -p[redacted:secret-arg] charger sshpass -p [redacted:secret-arg] ssh -p 22 relay')).toContain('commands/ps.txt');
      } finally {
        cleanup();
      }
    }, 180_000);
  }

  it('refuses --root and --ssh: the script runs on the device itself', async () => {
    const r = await runCli(['collect', '--print-script', '--ssh', 'pi@charger-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^charger-diag: --print-script prints the script for running on the device itself/);
  });
});
