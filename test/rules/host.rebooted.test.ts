import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeSpec, DEFAULT_HOST } from '../helpers/bundle.js';
import { BOOT_ID, at, jsonl, kernelEntry, listBoots, sd } from '../helpers/raw.js';
import { render } from '../report/render.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/host-rebooted/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'host.rebooted');

const NEW_BOOT = '5f2e8a1c9d7b4e3fa6c1b2d3e4f50617';
const BOOTS_WITH_REBOOT = listBoots([
  [-1, BOOT_ID, 'Tue 2025-12-09 08:00:09 +03', 'Wed 2025-12-10 01:12:11 +03'],
  [0, NEW_BOOT, 'Wed 2025-12-10 01:13:07 +03', 'Wed 2025-12-10 01:15:00 +03'],
]);

describe('host.rebooted fires (info)', () => {
  it('for a boot in "journalctl --list-boots" that began inside the window', async () => {
    const a = await analyzeSpec({ manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } }, files: { 'commands/journal-boots.txt': BOOTS_WITH_REBOOT } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'info',
      subject: 'boot 5f2e8a1c9d7b',
      params: { bootId: NEW_BOOT, at: '2025-12-10T01:13:07+03:00', current: true, decidedBy: 'boot-list', sources: ['boot-list'] },
      title: 'The host booted at 2025-12-10 01:13:07+03:00, inside the window',
    });
    expect(f!.evidence[0]).toMatchObject({ source: 'commands/journal-boots.txt', line: 3, time: '2025-12-10T01:13:07+03:00' });
    expect(f!.evidence[0]!.text).toContain(NEW_BOOT);
  });

  it('for a new _BOOT_ID in the journal, with its replayed "Linux version" line placed at boot time', async () => {
    const boot = { id: NEW_BOOT, at: '2025-12-10T01:13:00+03:00' };
    const journal = jsonl([
      sd.stopping('charger.service', 'Charger OCPP client', at('01:12:10')),
      // Read by journald 9 s after the kernel printed them at boot.
      kernelEntry('Booting Linux on physical CPU 0x0000000000 [0x410fd083]', at('01:13:09'), 6, 9000, boot),
      kernelEntry('Linux version 6.1.0-rpi7-rpi-v8 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT Debian 1:6.1.63-1+rpt1 (2023-11-24)', at('01:13:09'), 5, 9000, boot),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ subject: 'boot 5f2e8a1c9d7b', params: { bootId: NEW_BOOT, at: '2025-12-10T01:13:00+03:00', current: false, decidedBy: 'journal-clock', sources: ['journal-clock', 'kernel-log'] } });
    // Received at 01:13:09, printed at boot: quoted at its true time.
    expect(f!.evidence[0]).toEqual({ source: 'commands/journal.jsonl', line: 2, time: '2025-12-10T01:13:00+03:00', text: 'Booting Linux on physical CPU 0x0000000000 [0x410fd083]' });
    expect(f!.evidence).toContainEqual(expect.objectContaining({ source: 'commands/journal.jsonl', line: 3, time: '2025-12-10T01:13:00+03:00' }));
  });

  it('from /proc/uptime alone, and once when list-boots says the same', async () => {
    // 95.31 s before collection at 01:15:00: booted 01:13:24.
    const uptimeOnly = await analyzeSpec({ manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } }, files: { 'files/proc/uptime': '95.31 301.12\n', 'files/proc/loadavg': '1.52 0.58 0.21 2/187 1377\n' } });
    expect(findings(uptimeOnly)).toHaveLength(1);
    expect(findings(uptimeOnly)[0]).toMatchObject({ subject: 'boot 5f2e8a1c9d7b', params: { at: '2025-12-10T01:13:24+03:00', current: true, decidedBy: 'uptime' } });
    expect(findings(uptimeOnly)[0]!.evidence).toEqual([{ source: 'files/proc/uptime', line: 1, time: '2025-12-10T01:15:00+03:00', text: '95.31 301.12' }]);

    const both = await analyzeSpec({
      manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } },
      files: { 'files/proc/uptime': '113.9 400.2\n', 'files/proc/loadavg': '1.52 0.58 0.21 2/187 1377\n', 'commands/journal-boots.txt': BOOTS_WITH_REBOOT },
    });
    expect(findings(both).map((f) => f.subject)).toEqual(['boot 5f2e8a1c9d7b']);
    // Both place it; /proc/uptime decides: 113.9 s before 01:15:00.
    expect(findings(both)[0]!.params).toMatchObject({ at: '2025-12-10T01:13:06+03:00', decidedBy: 'uptime', sources: ['uptime', 'boot-list'] });
  });
});

// Real output of the seed-incident lab: systemd 252 booted in fresh namespaces, so the journal and
// its boot list start inside the window, on a kernel that had been up for 1257 s.
const lab = (name: string) => readFileSync(new URL(`../fixtures/lab/seed-incident/${name}`, import.meta.url), 'utf8');
const LAB_MANIFEST = JSON.parse(lab('manifest.json')) as Record<string, unknown>;

describe('host.rebooted and a journal that starts after the kernel', () => {
  it('stays quiet when /proc/uptime says the kernel started before the window (the boot list\'s first entry is only the oldest line)', async () => {
    const a = await analyzeSpec({
      manifest: LAB_MANIFEST,
      files: { 'commands/journal-boots.txt': lab('journal-boots.txt'), 'files/proc/uptime': lab('proc-uptime'), 'commands/journal.jsonl': lab('journal-head.jsonl') },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('host.rebooted');
  });

  it('with the boot list alone it has nothing to cross-check: the first entry decides, and says so', async () => {
    const a = await analyzeSpec({ manifest: LAB_MANIFEST, files: { 'commands/journal-boots.txt': lab('journal-boots.txt') } });
    expect(findings(a)).toHaveLength(1);
    expect(findings(a)[0]).toMatchObject({ subject: 'boot 97fb0eea28ba', params: { at: '2026-12-06T21:15:36+00:00', decidedBy: 'boot-list', sources: ['boot-list'] } });
  });

  it("stays quiet on the journal's own clock when /proc/uptime is missing (its first lines are the kernel's, printed 1245 s earlier)", async () => {
    const a = await analyzeSpec({ manifest: LAB_MANIFEST, files: { 'commands/journal-boots.txt': lab('journal-boots.txt'), 'commands/journal.jsonl': lab('journal-head.jsonl') } });
    expect(findings(a)).toEqual([]);
  });

  it('stays quiet for a vacuumed journal: a previous boot whose oldest kept line is inside the window, while the current kernel ran through it', async () => {
    const boots = listBoots([
      [-1, NEW_BOOT, 'Wed 2025-12-10 01:05:12 +03', 'Wed 2025-12-10 01:05:40 +03'],
      [0, BOOT_ID, 'Tue 2025-12-09 08:00:09 +03', 'Wed 2025-12-10 01:15:00 +03'],
    ]);
    // Up since 2025-12-09 08:00:00: nothing can have booted inside 01:00–01:15 on the 10th.
    const a = await analyzeSpec({ files: { 'commands/journal-boots.txt': boots, 'files/proc/uptime': '61500.00 240000.00\n' } });
    expect(findings(a)).toEqual([]);
  });

  it('still fires for a real reboot inside the window with every source agreeing, decided by /proc/uptime', async () => {
    const boot = { id: NEW_BOOT, at: '2025-12-10T01:13:00+03:00' };
    const a = await analyzeSpec({
      manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } },
      files: {
        'commands/journal-boots.txt': BOOTS_WITH_REBOOT,
        'files/proc/uptime': '120.4 410.0\n',
        'commands/journal.jsonl': jsonl([kernelEntry('Linux version 6.1.0-rpi7-rpi-v8 (debian-kernel@lists.debian.org) #1 SMP PREEMPT Debian 1:6.1.63-1+rpt1 (2023-11-24)', at('01:13:07'), 5, 7000, boot)]),
      },
    });
    expect(findings(a)).toHaveLength(1);
    expect(findings(a)[0]).toMatchObject({ subject: 'boot 5f2e8a1c9d7b', params: { current: true, decidedBy: 'uptime', sources: ['uptime', 'journal-clock', 'kernel-log', 'boot-list'] } });
    // The report says which source decided, in both languages.
    expect(render(a, { lang: 'en' })).toContain('- Boot time from `/proc/uptime` (when the running kernel started); sources that place this boot: `uptime`, `journal-clock`, `kernel-log`, `boot-list`.');
    expect(render(a, { lang: 'tr' })).toContain('- Açılış zamanı `/proc/uptime` değerinden (çalışan kernel’in başladığı an) alındı;');
  });
});

describe('host.rebooted stays quiet', () => {
  it('when the current boot began days before the window', async () => {
    const boots = listBoots([[0, BOOT_ID, 'Tue 2025-12-09 08:00:09 +03', 'Wed 2025-12-10 01:15:00 +03']]);
    const a = await analyzeSpec({
      files: {
        'commands/journal-boots.txt': boots,
        'files/proc/uptime': '62091.42 240311.90\n',
        'commands/journal.jsonl': jsonl([sd.started('charger.service', 'Charger OCPP client', at('01:05:00'))]),
      },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('host.rebooted');
  });

  it('counts an unreadable list-boots row as skipped', async () => {
    const boots = BOOTS_WITH_REBOOT.replace(' 0 5f2e8a1c9d7b4e3fa6c1b2d3e4f50617 Wed 2025-12-10 01:13:07 +03', ' 0 5f2e8a1c9d7b4e3fa6c1b2d3e4f50617 Wed 2025-12-10 01:1');
    const a = await analyzeSpec({ files: { 'commands/journal-boots.txt': boots } });
    expect(a.sources.find((s) => s.id === 'boots')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped without boots, logs or /proc/uptime', async () => {
    const a = await analyzeSpec({ files: { 'commands/df.txt': 'Filesystem     Type     1-blocks        Used   Available Capacity Mounted on\n/dev/root      ext4  31154671616 12845543424 16716664832      44% /\n' } });
    expect(a.skipped.find((s) => s.rule === 'host.rebooted')?.reason).toBeTruthy();
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'the current boot began days before the window',
      bundle: {
        files: {
          'commands/journal-boots.txt': listBoots([[0, BOOT_ID, 'Tue 2025-12-09 08:00:09 +03', 'Wed 2025-12-10 01:15:00 +03']]),
          'files/proc/uptime': '62091.42 240311.90\n',
        },
      },
    },
  ],
  invalid: [
    {
      name: 'a boot of the boot list inside the window',
      bundle: { manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } }, files: { 'commands/journal-boots.txt': BOOTS_WITH_REBOOT } },
      findings: [{ subject: 'boot 5f2e8a1c9d7b', severity: 'info', params: { bootId: NEW_BOOT, current: true, decidedBy: 'boot-list' } }],
    },
    {
      name: '/proc/uptime alone',
      bundle: { manifest: { host: { ...DEFAULT_HOST, bootId: NEW_BOOT } }, files: { 'files/proc/uptime': '95.31 301.12\n', 'files/proc/loadavg': '1.52 0.58 0.21 2/187 1377\n' } },
      findings: [{ subject: 'boot 5f2e8a1c9d7b', params: { decidedBy: 'uptime' } }],
    },
  ],
});
