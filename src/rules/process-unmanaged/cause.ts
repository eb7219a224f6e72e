// A server run outside systemd behind the proxy that failed is the outage's
// cause: nothing restarted it when it died. Its recovery is read from the
// timeline: the login it was started again from, by hand. Elsewhere it is a
// risk the bundle shows.
import type { Finding, TimelineEntry } from '../../analysis/schema.js';
import { asEvidenceEntry, ms, SLACK_MS, strings, type Cause, type CauseScope } from '../../analysis/cause-role.js';
import { portOf } from '../../net/address.js';
import { rule as proxyRule } from '../proxy-upstream-errors/rule.js';

export function unmanagedCauses(findings: Finding[], scope: CauseScope): Cause[] {
  const { a, outageStart } = scope;
  const proxies = scope.of(proxyRule);
  const upstreamPorts = new Set(proxies.flatMap((p) => strings(p.params.upstreams).map(portOf)));
  const causes: Cause[] = [];
  for (const u of findings) {
    const ports = strings(u.params.ports).map(portOf);
    const behindProxy = a.outage !== null && ports.some((p) => upstreamPorts.has(p));
    if (!behindProxy) {
      causes.push({ id: 'unmanaged-risk', confidence: 'low', related: false, findings: [u], evidence: u.evidence.slice(0, 1) });
      continue;
    }
    const proxy = proxies.find((p) => strings(p.params.upstreams).some((x) => ports.includes(portOf(x))))!;
    const psStart = typeof u.params.startedAt === 'string' ? u.params.startedAt : null;
    const scopeUnit = typeof u.params.scope === 'string' ? u.params.scope : null;
    const inSession = scopeUnit !== null && u.params.category === 'session';
    // The process's own login: the session scope its cgroup names, not whichever login came last.
    const ownLogin = inSession ? scopeStarted(scope, scopeUnit) : null;
    const startedAt = notBeforeLogin(psStart, ownLogin);
    const restartedAfter = outageStart !== null && ms(startedAt) !== null && ms(startedAt)! >= outageStart;
    const login = !restartedAfter ? null : inSession ? ownLogin : sessionStartBefore(scope, startedAt);
    causes.push({
      id: 'unmanaged-down',
      confidence: 'high',
      related: true,
      findings: [u, proxy],
      evidence: [proxy.evidence[0]!, ...u.evidence.slice(0, 2), ...(login ? [asEvidenceEntry(login)] : [])],
      recovery: { login, restartedAt: restartedAfter ? startedAt : null },
    });
  }
  return causes;
}

/** When the session scope `unit` started (its last start in the timeline), or null. */
function scopeStarted({ a }: CauseScope, unit: string): TimelineEntry | null {
  const hits = a.timeline.filter((e) => e.kind === 'unit-started' && e.subject === unit && ms(e.time) !== null);
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
function sessionStartBefore({ a }: CauseScope, startedAt: string | null): TimelineEntry | null {
  const until = ms(startedAt);
  const from = ms(a.outage?.start);
  if (until === null || from === null) return null;
  const hits = a.timeline.filter((e) => {
    const t = ms(e.time);
    return e.kind === 'unit-started' && (e.subject ?? '').startsWith('session-') && t !== null && t >= from - SLACK_MS && t <= until;
  });
  return hits[hits.length - 1] ?? null;
}
