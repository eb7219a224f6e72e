// The fleet summary as a pure function of host digests: labels, order,
// rules across hosts, skipped checks, differences, counts, --fail-on.
import { describe, it, expect } from 'vitest';
import { buildFleetSummary, compareHosts, fleetExceeds, fleetSubject, notCollectedHost, unreadableHost } from '../../src/fleet/summary.js';
import { FleetSummarySchema, type FleetHost } from '../../src/fleet/schema.js';
import { uniqueLabels } from '../../src/fleet/labels.js';
import { downHost, host } from './fixtures.js';

const NOW = new Date('2025-12-10T09:00:00Z');
const build = (hosts: FleetHost[], gap = 300) => buildFleetSummary(hosts, { inputs: ['fleet/'], outageGapSeconds: gap, now: NOW });

function finding(rule: string, subject: string, severity: 'critical' | 'warning' | 'info') {
  return { rule, subject, severity, title: `${rule} on ${subject}` };
}

function withFindings(hostname: string, findings: ReturnType<typeof finding>[], over: Partial<FleetHost> = {}): FleetHost {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return host({ hostname, counts, findings, rules: [...new Set(findings.map((f) => f.rule))].sort(), ...over });
}

describe('labels', () => {
  it('keep a unique hostname; add the ssh target, else the bundle file name, where hostnames repeat or are unknown', () => {
    const labels = uniqueLabels([
      { hostname: 'charger-01', target: 'pi@10.0.0.1', bundle: { path: 'x/a.tar.gz', sha256: '' } },
      { hostname: 'raspberrypi', target: 'pi@10.0.0.5', bundle: { path: 'x/b.tar.gz', sha256: '' } },
      { hostname: 'raspberrypi', target: 'pi@10.0.0.6', bundle: { path: 'x/c.tar.gz', sha256: '' } },
      { hostname: 'raspberrypi', target: null, bundle: { path: 'x/d.tar.gz', sha256: '' } },
      { hostname: null, target: null, bundle: { path: 'y/e.tar.gz', sha256: '' } },
      { hostname: null, target: 'root@10.0.0.9', bundle: null },
    ]);
    expect(labels).toEqual([
      'charger-01',
      'raspberrypi (pi@10.0.0.5)',
      'raspberrypi (pi@10.0.0.6)',
      'raspberrypi (d.tar.gz)',
      'e.tar.gz',
      'root@10.0.0.9',
    ]);
  });

  it('stay unique when file names repeat too (the path tells them apart) and when nothing does', () => {
    const labels = uniqueLabels([
      { hostname: 'pi', target: null, bundle: { path: 'site-a/bundle.tar.gz', sha256: '' } },
      { hostname: 'pi', target: null, bundle: { path: 'site-b/bundle.tar.gz', sha256: '' } },
      { hostname: 'pi (site-a/bundle.tar.gz)', target: null, bundle: null },
      { hostname: 'q', target: null, bundle: null },
      { hostname: 'q', target: null, bundle: null },
    ]);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[1]).toBe('pi (site-b/bundle.tar.gz)');
    expect(labels.slice(3)).toEqual(['q', 'q #2']);
  });
});

describe('buildFleetSummary', () => {
  const fleet: FleetHost[] = [
    withFindings('warn-long-outage', [finding('service.no-restart', 'charger.service', 'warning')], {
      outage: { start: '2025-12-10T01:00:00+03:00', end: '2025-12-10T01:20:00+03:00', durationSeconds: 1200 },
      outages: [{ start: '2025-12-10T01:00:00+03:00', end: '2025-12-10T01:20:00+03:00', durationSeconds: 1200 }],
      outageCount: 1,
      recurrence: { likely: true, because: ['service.no-restart'] },
    }),
    withFindings('warn-short-outage', [finding('service.no-restart', 'charger.service', 'warning'), finding('log.errors', 'charger.service', 'info')], {
      outage: { start: '2025-12-10T01:05:00+03:00', end: '2025-12-10T01:06:00+03:00', durationSeconds: 60 },
      outages: [{ start: '2025-12-10T01:05:00+03:00', end: '2025-12-10T01:06:00+03:00', durationSeconds: 60 }],
      outageCount: 1,
      recurrence: { likely: true, because: ['service.no-restart'] },
      kernel: '5.15.84-v8+',
    }),
    withFindings('one-critical', [finding('process.unmanaged', 'uvicorn (pid 812)', 'critical')], { skipped: [{ rule: 'kernel.oom-kill', reason: 'no journal, dmesg or kern.log in the bundle' }] }),
    withFindings('two-critical', [finding('process.unmanaged', 'uvicorn (pid 9311)', 'critical'), finding('kernel.oom-kill', 'charger.service', 'critical')]),
    withFindings('info-only-b', [finding('log.errors', 'kernel', 'info')], { skipped: [{ rule: 'kernel.oom-kill', reason: 'no journal, dmesg or kern.log in the bundle' }], toolVersion: '0.0.9' }),
    withFindings('info-only-a', [finding('log.errors', 'kernel', 'info')]),
    host({ hostname: 'healthy' }),
    unreadableHost('bundles/broken.tar.gz', 'bundles/broken.tar.gz: refused: entry ../../etc/passwd escapes the bundle'),
    notCollectedHost({ target: 'pi@10.0.0.7', status: 'failed', bundle: null, report: null, failure: { kind: 'unreachable', message: 'ssh: connect to host 10.0.0.7 port 22: No route to host' }, durationMs: 5000 }, 'fleet/charger-diag-fleet-x.json'),
  ];
  const s = build([...fleet].reverse());

  it('is valid against its schema, with the counts of the fleet', () => {
    expect(FleetSummarySchema.parse(s)).toEqual(s);
    expect(s).toMatchObject({ formatVersion: 1, kind: 'fleet-summary', inputs: ['fleet/'], outageGapSeconds: 300 });
    expect(s.counts).toEqual({
      total: 9,
      analyzed: 7,
      unreadable: 1,
      notCollected: 1,
      withOutage: 2,
      recurrenceLikely: 2,
      worst: { critical: 2, warning: 2, info: 2, none: 1 },
    });
    expect(s.generatedAt).toBe('2025-12-10T12:00:00+03:00');
  });

  it('orders hosts worst first: critical, warning, outage length, info, label; then unreadable, then not collected', () => {
    expect(s.hosts.map((h) => h.label)).toEqual([
      'two-critical',
      'one-critical',
      'warn-long-outage',
      'warn-short-outage',
      'info-only-a',
      'info-only-b',
      'healthy',
      'broken.tar.gz',
      'pi@10.0.0.7',
    ]);
    expect(compareHosts(s.hosts[0]!, s.hosts[1]!)).toBeLessThan(0);
  });

  it('lists each rule with its worst severity, hosts and subjects (pids left out), most hosts first', () => {
    expect(s.rules.map((r) => [r.rule, r.worst, r.hosts])).toEqual([
      ['log.errors', 'info', 3],
      ['process.unmanaged', 'critical', 2],
      ['service.no-restart', 'warning', 2],
      ['kernel.oom-kill', 'critical', 1],
    ]);
    expect(s.rules.find((r) => r.rule === 'process.unmanaged')).toMatchObject({ labels: ['two-critical', 'one-critical'], subjects: [{ subject: 'uvicorn', hosts: 2 }] });
    expect(s.rules[0]!.subjects).toEqual([
      { subject: 'kernel', hosts: 2 },
      { subject: 'charger.service', hosts: 1 },
    ]);
    expect(fleetSubject('boot 4d8c2f1e')).toBe('boot');
    expect(fleetSubject('/ (inodes)')).toBe('/ (inodes)');
  });

  it('counts the hosts where a catalogue rule could not run, with its reasons', () => {
    expect(s.skippedRules).toEqual([
      { rule: 'kernel.oom-kill', hosts: 2, labels: ['one-critical', 'info-only-b'], reasons: [{ reason: 'no journal, dmesg or kern.log in the bundle', hosts: 2 }] },
    ]);
  });

  it('shows the host facts that differ and the ones every analysed host shares', () => {
    expect(s.differences).toEqual([
      { field: 'kernel', values: [{ value: '6.1.0-rpi7-rpi-v8', hosts: 6, labels: expect.any(Array) }, { value: '5.15.84-v8+', hosts: 1, labels: ['warn-short-outage'] }] },
      { field: 'toolVersion', values: [{ value: '0.1.0', hosts: 6, labels: expect.any(Array) }, { value: '0.0.9', hosts: 1, labels: ['info-only-b'] }] },
    ]);
    expect(s.sameEverywhere).toEqual([
      { field: 'os', value: 'Debian GNU/Linux 12 (bookworm)' },
      { field: 'journalStorage', value: 'persistent' },
    ]);
  });

  it('keeps hosts without a bundle with their reason', () => {
    expect(s.hosts.at(-1)).toMatchObject({ status: 'not-collected', target: 'pi@10.0.0.7', failureKind: 'unreachable', error: 'ssh: connect to host 10.0.0.7 port 22: No route to host', bundle: null });
    expect(s.hosts.at(-2)).toMatchObject({ status: 'unreadable', error: expect.stringContaining('escapes the bundle') });
  });

  it('--fail-on: any analysed host with a finding at or above the severity', () => {
    expect(fleetExceeds(s, 'critical')).toBe(true);
    const mild = build([withFindings('a', [finding('log.errors', 'kernel', 'info')]), host({ hostname: 'b' })]);
    expect(fleetExceeds(mild, 'warning')).toBe(false);
    expect(fleetExceeds(mild, 'info')).toBe(true);
    expect(fleetExceeds(mild, undefined)).toBe(false);
  });

  it('reads "generated" in UTC when the hosts are in different offsets', () => {
    const mixed = build([host({ hostname: 'a' }), host({ hostname: 'b', collectedAt: '2025-12-10T00:30:00+01:00' })]);
    expect(mixed.generatedAt).toBe('2025-12-10T09:00:00+00:00');
  });

  it('redacts what a collection record says about a failed host', () => {
    const h = notCollectedHost(
      { target: 'pi@10.0.0.8', status: 'failed', bundle: null, report: null, failure: { kind: 'failed', message: 'remote said: Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345' }, durationMs: 1 },
      'r.json',
    );
    expect(h.error).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(h.error).toContain('[redacted:');
  });

  it('outage groups come from every analysed host', () => {
    const g = build([downHost('x', [['2025-12-10T01:00:00+03:00', '2025-12-10T01:01:00+03:00']]), downHost('y', [['2025-12-09T23:03:00+01:00', '2025-12-09T23:04:00+01:00']])]);
    expect(g.outageGroups).toHaveLength(1);
    expect(g.counts.withOutage).toBe(2);
  });
});
