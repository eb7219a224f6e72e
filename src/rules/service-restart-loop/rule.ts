// service.restart-loop: systemd keeps restarting a unit that keeps dying.
import type { RuleFinding } from '../types.js';
import { quote, spread } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { UNIT_FAILED_EVENT } from '../../analysis/cause-role.js';
import { codes, time } from '../describe-kit.js';
import { restartLoopParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'service.restart-loop',
  severity: 'warning',
  needs: ['system-log'],
  summary: 'Three or more automatic restarts of one unit in the window',
  docs: `Fires when systemd scheduled three or more automatic restarts of the same unit inside the window
(threshold restartLoopCount). Counted from systemd's "Scheduled restart job, restart counter is at N"
lines (MESSAGE_ID 5eb03494..., field N_RESTARTS), in the journal or in syslog.
Ignores: restarts an operator asked for (systemctl restart: no "Scheduled restart job" line),
restarts outside the window.
Fix: find why the process exits (the unit's own log lines just before each restart, kernel faults,
OOM kills); the loop is a symptom.`,
  params: restartLoopParams,
  messages,
  event: 5,
  ruledOut: 3,
  cause: { order: 5, explainsDeath: true, event: UNIT_FAILED_EVENT },
  describe(p, { f, k }) {
    const state: string[] = [];
    if (p.exitStatuses.length) state.push(k('state.statuses', { statuses: codes(p.exitStatuses) }));
    if (p.maxCounter !== null) state.push(k('state.counter', { n: p.maxCounter }));
    const unit = p.unit || f.subject;
    return { title: k('title', { unit, n: p.restarts, first: time(p.first), last: time(p.last) }), state, fix: k('fix', { unit, first: time(p.first) }) };
  },
  run(facts, ctx) {
    const byUnit = new Map<string, typeof facts.systemdEvents>();
    for (const e of facts.systemdEvents) {
      if (e.kind !== 'restart-scheduled' || !facts.inWindow(e.at.epochMs)) continue;
      const list = byUnit.get(e.unit) ?? [];
      list.push(e);
      byUnit.set(e.unit, list);
    }
    const findings: RuleFinding<z.input<typeof restartLoopParams>>[] = [];
    for (const [unit, events] of [...byUnit].sort(([a], [b]) => a.localeCompare(b))) {
      if (events.length < ctx.thresholds.restartLoopCount) continue;
      const counters = events.map((e) => e.nRestarts).filter((n): n is number => n !== undefined);
      const exits = facts.systemdEvents.filter((e) => e.unit === unit && e.kind === 'main-exited' && facts.inWindow(e.at.epochMs));
      const statuses = [...new Set(exits.map((e) => `${e.exitCode ?? '?'}/${e.exitStatus ?? '?'}`))];
      findings.push({
        subject: unit,
        params: {
          unit,
          restarts: events.length,
          maxCounter: counters.length ? Math.max(...counters) : null,
          first: facts.fmt(events[0]!.at.epochMs),
          last: facts.fmt(events[events.length - 1]!.at.epochMs),
          exitStatuses: statuses,
        },
        evidence: quote(facts, [...spread(events, 6).map((e) => e.at), ...exits.slice(0, 2).map((e) => e.at)]),
      });
    }
    return findings;
  },
});
