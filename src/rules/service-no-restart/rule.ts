// service.no-restart: a site-local service that stays down once it exits.
import type { RuleFinding } from '../types.js';
import type { ServiceEventFact, ServiceFact } from '../../facts/types.js';
import { isLongRunning, quote, settingLine } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, time } from '../describe-kit.js';
import { noRestartParams } from './params.js';
import { messages } from './messages.js';
import { restartArtifacts } from './artifacts.js';

const NO_RESTART = new Set(['no', 'on-success']);

/** Exits and failures that no operator asked for: not preceded by a stop job since the last start. */
export function unexpectedExits(s: ServiceFact): ServiceEventFact[] {
  const out: ServiceEventFact[] = [];
  let stopRequested = false;
  for (const e of s.events) {
    if (e.kind === 'stopping') stopRequested = true;
    else if (e.kind === 'starting' || e.kind === 'started') stopRequested = false;
    else if (!stopRequested && (e.kind === 'main-exited' || e.kind === 'failed' || e.kind === 'oom-kill' || e.kind === 'watchdog')) out.push(e);
    else if (!stopRequested && e.kind === 'deactivated' && s.type !== 'oneshot') out.push(e);
  }
  return out;
}

/** One per run: "Main process exited" and "Failed with result" of the same death are one exit. */
function countExits(s: ServiceFact, exits: ServiceEventFact[]): number {
  const counted = new Set(exits);
  let n = 0;
  let thisRun = false;
  for (const e of s.events) {
    if (e.kind === 'starting' || e.kind === 'started' || e.kind === 'restart-scheduled') thisRun = false;
    else if (counted.has(e) && !thisRun) {
      n++;
      thisRun = true;
    }
  }
  return n;
}

export const rule = defineRule({
  id: 'service.no-restart',
  severity: 'warning',
  needs: ['unit-config'],
  summary: 'A site-local long-running service is not restarted when it exits',
  docs: `Fires for a site-local service (fragment under /etc/systemd/system, /usr/local/lib/systemd/system,
/run/systemd/system, outside /lib and /usr/lib, or named in the config) that is meant to keep running
(any Type= but oneshot) and whose effective Restart= after all drop-ins is "no" (systemd's default)
or "on-success". Critical when the unit exited or failed inside the window without a stop job
before it (so not an operator's "systemctl stop").
Signals: the unit file and its drop-ins merged as systemd merges them, or "systemctl show" Restart=;
systemd's own journal lines for the unit (Main process exited, Failed with result, Deactivated).
Ignores: vendor units under /lib and /usr/lib (unless configured), masked units, oneshot units,
templates without instances.
Fix: a drop-in /etc/systemd/system/UNIT.d/10-restart.conf (the report's ready-made one) with
Restart=always, RestartSec=5 and start limits, then systemctl daemon-reload.`,
  params: noRestartParams,
  messages,
  standing: true,
  cause: {
    order: 12,
    kinds: ['no-restart-exited', 'no-restart-risk'],
    analyse: (findings, { a }) =>
      findings.map((f) => {
        const exited = typeof f.params.exitedInWindow === 'number' && f.params.exitedInWindow > 0;
        const related = exited && a.outage !== null;
        return { id: exited ? 'no-restart-exited' : 'no-restart-risk', confidence: exited ? 'high' : 'low', related, findings: [f], evidence: f.evidence.slice(0, 1) };
      }),
  },
  describe(p, { f, k }) {
    const state: string[] = [];
    const restart = p.restart || 'no';
    state.push(k(p.restartExplicit ? 'state.explicit' : 'state.default', { restart: `Restart=${restart}` }));
    state.push(p.exitedInWindow > 0 ? k('state.exited', { n: p.exitedInWindow, last: time(p.lastExit) }) : k('state.notExited'));
    if (p.execStart) state.push(k('state.command', { command: p.execStart }));
    if (p.dropins.length) state.push(k('state.dropins', { dropins: codes(p.dropins) }));
    const unit = p.unit || f.subject;
    return {
      title: k('title', { unit, restart: `Restart=${restart}` }),
      state,
      fix: k('fix', { unit }),
      remediation: k('remediation', { dropIn: `/etc/systemd/system/${unit}.d/10-restart.conf`, edit: `systemctl edit ${unit}` }),
    };
  },
  artifacts: restartArtifacts,
  run(facts) {
    const findings: RuleFinding<z.input<typeof noRestartParams>>[] = [];
    for (const s of facts.services) {
      if (!s.siteLocal || !isLongRunning(s)) continue;
      const restart = s.restart ?? 'no';
      if (!NO_RESTART.has(restart)) continue;
      const exits = unexpectedExits(s).filter((e) => facts.inWindow(e.at.epochMs));
      const restartLine = settingLine(s, 'Restart');
      findings.push({
        severity: exits.length > 0 ? 'critical' : undefined,
        subject: s.name,
        params: {
          unit: s.name,
          restart,
          restartExplicit: restartLine !== null && s.definition?.get('Service', 'Restart') !== undefined,
          fragment: s.fragmentPath,
          dropins: s.definition?.dropins.map((d) => d.devicePath) ?? [],
          exitedInWindow: countExits(s, exits),
          lastExit: exits.length ? facts.fmt(exits[exits.length - 1]!.at.epochMs) : null,
          user: s.user,
          execStart: s.execStart[0] ?? null,
        },
        evidence: quote(facts, [s.execStartLine, restartLine, ...exits.map((e) => e.at)]),
      });
    }
    return findings;
  },
});
