import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { ThresholdsSchema } from '../../src/config.js';
import { df, type DfRow } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/resource-disk/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'resource.disk');
const COLLECTED = '2025-12-10T01:15:00+03:00';

const row = (fs: string, type: string, mount: string, size: number, percent: number): DfRow => ({ fs, type, mount, size, used: Math.floor((size * percent) / 100), percent });

const BYTES = df([
  row('/dev/root', 'ext4', '/', 31154671616, 98),
  row('devtmpfs', 'devtmpfs', '/dev', 1867464704, 0),
  row('tmpfs', 'tmpfs', '/dev/shm', 2003079168, 1),
  row('tmpfs', 'tmpfs', '/run', 801234944, 100),
  row('/dev/mmcblk0p1', 'vfat', '/boot/firmware', 535805952, 89),
  row('/dev/sda1', 'ext4', '/data', 123010547712, 90),
  row('/dev/sdb1', 'ext4', '/srv/backup', 491048140800, 97),
  row('overlay', 'overlay', '/var/lib/docker/overlay2/7c1e0d2a9b3f/merged', 31154671616, 99),
  row('/dev/loop0', 'squashfs', '/snap/core22/1122', 77725696, 100),
]);

describe('resource.disk fires', () => {
  const a = analyzeSpec({ files: { 'commands/df.txt': BYTES } });

  it('critical at 98%, warning at 90% and 97%, per real filesystem', async () => {
    expect(findings(await a).map((f) => [f.subject, f.severity, f.params.usePercent])).toEqual([
      ['/', 'critical', 98],
      ['/data', 'warning', 90],
      ['/srv/backup', 'warning', 97],
    ]);
  });

  it('quoting the df row with its line and the collection time', async () => {
    const root = findings(await a).find((f) => f.subject === '/')!;
    expect(root.params).toMatchObject({ mountpoint: '/', filesystem: '/dev/root', type: 'ext4', kind: 'bytes', size: 31154671616, at: COLLECTED });
    expect(root.evidence).toEqual([{ source: 'commands/df.txt', line: 2, time: COLLECTED, text: BYTES.split('\n')[1] }]);
    expect(root.title).toBe('/ was 98 % full (space) at 2025-12-10 01:15:00+03:00');
    expect((await a).recurrence.because).toContain('resource.disk');
  });

  it('with inodes as a separate finding, "/ (inodes)"', async () => {
    const inodes = df(
      [
        { fs: '/dev/root', type: 'ext4', mount: '/', size: 1929536, used: 1776000, percent: 93 },
        { fs: 'tmpfs', type: 'tmpfs', mount: '/run', size: 489018, used: 489018, percent: 100 },
        { fs: '/dev/sda1', type: 'ext4', mount: '/data', size: 7634944, used: 120034, percent: 2 },
      ],
      'inodes',
    );
    const vfat = '/dev/mmcblk0p1 vfat          0      0       0     - /boot/firmware\n';
    const b = await analyzeSpec({
      files: { 'commands/df.txt': df([row('/dev/root', 'ext4', '/', 31154671616, 40)]), 'commands/df-inodes.txt': inodes + vfat },
    });
    expect(findings(b).map((f) => [f.subject, f.severity, f.params.kind])).toEqual([['/ (inodes)', 'warning', 'inodes']]);
    expect(findings(b)[0]!.evidence[0]).toMatchObject({ source: 'commands/df-inodes.txt', line: 2, time: COLLECTED });
    expect(b.resources.map((r) => [r.name, r.verdict])).toEqual(
      expect.arrayContaining([
        ['/', 'normal'],
        ['/ (inodes)', 'warning'],
      ]),
    );
  });

  it('at the configured thresholds', async () => {
    const b = await analyzeSpec({ files: { 'commands/df.txt': BYTES } }, { thresholds: ThresholdsSchema.parse({ diskWarningPercent: 85, diskCriticalPercent: 95 }) });
    expect(findings(b).map((f) => [f.subject, f.severity])).toEqual([
      ['/', 'critical'],
      ['/srv/backup', 'critical'],
      ['/boot/firmware', 'warning'],
      ['/data', 'warning'],
    ]);
  });
});

describe('resource.disk stays quiet', () => {
  it('for 89% and for tmpfs, devtmpfs, overlay and squashfs however full', async () => {
    const f = findings(await analyzeSpec({ files: { 'commands/df.txt': BYTES } })).map((x) => x.subject);
    expect(f).not.toContain('/boot/firmware');
    expect(f).not.toContain('/run');
    expect(f.some((s) => s.startsWith('/var/lib/docker') || s.startsWith('/snap'))).toBe(false);
  });

  it('when every real filesystem is under 90%; the rows go to resources as normal', async () => {
    const a = await analyzeSpec({ files: { 'commands/df.txt': df([row('/dev/root', 'ext4', '/', 31154671616, 89), row('tmpfs', 'tmpfs', '/run', 801234944, 100)]) } });
    expect(findings(a)).toEqual([]);
    expect(a.resources.filter((r) => r.unit === 'bytes').map((r) => [r.name, r.verdict])).toEqual([['/', 'normal']]);
  });

  it('reads df output without the Type column, judging pseudo filesystems by name', async () => {
    const text = [
      'Filesystem        1024-blocks     Used Available Capacity Mounted on',
      '/dev/root            30424484 29815994    608490      99% /',
      'tmpfs                  782456   782456         0     100% /run',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'commands/df.txt': text } });
    expect(findings(a).map((f) => [f.subject, f.severity, f.params.size])).toEqual([['/', 'critical', 30424484 * 1024]]);
  });

  it('counts an unreadable df row as skipped', async () => {
    const text = BYTES + '/dev/sdc1 ext4 12345\n';
    const a = await analyzeSpec({ files: { 'commands/df.txt': text } });
    expect(a.sources.find((s) => s.path === 'commands/df.txt')).toMatchObject({ records: 9, skippedRecords: 1 });
  });

  it('is skipped, with the reason, without df output', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'resource.disk')?.reason).toMatch(/df output|commands\/df/);
  });
});

ruleTester.run(rule, {
  valid: [{ name: 'every real filesystem under 90%', bundle: { files: { 'commands/df.txt': df([row('/dev/root', 'ext4', '/', 31154671616, 89), row('tmpfs', 'tmpfs', '/run', 801234944, 100)]) } } }],
  invalid: [
    {
      name: 'full real filesystems, pseudo ones ignored',
      bundle: { files: { 'commands/df.txt': BYTES } },
      findings: [
        { subject: '/', severity: 'critical', params: { mountpoint: '/', kind: 'bytes', usePercent: 98 } },
        { subject: '/data', severity: 'warning', params: { usePercent: 90 } },
        { subject: '/srv/backup', severity: 'warning', params: { usePercent: 97 } },
      ],
    },
    {
      name: 'inodes',
      bundle: {
        files: {
          'commands/df.txt': df([row('/dev/root', 'ext4', '/', 31154671616, 40)]),
          'commands/df-inodes.txt': df([{ fs: '/dev/root', type: 'ext4', mount: '/', size: 1929536, used: 1776000, percent: 93 }], 'inodes'),
        },
      },
      findings: [{ subject: '/ (inodes)', severity: 'warning', params: { kind: 'inodes' } }],
    },
  ],
});
