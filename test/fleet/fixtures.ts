// Hosts of a fleet built by hand (for the pure summary), and copies of the
// sample bundles arranged as `collect` leaves them (for the CLI).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetHost } from '../../src/fleet/schema.js';
import type { FleetCollection } from '../../src/fleet/collection-record.js';

export const SAMPLES = join(__dirname, '..', '..', 'samples');

/** An analysed host with nothing wrong; override what the test is about. */
export function host(over: Partial<FleetHost> & { hostname: string | null }): FleetHost {
  const counts = over.counts ?? { critical: 0, warning: 0, info: 0 };
  return {
    label: over.hostname ?? 'x',
    target: null,
    status: 'analyzed',
    error: null,
    failureKind: null,
    bundle: { path: `bundles/${over.hostname ?? 'unnamed'}.tar.gz`, sha256: 'ab'.repeat(32) },
    window: { since: '2025-12-10T01:00:00+03:00', until: '2025-12-10T01:30:00+03:00' },
    collectedAt: '2025-12-10T01:30:00+03:00',
    outage: null,
    outageCount: 0,
    worst: counts.critical ? 'critical' : counts.warning ? 'warning' : counts.info ? 'info' : null,
    counts,
    rules: [],
    findings: [],
    recurrence: { likely: false, because: [] },
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.1.0-rpi7-rpi-v8',
    journalStorage: 'persistent',
    toolVersion: '0.1.0',
    outages: [],
    skipped: [],
    ...over,
  };
}

/** A host whose outage episodes are given as [start, end] pairs (ISO with offset). */
export function downHost(hostname: string, episodes: [string, string][]): FleetHost {
  const outages = episodes.map(([start, end]) => ({ start, end, durationSeconds: Math.round((Date.parse(end) - Date.parse(start)) / 1000) }));
  const longest = [...outages].sort((a, b) => b.durationSeconds - a.durationSeconds)[0] ?? null;
  return host({ hostname, outages, outage: longest, outageCount: outages.length });
}

export function scratch(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'cd-fleet-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A copy of samples/<name> at dest, its hostname changed when asked (devices cloned from one image). */
export function copySample(name: string, dest: string, hostname?: string): string {
  cpSync(join(SAMPLES, name), dest, { recursive: true });
  if (hostname !== undefined) {
    const file = join(dest, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.host.hostname = hostname;
    writeFileSync(file, JSON.stringify(m, null, 2));
  }
  return dest;
}

export function record(hosts: FleetCollection['hosts'], finishedAt = '2025-12-10T02:00:00+03:00'): FleetCollection {
  return {
    format: 'charger-diag-fleet-collection',
    formatVersion: 1,
    tool: { name: 'charger-diag', version: '0.1.0' },
    startedAt: '2025-12-10T01:55:00+03:00',
    finishedAt,
    window: { since: '-30m' },
    jobs: 8,
    hostTimeoutSeconds: 900,
    hosts,
  };
}

export function okHost(target: string, bundle: string): FleetCollection['hosts'][number] {
  return { target, status: 'ok', bundle, report: null, failure: null, durationMs: 1200 };
}

export function failedHost(target: string, kind: 'unreachable' | 'auth-refused' | 'host-key' | 'timeout' | 'failed', message: string): FleetCollection['hosts'][number] {
  return { target, status: 'failed', bundle: null, report: null, failure: { kind, message }, durationMs: 5000 };
}
