// process.unmanaged: a server that nothing will restart when it dies.
import type { RuleFinding } from '../types.js';
import type { ProcessFact } from '../../facts/types.js';
import { processSubject, quote } from '../helpers.js';
import { isBuiltinServer, suggestUnitName } from '../../facts/naming.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md, time, yes } from '../describe-kit.js';
import { unmanagedParams } from './params.js';
import { messages } from './messages.js';
import { unmanagedArtifacts } from './artifacts.js';
import { unmanagedCauses } from './cause.js';

const UNMANAGED = new Set(['session', 'tmux', 'transient-scope', 'root-cgroup', 'slice']);

export const rule = defineRule({
  id: 'process.unmanaged',
  severity: 'critical',
  needs: ['processes', 'cgroups'],
  summary: 'A listening or configured server process runs outside any service',
  docs: `Fires for a process that listens on a TCP port (any address, loopback too), matches a
configured server pattern, or is an ASGI/WSGI server (uvicorn, gunicorn, ...), and whose cgroup
(ps "cgroup" column) is a login session scope (session-N.scope), a tmux-spawn-* scope, a transient
run-*.scope, or no service at all. Such a process was started by hand: when it dies nothing restarts
it, and it does not come back after a reboot.
Signals: ps (pid, user, cgroup, command), ss -ltnup (which pid owns which socket), procinfo (cwd,
stdout target such as nohup.out).
Ignores: processes in system services, user-manager services (user@UID.service/...), container
scopes (docker-*, libpod-*), init.scope and kernel threads; worker processes whose parent is already
reported. Skipped when no process has a systemd cgroup (no service manager was running, e.g. a
container or a disk image).
Fix: run it as a unit (the report's artifacts hold a ready one): stop the hand-started process
first, then systemctl daemon-reload and systemctl enable --now.`,
  params: unmanagedParams,
  messages,
  standing: true,
  cause: { order: 0, analyse: unmanagedCauses, kinds: ['unmanaged-down', 'unmanaged-risk'] },
  describe(p, { f, k }) {
    const state: string[] = [];
    // ICU select keys are identifiers: transient-scope → transient.
    const category = (p.category || 'other').replace(/-scope$/, '');
    const title = k('title', { category: md(category), ports: codes(p.ports), hasPorts: yes(p.ports.length > 0) });
    state.push(k('state.started', { startedAt: time(p.startedAt), user: p.user || null, scope: p.scope || p.cgroup || null, category: md(category), hasStart: yes(!!p.startedAt) }));
    if (p.command) state.push(k('state.command', { command: p.command }));
    state.push(p.cwd ? k('state.cwd', { cwd: p.cwd }) : k('state.cwdUnknown'));
    if (p.stdout) state.push(k('state.stdout', { stdout: p.stdout }));
    if (p.workers.length) state.push(k('state.workers', { pids: codes(p.workers.map(String)) }));
    const unit = p.suggestedUnit || f.subject;
    const remediation = k('remediation', {
      path: `/etc/systemd/system/${unit}`,
      command: p.command,
      user: p.user,
      hasCwd: yes(!!p.cwd),
      cwd: p.cwd,
      kill: `kill ${p.pid}`,
      enable: `systemctl daemon-reload && systemctl enable --now ${unit}`,
    });
    return { title, state, fix: k('fix', { unit, pid: String(p.pid) }), remediation };
  },
  artifacts: unmanagedArtifacts,
  run(facts) {
    if (!facts.hasServiceManager) {
      return { skip: 'no process on the host has a systemd cgroup: no service manager was running, so nothing can be called unmanaged' };
    }
    const isServer = (p: ProcessFact) => !p.kernelThread && (p.ports.length > 0 || p.matchesPattern || isBuiltinServer(p));
    const byPid = new Map(facts.processes.map((p) => [p.pid, p]));
    const candidates = facts.processes.filter((p) => isServer(p) && UNMANAGED.has(p.category));
    const reported = new Set(candidates.map((p) => p.pid));
    const findings: RuleFinding<z.input<typeof unmanagedParams>>[] = [];
    for (const p of candidates) {
      // Report the top of a server tree (gunicorn master, uvicorn --reload supervisor), not each worker.
      let parent = p.ppid !== null ? byPid.get(p.ppid) : undefined;
      let isWorker = false;
      for (let depth = 0; parent && depth < 8; depth++) {
        if (reported.has(parent.pid)) {
          isWorker = true;
          break;
        }
        parent = parent.ppid !== null ? byPid.get(parent.ppid) : undefined;
      }
      if (isWorker) continue;
      const workers = candidates.filter((c) => c.ppid === p.pid).map((c) => c.pid);
      const unitName = suggestUnitName(p.program, p.cwd, p.args);
      findings.push({
        subject: processSubject(p),
        params: {
          pid: p.pid,
          program: p.program,
          user: p.user,
          command: p.args,
          cgroup: p.cgroup,
          scope: p.cgroupUnit,
          category: p.category,
          ports: p.ports,
          workers,
          cwd: p.cwd,
          exe: p.exe,
          stdout: p.stdout,
          startedAt: facts.fmt(p.startEpochMs),
          suggestedUnit: `${unitName}.service`,
          listenersKnown: facts.listenersHaveOwners,
        },
        evidence: quote(facts, [p.psLine, ...p.listenerLines, p.procinfoLine]),
      });
    }
    return findings;
  },
});
