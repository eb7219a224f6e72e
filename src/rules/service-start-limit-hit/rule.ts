// service.start-limit-hit: systemd gave up; the unit stays down until someone acts.
import type { RuleFinding } from '../types.js';
import { quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { UNIT_FAILED_EVENT } from '../../analysis/cause-role.js';
import { time } from '../describe-kit.js';
import { startLimitHitParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'service.start-limit-hit',
  severity: 'critical',
  needs: [],
  needsAny: ['system-log', 'unit-state'],
  summary: 'systemd stopped restarting a unit (start limit hit)',
  docs: `Fires when systemd refused to start a unit again because it failed too often in a short time:
"Start request repeated too quickly", "Failed with result 'start-limit-hit'" (UNIT_RESULT) in the
journal or syslog inside the window, or Result=start-limit-hit in "systemctl show" at collection.
After that the unit stays down whatever its Restart= says.
Fix: fix the cause of the exits, then "systemctl reset-failed UNIT" and start it; consider
StartLimitIntervalSec=/StartLimitBurst= that match how long the device may retry.`,
  params: startLimitHitParams,
  messages,
  event: 4,
  ruledOut: 4,
  cause: { order: 4, explainsDeath: true, event: UNIT_FAILED_EVENT },
  describe(p, { f, k }) {
    const state: string[] = [];
    if (p.startLimitBurst !== null) state.push(k('state.limit', { burst: p.startLimitBurst, interval: p.startLimitIntervalSec ?? 10 }));
    if (p.activeState) state.push(k('state.active', { state: p.activeState }));
    const unit = p.unit || f.subject;
    return { title: k('title', { unit, at: time(p.at) }), state, fix: k('fix', { unit }) };
  },
  run(facts) {
    const findings: RuleFinding<z.input<typeof startLimitHitParams>>[] = [];
    const units = new Set<string>();
    for (const e of facts.systemdEvents) {
      if (!facts.inWindow(e.at.epochMs)) continue;
      if (e.kind === 'start-limit-hit' || (e.kind === 'failed' && e.result === 'start-limit-hit')) units.add(e.unit);
    }
    for (const s of facts.services) if (s.result === 'start-limit-hit') units.add(s.name);
    for (const unit of [...units].sort()) {
      const svc = facts.services.find((s) => s.name === unit);
      const lines = facts.systemdEvents.filter(
        (e) => e.unit === unit && facts.inWindow(e.at.epochMs) && (e.kind === 'start-limit-hit' || (e.kind === 'failed' && e.result === 'start-limit-hit')),
      );
      const stateLine = svc?.result === 'start-limit-hit' ? svc.propsLine('Result') : null;
      findings.push({
        subject: unit,
        params: {
          unit,
          at: lines.length ? facts.fmt(lines[0]!.at.epochMs) : null,
          startLimitBurst: svc?.startLimitBurst ?? null,
          startLimitIntervalSec: svc?.startLimitIntervalUs != null ? svc.startLimitIntervalUs / 1e6 : null,
          activeState: svc?.activeState ?? null,
        },
        evidence: quote(facts, [...lines.map((e) => e.at), stateLine]),
      });
    }
    return findings;
  },
});
