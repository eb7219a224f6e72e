// What the fleet view keeps of each host: a small digest of its analysis (a
// fleet can be a thousand bundles, so analyses are dropped as soon as they are
// digested), or why there is none. Every string that came from a device, a
// bundle or a collection record is redacted here, before anything can print it.
import type { Analysis, Severity } from '../analysis/schema.js';
import { redact } from '../redact.js';
import type { FleetHostRecord } from './collection-record.js';
import type { FleetHost } from './schema.js';
import { downSpans } from './picture.js';
import { pictureOf } from '../analysis/picture.js';

export interface DigestExtra {
  /** the ssh target a collection record gave for this bundle (wins over the manifest's) */
  target?: string | null;
  /** manifest.tool.version of the bundle: which collector wrote it */
  toolVersion?: string | null;
  /** the path the bundle was read from, as given */
  input?: string | null;
  record?: string | null;
}

const clean = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : redact(s));

/** The host's down spans, from its picture (drawn from the analysis when it has none). */
function down(a: Analysis): { down?: FleetHost['down'] } {
  const p = pictureOf(a);
  return p ? { down: downSpans(p) } : {};
}

function worstOf(counts: FleetHost['counts']): Severity | null {
  return counts.critical ? 'critical' : counts.warning ? 'warning' : counts.info ? 'info' : null;
}

/** The host's digest; its label is provisional until buildFleetSummary sees the whole fleet. */
export function digestAnalysis(a: Analysis, extra: DigestExtra = {}): FleetHost {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const hostname = a.hostInfo ? a.hostInfo.hostname : a.host;
  const target = clean(extra.target ?? a.collector?.target ?? null);
  return {
    label: hostname ?? target ?? a.bundle.path,
    hostname,
    target,
    status: 'analyzed',
    error: null,
    failureKind: null,
    bundle: { path: a.bundle.path, sha256: a.bundle.sha256 },
    window: { since: a.window.since, until: a.window.until },
    collectedAt: a.collectedAt ?? null,
    outage: a.outage ? { start: a.outage.start, end: a.outage.end, durationSeconds: a.outage.durationSeconds } : null,
    outageCount: a.outages.length,
    worst: worstOf(counts),
    counts,
    rules: [...new Set(a.findings.map((f) => f.rule))].sort(),
    findings: a.findings.map((f) => ({ rule: f.rule, subject: f.subject, severity: f.severity, title: f.title })),
    recurrence: { likely: a.recurrence.likely, because: [...a.recurrence.because] },
    os: a.hostInfo?.os ?? null,
    kernel: a.hostInfo?.kernel ?? null,
    journalStorage: a.hostInfo?.journalStorage ?? null,
    toolVersion: clean(extra.toolVersion),
    outages: a.outages.map((o) => ({ start: o.start, end: o.end, durationSeconds: o.durationSeconds })),
    input: clean(extra.input ?? a.bundle.path),
    record: clean(extra.record),
    skipped: a.skipped.map((s) => ({ rule: s.rule, reason: s.reason })),
    ...down(a),
  };
}

function emptyHost(status: 'unreadable' | 'not-collected', label: string): FleetHost {
  return {
    label,
    hostname: null,
    target: null,
    status,
    error: null,
    failureKind: null,
    bundle: null,
    window: null,
    collectedAt: null,
    outage: null,
    outageCount: 0,
    worst: null,
    counts: { critical: 0, warning: 0, info: 0 },
    rules: [],
    findings: [],
    recurrence: null,
    os: null,
    kernel: null,
    journalStorage: null,
    toolVersion: null,
    outages: [],
    input: null,
    record: null,
    skipped: [],
  };
}

/** A bundle that could not be read (bad manifest, refused tar): it stays in the view with its one-line error. */
export function unreadableHost(input: string, error: string, extra: { target?: string | null; record?: string | null } = {}): FleetHost {
  const path = redact(input);
  return {
    ...emptyHost('unreadable', path),
    target: clean(extra.target),
    error: redact(error),
    input: path,
    record: clean(extra.record),
  };
}

/** A host the collection record lists as failed: no bundle, but the reason is information too. */
export function notCollectedHost(h: FleetHostRecord, record: string): FleetHost {
  const target = redact(h.target);
  return {
    ...emptyHost('not-collected', target),
    target,
    error: h.failure ? redact(h.failure.message) : null,
    failureKind: h.failure?.kind ?? 'failed',
    record: redact(record),
  };
}
