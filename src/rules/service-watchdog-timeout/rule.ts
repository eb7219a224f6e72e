// service.watchdog-timeout: the program stopped sending WATCHDOG=1 in time.
import type { RuleFinding } from '../types.js';
import { humanSeconds, quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { UNIT_FAILED_EVENT } from '../../analysis/cause-role.js';
import { time } from '../describe-kit.js';
import { watchdogTimeoutParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'service.watchdog-timeout',
  severity: 'critical',
  needs: [],
  needsAny: ['system-log', 'unit-state'],
  summary: "A unit's watchdog fired",
  docs: `Fires when systemd killed a unit because its watchdog expired: "Watchdog timeout (limit 30s)!"
or a "Failed with result 'watchdog'" (UNIT_RESULT=watchdog) inside the window, or Result=watchdog in
"systemctl show" at collection (the unit's last run ended that way). The program hung or
was too busy to send WATCHDOG=1 within WatchdogSec=.
Fix: find what blocked the main loop (the unit's lines before the timeout, load and memory
pressure); raise WatchdogSec= only if the program legitimately blocks that long.`,
  params: watchdogTimeoutParams,
  messages,
  event: 3,
  ruledOut: 5,
  // The specific failures (watchdog, start limit, restart loop) are listed before service.failed, what all of them end in.
  cause: { order: 3, explainsDeath: true, event: UNIT_FAILED_EVENT },
  describe(p, { f, k }) {
    const unit = p.unit || f.subject;
    return { title: k('title', { unit, n: p.timeouts, watchdog: `WatchdogSec=${p.watchdogSec || '?'}` }), state: [], fix: k('fix', { unit, first: time(p.first) }) };
  },
  run(facts) {
    const byUnit = new Map<string, typeof facts.systemdEvents>();
    for (const e of facts.systemdEvents) {
      if (!facts.inWindow(e.at.epochMs)) continue;
      if (e.kind === 'watchdog' || (e.kind === 'failed' && e.result === 'watchdog')) {
        const list = byUnit.get(e.unit) ?? [];
        list.push(e);
        byUnit.set(e.unit, list);
      }
    }
    for (const s of facts.services) if (s.result === 'watchdog' && !byUnit.has(s.name)) byUnit.set(s.name, []);
    const findings: RuleFinding<z.input<typeof watchdogTimeoutParams>>[] = [];
    for (const [unit, events] of [...byUnit].sort(([a], [b]) => a.localeCompare(b))) {
      const svc = facts.services.find((s) => s.name === unit);
      const timeouts = events.filter((e) => e.kind === 'watchdog');
      const stateLine = svc?.result === 'watchdog' ? svc.propsLine('Result') : null;
      findings.push({
        subject: unit,
        params: {
          unit,
          timeouts: timeouts.length || events.length || 1,
          watchdogSec: humanSeconds(svc?.watchdogUs ?? null),
          first: events.length ? facts.fmt(events[0]!.at.epochMs) : null,
          resultAtCollection: stateLine !== null,
        },
        evidence: quote(facts, [...events.map((e) => e.at), stateLine]),
      });
    }
    return findings;
  },
});
