// Outage episodes (docs/analysis-json.md): down signals are proxy/tunnel upstream
// errors, failed health probes, and a site-local service not running between
// its failure or stop and its next start. Signals more than the gap apart
// (5 minutes) are separate episodes; the longest is "the" outage.
import type { Evidence, Outage } from './schema.js';
import type { Facts, Line } from '../facts/types.js';
import { rule as proxyRule } from '../rules/proxy-upstream-errors/rule.js';

interface Signal {
  ms: number;
  basis: string;
  at: Line | null;
  /** a service-down signal covers the whole time the service was not running, up to here */
  until?: number;
}

export function downSignals(facts: Facts): Signal[] {
  const out: Signal[] = [];
  // proxyTimes holds every proxy error; the quotable lines are picked per episode below.
  for (const t of facts.proxyTimes) if (facts.inWindow(t.ms)) out.push({ ms: t.ms, basis: proxyRule.id, at: null });
  for (const p of facts.healthProbes) {
    const failed = p.error !== null || p.status === null || p.status >= 500;
    if (failed && p.epochMs !== null && facts.inWindow(p.epochMs)) {
      out.push({ ms: p.epochMs, basis: 'health-probe', at: { source: p.source, line: p.line, epochMs: p.epochMs, text: `${p.url} ${p.status ?? ''} ${p.error ?? ''}`.trim() } });
    }
  }
  for (const s of facts.services) {
    if (!s.siteLocal) continue;
    let downAt: Line | null = null;
    let stopRequested = false;
    for (const e of s.events) {
      if (e.kind === 'stopping') stopRequested = true;
      if (e.kind === 'failed' || e.kind === 'main-exited' || e.kind === 'oom-kill' || e.kind === 'watchdog' || (e.kind === 'stopped' && stopRequested)) {
        downAt ??= e.at;
      } else if (e.kind === 'started' || e.kind === 'restart-scheduled' || e.kind === 'starting') {
        if (downAt && downAt.epochMs !== null && e.at.epochMs !== null && e.kind === 'started') {
          out.push({ ms: downAt.epochMs, basis: 'service-down', at: downAt, until: e.at.epochMs });
          out.push({ ms: e.at.epochMs, basis: 'service-down', at: e.at });
          downAt = null;
        }
        if (e.kind === 'started') stopRequested = false;
      }
    }
    if (downAt && downAt.epochMs !== null && s.activeState !== 'active') {
      out.push({ ms: downAt.epochMs, basis: 'service-down', at: downAt, ...(facts.window.untilMs !== null ? { until: facts.window.untilMs } : {}) });
      if (facts.window.untilMs !== null) out.push({ ms: facts.window.untilMs, basis: 'service-down', at: null });
    }
  }
  return out.filter((s) => facts.inWindow(s.ms)).sort((a, b) => a.ms - b.ms);
}

/** `excluded`: bases (rule ids) not to count, such as a rule whose findings were all waived. */
export function computeOutages(facts: Facts, gapSeconds: number, excluded: ReadonlySet<string> = new Set()): { outage: Outage | null; outages: Outage[] } {
  const signals = excluded.size ? downSignals(facts).filter((s) => !excluded.has(s.basis)) : downSignals(facts);
  // An episode lasts until its latest signal or the end of the latest down interval in it
  // (kept as a running maximum: a busy proxy log gives a million signals).
  const episodes: { signals: Signal[]; reach: number }[] = [];
  for (const s of signals) {
    const cur = episodes[episodes.length - 1];
    if (cur && s.ms - cur.reach <= gapSeconds * 1000) {
      cur.signals.push(s);
      cur.reach = Math.max(cur.reach, s.until ?? s.ms);
    } else episodes.push({ signals: [s], reach: s.until ?? s.ms });
  }
  const outages: Outage[] = episodes.map(({ signals: ep, reach }) => {
    const start = ep[0]!.ms;
    const end = reach;
    const quotable: Line[] = [
      ...ep.flatMap((s) => (s.at ? [s.at] : [])),
      ...facts.proxyEvents.filter((e) => e.at.epochMs !== null && e.at.epochMs >= start && e.at.epochMs <= end).map((e) => e.at),
    ].sort((a, b) => (a.epochMs ?? 0) - (b.epochMs ?? 0));
    const evidence: Evidence[] = [];
    for (const l of [quotable[0], quotable[quotable.length - 1]]) {
      if (l && !evidence.some((e) => e.source === l.source && e.line === l.line)) evidence.push(facts.evidence(l));
    }
    const recovered = facts.proxyOkTimes.find((o) => o.ms > end && o.ms - end <= gapSeconds * 1000);
    return {
      start: facts.fmt(start)!,
      end: facts.fmt(end)!,
      durationSeconds: Math.round((end - start) / 1000),
      basis: [...new Set(ep.map((s) => s.basis))].sort(),
      recoveredAt: recovered ? facts.fmt(recovered.ms) : null,
      signals: ep.length,
      evidence,
    };
  });
  let best: Outage | null = null;
  for (const o of outages) if (!best || o.durationSeconds > best.durationSeconds) best = o;
  return { outage: best, outages };
}
