// kernel.segfault: a process crashed on a fault, a trap or a core dump.
import type { RuleFinding } from '../types.js';
import type { Facts, Line, ServiceEventFact } from '../../facts/types.js';
import { quote, restartAfterKill } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md, time } from '../describe-kit.js';
import { segfaultParams } from './params.js';
import { messages } from './messages.js';

const NEAR_MS = 10_000;
// The kernel prints the fault as the task dies; systemd logs the exit when it reaps it, milliseconds
// later (journald may read /dev/kmsg after systemd's line, so either order). Well under a RestartSec=
// of a crash loop, so one crash's lines are not paired with the next one's.
const LINK_MS = 3_000;

// Signals the kernel's fault handlers deliver (the ones a "segfault"/"trap" line stands for), and
// SIGABRT: abort() on a failed assertion or heap corruption ("free(): invalid pointer") is the same
// crash, logged code=dumped where systemd-coredump is installed and code=killed where it is not.
const FAULT_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGABRT']);
const SIGNAL_NAMES: Record<string, string> = { '4': 'SIGILL', '5': 'SIGTRAP', '6': 'SIGABRT', '7': 'SIGBUS', '8': 'SIGFPE', '11': 'SIGSEGV' };

interface Crash {
  unit: string | null;
  comm: string | null;
  pid: number | null;
  kind: string;
  /** SIGSEGV, ... when a line says which */
  signal: string | null;
  ms: number | null;
  /** when the log read a kernel line it moved to its printk time (see KernelEventFact.readMs) */
  readMs: number | null;
  lines: Line[];
  /** systemd's exit line of the unit's main process, once linked */
  exit: ServiceEventFact | null;
}

/** "11/SEGV" or "11" → "SIGSEGV". */
function exitSignal(status: string | undefined): string | null {
  if (!status) return null;
  const [num, name] = status.split('/');
  if (name) return `SIG${name}`;
  return SIGNAL_NAMES[num!] ?? null;
}

/** The program a unit runs, as the kernel's comm would name it (first 15 bytes of the file name). */
function unitProgram(facts: Facts, unit: string): string | null {
  const cmd = facts.services.find((s) => s.name === unit)?.execStart[0];
  const first = cmd?.trim().split(/\s+/)[0];
  return first ? (first.split('/').pop() ?? first).slice(0, 15) : null;
}

/**
 * A unit whose last main process had this pid and is gone (systemctl show ExecMainPID, with MainPID
 * no longer it): the pid names the unit. A main process still running under that pid did not crash
 * (the pid was reused).
 */
function unitOfPid(facts: Facts, pid: number | undefined): string | null {
  if (pid === undefined) return null;
  const s = facts.services.find((x) => x.props?.ExecMainPID !== undefined && Number(x.props.ExecMainPID) === pid && Number(x.props.MainPID ?? 0) !== pid);
  return s?.name ?? null;
}

function subjectOf(list: Crash[]): string {
  const unit = list.find((c) => c.unit)?.unit;
  if (unit) return unit;
  const pids = [...new Set(list.map((c) => c.pid).filter((p) => p !== null))];
  const comm = list.find((c) => c.comm)?.comm ?? 'process';
  if (pids.length === 0) return comm;
  return pids.length === 1 ? `${comm} (pid ${pids[0]})` : `${comm} (pids ${pids.join(', ')})`;
}

export const rule = defineRule({
  id: 'kernel.segfault',
  severity: 'critical',
  needs: [],
  needsAny: ['kernel-log', 'system-log'],
  summary: 'A process crashed: segfault, unhandled fault, protection fault, trap or core dump',
  docs: `Fires on x86 "comm[pid]: segfault at ...", arm64 "comm[pid]: unhandled exception: DABT (lower
EL) ..." and 4.x "unhandled level N translation fault", "traps: ... general protection fault" and
"trap divide error", systemd-coredump "Process N (comm) of user U dumped core.", coredumpctl entries,
and systemd "Main process exited, code=dumped, status=11/SEGV" or, on a device without
systemd-coredump, "code=killed, status=11/SEGV" (also BUS, ILL, FPE, TRAP, and ABRT: abort()) inside
the window.
One finding per unit, counting its crashes: a kernel fault line belongs to the unit whose main
process systemd saw die of the same signal within 3 s (the kernel's pid can be another pid
namespace's), to the unit whose main pid it names, or to the coredump's COREDUMP_UNIT. The kernel
rate-limits fault lines, so a crash loop counts systemd's exits too. Faults no unit claims are
grouped by program name.
Ignores: application lines that merely mention "segfault"; the abort (core dump or SIGABRT) of a
unit whose watchdog expired, which is systemd's doing (service.watchdog-timeout reports it); exits
by SIGKILL/SIGTERM.
Fix: get the core (coredumpctl info / gdb) or run the program under the same input; a crash of a
Python service usually means a native extension.`,
  params: segfaultParams,
  messages,
  event: 1,
  ruledOut: 1,
  crashSection: 'kernel',
  cause: { order: 2, explainsDeath: true, event: { id: 'crash', near: 'high', far: 'medium' } },
  describe(p, { f, k }) {
    const state: string[] = [];
    if (p.kinds.length) state.push(k('state.kinds', { kinds: codes(p.kinds) }));
    const who = p.unit || p.comm || f.subject;
    // Whether it comes back decides the advice: "Restart= brings it back" is wrong for Restart=no.
    const comeBack = md(restartAfterKill(p.unit ? p.restart : null));
    return { title: k('title', { who, n: p.crashes, first: time(p.first) }), state, fix: k(p.startLimitHit === true ? 'fixStartLimit' : 'fix', { who, comeBack, restart: `Restart=${p.restart ?? ''}` }) };
  },
  run(facts) {
    const crashes: Crash[] = [];
    // systemd aborts a unit whose watchdog expired (WatchdogSignal=, SIGABRT by default) so that it dumps core:
    // that dump is the watchdog's doing, which service.watchdog-timeout reports, not a crash.
    const watchdogAbort = (exit: ServiceEventFact): boolean => {
      for (let i = facts.systemdEvents.indexOf(exit) - 1; i >= 0; i--) {
        const e = facts.systemdEvents[i]!;
        if (e.unit !== exit.unit) continue;
        if (e.kind === 'watchdog') return true;
        if (e.kind === 'starting' || e.kind === 'started' || e.kind === 'main-exited') return false;
      }
      return false;
    };
    const exits = facts.systemdEvents.filter((e) => e.kind === 'main-exited' && facts.inWindow(e.at.epochMs));
    // With a core (LimitCORE=) systemd logs the watchdog's abort as code=dumped, without one as code=killed.
    const aborted = exits.filter((e) => (e.exitCode === 'dumped' || e.exitCode === 'killed') && watchdogAbort(e));
    // The unit's main process died of a crash: a core dump, or a fault signal with no core to dump.
    const crashExits = exits.filter(
      (e) => !aborted.includes(e) && (e.exitCode === 'dumped' || (e.exitCode === 'killed' && FAULT_SIGNALS.has(exitSignal(e.exitStatus) ?? ''))),
    );
    const abortedCore = (unit: string | undefined, ms: number | null) =>
      unit !== undefined && ms !== null && aborted.some((x) => x.unit === unit && x.at.epochMs !== null && Math.abs(x.at.epochMs - ms) <= NEAR_MS);

    for (const e of facts.kernelEvents) {
      if (!['segfault', 'unhandled-fault', 'general-protection', 'trap', 'coredump'].includes(e.kind)) continue;
      if (!facts.inWindow(e.at.epochMs)) continue;
      if (e.kind === 'coredump' && abortedCore(e.unit, e.at.epochMs)) continue;
      const unit = e.unit ?? unitOfPid(facts, e.pid);
      // The fault line and systemd-coredump's "dumped core" of the same pid are one crash.
      const same = e.pid !== undefined ? crashes.find((x) => x.pid === e.pid && (x.ms === null || e.at.epochMs === null || Math.abs(x.ms - e.at.epochMs) <= NEAR_MS)) : undefined;
      if (same) {
        same.lines.push(e.at);
        same.unit ??= unit;
        same.signal ??= e.signal ?? null;
        continue;
      }
      crashes.push({ unit, comm: e.comm ?? null, pid: e.pid ?? null, kind: e.kind, signal: e.signal ?? null, ms: e.at.epochMs, readMs: e.readMs ?? null, lines: [e.at], exit: null });
    }
    for (const c of facts.coredumps) {
      if (!facts.inWindow(c.epochMs)) continue;
      const at: Line = { source: c.source, line: c.line, epochMs: c.epochMs, text: c.text };
      const same = crashes.find((x) => x.pid === c.pid);
      if (same) same.lines.push(at);
      else {
        const comm = c.exe.split('/').pop() ?? c.exe;
        crashes.push({ unit: unitOfPid(facts, c.pid), comm, pid: c.pid, kind: 'coredump', signal: null, ms: c.epochMs, readMs: null, lines: [at], exit: null });
      }
    }
    // Each crash exit of a unit is one crash: the fault line beside it (same signal, nearest in
    // time, the unit's own program preferred on a tie) is that crash seen by the kernel.
    for (const x of crashExits) {
      const sig = exitSignal(x.exitStatus);
      const program = unitProgram(facts, x.unit);
      const ms = x.at.epochMs;
      // A moved kernel line is near the exit by its printk time or by the time it was read.
      const gap = (c: Crash): number | null =>
        c.ms === null || ms === null ? null : Math.min(Math.abs(c.ms - ms), c.readMs !== null ? Math.abs(c.readMs - ms) : Infinity);
      const candidates = crashes.filter((c) => {
        const d = gap(c);
        return (
          c.exit === null &&
          (c.unit === null || c.unit === x.unit) &&
          (d === null ? c.unit === x.unit : d <= (c.unit === x.unit ? NEAR_MS : LINK_MS)) &&
          (c.signal === null || sig === null || c.signal === sig)
        );
      });
      // Nearest first: in a tight loop the next crash may be a RestartSec= away.
      const score = (c: Crash): number[] => [gap(c) ?? NEAR_MS, program !== null && c.comm === program ? 0 : 1];
      candidates.sort((a, b) => {
        const [sa, sb] = [score(a), score(b)];
        return sa[0]! - sb[0]! || sa[1]! - sb[1]!;
      });
      const c = candidates[0];
      if (c) {
        // Read beside the exit but moved far back: a live line the printk clock's drift displaced.
        if (c.readMs !== null && c.ms !== null && ms !== null && Math.abs(c.readMs - ms) < Math.abs(c.ms - ms)) c.ms = ms;
        c.exit = x;
        c.unit = x.unit;
        c.lines.push(x.at);
      } else {
        crashes.push({
          unit: x.unit,
          comm: null,
          pid: null,
          kind: x.exitCode === 'dumped' ? 'dumped' : 'fatal-signal',
          signal: sig,
          ms,
          readMs: null,
          lines: [x.at],
          exit: x,
        });
      }
    }
    // One finding per unit; crashes no unit claims, per program.
    const groups = new Map<string, Crash[]>();
    for (const c of crashes) {
      const key = c.unit !== null ? `unit:${c.unit}` : `comm:${c.comm ?? `pid ${c.pid ?? '?'}`}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const findings: RuleFinding<z.input<typeof segfaultParams>>[] = [];
    for (const list of [...groups.values()].map((l) => ({ l, s: subjectOf(l) })).sort((a, b) => a.s.localeCompare(b.s))) {
      const { l, s: subject } = list;
      l.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0));
      const kinds = [...new Set(l.map((c) => c.kind))];
      const unit = l[0]!.unit;
      // After a crash loop systemd may have given up: "Restart= brings it back" would be wrong then.
      const gaveUp =
        unit !== null &&
        facts.systemdEvents.some((e) => e.unit === unit && facts.inWindow(e.at.epochMs) && (e.kind === 'start-limit-hit' || (e.kind === 'failed' && e.result === 'start-limit-hit')));
      findings.push({
        subject,
        params: {
          unit,
          crashes: l.length,
          kinds,
          signals: [...new Set(l.map((c) => c.signal ?? exitSignal(c.exit?.exitStatus)).filter((x): x is string => x !== null))],
          comm: l.find((c) => c.comm)?.comm ?? null,
          pids: [...new Set(l.map((c) => c.pid).filter((p) => p !== null))],
          first: facts.fmt(l[0]!.ms),
          last: facts.fmt(l[l.length - 1]!.ms),
          startLimitHit: gaveUp,
          restart: unit !== null ? (facts.services.find((s) => s.name === unit)?.restart ?? null) : null,
        },
        evidence: quote(facts, l.flatMap((c) => c.lines)),
      });
    }
    return findings;
  },
});
