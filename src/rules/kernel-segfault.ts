// kernel.segfault: a process crashed on a fault, a trap or a core dump.
import type { Rule, RuleFinding } from './types.js';
import type { Line } from '../facts/types.js';
import { quote } from './helpers.js';

const NEAR_MS = 10_000;

interface Crash {
  subject: string;
  unit: string | null;
  comm: string | null;
  pid: number | null;
  kind: string;
  ms: number | null;
  lines: Line[];
}

export const rule: Rule = {
  id: 'kernel.segfault',
  severity: 'critical',
  needs: [],
  needsAny: ['kernel-log', 'system-log'],
  summary: 'A process crashed: segfault, unhandled fault, protection fault, trap or core dump',
  docs: `Fires on x86 "comm[pid]: segfault at ...", arm64 "comm[pid]: unhandled exception: DABT (lower
EL) ..." and 4.x "unhandled level N translation fault", "traps: ... general protection fault" and
"trap divide error", systemd-coredump "Process N (comm) of user U dumped core.", coredumpctl entries,
and systemd "Main process exited, code=dumped, status=11/SEGV" inside the window. The unit is named
when systemd's line, the coredump's COREDUMP_UNIT, or a systemd exit of a unit within 10 s says which.
Ignores: application lines that merely mention "segfault"; the core dump of a unit that systemd
aborted because its watchdog expired (service.watchdog-timeout reports it).
Fix: get the core (coredumpctl info / gdb) or run the program under the same input; a crash of a
Python service usually means a native extension.`,
  run(facts) {
    const crashes: Crash[] = [];
    // systemd aborts a unit whose watchdog expired (WatchdogSignal=, SIGABRT by default) so that it dumps core:
    // that dump is the watchdog's doing, which service.watchdog-timeout reports, not a crash.
    const watchdogAbort = (exit: (typeof facts.systemdEvents)[number]): boolean => {
      for (let i = facts.systemdEvents.indexOf(exit) - 1; i >= 0; i--) {
        const e = facts.systemdEvents[i]!;
        if (e.unit !== exit.unit) continue;
        if (e.kind === 'watchdog') return true;
        if (e.kind === 'starting' || e.kind === 'started' || e.kind === 'main-exited') return false;
      }
      return false;
    };
    const allDumped = facts.systemdEvents.filter((e) => e.kind === 'main-exited' && e.exitCode === 'dumped' && facts.inWindow(e.at.epochMs));
    const aborted = allDumped.filter(watchdogAbort);
    const dumpedExits = allDumped.filter((e) => !aborted.includes(e));
    const abortedCore = (unit: string | undefined, ms: number | null) =>
      unit !== undefined && ms !== null && aborted.some((x) => x.unit === unit && x.at.epochMs !== null && Math.abs(x.at.epochMs - ms) <= NEAR_MS);
    const unitNear = (ms: number | null): string | null => {
      if (ms === null) return null;
      const e = dumpedExits.find((x) => x.at.epochMs !== null && Math.abs(x.at.epochMs - ms) <= NEAR_MS);
      return e?.unit ?? null;
    };
    for (const e of facts.kernelEvents) {
      if (!['segfault', 'unhandled-fault', 'general-protection', 'trap', 'coredump'].includes(e.kind)) continue;
      if (!facts.inWindow(e.at.epochMs)) continue;
      if (e.kind === 'coredump' && abortedCore(e.unit, e.at.epochMs)) continue;
      const unit = e.unit ?? unitNear(e.at.epochMs);
      // The fault line and systemd-coredump's "dumped core" of the same pid are one crash.
      const same = e.pid !== undefined ? crashes.find((x) => x.pid === e.pid && (x.ms === null || e.at.epochMs === null || Math.abs(x.ms - e.at.epochMs) <= NEAR_MS)) : undefined;
      if (same) {
        same.lines.push(e.at);
        if (!same.unit && unit) {
          same.unit = unit;
          same.subject = unit;
        }
        continue;
      }
      crashes.push({ subject: unit ?? `${e.comm ?? 'process'} (pid ${e.pid ?? '?'})`, unit, comm: e.comm ?? null, pid: e.pid ?? null, kind: e.kind, ms: e.at.epochMs, lines: [e.at] });
    }
    for (const c of facts.coredumps) {
      if (!facts.inWindow(c.epochMs)) continue;
      const at: Line = { source: c.source, line: c.line, epochMs: c.epochMs, text: c.text };
      const same = crashes.find((x) => x.pid === c.pid);
      if (same) same.lines.push(at);
      else {
        const unit = unitNear(c.epochMs);
        const comm = c.exe.split('/').pop() ?? c.exe;
        crashes.push({ subject: unit ?? `${comm} (pid ${c.pid})`, unit, comm, pid: c.pid, kind: 'coredump', ms: c.epochMs, lines: [at] });
      }
    }
    for (const e of dumpedExits) {
      const same = crashes.find((x) => x.unit === e.unit && x.ms !== null && e.at.epochMs !== null && Math.abs(x.ms - e.at.epochMs) <= NEAR_MS);
      if (same) same.lines.push(e.at);
      else crashes.push({ subject: e.unit, unit: e.unit, comm: null, pid: null, kind: 'dumped', ms: e.at.epochMs, lines: [e.at] });
    }
    const groups = new Map<string, Crash[]>();
    for (const c of crashes) groups.set(c.subject, [...(groups.get(c.subject) ?? []), c]);
    const findings: RuleFinding[] = [];
    for (const [subject, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      list.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
      findings.push({
        subject,
        params: {
          unit: list[0]!.unit,
          crashes: list.length,
          kinds: [...new Set(list.map((c) => c.kind))],
          comm: list.find((c) => c.comm)?.comm ?? null,
          pids: [...new Set(list.map((c) => c.pid).filter((p) => p !== null))],
          first: facts.fmt(list[0]!.ms),
          last: facts.fmt(list[list.length - 1]!.ms),
        },
        title: `${subject} crashed ${list.length === 1 ? 'once' : `${list.length} times`} (${[...new Set(list.map((c) => c.kind))].join(', ')})`,
        evidence: quote(facts, list.flatMap((c) => c.lines)),
        remediation: `Get the core dump (install systemd-coredump, then coredumpctl info) or reproduce under gdb; with Restart=always the unit comes back, but the crash will recur until the faulting code is fixed.`,
      });
    }
    return findings;
  },
};
