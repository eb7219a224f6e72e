// The part a rule plays in cause analysis (src/analysis/causes.ts), declared in
// the rule's own module: an event that is a cause when it happened near the
// outage and a risk otherwise, or a hook over all its findings for anything
// else (the unmanaged server behind the failing proxy, a snapshot that
// corroborates an OOM kill, ...).
import type { Analysis, Evidence, Finding, TimelineEntry } from './schema.js';

export type Confidence = 'high' | 'medium' | 'low';

/** The causes the report knows how to say (report catalogue cause.<id>). */
export const CAUSE_IDS = [
  'unmanaged-down',
  'unmanaged-risk',
  'oom-kill',
  'crash',
  'unit-failed',
  'reboot',
  'port-conflict',
  'resource',
  'resource-oom',
  'no-restart-exited',
  'no-restart-risk',
  'no-health-check',
  'no-health-check-outage',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** A cause with the findings behind it (the analysis JSON refers to them by rule and subject). */
export interface Cause {
  id: CauseId;
  confidence: Confidence;
  /** a cause of this outage, not only a risk the bundle shows */
  related: boolean;
  /** the findings behind it */
  findings: Finding[];
  evidence: Evidence[];
  /** for unmanaged-down: the person's login and the new process start that ended the outage */
  recovery?: { login: TimelineEntry | null; restartedAt: string | null };
}

/** What a rule's cause hook sees of the analysis. */
export interface CauseScope {
  a: Analysis;
  /** the findings of a rule (its module object), in analysis order */
  of(rule: { id: string }): Finding[];
  /** the finding happened within a few minutes of the outage */
  near(f: Finding): boolean;
  /** the outage's start in epoch ms, or null */
  outageStart: number | null;
}

export interface CauseRole {
  /** where its causes are listed before they are ranked (ties keep this order) */
  order: number;
  /** near the outage, a finding of it says how a process or unit ended (else that stays unknown) */
  explainsDeath?: boolean;
  /** an event: a cause of the outage when near it (confidence `near`), a risk otherwise (`far`); `evidence` lines quoted (2) */
  event?: { id: CauseId; near: Confidence; far: Confidence; evidence?: number };
  /** anything else, over all its findings */
  analyse?(findings: Finding[], scope: CauseScope): Cause[];
  /** the kinds of cause `analyse` gives (charger-diag rules --json) */
  kinds?: CauseId[];
}

/**
 * A unit systemd gave up on (failed, watchdog timeout, start limit, restart loop): the same event
 * for the four rules that see one, so the report weighs them alike.
 */
export const UNIT_FAILED_EVENT: NonNullable<CauseRole['event']> = { id: 'unit-failed', near: 'high', far: 'medium' };

// Slack around the outage within which a fault counts as part of it.
export const SLACK_MS = 5 * 60_000;

export const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isFinite(v) ? v : null;
};


/** A list param read defensively: the analysis may come from another version. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * A snapshot at collection (memory, disk, load) cannot show the state during the outage: it is a
 * risk, of medium confidence when there was an outage, unless `related` says it corroborates one.
 */
export function snapshotCauses(findings: Finding[], scope: CauseScope, related: (f: Finding) => boolean = () => false): Cause[] {
  return findings.map((f) => {
    const r = related(f);
    return { id: r ? 'resource-oom' : 'resource', confidence: r || scope.a.outage ? 'medium' : 'low', related: r, findings: [f], evidence: f.evidence.slice(0, 1) };
  });
}

/** A timeline entry quoted as evidence. */
export function asEvidenceEntry(e: TimelineEntry): Evidence {
  return { source: e.source, line: e.line, time: e.time, text: e.text };
}
