import { describe, it, expect } from 'vitest';
import { analyzeSpec, DEFAULT_HOST } from '../helpers/bundle.js';
import { pressure } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/resource-load/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'resource.load');
const COLLECTED = '2025-12-10T01:15:00+03:00';

// The default manifest says 4 CPUs: the limit is 2 × 4 = 8.
const loadavg = (l5: string) => `7.91 ${l5} 5.12 9/312 20063\n`;

describe('resource.load fires', () => {
  it('when the 5-minute load is over twice the CPU count, quoting /proc/loadavg and I/O pressure', async () => {
    const a = await analyzeSpec({
      files: { 'files/proc/loadavg': loadavg('8.01'), 'files/proc/pressure/io': pressure(42.5, 38.1), 'files/proc/pressure/cpu': pressure(3.2) },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'load',
      params: { load1: 7.91, load5: 8.01, load15: 5.12, cpus: 4, limit: 8, ioSomeAvg10: 42.5, cpuSomeAvg10: 3.2, at: COLLECTED },
    });
    expect(f!.evidence[0]).toEqual({ source: 'files/proc/loadavg', line: 1, time: COLLECTED, text: '7.91 8.01 5.12 9/312 20063' });
    expect(f!.evidence[1]).toEqual({ source: 'files/proc/pressure/io', line: 1, time: COLLECTED, text: 'some avg10=42.50 avg60=34.00 avg300=12.75 total=236607137' });
    expect(a.recurrence.because).toContain('resource.load');
  });

  it('relative to the manifest CPU count (1 CPU: over 2)', async () => {
    const a = await analyzeSpec({ manifest: { host: { ...DEFAULT_HOST, cpus: 1 } }, files: { 'files/proc/loadavg': '2.40 2.05 1.10 3/140 901\n' } });
    expect(findings(a).map((f) => [f.params.load5, f.params.limit])).toEqual([[2.05, 2]]);
  });
});

describe('resource.load stays quiet', () => {
  it('at exactly twice the CPU count, and the row says normal', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': loadavg('8.00') } });
    expect(findings(a)).toEqual([]);
    expect(a.resources.find((r) => r.name === 'load')).toMatchObject({ verdict: 'normal', used: 8, total: 8, source: 'files/proc/loadavg', at: COLLECTED });
  });

  it('below it, however high the 1-minute load', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '15.20 6.30 2.10 14/300 20063\n' } });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, when the manifest has no CPU count; the row says unknown', async () => {
    const { cpus: _cpus, ...host } = DEFAULT_HOST;
    const a = await analyzeSpec({ manifest: { host }, files: { 'files/proc/loadavg': loadavg('30.00') } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.find((s) => s.rule === 'resource.load')?.reason).toBe('the manifest does not record the CPU count (host.cpus)');
    expect(a.resources.find((r) => r.name === 'load')?.verdict).toBe('unknown');
  });

  it('is skipped when /proc/loadavg is unreadable', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': 'load average: high\n' } });
    expect(a.skipped.find((s) => s.rule === 'resource.load')?.reason).toMatch(/loadavg/);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'exactly twice the CPU count', bundle: { files: { 'files/proc/loadavg': loadavg('8.00') } } },
    { name: 'a high 1-minute load only', bundle: { files: { 'files/proc/loadavg': '15.20 3.10 1.05 9/312 20063\n' } } },
  ],
  invalid: [
    {
      name: 'over twice the CPU count, with I/O pressure',
      bundle: { files: { 'files/proc/loadavg': loadavg('8.01'), 'files/proc/pressure/io': pressure(42.5, 38.1), 'files/proc/pressure/cpu': pressure(3.2) } },
      findings: [{ subject: 'load', severity: 'warning', params: { load5: 8.01, limit: 8, ioSomeAvg10: 42.5 } }],
    },
    {
      name: 'without pressure files',
      bundle: { manifest: { host: { ...DEFAULT_HOST, cpus: 1 } }, files: { 'files/proc/loadavg': '2.40 2.05 1.10 3/140 901\n' } },
      findings: [{ subject: 'load', params: { load5: 2.05, limit: 2, ioSomeAvg10: null } }],
    },
  ],
});
