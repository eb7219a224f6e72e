// collect --root DIR: a device's disk mounted here. The fixture is a small
// Debian 12 root file system whose journal is a real binary journal, written
// at test time by systemd-journal-remote from an export stream made here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openBundle } from '../../src/bundle/reader.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { defaultConfig } from '../../src/config.js';
import { extract, filesContaining, filesUnder, manifestOf, sourcesOf, tempDir } from './helpers.js';
import { describeWith, need } from '../helpers/needs.js';
import { callCli, type CliResult } from '../helpers/cli.js';
import type { Manifest } from '../../src/bundle/manifest.js';

const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';
const haveTools = existsSync(JOURNAL_REMOTE);
// CI installs systemd-journal-remote (.ci/run): there a missing tool is a failure, not a skip.
const run = describeWith([need(haveTools, `no ${JOURNAL_REMOTE} to write a real binary journal (apt-get install systemd-journal-remote)`)]);

const MACHINE = 'e3b4c1d2a5f647389b0c1d2e3f405162';
const BOOT = '4d8c2f1e0a9b4c7d8e6f5a4b3c2d1e0f';
const BOOT_AT = Date.parse('2025-12-09T08:00:00+03:00');
const SECRETS = ['SUPERSECRETUNIT1', 'SUPERSECRETUNIT2', 'SUPERSECRETUNIT3', 'SUPERSECRETJOURNAL1', 'SUPERSECRETCRON1', 'SUPERSECRETLOG1'];

function write(root: string, rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

function link(root: string, rel: string, target: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  symlinkSync(target, p);
}

/** One entry of the journal export format (systemd's JOURNAL_EXPORT_FORMATS). */
function exportEntry(localTime: string, fields: Record<string, string>): string {
  const ms = Date.parse(`${localTime}+03:00`);
  const lines = [
    `__REALTIME_TIMESTAMP=${ms * 1000}`,
    `__MONOTONIC_TIMESTAMP=${(ms - BOOT_AT) * 1000}`,
    `_BOOT_ID=${BOOT}`,
    `_MACHINE_ID=${MACHINE}`,
    '_HOSTNAME=charger-01',
    ...Object.entries(fields).map(([k, v]) => `${k}=${v}`),
  ];
  return `${lines.join('\n')}\n\n`;
}

const systemd = (unit: string, message: string, extra: Record<string, string> = {}) => ({
  _PID: '1', _COMM: 'systemd', _SYSTEMD_UNIT: 'init.scope', _TRANSPORT: 'journal', SYSLOG_IDENTIFIER: 'systemd', PRIORITY: '6', UNIT: unit, MESSAGE: message, ...extra,
});

function makeRoot(root: string): void {
  write(root, 'etc/hostname', 'charger-01\n');
  write(root, 'etc/timezone', 'Europe/Istanbul\n');
  // Absolute, as Debian makes it: it names a file on the disk, not on this machine.
  link(root, 'etc/localtime', '/usr/share/zoneinfo/Europe/Istanbul');
  write(root, 'usr/lib/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
  link(root, 'etc/os-release', '../usr/lib/os-release');
  link(root, 'lib', 'usr/lib');
  write(root, 'usr/lib/systemd/system/ssh.service', '[Unit]\nDescription=OpenBSD Secure Shell server\n\n[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n');
  write(root, 'usr/lib/systemd/system/nginx.service', '[Unit]\nDescription=A high performance web server and a reverse proxy server\n\n[Service]\nType=forking\nExecStart=/usr/sbin/nginx -g \'daemon on; master_process on;\'\n\n[Install]\nWantedBy=multi-user.target\n');
  write(
    root,
    'etc/systemd/system/charger.service',
    '[Unit]\nDescription=OCPP charge point client\nAfter=network-online.target\n\n[Service]\nUser=basar\nWorkingDirectory=/home/basar/charger\nEnvironment=API_TOKEN=SUPERSECRETUNIT1\nExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py --password=SUPERSECRETUNIT2\n\n[Install]\nWantedBy=multi-user.target\n',
  );
  write(root, 'etc/systemd/system/charger.service.d/override.conf', '[Service]\nEnvironment="DB_PASSWORD=SUPERSECRETUNIT3"\n');
  link(root, 'etc/systemd/system/sshd.service', '/lib/systemd/system/ssh.service');
  link(root, 'etc/systemd/system/bluetooth.service', '/dev/null');
  write(
    root,
    'home/basar/charger/deploy/charger-api.service',
    '[Unit]\nDescription=Charger API\n\n[Service]\nUser=basar\nExecStart=/home/basar/env/bin/uvicorn api.main:app --host 127.0.0.1 --port 8000\nStandardOutput=append:/home/basar/charger/api.log\nStandardError=append:/home/basar/charger/api.log\nRestart=always\n',
  );
  link(root, 'etc/systemd/system/charger-api.service', '/home/basar/charger/deploy/charger-api.service');
  // A cron file that is a FIFO on the disk: nothing to copy, and no collection waiting for a writer.
  // (Not a unit file: systemctl --root itself waits on one until its time limit.)
  mkdirSync(join(root, 'srv'), { recursive: true });
  spawnSync('mkfifo', [join(root, 'srv/piped')]);
  link(root, 'etc/cron.d/piped', '/srv/piped');
  write(root, 'home/basar/charger/api.log', 'INFO:     Started server process [98231]\nINFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)\nINFO:     127.0.0.1:51234 - "GET /api/health?token=SUPERSECRETLOG1 HTTP/1.1" 200 OK\n');
  write(root, 'etc/systemd/journald.conf', '[Journal]\n#Storage=auto\n#Compress=yes\n');
  write(root, 'etc/systemd/journald.conf.d/volatile.conf', '[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n');
  write(
    root,
    'var/log/syslog',
    [
      'Dec 10 00:45:01 charger-01 CRON[3121]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
      'Dec 10 01:09:58 charger-01 systemd[1]: session-2.scope: Deactivated successfully.',
      'Dec 10 01:10:00 charger-01 kernel: [151200.120034] Out of memory: Killed process 98231 (uvicorn) total-vm:412344kB',
      'Dec 10 01:30:00 charger-01 CRON[3322]: (root) CMD (true)',
    ].join('\n') + '\n',
  );
  write(root, 'var/log/nginx/access.log', '192.168.1.23 - - [10/Dec/2025:01:10:05 +0300] "GET /api/status HTTP/1.1" 502 157 "-" "Mozilla/5.0"\n192.168.1.23 - - [10/Dec/2025:02:10:05 +0300] "GET /api/status HTTP/1.1" 200 17 "-" "Mozilla/5.0"\n');
  write(root, 'etc/crontab', 'SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n');
  write(root, 'etc/cron.d/e2scrub_all', '30 3 * * 0 root test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron\n');
  write(root, 'etc/cron.d/charger.dpkg-old', '* * * * * root true\n');
  write(root, 'var/spool/cron/crontabs/basar', '@reboot cd /home/basar/charger && nohup uvicorn api.main:app --port 8000 --token SUPERSECRETCRON1 &\n');

  const entries = [
    exportEntry('2025-12-10T00:40:00', systemd('charger.service', 'Started charger.service - OCPP charge point client.')),
    exportEntry('2025-12-10T01:05:00', { _PID: '812', _SYSTEMD_UNIT: 'charger.service', SYSLOG_IDENTIFIER: 'python', PRIORITY: '6', MESSAGE: 'connecting with --api-key=SUPERSECRETJOURNAL1' }),
    exportEntry('2025-12-10T01:09:58', systemd('session-2.scope', 'session-2.scope: Deactivated successfully.', { MESSAGE_ID: '7ad2d189f7e94e70a38c781354912448' })),
    exportEntry('2025-12-10T01:30:00', systemd('charger.service', 'charger.service: Deactivated successfully.')),
  ].join('');
  const journalDir = join(root, 'var/log/journal', MACHINE);
  mkdirSync(journalDir, { recursive: true });
  const r = spawnSync(JOURNAL_REMOTE, ['-o', join(journalDir, 'system.journal'), '-'], { input: entries, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`systemd-journal-remote failed: ${r.stderr}`);
}

run('collect --root DIR', () => {
  let work: string;
  let root: string;
  let out: string;
  let result: CliResult;
  let bundleDir: string;
  let cleanup: () => void;
  let manifest: Manifest;

  beforeAll(async () => {
    if (!haveTools) throw new Error(`${JOURNAL_REMOTE} is missing: install systemd-journal-remote (.ci/run does)`);
    work = tempDir('cd-root-');
    root = join(work, 'sdcard');
    out = join(work, 'out');
    mkdirSync(out);
    makeRoot(root);
    result = await callCli(['collect', '--root', root, '--since', '2025-12-10 01:00', '--until', '2025-12-10 01:15', '--out', join(out, 'charger-01.tar.gz'), '--lang', 'tr']);
    ({ dir: bundleDir, cleanup } = extract(join(out, 'charger-01.tar.gz')));
    manifest = manifestOf(bundleDir);
  }, 120_000);

  afterAll(() => {
    cleanup?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('succeeds and prints the bundle and report paths', () => {
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([join(out, 'charger-01.tar.gz'), join(out, 'charger-01.report.md')]);
    expect(readFileSync(join(out, 'charger-01.report.md'), 'utf8')).toMatch(/^# /);
    expect(existsSync(join(bundleDir, 'report.md'))).toBe(true);
  });

  it('reads times without offset in the disk zone (etc/localtime, not this machine)', () => {
    expect(manifest.host).toMatchObject({ hostname: 'charger-01', os: 'Debian GNU/Linux 12 (bookworm)', timezone: 'Europe/Istanbul', utcOffset: '+03:00', journalStorage: 'volatile' });
    expect(manifest.window).toEqual({ since: '2025-12-10T01:00:00+03:00', until: '2025-12-10T01:15:00+03:00' });
  });

  it('exports the binary journal of the disk for the window only, through journalctl -D --utc', () => {
    const [journal] = sourcesOf(manifest, 'journal');
    expect(journal).toMatchObject({ status: 'ok', path: 'commands/journal.jsonl' });
    expect(journal!.command).toContain(`journalctl -D ${root}/var/log/journal --utc -o json --all --no-pager --since @1765317600 --until @1765318500`);
    const lines = readFileSync(join(bundleDir, 'commands/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => l.MESSAGE)).toEqual(['connecting with --api-key=[redacted:secret-arg]', 'session-2.scope: Deactivated successfully.']);
    expect(sourcesOf(manifest, 'boots')[0]).toMatchObject({ status: 'ok' });
    expect(readFileSync(join(bundleDir, 'commands/journal-boots.txt'), 'utf8')).toContain(BOOT);
  });

  it('records live-only sources as unavailable', () => {
    for (const id of ['ps', 'listeners', 'procinfo', 'units', 'unit-props', 'timers', 'dmesg', 'disk', 'memory', 'load']) {
      const s = sourcesOf(manifest, id);
      expect(s.length, id).toBeGreaterThan(0);
      for (const x of s) expect(x, id).toMatchObject({ status: 'unavailable', error: expect.stringContaining('--root') });
    }
    expect(sourcesOf(manifest, 'os').find((s) => s.path === 'commands/uname.txt')).toBeUndefined();
    expect(sourcesOf(manifest, 'unit-files-state')[0]).toMatchObject({ status: 'ok', command: `systemctl --root=${root} list-unit-files --no-pager --plain` });
  });

  it('copies unit files as systemd sees them: masked empty, aliases skipped, /lib once, links from /home in place', () => {
    const units = sourcesOf(manifest, 'unit-files').map((s) => s.path);
    expect(units).toEqual(
      expect.arrayContaining([
        'files/etc/systemd/system/charger.service',
        'files/etc/systemd/system/charger.service.d/override.conf',
        'files/etc/systemd/system/bluetooth.service',
        'files/etc/systemd/system/charger-api.service',
        'files/lib/systemd/system/nginx.service',
        'files/lib/systemd/system/ssh.service',
      ]),
    );
    expect(units).not.toContain('files/etc/systemd/system/sshd.service');
    expect(units.filter((p) => p?.startsWith('files/usr/lib/systemd'))).toEqual([]);
    expect(readFileSync(join(bundleDir, 'files/etc/systemd/system/bluetooth.service'), 'utf8')).toBe('');
    expect(readFileSync(join(bundleDir, 'files/etc/systemd/system/charger-api.service'), 'utf8')).toContain('uvicorn api.main:app');
    expect(readFileSync(join(bundleDir, 'files/etc/systemd/system/charger.service'), 'utf8')).toContain('Environment=API_TOKEN=[redacted:secret-env]');
  });

  it('refuses a file that is a FIFO, without waiting for a writer or copying it empty', () => {
    const piped = sourcesOf(manifest, 'cron').filter((s) => s.command === 'copy of /etc/cron.d/piped');
    expect(piped).toEqual([{ id: 'cron', command: 'copy of /etc/cron.d/piped', status: 'failed', error: '/etc/cron.d/piped: a FIFO, not read' }]);
    expect(existsSync(join(bundleDir, 'files/etc/cron.d/piped'))).toBe(false);
  });

  it('filters text logs by their own line times and follows a unit\'s StandardOutput= file', () => {
    expect(readFileSync(join(bundleDir, 'files/var/log/syslog'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(join(bundleDir, 'files/var/log/nginx/access.log'), 'utf8')).toContain('01:10:05 +0300] "GET /api/status HTTP/1.1" 502');
    expect(readFileSync(join(bundleDir, 'files/var/log/nginx/access.log'), 'utf8')).not.toContain('02:10:05');
    expect(sourcesOf(manifest, 'app-log').map((s) => s.path)).toContain('files/home/basar/charger/api.log');
    expect(sourcesOf(manifest, 'journald').map((s) => s.path).sort()).toEqual(['commands/journal-dirs.txt', 'files/etc/systemd/journald.conf', 'files/etc/systemd/journald.conf.d/volatile.conf']);
    // The listing names the device's paths, not where the disk is mounted here.
    expect(readFileSync(join(bundleDir, 'commands/journal-dirs.txt'), 'utf8')).toMatch(/ \/var\/log\/journal\n/);
    expect(sourcesOf(manifest, 'cron').filter((s) => s.status === 'ok').map((s) => s.path)).toEqual(['files/etc/crontab', 'files/etc/cron.d/e2scrub_all', 'commands/crontab-basar.txt']);
  });

  it('never lets a secret reach the bundle, and counts what it replaced', () => {
    for (const s of SECRETS) expect(filesContaining(bundleDir, s), s).toEqual([]);
    expect(manifest.redaction?.enabled).toBe(true);
    expect(manifest.redaction?.replacements).toMatchObject({ 'secret-env': 2, 'secret-arg': expect.any(Number), 'secret-kv': expect.any(Number) });
  });

  it('makes a bundle the analyzer reads', async () => {
    const bundle = await openBundle(join(out, 'charger-01.tar.gz'));
    try {
      expect(bundle.refused).toEqual([]);
      const a = await analyzeBundle(bundle, defaultConfig());
      expect(a.findings.map((f) => `${f.rule} ${f.subject}`)).toEqual(expect.arrayContaining(['service.no-restart charger.service', 'journal.volatile journal']));
      expect(filesUnder(bundleDir)).toContain('manifest.json');
    } finally {
      await bundle.close();
    }
  });
});
