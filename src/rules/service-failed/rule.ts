// service.failed: a unit failed in the window or is failed right now.
import type { RuleFinding } from '../types.js';
import { quote, spread } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { UNIT_FAILED_EVENT } from '../../analysis/cause-role.js';
import { codes, time, yes } from '../describe-kit.js';
import { failedParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'service.failed',
  severity: 'critical',
  needs: [],
  needsAny: ['system-log', 'unit-state'],
  summary: 'A unit failed in the window or is in failed state at collection',
  docs: `Fires for a unit that systemd marked failed inside the window ("Failed with result '...'",
UNIT_RESULT, "Failed to start ...") or whose state at collection is failed (list-units ACTIVE=failed,
systemctl show ActiveState=failed).
Ignores: units that failed before the window and are active again; session scopes.
Fix: read the unit's own lines before the failure (journalctl -u UNIT), then systemctl reset-failed
and start it once the cause is fixed.`,
  params: failedParams,
  messages,
  event: 2,
  ruledOut: 2,
  cause: { order: 6, explainsDeath: true, event: UNIT_FAILED_EVENT },
  describe(p, { f, k }) {
    const state: string[] = [];
    if (p.results.length) state.push(k('state.results', { results: codes(p.results) }));
    if (p.first) state.push(k('state.when', { first: time(p.first), last: time(p.last) }));
    const unit = p.unit || f.subject;
    return { title: k('title', { unit, n: p.failures, atCollection: yes(p.failedAtCollection) }), state, fix: k('fix', { unit }) };
  },
  run(facts) {
    const failedEvents = new Map<string, typeof facts.systemdEvents>();
    for (const e of facts.systemdEvents) {
      if (!facts.inWindow(e.at.epochMs)) continue;
      if (e.kind !== 'failed' && e.kind !== 'failed-to-start') continue;
      if (e.unit.endsWith('.scope')) continue;
      const list = failedEvents.get(e.unit) ?? [];
      list.push(e);
      failedEvents.set(e.unit, list);
    }
    const failedNow = new Map<string, (typeof facts.services)[number]>();
    for (const s of facts.services) if (s.activeState === 'failed') failedNow.set(s.name, s);
    const units = [...new Set([...failedEvents.keys(), ...failedNow.keys()])].sort();
    const findings: RuleFinding<z.input<typeof failedParams>>[] = [];
    for (const unit of units) {
      const events = failedEvents.get(unit) ?? [];
      const now = failedNow.get(unit);
      const results = [...new Set(events.map((e) => e.result).filter((r): r is string => !!r))];
      if (now?.result && !results.includes(now.result)) results.push(now.result);
      findings.push({
        subject: unit,
        params: {
          unit,
          failures: events.filter((e) => e.kind === 'failed').length,
          results,
          failedAtCollection: now !== undefined,
          first: events.length ? facts.fmt(events[0]!.at.epochMs) : null,
          last: events.length ? facts.fmt(events[events.length - 1]!.at.epochMs) : null,
        },
        evidence: quote(facts, [...spread(events, 6).map((e) => e.at), now?.stateLine]),
      });
    }
    return findings;
  },
});
