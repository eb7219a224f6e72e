// resource.load: more runnable work than the CPUs can take.
import { quote } from '../helpers.js';
import { defineRule } from '../define.js';
import { time } from '../describe-kit.js';
import { loadParams } from './params.js';
import { messages } from './messages.js';
import { snapshotCauses } from '../../analysis/cause-role.js';

export const rule = defineRule({
  id: 'resource.load',
  severity: 'warning',
  needs: ['load', 'cpus'],
  summary: '5-minute load average over twice the CPU count',
  docs: `Fires when the 5-minute load average in /proc/loadavg is over loadPerCpu (2) times the CPU count
from the manifest. Linux load counts processes in uninterruptible sleep too, so a stuck SD card
raises it as much as CPU work; /proc/pressure/cpu and io tell which. A snapshot at collection.
Fix: find the busy processes (ps %CPU), check I/O pressure, throttle or schedule heavy jobs.`,
  params: loadParams,
  messages,
  standing: true,
  ruledOut: 10,
  cause: { order: 11, analyse: snapshotCauses, kinds: ['resource'] },
  describe(p, { k }) {
    return {
      title: k('title', { load5: p.load5, limit: p.limit, cpus: p.cpus, at: time(p.at) }),
      state: p.ioSomeAvg10 !== null ? [k('state.io', { io: p.ioSomeAvg10, cpu: p.cpuSomeAvg10 ?? 0 })] : [],
      fix: k('fix'),
    };
  },
  run(facts, ctx) {
    const l = facts.load!;
    const cpus = facts.hostInfo.cpus!;
    const limit = cpus * ctx.thresholds.loadPerCpu;
    if (l.load5 <= limit) return [];
    const io = facts.pressure.find((p) => p.resource === 'io');
    const cpu = facts.pressure.find((p) => p.resource === 'cpu');
    return [
      {
        subject: 'load',
        params: { load1: l.load1, load5: l.load5, load15: l.load15, cpus, limit, ioSomeAvg10: io?.some?.avg10 ?? null, cpuSomeAvg10: cpu?.some?.avg10 ?? null, at: facts.fmt(facts.collectedAtMs) },
        evidence: quote(facts, [
          { source: l.source, line: l.line, epochMs: facts.collectedAtMs, text: l.text },
          io?.some ? { source: io.source, line: io.line, epochMs: facts.collectedAtMs, text: io.text } : null,
          cpu?.some ? { source: cpu.source, line: cpu.line, epochMs: facts.collectedAtMs, text: cpu.text } : null,
        ]),
      },
    ];
  },
});
