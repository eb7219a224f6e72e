// Every sample bundle meets its expected.json, and the seed incident says
// exactly what the post-mortem of 2025-12-10 needs.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareExpectations, parseExpected } from '../src/check/expectations.js';
import type { Analysis } from '../src/analysis/schema.js';
import { SAMPLES, analyzeSample } from './helpers/bundle.js';

const names = readdirSync(SAMPLES).filter((n) => existsSync(join(SAMPLES, n, 'manifest.json'))).sort();

const analyze = analyzeSample;

describe('sample bundles', () => {
  it('there are samples, each with exhaustive expectations', () => {
    expect(names).toEqual(expect.arrayContaining(['seed-incident', 'healthy']));
    for (const n of names) {
      const exp = parseExpected(readFileSync(join(SAMPLES, n, 'expected.json'), 'utf8'), n);
      expect(exp.exhaustive, n).toBe(true);
    }
  });

  for (const name of names) {
    it(`${name} meets its expected.json`, async () => {
      const a = await analyze(name);
      const exp = parseExpected(readFileSync(join(SAMPLES, name, 'expected.json'), 'utf8'), name);
      expect(compareExpectations(a, exp)).toEqual([]);
      // Contract: every finding has a subject and evidence with a source.
      for (const f of a.findings) {
        expect(f.subject.length).toBeGreaterThan(0);
        expect(f.evidence.length).toBeGreaterThan(0);
        for (const e of f.evidence) expect(e.source.length).toBeGreaterThan(0);
      }
      // Every parser read its source without skipping a line.
      for (const s of a.sources) expect({ path: s.path, skipped: s.skippedRecords, problems: s.problems }).toEqual({ path: s.path, skipped: 0, problems: undefined });
    });
  }
});

describe('seed-incident', () => {
  it('names the hand-started API, the unit without Restart=, the missing health checks, the 502s and the outage', async () => {
    const a = await analyze('seed-incident');
    const unmanaged = a.findings.find((f) => f.rule === 'process.unmanaged')!;
    expect(unmanaged.subject).toBe('uvicorn (pid 165162)');
    expect(unmanaged.severity).toBe('critical');
    expect(unmanaged.params).toMatchObject({ pid: 165162, user: 'basar', ports: ['0.0.0.0:8000'], category: 'session', suggestedUnit: 'charger-api.service' });
    expect(unmanaged.evidence[0]).toMatchObject({ source: 'commands/ps.txt', time: '2025-12-10T01:15:00+03:00' });
    expect(unmanaged.evidence[0]!.text).toContain('165162');

    const noRestart = a.findings.find((f) => f.rule === 'service.no-restart')!;
    expect(noRestart.subject).toBe('charger.service');
    expect(noRestart.severity).toBe('warning');
    expect(noRestart.evidence[0]).toMatchObject({ source: 'files/etc/systemd/system/charger.service' });
    expect(noRestart.evidence[0]!.text).toBe('ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py');
    expect(noRestart.evidence[0]!.line).toBeGreaterThan(0);

    expect(a.findings.filter((f) => f.rule === 'service.no-health-check').map((f) => f.subject)).toContain('charger.service');
    const proxy = a.findings.find((f) => f.rule === 'proxy.upstream-errors')!;
    expect(proxy.subject).toBe('ngrok');
    expect(proxy.params.upstreams).toEqual(['127.0.0.1:8000']);

    expect(a.outage).toMatchObject({ start: '2025-12-10T01:10:00+03:00', end: '2025-12-10T01:12:00+03:00', durationSeconds: 120, basis: ['proxy.upstream-errors'] });
    expect(a.recurrence.likely).toBe(true);
    expect(a.recurrence.because).toEqual(expect.arrayContaining(['process.unmanaged', 'service.no-restart', 'service.no-health-check']));
    for (const id of ['kernel.oom-kill', 'kernel.segfault', 'resource.memory', 'resource.disk', 'resource.load']) {
      expect(a.findings.map((f) => f.rule)).not.toContain(id);
    }
    const mem = a.resources.find((r) => r.name === 'memory')!;
    expect(mem.verdict).toBe('normal');
    expect(mem.at).toBe('2025-12-10T01:15:00+03:00');
    expect(Math.round((mem.used! / 1024 ** 3) * 10) / 10).toBe(1.0);
    expect(a.resources.find((r) => r.name === '/')!.verdict).toBe('normal');
    expect(a.resources.find((r) => r.name === 'load')).toMatchObject({ verdict: 'normal' });
    const logErrors = a.findings.filter((f) => f.rule === 'log.errors');
    expect(logErrors.length).toBeGreaterThan(0);
    expect(logErrors.every((f) => f.severity === 'info')).toBe(true);
    expect(logErrors.some((f) => f.noise === true)).toBe(true);
    const api = a.services.find((s) => s.pid === 165162)!;
    expect(api).toMatchObject({ name: 'charger-api', managedBy: 'none', user: 'basar', cwd: '/home/basar/charger', ports: ['0.0.0.0:8000'] });
  });

  it('healthy reports nothing above info and no recurrence', async () => {
    const a = await analyze('healthy');
    expect(a.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(a.recurrence).toEqual({ likely: false, because: [] });
    expect(a.outage).toBeNull();
  });
});
