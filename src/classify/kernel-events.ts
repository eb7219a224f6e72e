// Kernel OOM and fault lines, and systemd-coredump's "dumped core" line.
// Patterns are anchored on the kernel's own printk formats, so application
// lines that merely mention "segfault" or "oom" do not match. The caller
// decides which records are kernel (or systemd-coredump) lines.

export type KernelEventKind =
  | 'oom-invoked'
  | 'oom-constraint'
  | 'oom-select'
  | 'oom-killed'
  | 'segfault'
  | 'unhandled-fault'
  | 'general-protection'
  | 'trap'
  | 'coredump';

export interface KernelEvent {
  kind: KernelEventKind;
  pid?: number;
  comm?: string;
  /** task_memcg path */
  memcg?: string;
  /** derived from memcg: its last path element ending in .service/.scope */
  unit?: string;
  /** "Memory cgroup out of memory" or constraint=CONSTRAINT_MEMCG */
  cgroupOom?: boolean;
  /** the cgroup whose limit was hit (oom_memcg=, "limit of ..."): the unit's own, or a parent slice's */
  limitMemcg?: string;
  signal?: string;
  detail?: string;
}

/** The unit a cgroup path belongs to: "/system.slice/charger.service" → "charger.service". */
export function unitFromCgroup(path: string): string | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (/\.(service|scope)$/.test(p)) return p;
  }
  return undefined;
}

/**
 * Texts (any case) of which every line classifyKernel classifies, or KERNEL_BOOT
 * matches, holds at least one: the journal's quiet-line filter forwards a
 * kernel line only when it holds one (parse/journal-quiet.ts). A new pattern
 * below needs its word here, or its lines never reach classifyKernel on a big
 * journal; test/classify/filter-words.test.ts checks every pattern against them.
 */
export const KERNEL_EVENT_WORDS: readonly string[] = [
  'oom',
  'memory',
  'task in',
  'killed process',
  'segfault',
  'unhandled',
  'general protection',
  'trap',
  'dumped core',
  'linux',
];

/** The kernel's boot banner, the first line of a boot. */
export const KERNEL_BOOT = /^(Linux version \d|Booting Linux on physical CPU)/;

/**
 * A kernel line that journald (or rsyslog) read from the kernel's buffer more
 * than this after the kernel printed it was replayed at their start: its time
 * is the kernel's, not the one it was stored with.
 */
export const KERNEL_REPLAY_LAG_MS = 2000;

// mm/oom_kill.c dump_header(): "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"
const INVOKED_RE = /^(.+?) invoked oom-killer: gfp_mask=(0x[0-9a-f]+)/;
// mm/oom_kill.c dump_oom_summary() (5.0+); task= can hold odd characters, so pid/uid anchor the end.
const CONSTRAINT_RE = /^oom-kill:constraint=(CONSTRAINT_\w+),.*?task_memcg=([^,]*),task=(.*),pid=(\d+),uid=(\d+)$/;
// memcontrol.c (before 5.0): "Task in <memcg> killed as a result of limit of <memcg>"
const TASK_IN_RE = /^Task in (\S+) killed as a result of limit of (\S+)/;
// 4.19 and before: oom_kill_process() picks a victim, then "Killed process" follows.
const SELECT_RE = /^(Out of memory|Memory cgroup out of memory): Kill process (\d+) \((.*)\) score (-?\d+) or sacrifice child$/;
// 5.1+ with a reason prefix; 4.19 plain "Killed process N (comm) total-vm:...".
const KILLED_RE = /^(?:(Out of memory|Memory cgroup out of memory): )?Killed process (\d+) \((.*?)\)(?= total-vm:|,|$)/;
// arch/x86/mm/fault.c show_signal_msg()
const SEGFAULT_RE = /^(.+?)\[(\d+)\]: segfault at ([0-9a-f]+) ip [0-9a-f]+ sp [0-9a-f]+ error ([0-9a-f]+)(?: in (\S+?)\[)?/;
// arch/arm64 arm64_show_signal() (4.20+): "unhandled exception: DABT (lower EL), ESR 0x..., level 2 translation fault in ..."
const ARM64_EXC_RE = /^(.+?)\[(\d+)\]: unhandled exception: (.*)$/;
// arch/arm64/mm/fault.c __do_user_fault() (4.x): "unhandled level 2 translation fault (11) at 0x00000000, esr 0x92000006"
const ARM64_OLD_RE = /^(.+?)\[(\d+)\]: unhandled (.+?) \((\d+)\) at (0x[0-9a-f]+), esr (0x[0-9a-f]+)/;
// arch/x86/kernel/traps.c, pr_fmt "traps: "
const GP_RE = /^(?:traps: )?(.+?)\[(\d+)\] general protection fault ip:([0-9a-f]+) sp:[0-9a-f]+ error:([0-9a-f]+)/;
const TRAP_RE = /^(?:traps: )?(.+?)\[(\d+)\] trap (.+?) ip:([0-9a-f]+) sp:[0-9a-f]+ error:([0-9a-f]+)/;
// systemd-coredump: "Process %s (%s) of user %s dumped core." then the stack trace on further lines.
const COREDUMP_RE = /^Process (\d+) \((.*)\) of user (\S+) dumped core\./;

const SIGNAL_BY_NUMBER: Record<string, string> = { '4': 'SIGILL', '5': 'SIGTRAP', '7': 'SIGBUS', '8': 'SIGFPE', '11': 'SIGSEGV' };
const TRAP_SIGNALS: Record<string, string> = {
  'divide error': 'SIGFPE',
  'invalid opcode': 'SIGILL',
  int3: 'SIGTRAP',
  overflow: 'SIGSEGV',
  bounds: 'SIGSEGV',
};

function withMemcg(ev: KernelEvent, memcg: string): KernelEvent {
  if (memcg && memcg !== '/') {
    ev.memcg = memcg;
    const unit = unitFromCgroup(memcg);
    if (unit) ev.unit = unit;
  }
  return ev;
}

/** Classify a kernel (or systemd-coredump) message text. */
export function classifyKernel(text: string): KernelEvent | null {
  const t = text.trimEnd();
  let m: RegExpExecArray | null;

  if ((m = INVOKED_RE.exec(t))) return { kind: 'oom-invoked', comm: m[1]!, detail: t.slice(m[1]!.length + ' invoked oom-killer: '.length) };
  if ((m = CONSTRAINT_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'oom-constraint', comm: m[3]!, pid: Number(m[4]), detail: m[1]! };
    if (m[1] === 'CONSTRAINT_MEMCG') ev.cgroupOom = true;
    const limit = /(?:^|,)oom_memcg=([^,]+)/.exec(t);
    if (limit && limit[1] !== '/') ev.limitMemcg = limit[1]!;
    return withMemcg(ev, m[2]!);
  }
  if ((m = TASK_IN_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'oom-constraint', cgroupOom: true, detail: `limit of ${m[2]!}`, limitMemcg: m[2]! };
    return withMemcg(ev, m[1]!);
  }
  if ((m = SELECT_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'oom-select', pid: Number(m[2]), comm: m[3]!, detail: `score ${m[4]!}` };
    if (m[1] === 'Memory cgroup out of memory') ev.cgroupOom = true;
    return ev;
  }
  if ((m = KILLED_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'oom-killed', pid: Number(m[2]), comm: m[3]!, signal: 'SIGKILL' };
    if (m[1] === 'Memory cgroup out of memory') ev.cgroupOom = true;
    const rss = /anon-rss:(\d+kB)/.exec(t);
    if (rss) ev.detail = `anon-rss ${rss[1]!}`;
    return ev;
  }
  if ((m = SEGFAULT_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'segfault', comm: m[1]!, pid: Number(m[2]), signal: 'SIGSEGV', detail: `at ${m[3]!} error ${m[4]!}` };
    if (m[5]) ev.detail += ` in ${m[5]}`;
    return ev;
  }
  if ((m = ARM64_EXC_RE.exec(t))) {
    // The signal is not printed; the fault name says what happened (translation/permission/alignment fault, undef).
    return { kind: 'unhandled-fault', comm: m[1]!, pid: Number(m[2]), detail: m[3]! };
  }
  if ((m = ARM64_OLD_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'unhandled-fault', comm: m[1]!, pid: Number(m[2]), detail: `${m[3]!} at ${m[5]!}, esr ${m[6]!}` };
    const sig = SIGNAL_BY_NUMBER[m[4]!];
    ev.signal = sig ?? m[4]!;
    return ev;
  }
  if ((m = GP_RE.exec(t))) {
    return { kind: 'general-protection', comm: m[1]!, pid: Number(m[2]), signal: 'SIGSEGV', detail: `ip ${m[3]!} error ${m[4]!}` };
  }
  if ((m = TRAP_RE.exec(t))) {
    const ev: KernelEvent = { kind: 'trap', comm: m[1]!, pid: Number(m[2]), detail: m[3]! };
    const sig = TRAP_SIGNALS[m[3]!];
    if (sig) ev.signal = sig;
    return ev;
  }
  if ((m = COREDUMP_RE.exec(t))) return { kind: 'coredump', pid: Number(m[1]), comm: m[2]!, detail: `user ${m[3]!}` };
  return null;
}
