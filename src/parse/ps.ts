// Process table: `ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args`
// (LC_ALL=C), or plain `ps auxww` from a hand-built bundle. Columns are read
// by the header, so either form (and a trimmed-down -eo list) works.
import { basename } from 'node:path/posix';
import { ProblemLog, type Origin, type ParseResult } from './types.js';
import { deviceLocalToEpoch, monthNumber, type DeviceClock } from '../time.js';

export interface PsRecord extends Origin {
  pid: number;
  ppid: number | null;
  user: string;
  /** lstart as printed ("Thu Nov 26 07:05:02 2026"), and as epoch ms in device local time when readable */
  startText: string | null;
  startEpochMs: number | null;
  etimes: number | null;
  rssKiB: number | null;
  pcpu: number | null;
  /** raw cgroup column; null when unknown (ps auxww form) */
  cgroupRaw: string | null;
  /** unified (0::) and/or name=systemd cgroup paths; ['/'] for '-'; [] when unknown */
  cgroupPaths: string[];
  args: string;
  /** the server's own name as ps/ss show it (script name behind an interpreter) */
  program: string;
  kernelThread: boolean;
}

type Column =
  | 'pid' | 'ppid' | 'user' | 'lstart' | 'start' | 'etimes' | 'etime' | 'rss' | 'pcpu' | 'cgroup' | 'args' | 'other';

// procps header text → column. STARTED is lstart in the canonical command;
// `start` (aux's START) is one token whose date cannot be recovered.
const HEADER: Record<string, Column> = {
  PID: 'pid', PPID: 'ppid', USER: 'user', UID: 'user', STARTED: 'lstart', START: 'start',
  ELAPSED: 'etimes', RSS: 'rss', RSZ: 'rss', '%CPU': 'pcpu', CGROUP: 'cgroup',
  COMMAND: 'args', CMD: 'args', ARGS: 'args',
};

const CANONICAL: Column[] = ['pid', 'ppid', 'user', 'lstart', 'etimes', 'rss', 'pcpu', 'cgroup', 'args'];

const WEEKDAY = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/;

interface Token {
  text: string;
  start: number;
}

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ text: m[0], start: m.index });
  return out;
}

function headerColumns(line: string): Column[] | null {
  const tokens = line.trim().split(/\s+/);
  if (!tokens.includes('PID')) return null;
  const cols = tokens.map((t) => HEADER[t] ?? 'other');
  // Only the last column may hold spaces; anything else is unparseable.
  const argsAt = cols.indexOf('args');
  if (argsAt !== -1 && argsAt !== cols.length - 1) return null;
  return cols;
}

function lstartToEpoch(parts: string[], clock: DeviceClock): number | null {
  const [wd, mon, day, hms, year] = parts;
  if (!wd || !WEEKDAY.test(wd) || !mon || !day || !hms || !year) return null;
  const month = monthNumber(mon);
  const t = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(hms);
  if (month === null || !t || !/^\d{1,2}$/.test(day) || !/^\d{4}$/.test(year)) return null;
  return deviceLocalToEpoch(
    { year: Number(year), month, day: Number(day), hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3]) },
    clock,
  );
}

/** etime "[[dd-]hh:]mm:ss" or etimes seconds → seconds. */
function elapsedSeconds(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d{2})$/.exec(text);
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text === '-' || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * ps prints only the hierarchies whose path is not '/', comma-joined
 * ("12:pids:/x,4:cpu,cpuacct:/x,1:name=systemd:/x,0::/x"); controller lists can
 * themselves contain commas, so entries are found by their "N:" start. When
 * neither the unified nor the name=systemd hierarchy is printed, it was '/'.
 */
export function cgroupPathsOf(raw: string): string[] {
  if (raw === '-') return ['/'];
  const re = /(?:^|,)(\d+):([^:]*):(.*?)(?=,\d+:|$)/g;
  let unified: string | null = null;
  let named: string | null = null;
  let any = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) {
    any = true;
    if (m[1] === '0' && m[2] === '') unified = m[3]!;
    else if (m[2] === 'name=systemd') named = m[3]!;
  }
  if (!any) return raw.startsWith('/') ? [raw] : [];
  const out: string[] = [];
  if (unified !== null) out.push(unified);
  if (named !== null && named !== unified) out.push(named);
  return out.length ? out : ['/'];
}

const INTERPRETER = /^(python[\d.]*|pypy[\d.]*|node|nodejs|ruby[\d.]*|perl[\d.]*|php[\d.]*|sh|bash|dash|ash|zsh)$/;
// Interpreter options that consume the next word, so it is not taken for the script.
const OPTION_WITH_ARG = new Set(['-W', '-X', '-Q', '-r', '--require', '--import', '--loader', '-I', '-M', '-x', '-o', '-O']);
const INLINE_CODE = new Set(['-c', '-e', '-E', '--eval', '-p', '--print']);

/**
 * The name an operator knows the server by: "uvicorn" for
 * "/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app",
 * the module for "python -m uvicorn", the thread name for "[kworker/0:1]".
 */
export function programName(args: string): string {
  const trimmed = args.trim();
  const bracket = /^\[(.+)\](?:\s+<defunct>)?$/.exec(trimmed);
  if (bracket) return bracket[1]!;
  let words = trimmed.split(/\s+/).filter((w) => w !== '');
  // `env [VAR=x ...] prog ...` runs prog.
  if (words[0] && basename(words[0]) === 'env') {
    let i = 1;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith('-'))) i++;
    if (i < words.length) words = words.slice(i);
  }
  const first = words[0];
  if (!first) return '';
  // Daemons that rewrite argv[0] ("nginx: master process", "sshd: basar@pts/0").
  // Login shells run as "-bash".
  const base = basename(first).replace(/:$/, '').replace(/^-(?=\w)/, '');
  if (!INTERPRETER.test(base)) return base;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-m') return words[i + 1] ?? base;
    if (/^-m\S/.test(w) && base.startsWith('py')) return w.slice(2);
    if (INLINE_CODE.has(w)) return base;
    if (w === '--') return words[i + 1] ? basename(words[i + 1]!) : base;
    if (w.startsWith('-')) {
      if (OPTION_WITH_ARG.has(w)) i++;
      continue;
    }
    return basename(w);
  }
  return base;
}

function isKernelThread(args: string, pid: number, ppid: number | null, rssKiB: number | null): boolean {
  if (!/^\[[^\]]+\]$/.test(args.trim())) return false;
  // Zombies also print as "[name]" (with " <defunct>", excluded above); kernel
  // threads are kthreadd (pid 2) and its children, and never have memory.
  return pid === 2 || ppid === 2 || rssKiB === 0 || (ppid === 0 && pid !== 1);
}

export function parsePs(text: string, source: string, clock: DeviceClock): ParseResult<PsRecord> {
  const problems = new ProblemLog();
  const records: PsRecord[] = [];
  const lines = text.split(/\r?\n/);
  let columns: Column[] | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    if (columns === null) {
      const header = headerColumns(line);
      if (header) {
        columns = header;
        continue;
      }
      // A bundle without the header line: assume the canonical command.
      columns = CANONICAL;
    }
    const rec = parseRow(line, lineNo, columns, source, clock);
    if (typeof rec === 'string') problems.add(lineNo, rec);
    else records.push(rec);
  }
  return problems.result(records);
}

function parseRow(line: string, lineNo: number, columns: Column[], source: string, clock: DeviceClock): PsRecord | string {
  const tokens = tokenize(line);
  let t = 0;
  let pid: number | null = null;
  let ppid: number | null = null;
  let user: string | null = null;
  let startText: string | null = null;
  let startEpochMs: number | null = null;
  let etimes: number | null = null;
  let rssKiB: number | null = null;
  let pcpu: number | null = null;
  let cgroupRaw: string | null = null;
  let args = '';

  for (const col of columns) {
    if (col === 'args') {
      const tok = tokens[t];
      args = tok ? line.slice(tok.start).trimEnd() : '';
      t = tokens.length;
      break;
    }
    if (col === 'lstart') {
      const toks = tokens.slice(t, t + 5);
      const parts = toks.map((x) => x.text);
      if (parts.length < 5) return 'truncated line: start time incomplete';
      // As printed: the day of month is space-padded ("Tue Dec  9 ...").
      startText = line.slice(toks[0]!.start, toks[4]!.start + toks[4]!.text.length);
      startEpochMs = lstartToEpoch(parts, clock);
      if (startEpochMs === null) return `unreadable start time "${startText}"`;
      t += 5;
      continue;
    }
    const tok = tokens[t++]?.text;
    if (tok === undefined) return 'truncated line: fewer columns than the header';
    switch (col) {
      case 'pid':
        if (!/^\d+$/.test(tok)) return `not a process id: "${tok}"`;
        pid = Number(tok);
        break;
      case 'ppid':
        if (!/^\d+$/.test(tok)) return `not a parent process id: "${tok}"`;
        ppid = Number(tok);
        break;
      case 'user':
        user = tok;
        break;
      case 'etimes':
      case 'etime':
        etimes = elapsedSeconds(tok);
        break;
      case 'rss':
        rssKiB = numberOrNull(tok);
        break;
      case 'pcpu':
        pcpu = numberOrNull(tok);
        break;
      case 'cgroup':
        cgroupRaw = tok;
        break;
      default:
        break;
    }
  }
  if (pid === null) return 'no process id';
  if (!columns.includes('args')) args = '';
  else if (args === '') return 'truncated line: no command';
  const hasCgroup = columns.includes('cgroup');
  return {
    source,
    line: lineNo,
    pid,
    ppid,
    user: user ?? '',
    startText,
    startEpochMs,
    etimes,
    rssKiB,
    pcpu,
    cgroupRaw: hasCgroup ? cgroupRaw : null,
    cgroupPaths: hasCgroup && cgroupRaw !== null ? cgroupPathsOf(cgroupRaw) : [],
    args,
    program: programName(args),
    kernelThread: isKernelThread(args, pid, ppid, rssKiB),
  };
}
