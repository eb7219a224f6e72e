// process.port-conflict: two servers fought over one port.
import type { Rule, RuleFinding } from './types.js';
import type { Line, ProcessFact } from '../facts/types.js';
import { processSubject, quote, spread } from './helpers.js';
import { isBuiltinServer } from '../facts/naming.js';

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

export const rule: Rule = {
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
Ignores: workers of one master (same command, parent and child), kernel threads.
Fix: run the server under exactly one systemd unit; stop the stray copy before starting the unit.`,
  run(facts) {
    const findings: RuleFinding[] = [];
    const groups = new Map<string, { lines: Line[]; address?: string; port?: number; programs: Set<string> }>();
    for (const c of facts.portConflicts) {
      if (!facts.inWindow(c.at.epochMs) && c.at.epochMs !== null) continue;
      const key = c.port !== undefined ? `${c.address ?? '*'}:${c.port}` : (c.unit ?? c.identifier ?? c.at.source);
      const g = groups.get(key) ?? { lines: [], address: c.address, port: c.port, programs: new Set<string>() };
      g.lines.push(c.at);
      if (c.unit ?? c.identifier) g.programs.add((c.unit ?? c.identifier)!);
      groups.set(key, g);
    }
    for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const failures = attempts(g.lines);
      const holder = g.port !== undefined ? facts.processes.find((p) => p.ports.some((x) => x.endsWith(`:${g.port}`))) : undefined;
      findings.push({
        subject: key,
        params: {
          address: g.address ?? null,
          port: g.port ?? null,
          failures,
          loggedBy: [...g.programs].sort(),
          holder: holder ? processSubject(holder) : null,
          duplicates: [],
        },
        title: `A server could not bind ${key}: the port was already in use (${failures} time${failures === 1 ? '' : 's'})`,
        evidence: quote(facts, [...spread(g.lines, 6), holder?.psLine, ...(holder?.listenerLines ?? [])]),
        remediation: `Make one systemd unit the only owner of ${key}: stop the process that holds it${holder ? ` (${processSubject(holder)})` : ''} before starting the unit, and never start a second copy by hand.`,
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
        title: `The same server command runs ${tops.length} times in separate process trees`,
        evidence: quote(facts, tops.map((p) => p.psLine)),
        remediation: `Keep one copy: stop the extra ones (kill ${tops.slice(1).map((p) => p.pid).join(' ')}) and run the server under one systemd unit so a second copy cannot be started by hand unnoticed.`,
      });
    }
    return findings;
  },
};
