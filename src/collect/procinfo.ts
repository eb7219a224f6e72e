// commands/procinfo.json: for each listening or non-service process, where
// its program, working directory and stdout/stderr are
// (readlink /proc/PID/{exe,cwd,fd/1,fd/2}). A hand-started server's stdout is
// often the only log it has (nohup.out): those files become app-log sources.
import { readlink, stat } from 'node:fs/promises';
import { parsePs } from '../parse/ps.js';
import { parseSs } from '../parse/ss.js';
import { classifyCgroup } from '../facts/cgroup.js';
import type { DeviceClock } from '../time.js';

export interface ProcInfo {
  pid: number;
  exe: string | null;
  cwd: string | null;
  stdout: string | null;
  stderr: string | null;
  error?: string;
}

const MANAGED = new Set(['system-service', 'user-service', 'init', 'container']);

/**
 * The processes procinfo covers: every process with a listening socket, every
 * process matching a configured server pattern, and every process outside a
 * service (session scopes, tmux, no systemd at all). Kernel threads and the
 * collector itself are left out.
 */
export function procinfoPids(psText: string, ssText: string, clock: DeviceClock, patterns: RegExp[], exclude: Set<number>): number[] {
  const pids = new Set<number>();
  for (const l of parseSs(ssText, 'commands/ss-ltnup.txt').records) for (const p of l.processes) pids.add(p.pid);
  for (const p of parsePs(psText, 'commands/ps.txt', clock).records) {
    if (p.kernelThread) continue;
    const { category } = classifyCgroup(p.cgroupPaths);
    if (!MANAGED.has(category) || patterns.some((re) => re.test(p.args))) pids.add(p.pid);
  }
  for (const pid of exclude) pids.delete(pid);
  return [...pids].sort((a, b) => a - b);
}

/** The collector's own process tree (itself and what it started, or its ancestors): not evidence. */
export function relatives(psText: string, clock: DeviceClock, pid: number, direction: 'down' | 'up'): Set<number> {
  const parent = new Map<number, number>();
  for (const p of parsePs(psText, 'commands/ps.txt', clock).records) if (p.ppid !== null) parent.set(p.pid, p.ppid);
  const out = new Set<number>([pid]);
  if (direction === 'up') {
    for (let p = parent.get(pid); p !== undefined && p > 1 && !out.has(p); p = parent.get(p)) out.add(p);
    return out;
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, ppid] of parent) {
      if (out.has(ppid) && !out.has(child)) {
        out.add(child);
        grew = true;
      }
    }
  }
  return out;
}

/** `ls -ld /proc/PID/{exe,cwd,fd/1,fd/2}` output (and its error lines) as procinfo entries. */
export function procInfoFromLs(text: string, pids: number[]): ProcInfo[] {
  const wanted = new Set(pids);
  const byPid = new Map<number, ProcInfo & { errors: string[] }>();
  const get = (pid: number) => {
    let i = byPid.get(pid);
    if (!i) byPid.set(pid, (i = { pid, exe: null, cwd: null, stdout: null, stderr: null, errors: [] }));
    return i;
  };
  const field = { exe: 'exe', cwd: 'cwd', 'fd/1': 'stdout', 'fd/2': 'stderr' } as const;
  for (const line of text.split('\n')) {
    const link = / \/proc\/(\d+)\/(exe|cwd|fd\/1|fd\/2) -> (.*)$/.exec(line);
    if (link) {
      const pid = Number(link[1]);
      if (wanted.has(pid)) get(pid)[field[link[2] as keyof typeof field]] = link[3]!;
      continue;
    }
    // GNU: "ls: cannot read symbolic link '/proc/1/exe': Permission denied"; busybox: "ls: /proc/1/exe: Permission denied".
    const err = /\/proc\/(\d+)\/(exe|cwd|fd\/1|fd\/2)'?: (.+)$/.exec(line);
    if (err && wanted.has(Number(err[1]))) {
      const why = /permission denied|not permitted/i.test(err[3]!) ? 'permission denied' : /no such file/i.test(err[3]!) ? 'not open' : err[3]!;
      get(Number(err[1])).errors.push(`${err[2]}: ${why}`);
    }
  }
  return pids.map((pid) => {
    const i = byPid.get(pid);
    if (!i) return { pid, exe: null, cwd: null, stdout: null, stderr: null, error: 'process exited before it could be read' };
    const { errors, ...info } = i;
    return errors.length ? { ...info, error: errors.join('; ') } : info;
  });
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'process exited' : (code ?? String(e));
}

export async function readProcInfo(pid: number): Promise<ProcInfo> {
  const info: ProcInfo = { pid, exe: null, cwd: null, stdout: null, stderr: null };
  const errors: string[] = [];
  const names = { exe: 'exe', cwd: 'cwd', stdout: 'fd/1', stderr: 'fd/2' } as const;
  for (const [key, rel] of Object.entries(names) as [keyof typeof names, string][]) {
    try {
      info[key] = await readlink(`/proc/${pid}/${rel}`);
    } catch (e) {
      errors.push(`${rel}: ${reason(e)}`);
    }
  }
  if (errors.length > 0) info.error = errors.join('; ');
  return info;
}

/** stdout/stderr targets that are log files: absolute paths of existing regular files. */
export async function logTargets(infos: ProcInfo[]): Promise<string[]> {
  const out = new Set<string>();
  for (const i of infos) {
    for (const t of [i.stdout, i.stderr]) {
      if (!t || !t.startsWith('/') || t.endsWith(' (deleted)') || /^\/(?:dev|proc|sys)\//.test(t)) continue;
      try {
        if ((await stat(t)).isFile()) out.add(t);
      } catch {
        // gone or unreadable: procinfo.json still names it
      }
    }
  }
  return [...out].sort();
}
