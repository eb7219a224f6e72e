// resource.memory: the device was short of memory when the bundle was taken.
import type { RuleFinding } from '../types.js';
import { quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { bytes, md, time } from '../describe-kit.js';
import { memoryParams } from './params.js';
import { messages } from './messages.js';
import { snapshotCauses } from '../../analysis/cause-role.js';
import { rule as oomKillRule } from '../kernel-oom-kill/rule.js';

export const rule = defineRule({
  id: 'resource.memory',
  severity: 'warning',
  needs: ['memory'],
  summary: 'Available memory under 10% of total, or memory pressure over 10',
  docs: `Fires when MemAvailable in /proc/meminfo is under memoryAvailablePercent (10%) of MemTotal, or
when /proc/pressure/memory "some avg10" is over memoryPressureAvg10 (10). Both are snapshots taken at
collection, not during the outage: the finding says so. Old kernels without MemAvailable use
MemFree + Buffers + Cached.
Fix: find the process that grows (ps RSS column), cap it with MemoryMax=, add zram/swap.`,
  params: memoryParams,
  messages,
  standing: true,
  ruledOut: 8,
  cause: {
    order: 9,
    kinds: ['resource', 'resource-oom'],
    // Snapshots at collection cannot show the state during the outage; low
    // memory next to an OOM kill in the outage is the one they corroborate.
    analyse: (findings, scope) => {
      const oomInOutage = scope.of(oomKillRule).some((f) => scope.near(f));
      return snapshotCauses(findings, scope, () => oomInOutage);
    },
  },
  describe(p, { t, k }) {
    const state: string[] = [];
    if (p.pressureSomeAvg10 !== null) state.push(k('state.pressure', { avg10: p.pressureSomeAvg10 }));
    const top = p.largestProcess;
    if (top && top.rssKiB !== null) state.push(k('state.largest', { process: `${top.program || '?'} (pid ${top.pid})`, rss: md(bytes(t, top.rssKiB * 1024)) }));
    return {
      title: k('title', { percent: p.availablePercent, available: md(bytes(t, p.availableBytes)), total: md(bytes(t, p.totalBytes)), at: time(p.at) }),
      state,
      fix: k('fix'),
    };
  },
  run(facts, ctx) {
    const m = facts.memory!;
    const avail = m.availableBytes ?? (m.freeBytes ?? 0) + (m.buffersBytes ?? 0) + (m.cachedBytes ?? 0);
    const pct = m.totalBytes > 0 ? (avail / m.totalBytes) * 100 : 100;
    const psi = facts.pressure.find((p) => p.resource === 'memory');
    const lowAvail = pct < ctx.thresholds.memoryAvailablePercent;
    const pressured = psi?.some !== null && psi?.some !== undefined && psi.some.avg10 > ctx.thresholds.memoryPressureAvg10;
    if (!lowAvail && !pressured) return [];
    const at = facts.collectedAtMs;
    const line = (key: string) => (m.lines[key] ? { source: m.source, line: m.lines[key]!, epochMs: at, text: `${key}: ${key === 'MemTotal' ? Math.round(m.totalBytes / 1024) : Math.round(avail / 1024)} kB` } : null);
    const top = [...facts.processes].filter((p) => p.rssKiB !== null).sort((a, b) => (b.rssKiB ?? 0) - (a.rssKiB ?? 0))[0];
    const findings: RuleFinding<z.input<typeof memoryParams>>[] = [
      {
        subject: 'memory',
        params: {
          availableBytes: avail,
          totalBytes: m.totalBytes,
          availablePercent: Math.round(pct * 10) / 10,
          pressureSomeAvg10: psi?.some?.avg10 ?? null,
          estimated: m.availableBytes === null,
          largestProcess: top ? { pid: top.pid, program: top.program, rssKiB: top.rssKiB } : null,
          at: facts.fmt(at),
        },
        evidence: quote(facts, [
          line('MemTotal'),
          line('MemAvailable') ?? line('MemFree'),
          pressured && psi ? { source: psi.source, line: psi.line, epochMs: at, text: psi.text } : null,
          top?.psLine,
        ]),
      },
    ];
    return findings;
  },
});
