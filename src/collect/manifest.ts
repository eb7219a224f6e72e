// manifest.json of a collected bundle (docs/bundle-format.md). Checked against the same
// schema the reader uses before it is written, so a bundle this collector
// makes is always one the analyzer accepts.
import { FORMAT, FORMAT_VERSION, parseManifest } from '../bundle/manifest.js';
import { TOOL } from '../version.js';
import { formatDeviceTime, type DeviceClock } from '../time.js';
import type { RedactionCounts } from '../redact.js';
import type { HostInfo, SourceRecord } from './types.js';
import type { CaptureTrigger } from '../capture/trigger.js';

export interface CollectorInfo {
  /** the collector's own command line, redacted */
  command: string;
  mode: 'live' | 'root' | 'ssh';
  /** the device account the commands ran as */
  user: string | null;
  /** root, directly or through sudo -n */
  privileged: boolean | null;
  /** --root DIR or the --ssh target */
  target?: string;
  /** units named with --unit */
  units?: string[];
}

export function buildManifest(m: {
  host: HostInfo;
  clock: DeviceClock;
  collectedAtMs: number;
  sinceMs: number;
  untilMs: number;
  sources: SourceRecord[];
  counts: RedactionCounts | null;
  collector: CollectorInfo;
  /** set by `charger-diag capture`: the stop that started this collection */
  trigger?: CaptureTrigger;
}): string {
  const doc = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
    host: m.host,
    collectedAt: formatDeviceTime(m.collectedAtMs, m.clock),
    window: { since: formatDeviceTime(m.sinceMs, m.clock), until: formatDeviceTime(m.untilMs, m.clock) },
    sources: m.sources,
    redaction: { enabled: m.counts !== null, replacements: sortedCounts(m.counts ?? {}) },
    collector: m.collector,
    ...(m.trigger ? { trigger: m.trigger } : {}),
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  parseManifest(text, 'manifest.json');
  return text;
}

function sortedCounts(c: RedactionCounts): RedactionCounts {
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
