// process.port-conflict: two servers fought over one port.
import type { RuleFinding } from '../types.js';
import type { Facts, Line, ProcessFact } from '../../facts/types.js';
import { processSubject, quote, spread } from '../helpers.js';
import { isBuiltinServer } from '../../facts/naming.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md } from '../describe-kit.js';
import { portConflictParams } from './params.js';
import { messages } from './messages.js';

function ancestors(p: ProcessFact, byPid: Map<number, ProcessFact>): Set<number> {
  const out = new Set<number>();
  let cur = p.ppid !== null ? byPid.get(p.ppid) : undefined;
  for (let i = 0; cur && i < 32; i++) {
    out.add(cur.pid);
    cur = cur.ppid !== null ? byPid.get(cur.ppid) : undefined;
  }
  return out;
}

// gunicorn 22+ logs each failed bind twice, "Connection in use: ADDR" then
// "connection to ADDR failed: [Errno 98] ...": the second is the same attempt.
const GUNICORN_FIRST = /Connection in use: /;
const GUNICORN_FOLLOW_UP = /connection to .+ failed: \[Errno 98\]/;

/** Failed binds behind these lines, in log order: each line one, but for gunicorn's follow-up line. */
function attempts(lines: Line[]): number {
  return lines.filter((l, i) => {
    const prev = i > 0 ? lines[i - 1]! : null;
    return !(prev && prev.source === l.source && GUNICORN_FIRST.test(prev.text) && GUNICORN_FOLLOW_UP.test(l.text));
  }).length;
}

function isServerProcess(p: ProcessFact): boolean {
  return !p.kernelThread && (p.ports.length > 0 || p.matchesPattern || isBuiltinServer(p));
}

/** Port numbers a command line or environment names: flagged (--port N, -p N, host:N, PORT=N) or bare. */
function portTokens(text: string): { flagged: Set<number>; bare: Set<number> } {
  const flagged = new Set<number>();
  const bare = new Set<number>();
  const ok = (n: number) => n > 0 && n <= 65535;
  for (const m of text.matchAll(/(?:--port|--listen-port|-p)[=\s]+(\d{1,5})\b/g)) if (ok(Number(m[1]))) flagged.add(Number(m[1]));
  // Environment=PORT=8000 API_PORT=8000 (systemctl show joins the assignments with spaces).
  for (const m of text.matchAll(/(?:^|[\s"'])[A-Z_]*PORT=(\d{1,5})\b/g)) if (ok(Number(m[1]))) flagged.add(Number(m[1]));
  for (const m of text.matchAll(/(?:^|[\s=])(?:[\w.-]*|\[[0-9a-fA-F:.]*\]):(\d{1,5})(?![\w.:/])/g)) if (ok(Number(m[1]))) flagged.add(Number(m[1]));
  for (const m of text.matchAll(/(?:^|\s)(\d{2,5})(?=\s|$)/g)) if (ok(Number(m[1]))) bare.add(Number(m[1]));
  return { flagged, bare };
}

/**
 * The port a unit that logged a portless "Address already in use" (Python's OSError names none)
 * was starting on: a number of its ExecStart=/Environment= that a process listens on at
 * collection (ss), else one its command line flags as a port (--port 8000, 0.0.0.0:8000).
 */
function portOfUnit(facts: Facts, unit: string): { port: number; address?: string; from: Line | null } | null {
  const svc = facts.services.find((s) => s.name === unit);
  if (!svc) return null;
  const texts = [...svc.execStart, svc.props?.Environment ?? '', ...(svc.definition?.getAll('Service', 'Environment').map((d) => d.value) ?? [])];
  const flagged = new Set<number>();
  const bare = new Set<number>();
  for (const t of texts) {
    const tok = portTokens(t);
    tok.flagged.forEach((n) => flagged.add(n));
    tok.bare.forEach((n) => bare.add(n));
  }
  const from = svc.execStartLine;
  const listening = facts.listeners.filter((l) => l.netid.startsWith('tcp') && (flagged.has(l.port) || bare.has(l.port)));
  // A listener of the unit itself is its own socket, not a conflict.
  const other = listening.filter((l) => !l.processes.some((p) => svc.processes.includes(p.pid)));
  // Else the unit's own listener: it bound the port later (an earlier instance still held it).
  const pick = other.length > 0 ? other : listening;
  if (pick.length > 0) {
    const l = pick.find((x) => flagged.has(x.port)) ?? pick[0]!;
    return { port: l.port, address: l.address === '*' ? undefined : l.address, from };
  }
  if (flagged.size === 1) return { port: [...flagged][0]!, from };
  return null;
}

/** Who listens on a port at collection: the process (ps, joined with ss) or at least ss's owner. */
function holderOf(facts: Facts, port: number): { proc: ProcessFact | null; name: string; pid: number; unit: string | null } | null {
  const proc = facts.processes.find((p) => p.ports.some((x) => x.endsWith(`:${port}`)));
  if (proc) return { proc, name: proc.program, pid: proc.pid, unit: proc.category === 'system-service' || proc.category === 'user-service' ? proc.cgroupUnit : null };
  const listener = facts.listeners.find((l) => l.netid.startsWith('tcp') && l.state === 'LISTEN' && l.port === port && l.processes.length > 0);
  if (!listener) return null;
  const owner = listener.processes[0]!;
  return { proc: null, name: owner.name, pid: owner.pid, unit: null };
}

export const rule = defineRule({
  id: 'process.port-conflict',
  severity: 'warning',
  needs: [],
  needsAny: ['logs', 'processes'],
  summary: 'A bind failed because the port was taken, or one server command runs twice',
  docs: `Fires when a log line in the window says a bind failed because the port was in use ("Address
already in use", EADDRINUSE, "[Errno 98]", gunicorn's "Connection in use", nginx "bind() ... failed
(98: ...)"), or when two unrelated processes (neither the parent of the other: not a master and
its workers) run the same server command at collection, the typical result of starting a
hand-run server again while the old one still holds the port.
Signals: every log source (journal, syslog, app logs), ps with the process tree, ss.
When the line names no port (Python's "OSError: [Errno 98] Address already in use"), the port is
the number in the failing unit's ExecStart=/Environment= that another process listens on in ss (or
one the command line flags as a port: --port 8000, 0.0.0.0:8000); the holder is that listener's
process and its unit.
Ignores: workers of one master (same command, parent and child), kernel threads.
Fix: keep one owner per port: stop and disable the unit you do not need, or move one of the two
servers to another port; stop a hand-started copy and start the server only through its unit.`,
  params: portConflictParams,
  messages,
  event: 6,
  ruledOut: 6,
  cause: { order: 8, event: { id: 'port-conflict', near: 'medium', far: 'low' } },
  describe(p, { f, k }) {
    if (p.duplicates.length) {
      return {
        title: k('titleDuplicate', { duplicates: codes(p.duplicates) }),
        state: p.command ? [k('state.command', { command: p.command })] : [],
        fix: k('fix'),
        remediation: k('remediationDuplicate', { kill: `kill ${(p.pids ?? []).slice(1).join(' ')}` }),
      };
    }
    const state: string[] = [];
    const loggedBy = p.loggedBy ?? [];
    if (loggedBy.length) state.push(k('state.loggedBy', { programs: codes(loggedBy) }));
    const holderUnit = p.holderUnit || null;
    const holder = p.holder || null;
    if (holderUnit && holder) state.push(k('state.holderUnit', { holder, unit: holderUnit }));
    else state.push(holder ? k('state.holder', { holder }) : k('state.holderUnknown'));
    if (p.portFrom === 'unit') state.push(k('state.portFromUnit'));
    const port = typeof p.port === 'number' ? String(p.port) : p.port || null;
    const where = port ? (p.address ? `${p.address}:${port}` : port) : f.subject;
    // The words a person can act on: which unit to stop or which port to change, when the bundle says.
    const failed = (p.failedUnits ?? [])[0];
    const pid = p.holderPid ?? null;
    let fix = k('fix');
    if (port && failed && holderUnit) fix = k('fixUnits', { failed, holderUnit, port: md(port) });
    else if (port && failed && pid !== null && holder) fix = k('fixProcess', { failed, holder, pid: `kill ${pid}`, port: md(port) });
    const title = holderUnit && failed ? k('titleHeld', { port: where, holderUnit, n: p.failures }) : k('title', { port: where, n: p.failures });
    // The whole fix for the analysis JSON: which case it is, from what the bundle said.
    const failedUnits = p.failedUnits ?? [];
    const who = failedUnits.length ? failedUnits.join(' and ') : loggedBy.join(', ') || null;
    const remediation = k('remediation', {
      // The unit that holds the port logged the failed bind itself: an earlier instance of it held the port.
      case: md(port && holderUnit && loggedBy.includes(holderUnit) ? 'self' : port && holderUnit ? 'units' : port && holder && pid !== null ? 'process' : port ? 'free' : 'other'),
      who: who ?? md('A server'),
      failedOne: failed ?? null,
      port: md(port ?? '?'),
      holder,
      holderUnit,
      failed: failedUnits.join(' '),
      hasFailed: md(failedUnits.length ? 'yes' : 'no'),
      disableFailed: `sudo systemctl disable --now ${failed ?? 'UNIT'}`,
      disableHolder: `sudo systemctl disable --now ${holderUnit ?? 'UNIT'}`,
      kill: `kill ${pid ?? '?'}`,
      restart: `sudo systemctl restart ${failedUnits.join(' ')}`,
      ss: port ? `ss -ltnp 'sport = :${port}'` : 'ss -ltnp',
    });
    return { title, state, fix, remediation };
  },
  run(facts) {
    const findings: RuleFinding<z.input<typeof portConflictParams>>[] = [];
    const groups = new Map<string, { lines: Line[]; address?: string; port?: number; programs: Set<string>; units: Set<string>; portFrom: 'log' | 'unit' | null; portLine: Line | null }>();
    for (const c of facts.portConflicts) {
      if (!facts.inWindow(c.at.epochMs) && c.at.epochMs !== null) continue;
      let where: { address?: string; port?: number } = { address: c.address, port: c.port };
      let portFrom: 'log' | 'unit' | null = c.port !== undefined ? 'log' : null;
      let portLine: Line | null = null;
      if (c.port === undefined && c.unit) {
        // Python's "[Errno 98] Address already in use" names no port: the unit's command line does.
        const found = portOfUnit(facts, c.unit);
        if (found) {
          where = found.address !== undefined ? { address: found.address, port: found.port } : { port: found.port };
          portFrom = 'unit';
          portLine = found.from;
        }
      }
      const key = where.port !== undefined ? `${where.address ?? '*'}:${where.port}` : (c.unit ?? c.identifier ?? c.at.source);
      const g = groups.get(key) ?? { lines: [], address: where.address, port: where.port, programs: new Set<string>(), units: new Set<string>(), portFrom, portLine };
      g.lines.push(c.at);
      if (c.unit ?? c.identifier) g.programs.add((c.unit ?? c.identifier)!);
      if (c.unit && facts.services.some((x) => x.name === c.unit)) g.units.add(c.unit);
      groups.set(key, g);
    }
    for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const failures = attempts(g.lines);
      const holder = g.port !== undefined ? holderOf(facts, g.port) : null;
      const holderName = holder ? `${holder.name} (pid ${holder.pid})` : null;
      const failed = [...g.units].filter((u) => u !== holder?.unit).sort();
      findings.push({
        subject: key,
        params: {
          address: g.address ?? null,
          port: g.port ?? null,
          failures,
          loggedBy: [...g.programs].sort(),
          holder: holderName,
          holderUnit: holder?.unit ?? null,
          holderPid: holder?.pid ?? null,
          failedUnits: failed,
          portFrom: g.portFrom,
          duplicates: [],
        },
        evidence: quote(facts, [...spread(g.lines, 6), g.portLine, holder?.proc?.psLine, ...(holder?.proc?.listenerLines ?? [])]),
      });
    }
    // Duplicate server commands at collection.
    const byPid = new Map(facts.processes.map((p) => [p.pid, p]));
    const byArgs = new Map<string, ProcessFact[]>();
    for (const p of facts.processes) {
      if (isServerProcess(p)) byArgs.set(p.args, [...(byArgs.get(p.args) ?? []), p]);
    }
    for (const [args, procs] of [...byArgs].sort(([a], [b]) => a.localeCompare(b))) {
      if (procs.length < 2) continue;
      // One copy per process tree: a master and its workers (nginx, gunicorn) are one
      // server, as are siblings forked by one parent or processes of one service unit.
      // Children of init are not siblings: two nohup'd copies end up there.
      const treeOf = (p: ProcessFact): string => {
        const topPid = [...ancestors(p, byPid)].reverse().find((pid) => procs.some((q) => q.pid === pid));
        const root = topPid !== undefined ? byPid.get(topPid)! : p;
        if (root.category === 'system-service' || root.category === 'user-service' || root.category === 'container') return `unit:${root.cgroupUnit}`;
        const parent = root.ppid !== null ? byPid.get(root.ppid) : undefined;
        if (parent && parent.pid !== 1 && parent.category !== 'init' && isServerProcess(parent)) return `pid:${parent.pid}`;
        return `pid:${root.pid}`;
      };
      const trees = new Map<string, ProcessFact>();
      for (const p of procs) if (!trees.has(treeOf(p))) trees.set(treeOf(p), p);
      const tops = [...trees.values()];
      if (tops.length < 2) continue;
      findings.push({
        subject: `${tops[0]!.program} (pids ${tops.map((p) => p.pid).join(', ')})`,
        params: {
          command: args,
          pids: tops.map((p) => p.pid),
          cgroups: tops.map((p) => p.cgroupUnit ?? p.cgroup),
          duplicates: tops.map((p) => processSubject(p)),
          port: null,
          address: null,
          failures: 0,
        },
        evidence: quote(facts, tops.map((p) => p.psLine)),
      });
    }
    return findings;
  },
});
