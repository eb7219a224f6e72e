import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { appEntry, at, dmesgLine, jsonl, kernelEntry, sd } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/kernel-oom-kill/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'kernel.oom-kill');

const INVOKED = 'python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0';
const CONSTRAINT =
  'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000';
const KILLED_6 = 'Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0';

// Linux 6.1 (Raspberry Pi OS bookworm): the 5.0+ summary line names the cgroup, then the kill.
const JOURNAL_6 = [
  kernelEntry(INVOKED, at('01:09:58'), 4),
  kernelEntry(CONSTRAINT, at('01:09:58'), 6),
  kernelEntry(KILLED_6, at('01:09:58'), 3),
  sd.oomKilled('charger.service', at('01:09:58')),
  sd.mainExited('charger.service', at('01:09:58'), 'killed', '9/KILL'),
  sd.failed('charger.service', 'oom-kill', at('01:09:58')),
];

describe('kernel.oom-kill fires', () => {
  it('on the 6.x global form, naming the unit from task_memcg', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(JOURNAL_6) } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subject: 'charger.service',
      params: { unit: 'charger.service', kills: 1, pids: [812], comm: 'python3', memcg: '/system.slice/charger.service', scope: 'global', first: '2025-12-10T01:09:58+03:00' },
    });
    expect(f!.evidence[0]).toEqual({ source: 'commands/journal.jsonl', line: 2, time: '2025-12-10T01:09:58+03:00', text: CONSTRAINT });
    expect(f!.evidence[1]).toEqual({ source: 'commands/journal.jsonl', line: 3, time: '2025-12-10T01:09:58+03:00', text: KILLED_6 });
    expect(f!.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([4, 6]));
  });

  it('on the 4.19 form in dmesg ("Kill process … or sacrifice child", then "Killed process")', async () => {
    const dmesg = [
      dmesgLine(at('01:09:58'), 'python3 invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0', '412000'),
      dmesgLine(at('01:09:58'), 'Out of memory: Kill process 812 (python3) score 912 or sacrifice child', '433000'),
      dmesgLine(at('01:09:58'), 'Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB', '433100'),
      dmesgLine(at('01:09:58'), 'oom_reaper: reaped process 812 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB', '501000'),
      '',
    ].join('\n');
    const a = await analyzeSpec({ manifest: { host: { hostname: 'charger-01', kernel: '4.19.97-v7l+', timezone: 'Europe/Istanbul', cpus: 4 } }, files: { 'commands/dmesg.txt': dmesg } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ subject: 'python3 (pid 812)', params: { unit: null, kills: 1, pids: [812], comm: 'python3', scope: 'global', memcg: null } });
    expect(f!.evidence).toEqual([
      { source: 'commands/dmesg.txt', line: 2, time: '2025-12-10T01:09:58+03:00', text: 'Out of memory: Kill process 812 (python3) score 912 or sacrifice child' },
      { source: 'commands/dmesg.txt', line: 3, time: '2025-12-10T01:09:58+03:00', text: 'Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB' },
    ]);
  });

  it('names the unit from systemd\'s "Failed with result \'oom-kill\'" when a 4.19 kernel does not', async () => {
    const dmesg = [
      dmesgLine(at('01:09:58'), 'Out of memory: Kill process 812 (python3) score 912 or sacrifice child', '433000'),
      dmesgLine(at('01:09:58'), 'Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB', '433100'),
      '',
    ].join('\n');
    const journal = jsonl([sd.mainExited('charger.service', at('01:09:59'), 'killed', '9/KILL'), sd.failed('charger.service', 'oom-kill', at('01:09:59'))]);
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesg, 'commands/journal.jsonl': journal } });
    const f = findings(a)[0]!;
    expect(findings(a)).toHaveLength(1);
    expect(f).toMatchObject({ subject: 'charger.service', params: { unit: 'charger.service', pids: [812] } });
    expect(f.evidence).toContainEqual({ source: 'commands/journal.jsonl', line: 2, time: '2025-12-10T01:09:59+03:00', text: "charger.service: Failed with result 'oom-kill'." });
  });

  it('on the cgroup form (MemoryMax= hit): CONSTRAINT_MEMCG and "Memory cgroup out of memory"', async () => {
    const constraint =
      'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/charger.service,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000';
    const killed = 'Memory cgroup out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1024kB oom_score_adj:0';
    const a = await analyzeSpec({
      files: { 'commands/journal.jsonl': jsonl([kernelEntry('python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', at('01:09:58'), 4), kernelEntry(constraint, at('01:09:58')), kernelEntry(killed, at('01:09:58'), 3)]) },
    });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', params: { unit: 'charger.service', scope: 'cgroup', memcg: '/system.slice/charger.service', pids: [812] } });
    expect(f.evidence.map((e) => e.line)).toEqual([2, 3]);
  });

  it('from systemd alone: "A process of this unit has been killed by the OOM killer."', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.oomKilled('ngrok.service', at('01:03:00'))]) } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'ngrok.service', params: { unit: 'ngrok.service', kills: 1, pids: [] } });
    expect(f.evidence).toEqual([
      { source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:03:00+03:00', text: 'ngrok.service: A process of this unit has been killed by the OOM killer.' },
    ]);
  });

  it('counts the same kill once when it is in the journal and in dmesg', async () => {
    const dmesg = [dmesgLine(at('01:09:58'), INVOKED, '412000'), dmesgLine(at('01:09:58'), CONSTRAINT, '433000'), dmesgLine(at('01:09:58'), KILLED_6, '433100'), ''].join('\n');
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(JOURNAL_6), 'commands/dmesg.txt': dmesg } });
    expect(findings(a)).toHaveLength(1);
    expect(findings(a)[0]!.params).toMatchObject({ kills: 1, pids: [812] });
    expect(findings(a)[0]!.title).not.toMatch(/times/);
  });

  it('from kern.log, and once when the journal has the same lines', async () => {
    const kernLog = [
      `Dec 10 01:09:58 charger-01 kernel: [61798.412000] ${INVOKED}`,
      `Dec 10 01:09:58 charger-01 kernel: [61798.433000] ${CONSTRAINT}`,
      `Dec 10 01:09:58 charger-01 kernel: [61798.433100] ${KILLED_6}`,
      '',
    ].join('\n');
    const alone = await analyzeSpec({ files: { 'files/var/log/kern.log': kernLog } });
    expect(findings(alone)[0]).toMatchObject({ subject: 'charger.service', params: { kills: 1, pids: [812] } });
    expect(findings(alone)[0]!.evidence[1]).toMatchObject({ source: 'files/var/log/kern.log', line: 3, time: '2025-12-10T01:09:58+03:00' });

    const both = await analyzeSpec({ files: { 'files/var/log/kern.log': kernLog, 'commands/journal.jsonl': jsonl(JOURNAL_6) } });
    expect(findings(both)).toHaveLength(1);
    expect(findings(both)[0]!.params).toMatchObject({ kills: 1, pids: [812] });
  });

  it('counts two kills of the same unit as two', async () => {
    const second = (pid: number) => [
      kernelEntry(CONSTRAINT.replace('pid=812', `pid=${pid}`), at('01:12:30'), 6),
      kernelEntry(KILLED_6.replace('812', String(pid)), at('01:12:30'), 3),
    ];
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([...JOURNAL_6, ...second(1290)]) } });
    expect(findings(a)[0]!.params).toMatchObject({ kills: 2, pids: [812, 1290] });
    expect(findings(a)[0]!.title).toContain('2 times');
  });
});

describe('kernel.oom-kill stays quiet', () => {
  it('when an application merely logs the kernel text', async () => {
    const app = { unit: 'charger-monitor.service', identifier: 'monitor.py', pid: 2044 };
    const a = await analyzeSpec({
      files: { 'commands/journal.jsonl': jsonl([appEntry(app, `last kernel message: ${KILLED_6}`, at('01:05:00')), appEntry(app, KILLED_6, at('01:05:01'))]) },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('kernel.oom-kill');
  });

  it('when the kill was before the window', async () => {
    const early = [kernelEntry(CONSTRAINT, at('00:40:00')), kernelEntry(KILLED_6, at('00:40:00'), 3), sd.failed('charger.service', 'oom-kill', at('00:40:01'))];
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(early) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts an unstamped dmesg line as skipped and finds no kill in the rest', async () => {
    const dmesg = [dmesgLine(at('01:05:00'), 'usb 1-1.3: new high-speed USB device number 4 using xhci_hcd'), 'Out of memory: Killed process 812 (python3)', ''].join('\n');
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesg } });
    expect(a.sources.find((s) => s.id === 'dmesg')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, without any kernel or system log', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'kernel.oom-kill')?.reason).toMatch(/no journal, dmesg or kern\.log/);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'an application logging the kernel text',
      bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry({ unit: 'charger-monitor.service', identifier: 'monitor.py', pid: 2044 }, KILLED_6, at('01:05:01'))]) } },
    },
    { name: 'a kill before the window', bundle: { files: { 'commands/journal.jsonl': jsonl([kernelEntry(CONSTRAINT, at('00:40:00')), kernelEntry(KILLED_6, at('00:40:00'), 3)]) } } },
  ],
  invalid: [
    {
      name: 'the 6.x global form',
      bundle: { files: { 'commands/journal.jsonl': jsonl(JOURNAL_6) } },
      findings: [{ subject: 'charger.service', severity: 'critical', params: { unit: 'charger.service', kills: 1, pids: [812], scope: 'global' } }],
    },
    {
      name: 'systemd alone (no pid, no comm)',
      bundle: { files: { 'commands/journal.jsonl': jsonl([sd.oomKilled('ngrok.service', at('01:03:00'))]) } },
      findings: [{ subject: 'ngrok.service', params: { unit: 'ngrok.service', pids: [], comm: null } }],
    },
  ],
});

describe('kernel.oom-kill: the fix says whether the unit comes back after the kill', () => {
  const unitWith = (restart: string) => `[Unit]\nDescription=Charger\n\n[Service]\nExecStart=/usr/bin/python3 /opt/charger.py\nRestart=${restart}\n`;
  const FRAGMENT = 'files/etc/systemd/system/charger.service';
  const fix = async (restart: string) => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(JOURNAL_6), [FRAGMENT]: unitWith(restart) } });
    return findings(a)[0]!;
  };

  it('Restart=no: it stays down, add Restart=on-failure', async () => {
    const f = await fix('no');
    expect(f.params.restart).toBe('no');
    expect(f.remediation).toContain('With Restart=no it stays down after the kill: add Restart=on-failure.');
  });

  it('Restart=on-watchdog does not act on a kill either; Restart=always does', async () => {
    expect((await fix('on-watchdog')).remediation).toContain('With Restart=on-watchdog it stays down after the kill');
    expect((await fix('always')).remediation).toContain('Restart=always brings it back, but not the memory.');
  });
});
