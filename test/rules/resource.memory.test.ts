import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { ThresholdsSchema } from '../../src/config.js';
import { SYSTEM_PROCS, meminfo, pressure, ps } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/resource-memory/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'resource.memory');
const COLLECTED = '2025-12-10T01:15:00+03:00';

// 4 000 000 kB total makes 10% exactly 400 000 kB.
const mem = (available: number | null, free = 120000) => meminfo({ total: 4000000, free, available });

describe('resource.memory fires', () => {
  it('when MemAvailable is just under 10% of MemTotal, naming the largest process', async () => {
    const a = await analyzeSpec({
      files: {
        'files/proc/meminfo': mem(399999),
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          { pid: 901, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 2912340, pcpu: 35.2, cgroup: '0::/system.slice/charger.service', args: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py' },
        ]),
      },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'memory',
      params: { availableBytes: 399999 * 1024, totalBytes: 4000000 * 1024, availablePercent: 10, estimated: false, pressureSomeAvg10: null, largestProcess: { pid: 901, program: 'main.py', rssKiB: 2912340 }, at: COLLECTED },
    });
    expect(f!.title).toBe('Available memory was low at collection: 10 % (390.6 MiB of 3.8 GiB) at 2025-12-10 01:15:00+03:00');
    expect(f!.evidence.slice(0, 2)).toEqual([
      { source: 'files/proc/meminfo', line: 1, time: COLLECTED, text: 'MemTotal: 4000000 kB' },
      { source: 'files/proc/meminfo', line: 3, time: COLLECTED, text: 'MemAvailable: 399999 kB' },
    ]);
    expect(f!.evidence[2]).toMatchObject({ source: 'commands/ps.txt', line: 7 });
    expect(a.resources.find((r) => r.name === 'memory')?.verdict).toBe('warning');
    expect(a.recurrence.because).toContain('resource.memory');
  });

  it('when memory pressure "some avg10" is over 10, even with memory available', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/meminfo': mem(2000000), 'files/proc/pressure/memory': pressure(10.01, 4.2) } });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ pressureSomeAvg10: 10.01, availablePercent: 50 });
    expect(f.evidence).toContainEqual({ source: 'files/proc/pressure/memory', line: 1, time: COLLECTED, text: 'some avg10=10.01 avg60=8.01 avg300=3.00 total=236607137' });
  });

  it('on an old kernel without MemAvailable, from MemFree + Buffers + Cached (flagged as estimated)', async () => {
    // 120 000 + 40 212 + 612 480 = 772 692 kB of 8 000 000: 9.7%.
    const a = await analyzeSpec({ files: { 'files/proc/meminfo': meminfo({ total: 8000000, free: 120000, available: null }) } });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ estimated: true, availableBytes: 772692 * 1024, availablePercent: 9.7 });
    expect(f.evidence[1]).toMatchObject({ source: 'files/proc/meminfo', line: 2 });
  });
});

describe('resource.memory follows the configured threshold', () => {
  it('17.5% available is quiet by default and fires under memoryAvailablePercent 20', async () => {
    const spec = { files: { 'files/proc/meminfo': mem(700000) } };
    expect(findings(await analyzeSpec(spec))).toEqual([]);
    const a = await analyzeSpec(spec, { thresholds: ThresholdsSchema.parse({ memoryAvailablePercent: 20 }) });
    expect(findings(a).map((f) => f.params.availablePercent)).toEqual([17.5]);
  });
});

describe('resource.memory stays quiet', () => {
  it('at exactly 10% available (the threshold is "under 10%"), and the row says normal', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/meminfo': mem(400000) } });
    expect(findings(a)).toEqual([]);
    expect(a.resources.find((r) => r.name === 'memory')).toMatchObject({ verdict: 'normal', source: 'files/proc/meminfo', at: COLLECTED });
  });

  it('above 10%, and with pressure at exactly 10', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/meminfo': mem(400001), 'files/proc/pressure/memory': pressure(10) } });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, without /proc/meminfo; an unreadable meminfo is counted', async () => {
    const none = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(none.skipped.find((s) => s.rule === 'resource.memory')?.reason).toMatch(/proc\/meminfo/);
    const cut = await analyzeSpec({ files: { 'files/proc/meminfo': 'MemTotal:        4000000 kB\nMemFree:   12\u0000\u0000\u0000\nMemAvailable:     300000 kB\n' } });
    expect(cut.sources.find((s) => s.id === 'memory')).toMatchObject({ skippedRecords: 1 });
    expect(findings(cut).map((f) => f.params.availablePercent)).toEqual([7.5]);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'exactly 10% available', bundle: { files: { 'files/proc/meminfo': mem(400000) } } },
    { name: 'above 10%, pressure at exactly 10', bundle: { files: { 'files/proc/meminfo': mem(400001), 'files/proc/pressure/memory': pressure(10) } } },
  ],
  invalid: [
    {
      name: 'just under 10%, naming the largest process',
      bundle: {
        files: {
          'files/proc/meminfo': mem(399999),
          'commands/ps.txt': ps([
            ...SYSTEM_PROCS,
            { pid: 901, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 2912340, pcpu: 35.2, cgroup: '0::/system.slice/charger.service', args: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py' },
          ]),
        },
      },
      findings: [{ subject: 'memory', severity: 'warning', params: { availablePercent: 10, largestProcess: { pid: 901, program: 'main.py' } } }],
    },
    {
      name: 'memory pressure over 10, without a process list',
      bundle: { files: { 'files/proc/meminfo': mem(2000000), 'files/proc/pressure/memory': pressure(12.5) } },
      findings: [{ subject: 'memory', params: { largestProcess: null } }],
    },
  ],
});
