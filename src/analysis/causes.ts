// "Why did it happen?": the findings read together, as causes ranked by
// confidence, plus what stays unknown. Computed in the analysis stage and
// written to the analysis JSON (`causes`), so analyze --json, SARIF and the
// fleet view see the verdict the report gives. Each rule declares its part
// (its module's `cause`); this engine runs them, ranks the causes and says
// what no finding explains. Language-neutral: the report's sections turn each
// cause id and its data into sentences.
import type { Analysis, Causes, Finding, TimelineEntry } from './schema.js';
import { CAUSE_IDS, ms, SLACK_MS, strings, type Cause, type CauseScope, type Confidence } from './cause-role.js';
import { portOf } from '../net/address.js';
import { ALL_RULES, ruleById } from '../rules/index.js';
import { rule as proxyRule } from '../rules/proxy-upstream-errors/rule.js';

export type { Cause, Confidence } from './cause-role.js';

const UNKNOWN_IDS = ['death-unrecorded', 'outage-unexplained'] as const;

export interface Unknown {
  id: (typeof UNKNOWN_IDS)[number];
  /** the process or upstream that stopped answering */
  subject: string;
  /** the port it served, when known */
  port: string | null;
  /** log sources that were read and record nothing about it */
  read: string[];
  /** sources that could have recorded it but were not available */
  unavailable: { id: string; path: string | null; status: string; error: string | null }[];
  /** a session scope emptying just before the outage: often the only trace */
  clue: TimelineEntry | null;
  clueSecondsBefore: number | null;
}

export interface CauseAnalysis {
  causes: Cause[];
  unknowns: Unknown[];
}

/** A finding's time, from its params or its first dated evidence line. */
function findingTime(f: Finding): number | null {
  for (const key of ['first', 'at', 'lastExit']) {
    const v = f.params[key];
    if (typeof v === 'string' && ms(v) !== null) return ms(v);
  }
  const e = f.evidence.find((x) => x.time !== null);
  return e ? ms(e.time) : null;
}

function nearOutage(a: Analysis, f: Finding): boolean {
  if (!a.outage) return false;
  const t = findingTime(f);
  const s = ms(a.outage.start);
  const e = ms(a.outage.end);
  return t !== null && s !== null && e !== null && t >= s - SLACK_MS && t <= e + SLACK_MS;
}

const rank: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

export function analyseCauses(a: Analysis): CauseAnalysis {
  const scope: CauseScope = {
    a,
    of: (rule) => a.findings.filter((f) => f.rule === rule.id),
    near: (f) => nearOutage(a, f),
    outageStart: ms(a.outage?.start),
  };
  const causes: Cause[] = [];
  const roles = ALL_RULES.flatMap((rule) => (rule.cause ? [{ rule, role: rule.cause }] : [])).sort((x, y) => x.role.order - y.role.order);
  for (const { rule, role } of roles) {
    const mine = scope.of(rule);
    const ev = role.event;
    // A fault near the outage is a cause of it; the same fault at another time is a risk the bundle shows.
    if (ev) {
      for (const f of mine) {
        const related = scope.near(f);
        causes.push({ id: ev.id, confidence: related ? ev.near : ev.far, related, findings: [f], evidence: f.evidence.slice(0, ev.evidence ?? 2) });
      }
    }
    if (role.analyse) causes.push(...role.analyse(mine, scope));
  }
  causes.sort((x, y) => Number(y.related) - Number(x.related) || rank[x.confidence] - rank[y.confidence]);
  return { causes, unknowns: unknowns(a, causes, scope) };
}

/** An outage no finding explains: what went down, what was read, what could not be, and the one clue left. */
function unknowns(a: Analysis, causes: Cause[], scope: CauseScope): Unknown[] {
  if (!a.outage) return [];
  const explained = a.findings.some((f) => ruleById(f.rule)?.cause?.explainsDeath === true && scope.near(f));
  if (explained) return [];
  const proxies = scope.of(proxyRule);
  const upstreamPorts = new Set(proxies.flatMap((p) => strings(p.params.upstreams).map(portOf)));
  const downServers = causes.filter((c) => c.id === 'unmanaged-down').map((c) => c.findings[0]!);
  const clue = scopeEmptiedBefore(a);
  const unavailable = a.sources
    .filter((s) => ['journal', 'dmesg', 'syslog', 'coredumps'].includes(s.id) && s.status !== 'ok' && s.status !== 'truncated')
    .map((s) => ({ id: s.id, path: s.path, status: s.status, error: s.error ?? null }));
  const subjects = downServers.map((u) => u.subject);
  if (subjects.length === 0) subjects.push(...proxies.flatMap((p) => strings(p.params.upstreams)));
  return [
    {
      id: downServers.length ? 'death-unrecorded' : 'outage-unexplained',
      subject: subjects.join(', ') || a.outage.basis.join(', '),
      port: downServers.length ? (strings(downServers[0]!.params.ports).map(portOf)[0] ?? null) : ([...upstreamPorts][0] ?? null),
      read: readLogSources(a),
      unavailable,
      clue,
      clueSecondsBefore: clue && scope.outageStart !== null && ms(clue.time) !== null ? Math.round((scope.outageStart - ms(clue.time)!) / 1000) : null,
    },
  ];
}

/** Every log the analysis read: journal, syslog, dmesg (logSourcesRead) and application logs. */
export function readLogSources(a: Analysis): string[] {
  const app = a.sources.filter((s) => s.id === 'app-log' && s.path && (s.status === 'ok' || s.status === 'truncated')).map((s) => s.path!);
  return [...new Set([...(a.logSourcesRead ?? []), ...app])];
}

function scopeEmptiedBefore(a: Analysis): TimelineEntry | null {
  const start = ms(a.outage?.start);
  if (start === null) return null;
  const hits = a.timeline.filter((e) => {
    const t = ms(e.time);
    return (e.kind === 'unit-deactivated' || e.kind === 'unit-stopped') && (e.subject ?? '').endsWith('.scope') && t !== null && t <= start + 5_000 && t >= start - SLACK_MS;
  });
  return hits[hits.length - 1] ?? null;
}

export { asEvidenceEntry as asEvidence } from './cause-role.js';

/** The analysis JSON's `causes`: findings referred to by rule and subject. */
export function causesJson(c: CauseAnalysis): Causes {
  const ref = (f: Finding) => ({ rule: f.rule, subject: f.subject });
  return {
    // Keys in the contract's order (docs/analysis-json.md): findings before evidence.
    causes: c.causes.map(({ id, confidence, related, findings, ...rest }) => ({ id, confidence, related, findings: findings.map(ref), ...rest })),
    unknowns: c.unknowns,
  };
}

/**
 * The causes a renderer shows: the analysis's own, their findings looked up by rule and subject
 * (a cause left without any, or of a kind a newer analyzer found and this one cannot say, is
 * dropped), or, for an analysis made before causes were written
 * into it, computed from its findings as the analysis stage does.
 */
export function causesOf(a: Analysis): CauseAnalysis {
  if (!a.causes) return analyseCauses(a);
  const find = (r: { rule: string; subject: string }) => a.findings.find((f) => f.rule === r.rule && f.subject === r.subject);
  const causes: Cause[] = [];
  for (const c of a.causes.causes) {
    if (!(CAUSE_IDS as readonly string[]).includes(c.id)) continue;
    const findings = c.findings.map(find).filter((f): f is Finding => f !== undefined);
    if (findings.length) causes.push({ ...c, findings } as Cause);
  }
  const unknowns = a.causes.unknowns.filter((u): u is Unknown => (UNKNOWN_IDS as readonly string[]).includes(u.id));
  return { causes, unknowns };
}
