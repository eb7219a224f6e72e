// service.no-memory-limit: a site-local service with no memory limit on a device whose memory ran
// out. Without a limit, the kernel's global OOM killer chooses its victim from the whole device, so
// the service that grew may well survive while the charger's OCPP client is killed; with MemoryMax=,
// the cgroup's own OOM killer ends the service that reached it, and Restart= brings it back.
import type { RuleFinding } from '../types.js';
import { isSkip } from '../types.js';
import type { Facts, ServiceFact } from '../../facts/types.js';
import { isLongRunning, quote, settingLine } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { bytes, md, time, yes } from '../describe-kit.js';
import { noMemoryLimitParams } from './params.js';
import { messages } from './messages.js';
import { rule as oomKillRule } from '../kernel-oom-kill/rule.js';

const MIB = 1024 ** 2;
/** The proposed limit is half the device's memory, rounded down to this step. */
const STEP = 64 * MIB;

/** The effective limit: MemoryMax=, or cgroup v1's MemoryLimit= (systemd applies either on both hierarchies). */
function effectiveLimit(s: ServiceFact): string {
  for (const key of ['MemoryMax', 'MemoryLimit']) {
    const v = s.definition?.get('Service', key)?.value ?? s.props?.[key];
    if (v !== undefined && v !== '' && v !== 'infinity') return `${key}=${v}`;
  }
  return 'MemoryMax=infinity';
}

/** Its memory at collection: the cgroup's MemoryCurrent=, else the RSS of the processes ps put in it. */
function currentBytes(facts: Facts, s: ServiceFact): number | null {
  const cur = s.props?.MemoryCurrent;
  if (cur && /^\d+$/.test(cur)) return Number(cur);
  const rss = facts.processes.filter((p) => s.processes.includes(p.pid) && p.rssKiB !== null).map((p) => p.rssKiB! * 1024);
  return rss.length ? rss.reduce((a, b) => a + b, 0) : null;
}

export const rule = defineRule({
  id: 'service.no-memory-limit',
  severity: 'warning',
  needs: ['unit-config'],
  needsAny: ['kernel-log', 'system-log'],
  summary: 'A site-local long-running service has no memory limit on a device that ran out of memory',
  docs: `Fires for a site-local service meant to keep running (any Type= but oneshot) whose
effective MemoryMax= (or cgroup v1's MemoryLimit=) after all drop-ins is unset or "infinity", when the
kernel's OOM killer acted for the whole system in the window (a kernel.oom-kill of global scope). It
stays quiet after a cgroup OOM kill (a unit reached its own limit: the device still had memory) and
for units that set a limit. Without a limit, the global OOM killer picks its victim from the whole
device by its score, so the service that grew may survive while another one is killed.
Signals: the kernel's OOM lines as kernel.oom-kill reads them; the unit file and drop-ins or
"systemctl show" MemoryMax=/MemoryLimit=/MemoryCurrent=; ps RSS of the unit's processes;
/proc/meminfo MemTotal for the proposed value.
Ignores: limits set on the unit's slice (the bundle does not hold slice settings), MemoryHigh=
(it throttles, it does not end the service), vendor units, oneshot units.
Fix: a drop-in /etc/systemd/system/UNIT.d/20-memory.conf with MemoryMax= at about half the device's
memory (the report computes it from MemTotal, rounded down to 64 MiB), then systemctl daemon-reload;
the limit applies to the running service at once, so a service above it is ended then.`,
  params: noMemoryLimitParams,
  messages,
  standing: true,
  describe(p, { t, f, k }) {
    const unit = p.unit || f.subject;
    const state = [k('state.limit', { limit: p.memoryMax })];
    if (p.oomKills > 0) state.push(k('state.oom', { n: p.oomKills, first: time(p.firstOom), victim: yes(p.victim) }));
    state.push(p.currentBytes !== null && p.totalBytes !== null ? k('state.current', { current: md(bytes(t, p.currentBytes)), total: md(bytes(t, p.totalBytes)) }) : k('state.currentUnknown'));
    if (p.aboveProposed) state.push(k('state.above', { unit }));
    const dropIn = `/etc/systemd/system/${unit}.d/20-memory.conf`;
    return {
      title: k('title', { unit }),
      state,
      fix: p.proposedMax ? k('fix', { unit, setting: `MemoryMax=${p.proposedMax}`, dropIn }) : k('fixNoValue', { unit, dropIn }),
    };
  },
  run(facts, ctx) {
    const kills = oomKillRule.run(facts, ctx);
    if (isSkip(kills)) return kills;
    const global = kills.filter((f) => f.params.scope === 'global');
    if (global.length === 0) return [];
    const firstMs = Math.min(...global.map((f) => (f.params.first ? Date.parse(f.params.first) : Infinity)));
    const victims = new Set(global.map((f) => f.params.unit).filter((u): u is string => !!u));
    const total = facts.memory?.totalBytes ?? null;
    const proposed = total !== null && total >= 2 * STEP ? Math.floor(total / 2 / STEP) * STEP : null;
    const findings: RuleFinding<z.input<typeof noMemoryLimitParams>>[] = [];
    for (const s of facts.services) {
      if (!s.siteLocal || !isLongRunning(s)) continue;
      const limit = effectiveLimit(s);
      if (limit !== 'MemoryMax=infinity') continue;
      const current = currentBytes(facts, s);
      findings.push({
        subject: s.name,
        params: {
          unit: s.name,
          memoryMax: limit,
          oomKills: global.reduce((n, f) => n + f.params.kills, 0),
          firstOom: Number.isFinite(firstMs) ? facts.fmt(firstMs) : null,
          victim: victims.has(s.name),
          currentBytes: current,
          totalBytes: total,
          proposedMax: proposed !== null ? `${proposed / MIB}M` : null,
          aboveProposed: proposed !== null && current !== null && current > proposed,
        },
        // Its own (missing) limit first, then the kill that shows the device ran out.
        evidence: [...quote(facts, [settingLine(s, 'MemoryMax'), s.execStartLine]), ...global.flatMap((f) => f.evidence.slice(0, 2))],
      });
    }
    return findings;
  },
});
