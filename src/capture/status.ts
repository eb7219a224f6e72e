// `capture status`: the watched units, the last capture of each, the failures rate-limited or
// skipped for want of disk, the disk the captures use, and the site-local services added since
// install that nobody watches.
import { humanBytes } from '../collect/progress.js';
import type { DeviceState } from './query.js';

export interface UnitStatus {
  unit: string;
  captures: number;
  /** failures within --min-interval of a capture: counted, not captured */
  rateLimited: number;
  /** failures not captured because DIR's file system was short of space */
  skippedForDisk: number;
  lastCapture: string | null;
  lastResult: string | null;
  lastBundle: string | null;
  /** the bundle is still in DIR (retention may have removed it) */
  lastBundlePresent: boolean;
}

export interface CaptureStatus {
  host: string;
  installed: boolean;
  installedAt: string | null;
  dir: string;
  settings: { keep: number; maxBytes: number; minIntervalSec: number; windowSec: number } | null;
  collector: 'node' | 'script' | null;
  units: UnitStatus[];
  /** site-local long-running services that are not watched (added since install) */
  unwatched: string[];
  disk: { bundles: number; bytes: number; fileSystemFreePercent: number | null };
}

const count = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : 0);

export function captureStatus(q: DeviceState): CaptureStatus {
  const r = q.record;
  const byUnit = new Map(q.states.map((s) => [s.unit!, s]));
  const present = new Set(q.bundles.map((b) => b.path));
  const watched = r?.units ?? [];
  const units = [...new Set([...watched, ...byUnit.keys()])].sort().map((unit): UnitStatus => {
    const s = byUnit.get(unit) ?? {};
    const at = count(s.last_capture);
    return {
      unit,
      captures: count(s.captures),
      rateLimited: count(s.limited),
      skippedForDisk: count(s.skipped_disk),
      lastCapture: at > 0 ? new Date(at * 1000).toISOString() : null,
      lastResult: s.last_result || null,
      lastBundle: s.last_bundle || null,
      lastBundlePresent: s.last_bundle ? present.has(s.last_bundle) : false,
    };
  });
  const bytes = [...q.bundles, ...q.reports].reduce((n, b) => n + b.bytes, 0);
  return {
    host: q.hostname,
    installed: r !== null,
    installedAt: r?.installedAt ?? null,
    dir: r?.settings.dir ?? q.dir,
    settings: r ? { keep: r.settings.keep, maxBytes: r.settings.maxBytes, minIntervalSec: r.settings.minIntervalSec, windowSec: r.settings.windowSec } : null,
    collector: r ? (r.collector.node && r.collector.cli ? 'node' : 'script') : null,
    units,
    unwatched: r ? q.candidates.map((c) => c.unit).filter((u) => !watched.includes(u)) : [],
    disk: { bundles: q.bundles.length, bytes, fileSystemFreePercent: q.df && q.df.size > 0 ? Math.round((q.df.avail * 1000) / q.df.size) / 10 : null },
  };
}

export function statusText(s: CaptureStatus, watchedUnits: string[]): string {
  const out: string[] = [];
  if (!s.installed) out.push(`capture is not installed on ${s.host} (charger-diag capture install sets it up)`);
  else {
    out.push(`capture installed on ${s.host} at ${s.installedAt}; captures in ${s.dir} by ${s.collector === 'node' ? 'charger-diag' : 'the POSIX collection script'}`);
    out.push(`limits: one capture per unit per ${s.settings!.minIntervalSec} s, at most ${s.settings!.keep} bundles and ${humanBytes(s.settings!.maxBytes)}`);
  }
  for (const u of s.units) {
    const watched = watchedUnits.includes(u.unit) ? '' : ' (no longer watched)';
    const last = u.lastCapture ? `last capture ${u.lastCapture} (${u.lastResult ?? '?'})${u.lastBundle ? `: ${u.lastBundle}${u.lastBundlePresent ? '' : ' (since removed by retention)'}` : ''}` : 'no capture yet';
    out.push(`  ${u.unit}${watched}: ${u.captures} captured, ${u.rateLimited} rate-limited, ${u.skippedForDisk} skipped for disk space; ${last}`);
  }
  if (s.unwatched.length) out.push(`not watched (site-local services added since install; capture install --unit adds them): ${s.unwatched.join(' ')}`);
  out.push(`disk: ${s.disk.bundles} bundles, ${humanBytes(s.disk.bytes)} in ${s.dir}${s.disk.fileSystemFreePercent !== null ? `; its file system is ${s.disk.fileSystemFreePercent} % free` : ''}`);
  return `${out.join('\n')}\n`;
}
