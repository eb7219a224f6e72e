// kernel.oom-kill: the kernel killed a process to free memory.
import type { RuleFinding } from '../types.js';
import type { Line } from '../../facts/types.js';
import { quote, restartAfterKill } from '../helpers.js';
import { unitFromCgroup } from '../../classify/kernel-events.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md, time, yes } from '../describe-kit.js';
import { oomKillParams } from './params.js';
import { messages } from './messages.js';

/** MemoryMax= (or v1's MemoryLimit=) as systemctl show gives it in bytes, written as a person sets it. */
function limitOf(props: Record<string, string> | null): string | null {
  for (const key of ['MemoryMax', 'MemoryLimit']) {
    const v = props?.[key];
    if (!v || !/^\d+$/.test(v)) continue;
    const n = Number(v);
    for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (n % size === 0) return `${n / size}${unit}`;
    return v;
  }
  return null;
}

interface Kill {
  pid: number | null;
  comm: string | null;
  unit: string | null;
  memcg: string | null;
  limitMemcg: string | null;
  cgroupOom: boolean;
  ms: number | null;
  lines: Line[];
}

const SAME_EVENT_MS = 60_000;

export const rule = defineRule({
  id: 'kernel.oom-kill',
  severity: 'critical',
  needs: [],
  needsAny: ['kernel-log', 'system-log'],
  summary: 'The kernel OOM killer killed a process',
  docs: `Fires when the kernel's global or cgroup OOM killer killed a process in the window, or systemd
reported a unit's "oom-kill" result. Reads kernel 4.19 lines ("Out of memory: Kill process N (comm)
score S or sacrifice child", "Killed process N (comm)"), 5.1+ lines ("Out of memory: Killed process",
"Memory cgroup out of memory: Killed process") and the 5.0+ "oom-kill:constraint=...,task_memcg=..."
line that names the cgroup, hence the unit; systemd's "A process of this unit has been killed by
the OOM killer." and "Failed with result 'oom-kill'". The same kill seen in the journal and in dmesg
or kern.log is counted once (same pid within a minute). Kernel lines replayed at boot are placed at
boot time + their monotonic stamp.
Fix: find what grew (the unit's memory use before the kill); set MemoryMax=/MemoryHigh= on the
greedy unit so the cgroup killer acts on it alone, add swap or zram on small boards. When the limit
hit was the unit's own (oom_memcg= is its cgroup: MemoryMax=, memory.max on cgroup v2,
memory.limit_in_bytes on a v1 hybrid), find out whether it leaks or needs more before raising it.`,
  params: oomKillParams,
  messages,
  event: 0,
  ruledOut: 0,
  crashSection: 'kernel',
  cause: { order: 1, explainsDeath: true, event: { id: 'oom-kill', near: 'high', far: 'medium' } },
  describe(p, { f, k }) {
    const state: string[] = [];
    // Whether the unit comes back after the kill decides the advice ("Restart= brings it back" is wrong for Restart=no).
    const comeBack = { comeBack: md(restartAfterKill(p.unit ? p.restart : null)), restart: `Restart=${p.restart ?? ''}` };
    state.push(k('state.scope', { scope: md(p.scope === 'cgroup' ? 'cgroup' : 'global'), memcg: p.memcg || '—' }));
    if (p.pids.length) state.push(k('state.pids', { pids: codes(p.pids.map(String)) }));
    return {
      title: k('title', { who: p.comm || f.subject, unit: p.unit || null, hasUnit: yes(!!p.unit), n: p.kills, first: time(p.first) }),
      state,
      fix:
        p.ownLimit === true && p.unit
          ? k('fixOwnLimit', { unit: p.unit, limit: p.memoryMax ? `MemoryMax=${p.memoryMax}` : 'MemoryMax=', ...comeBack })
          : k('fix', { unit: p.unit || f.subject, ...comeBack }),
    };
  },
  run(facts) {
    const kills: Kill[] = [];
    const constraints = facts.kernelEvents.filter((e) => e.kind === 'oom-constraint');
    const findKill = (pid: number | null, ms: number | null) =>
      kills.find((k) => k.pid !== null && k.pid === pid && (k.ms === null || ms === null || Math.abs(k.ms - ms) <= SAME_EVENT_MS));
    for (const e of facts.kernelEvents) {
      if (e.kind !== 'oom-killed' && e.kind !== 'oom-select') continue;
      if (!facts.inWindow(e.at.epochMs)) continue;
      const pid = e.pid ?? null;
      const existing = findKill(pid, e.at.epochMs);
      const c = constraints.find(
        (x) => x.pid === pid && (x.at.epochMs === null || e.at.epochMs === null || Math.abs(x.at.epochMs - e.at.epochMs) <= SAME_EVENT_MS),
      );
      if (existing) {
        if (existing.lines.length < 6) existing.lines.push(e.at);
        existing.unit ??= e.unit ?? c?.unit ?? null;
        continue;
      }
      kills.push({
        pid,
        comm: e.comm ?? null,
        unit: e.unit ?? c?.unit ?? null,
        memcg: c?.memcg ?? e.memcg ?? null,
        limitMemcg: c?.limitMemcg ?? null,
        cgroupOom: Boolean(e.cgroupOom || c?.cgroupOom),
        ms: e.at.epochMs,
        lines: c ? [c.at, e.at] : [e.at],
      });
    }
    // systemd names the unit even when the kernel line does not (4.19 has no task_memcg).
    for (const e of facts.systemdEvents) {
      const isOom = e.kind === 'oom-kill' || (e.kind === 'failed' && e.result === 'oom-kill');
      if (!isOom || !facts.inWindow(e.at.epochMs)) continue;
      const near = kills.find((k) => (k.unit === null || k.unit === e.unit) && k.ms !== null && e.at.epochMs !== null && Math.abs(k.ms - e.at.epochMs) <= SAME_EVENT_MS);
      if (near) {
        near.unit = e.unit;
        if (near.lines.length < 6) near.lines.push(e.at);
      } else if (!kills.some((k) => k.unit === e.unit && k.pid === null)) {
        kills.push({ pid: null, comm: null, unit: e.unit, memcg: null, limitMemcg: null, cgroupOom: false, ms: e.at.epochMs, lines: [e.at] });
      } else {
        kills.find((k) => k.unit === e.unit && k.pid === null)!.lines.push(e.at);
      }
    }
    const groups = new Map<string, Kill[]>();
    for (const k of kills) {
      const key = k.unit ?? `${k.comm ?? 'process'} (pid ${k.pid ?? '?'})`;
      groups.set(key, [...(groups.get(key) ?? []), k]);
    }
    const findings: RuleFinding<z.input<typeof oomKillParams>>[] = [];
    for (const [subject, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const withPid = list.filter((k) => k.pid !== null);
      const unit = list[0]!.unit;
      const limitMemcg = list.find((k) => k.limitMemcg)?.limitMemcg ?? null;
      // Killed at the unit's own limit (MemoryMax=, applied as memory.max on v2 or memory.limit_in_bytes
      // on v1): "cap it with MemoryMax=" would be advice it already follows.
      const ownLimit = unit !== null && limitMemcg !== null && unitFromCgroup(limitMemcg) === unit;
      const svc = unit !== null ? facts.services.find((s) => s.name === unit) : undefined;
      const max = limitOf(svc?.props ?? null);
      findings.push({
        subject,
        params: {
          unit: list[0]!.unit,
          kills: Math.max(withPid.length, 1),
          pids: withPid.flatMap((k) => (k.pid === null ? [] : [k.pid])),
          comm: list.find((k) => k.comm)?.comm ?? null,
          memcg: list.find((k) => k.memcg)?.memcg ?? null,
          scope: list.some((k) => k.cgroupOom) ? 'cgroup' : 'global',
          limitMemcg,
          ownLimit,
          memoryMax: ownLimit ? max : null,
          first: facts.fmt(list[0]!.ms),
          restart: svc ? (svc.restart ?? null) : null,
        },
        evidence: quote(facts, list.flatMap((k) => k.lines)),
      });
    }
    return findings;
  },
});
