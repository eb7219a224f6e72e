import { describe, it, expect } from 'vitest';
import type { Manifest } from '../../src/bundle/manifest.js';
import { canonicalSourceOf, devicePathOf, resolveSources } from '../../src/bundle/sources.js';

const BARE: Manifest = { format: 'charger-diag-bundle', formatVersion: 1 };

// Every canonical path of docs/bundle-format.md as a collector lays them out, plus
// files that are no source.
const CANONICAL: [string, string][] = [
  ['commands/ps.txt', 'ps'],
  ['commands/ss-ltnup.txt', 'listeners'],
  ['commands/procinfo.json', 'procinfo'],
  ['commands/systemctl-list-units.txt', 'units'],
  ['commands/systemctl-list-unit-files.txt', 'unit-files-state'],
  ['commands/systemctl-show.txt', 'unit-props'],
  ['commands/systemctl-list-timers.txt', 'timers'],
  ['files/etc/systemd/system/charger.service', 'unit-files'],
  ['files/etc/systemd/system/charger.service.d/override.conf', 'unit-files'],
  ['files/etc/systemd/system/charger-health.timer', 'unit-files'],
  ['files/run/systemd/system/charger-api.socket', 'unit-files'],
  ['files/usr/local/lib/systemd/system/ngrok.service', 'unit-files'],
  ['files/usr/lib/systemd/system/nginx.service', 'unit-files'],
  ['files/lib/systemd/system/ssh.service', 'unit-files'],
  ['files/lib/systemd/system/getty@.service', 'unit-files'],
  ['commands/journal.jsonl', 'journal'],
  ['commands/journal-boots.txt', 'boots'],
  ['commands/dmesg.txt', 'dmesg'],
  ['commands/coredumpctl.txt', 'coredumps'],
  ['files/var/log/syslog', 'syslog'],
  ['files/var/log/syslog.1', 'syslog'],
  ['files/var/log/kern.log', 'syslog'],
  ['files/var/log/kern.log.1', 'syslog'],
  ['files/var/log/messages', 'syslog'],
  ['files/var/log/daemon.log', 'syslog'],
  ['files/proc/meminfo', 'memory'],
  ['files/proc/loadavg', 'load'],
  ['files/proc/uptime', 'load'],
  ['files/proc/pressure/cpu', 'load'],
  ['files/proc/pressure/memory', 'load'],
  ['files/proc/pressure/io', 'load'],
  ['commands/df.txt', 'disk'],
  ['commands/df-inodes.txt', 'disk'],
  ['files/etc/os-release', 'os'],
  ['commands/uname.txt', 'os'],
  ['files/etc/systemd/journald.conf', 'journald'],
  ['files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', 'journald'],
  ['files/run/systemd/journald.conf.d/override.conf', 'journald'],
  ['commands/journal-dirs.txt', 'journald'],
  ['files/etc/crontab', 'cron'],
  ['files/etc/cron.d/e2scrub_all', 'cron'],
  ['commands/crontab-basar.txt', 'cron'],
  ['commands/crontab-root.txt', 'cron'],
  ['commands/health-probes.json', 'health'],
  ['files/var/log/nginx/access.log', 'app-log'],
  ['files/var/log/nginx/error.log.1', 'app-log'],
  ['files/home/basar/charger/nohup.out', 'app-log'],
  ['files/home/basar/.config/ngrok/ngrok.log', 'app-log'],
];

const NOT_SOURCES = [
  'manifest.json',
  'report.md',
  'commands/unknown.txt',
  'files/etc/systemd/system/multi-user.target.wants/charger.service',
  'files/etc/systemd/system/charger.service.d/notes.txt',
  'files/etc/systemd/system/network-online.target',
  'files/home/basar/charger/config.yaml',
  'files/var/log/nginx/access.log.2.gz',
  'files/etc/cron.d/sub/dir',
  'files/proc/pressure',
  'files',
  'files/',
];

describe('canonicalSourceOf', () => {
  it.each(CANONICAL)('%s is %s', (path, id) => {
    expect(canonicalSourceOf(path)).toBe(id);
  });
  it.each(NOT_SOURCES)('%s is no source', (path) => {
    expect(canonicalSourceOf(path)).toBeNull();
  });
});

describe('devicePathOf', () => {
  it('maps files/ entries to device paths', () => {
    expect(devicePathOf('files/etc/systemd/system/charger.service')).toBe('/etc/systemd/system/charger.service');
    expect(devicePathOf('files/home/basar/charger/nohup.out')).toBe('/home/basar/charger/nohup.out');
  });
  it('gives null for anything else', () => {
    expect(devicePathOf('commands/ps.txt')).toBeNull();
    expect(devicePathOf('files/')).toBeNull();
    expect(devicePathOf('files')).toBeNull();
    expect(devicePathOf('filesystem/x')).toBeNull();
    expect(devicePathOf('manifest.json')).toBeNull();
  });
});

describe('resolveSources', () => {
  it('finds every canonical source by path when the manifest lists none, sorted by id then path', () => {
    const files = [...CANONICAL.map(([p]) => p), ...NOT_SOURCES.filter((p) => !p.startsWith('files/proc/pressure') && p !== 'files' && p !== 'files/')];
    const got = resolveSources({ manifest: BARE, files: [...files].reverse() });
    expect(got.every((s) => s.declared === false && s.status === 'ok')).toBe(true);
    const pairs = got.map((s) => [s.path, s.id]);
    const expected = [...CANONICAL].sort((a, b) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : 1));
    expect(pairs).toEqual(expected);
  });

  it('takes declared sources from the manifest and adds undeclared files', () => {
    const manifest: Manifest = {
      ...BARE,
      sources: [
        { id: 'ps', path: 'commands/ps.txt', command: 'ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args', status: 'ok', exitCode: 0 },
        { id: 'journal', status: 'failed', error: 'No journal files were found.', exitCode: 1 },
        { id: 'app-log', path: 'files/opt/charger/logs/ocpp.txt', status: 'ok' },
        { id: 'units', path: 'commands/systemctl-list-units.txt', status: 'ok' },
        { id: 'dmesg', path: 'commands/dmesg.txt', status: 'denied', error: 'dmesg: read kernel buffer failed: Operation not permitted', exitCode: 1 },
        { id: 'coredumps', path: null, status: 'missing', error: 'coredumpctl: command not found' },
      ],
    };
    const files = ['manifest.json', 'commands/ps.txt', 'files/opt/charger/logs/ocpp.txt', 'files/proc/meminfo', 'commands/dmesg.txt'];
    expect(resolveSources({ manifest, files })).toEqual([
      { id: 'app-log', path: 'files/opt/charger/logs/ocpp.txt', status: 'ok', declared: true },
      { id: 'coredumps', path: null, status: 'missing', error: 'coredumpctl: command not found', declared: true },
      {
        id: 'dmesg',
        path: 'commands/dmesg.txt',
        status: 'denied',
        error: 'dmesg: read kernel buffer failed: Operation not permitted',
        exitCode: 1,
        declared: true,
      },
      { id: 'journal', path: null, status: 'failed', error: 'No journal files were found.', exitCode: 1, declared: true },
      { id: 'memory', path: 'files/proc/meminfo', status: 'ok', declared: false },
      {
        id: 'ps',
        path: 'commands/ps.txt',
        status: 'ok',
        command: 'ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args',
        exitCode: 0,
        declared: true,
      },
      { id: 'units', path: 'commands/systemctl-list-units.txt', status: 'missing', error: 'listed in manifest.json but not in the bundle', declared: true },
    ]);
  });

  it('marks a declared file that is absent as missing, but keeps a recorded failure', () => {
    const manifest: Manifest = {
      ...BARE,
      sources: [
        { id: 'timers', path: 'commands/systemctl-list-timers.txt', status: 'truncated' },
        { id: 'health', path: 'commands/health-probes.json', status: 'timeout', error: 'timed out after 10s' },
      ],
    };
    const got = resolveSources({ manifest, files: ['manifest.json'] });
    expect(got.map((s) => [s.id, s.status, s.error])).toEqual([
      ['health', 'timeout', 'timed out after 10s'],
      ['timers', 'missing', 'listed in manifest.json but not in the bundle'],
    ]);
  });

  it('normalizes declared paths, infers a missing id, and never lists a declared file twice', () => {
    const manifest: Manifest = {
      ...BARE,
      sources: [{ path: './commands//ps.txt' }, { id: 'app-log', path: 'files/var/log/nginx/error.log', status: 'ok' }],
    };
    const got = resolveSources({ manifest, files: ['commands/ps.txt', 'files/var/log/nginx/error.log', 'files/var/log/nginx/access.log'] });
    expect(got).toEqual([
      { id: 'app-log', path: 'files/var/log/nginx/access.log', status: 'ok', declared: false },
      { id: 'app-log', path: 'files/var/log/nginx/error.log', status: 'ok', declared: true },
      { id: 'ps', path: 'commands/ps.txt', status: 'ok', declared: true },
    ]);
  });

  it('treats a declared hostile path as missing (it can only name files the bundle holds)', () => {
    const manifest: Manifest = { ...BARE, sources: [{ id: 'app-log', path: '../../etc/passwd', status: 'ok' }] };
    const [s] = resolveSources({ manifest, files: ['manifest.json'] });
    expect(s?.status).toBe('missing');
  });
});

describe('declared ids this version does not know', () => {
  it('yield to the canonical id of the path ("unit files" as the design table words it)', () => {
    const entries = resolveSources({
      manifest: {
        format: 'charger-diag-bundle',
        formatVersion: 1,
        sources: [
          { id: 'unit files', path: 'files/etc/systemd/system/charger.service', status: 'ok' },
          { id: 'app-log', path: 'files/var/log/syslog', status: 'ok' },
        ],
      },
      files: ['files/etc/systemd/system/charger.service', 'files/var/log/syslog'],
    } as Parameters<typeof resolveSources>[0]);
    expect(entries.find((e) => e.path === 'files/etc/systemd/system/charger.service')!.id).toBe('unit-files');
    // A known id is the user's intent and is kept.
    expect(entries.find((e) => e.path === 'files/var/log/syslog')!.id).toBe('app-log');
  });
});
