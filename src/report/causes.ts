// "Why did it happen?": the findings read together, as causes ranked by
// confidence, plus what stays unknown. Language-neutral: the sections turn
// each cause id and its data into sentences.
import type { Analysis, Evidence, Finding, TimelineEntry } from '../analysis/schema.js';
import { strs } from './context.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface Cause {
  id:
    | 'unmanaged-down'
    | 'unmanaged-risk'
    | 'oom-kill'
    | 'crash'
    | 'unit-failed'
    | 'reboot'
    | 'port-conflict'
    | 'resource'
    | 'resource-oom'
    | 'no-restart-exited'
    | 'no-restart-risk'
    | 'no-health-check'
    | 'no-health-check-outage';
  confidence: Confidence;
  /** a cause of this outage, not only a risk the bundle shows */
  related: boolean;
  /** the findings behind it */
  findings: Finding[];
  evidence: Evidence[];
  /** for unmanaged-down: the person's login and the new process start that ended the outage */
  recovery?: { login: TimelineEntry | null; restartedAt: string | null };
}

export interface Unknown {
  id: 'death-unrecorded' | 'outage-unexplained';
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

// Findings that would say how a process or unit ended.
const DEATH_RULES = ['kernel.oom-kill', 'kernel.segfault', 'service.failed', 'service.watchdog-timeout', 'service.start-limit-hit', 'service.restart-loop', 'host.rebooted'];
const SLACK_MS = 5 * 60_000;

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isFinite(v) ? v : null;
};

const portOf = (addr: string): string => addr.slice(addr.lastIndexOf(':') + 1);

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

export function analyseCauses(a: Analysis): CauseAnalysis {
  const causes: Cause[] = [];
  const unknowns: Unknown[] = [];
  const by = (rule: string) => a.findings.filter((f) => f.rule === rule);
  const proxies = by('proxy.upstream-errors');
  const upstreamPorts = new Set(proxies.flatMap((p) => strs(p.params.upstreams).map(portOf)));
  const outageStart = ms(a.outage?.start);

  const downServers: Finding[] = [];
  for (const u of by('process.unmanaged')) {
    const ports = strs(u.params.ports).map(portOf);
    const behindProxy = a.outage !== null && ports.some((p) => upstreamPorts.has(p));
    if (behindProxy) {
      downServers.push(u);
      const proxy = proxies.find((p) => strs(p.params.upstreams).some((x) => ports.includes(portOf(x))))!;
      const psStart = typeof u.params.startedAt === 'string' ? u.params.startedAt : null;
      const scope = typeof u.params.scope === 'string' ? u.params.scope : null;
      // The process's own login: the session scope its cgroup names, not whichever login came last.
      const ownLogin = scope !== null && u.params.category === 'session' ? scopeStarted(a, scope) : null;
      const startedAt = notBeforeLogin(psStart, ownLogin);
      const restartedAfter = outageStart !== null && ms(startedAt) !== null && ms(startedAt)! >= outageStart;
      const login = !restartedAfter ? null : scope !== null && u.params.category === 'session' ? ownLogin : sessionStartBefore(a, startedAt);
      causes.push({
        id: 'unmanaged-down',
        confidence: 'high',
        related: true,
        findings: [u, proxy],
        evidence: [proxy.evidence[0]!, ...u.evidence.slice(0, 2), ...(login ? [asEvidence(login)] : [])],
        recovery: { login, restartedAt: restartedAfter ? startedAt : null },
      });
    } else {
      causes.push({ id: 'unmanaged-risk', confidence: 'low', related: false, findings: [u], evidence: u.evidence.slice(0, 1) });
    }
  }

  // A fault near the outage is a cause of it; the same fault at another time is a risk the bundle shows.
  const event = (id: Cause['id'], f: Finding, near: Confidence, far: Confidence, n = 2) => {
    const related = nearOutage(a, f);
    causes.push({ id, confidence: related ? near : far, related, findings: [f], evidence: f.evidence.slice(0, n) });
  };
  for (const f of by('kernel.oom-kill')) event('oom-kill', f, 'high', 'medium');
  for (const f of by('kernel.segfault')) event('crash', f, 'high', 'medium');
  // The specific failure first; service.failed is what all of them end in.
  for (const rule of ['service.watchdog-timeout', 'service.start-limit-hit', 'service.restart-loop', 'service.failed']) {
    for (const f of by(rule)) event('unit-failed', f, 'high', 'medium');
  }
  for (const f of by('host.rebooted')) event('reboot', f, 'high', 'low', 1);
  for (const f of by('process.port-conflict')) event('port-conflict', f, 'medium', 'low');
  // Snapshots at collection cannot show the state during the outage; low
  // memory next to an OOM kill in the outage is the one they corroborate.
  const oomInOutage = by('kernel.oom-kill').some((f) => nearOutage(a, f));
  for (const rule of ['resource.memory', 'resource.disk', 'resource.load']) {
    for (const f of by(rule)) {
      const related = rule === 'resource.memory' && oomInOutage;
      causes.push({ id: related ? 'resource-oom' : 'resource', confidence: related || a.outage ? 'medium' : 'low', related, findings: [f], evidence: f.evidence.slice(0, 1) });
    }
  }
  for (const f of by('service.no-restart')) {
    const exited = typeof f.params.exitedInWindow === 'number' && f.params.exitedInWindow > 0;
    const related = exited && a.outage !== null;
    causes.push({ id: exited ? 'no-restart-exited' : 'no-restart-risk', confidence: exited ? 'high' : 'low', related, findings: [f], evidence: f.evidence.slice(0, 1) });
  }
  // A missing health check prolonged the outage only for the service behind it.
  const noHealth = by('service.no-health-check');
  const behind = noHealth.filter((f) => a.outage !== null && strs(f.params.ports).some((p) => upstreamPorts.has(portOf(p))));
  const others = noHealth.filter((f) => !behind.includes(f));
  if (behind.length) causes.push({ id: 'no-health-check-outage', confidence: 'medium', related: true, findings: behind, evidence: [] });
  if (others.length) causes.push({ id: 'no-health-check', confidence: 'low', related: false, findings: others, evidence: [] });

  const rank: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };
  causes.sort((x, y) => Number(y.related) - Number(x.related) || rank[x.confidence] - rank[y.confidence]);

  if (a.outage) {
    const explained = a.findings.some((f) => DEATH_RULES.includes(f.rule) && nearOutage(a, f));
    if (!explained) {
      const clue = scopeEmptiedBefore(a);
      const read = readLogSources(a);
      const unavailable = a.sources
        .filter((s) => ['journal', 'dmesg', 'syslog', 'coredumps'].includes(s.id) && s.status !== 'ok' && s.status !== 'truncated')
        .map((s) => ({ id: s.id, path: s.path, status: s.status, error: s.error ?? null }));
      const subjects = downServers.map((u) => u.subject);
      if (subjects.length === 0) subjects.push(...proxies.flatMap((p) => strs(p.params.upstreams)));
      unknowns.push({
        id: downServers.length ? 'death-unrecorded' : 'outage-unexplained',
        subject: subjects.join(', ') || a.outage.basis.join(', '),
        port: downServers.length ? (strs(downServers[0]!.params.ports).map(portOf)[0] ?? null) : ([...upstreamPorts][0] ?? null),
        read,
        unavailable,
        clue,
        clueSecondsBefore: clue && outageStart !== null && ms(clue.time) !== null ? Math.round((outageStart - ms(clue.time)!) / 1000) : null,
      });
    }
  }
  return { causes, unknowns };
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

/** When the session scope `scope` started (its last start in the timeline), or null. */
function scopeStarted(a: Analysis, scope: string): TimelineEntry | null {
  const hits = a.timeline.filter((e) => e.kind === 'unit-started' && e.subject === scope && ms(e.time) !== null);
  return hits[hits.length - 1] ?? null;
}

// ps prints lstart in whole seconds, counted from the kernel's boot time, itself in whole seconds:
// it can read a second or two before the real start.
const LSTART_SLACK_MS = 3_000;

/**
 * A process in a session scope started after that login did: a ps start time up to a few seconds
 * before the scope's own start is the rounding above, and the login's time is the better one.
 */
function notBeforeLogin(startedAt: string | null, login: TimelineEntry | null): string | null {
  const s = ms(startedAt);
  const l = ms(login?.time);
  if (s === null || l === null || login === null) return startedAt;
  return l > s && l - s <= LSTART_SLACK_MS ? login.time : startedAt;
}

/** Without a scope to go by: the login (session scope started) that came before a hand restart. */
function sessionStartBefore(a: Analysis, startedAt: string | null): TimelineEntry | null {
  const until = ms(startedAt);
  const from = ms(a.outage?.start);
  if (until === null || from === null) return null;
  const hits = a.timeline.filter((e) => {
    const t = ms(e.time);
    return e.kind === 'unit-started' && (e.subject ?? '').startsWith('session-') && t !== null && t >= from - SLACK_MS && t <= until;
  });
  return hits[hits.length - 1] ?? null;
}

export function asEvidence(e: TimelineEntry): Evidence {
  return { source: e.source, line: e.line, time: e.time, text: e.text };
}
