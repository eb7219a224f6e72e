// service.no-health-check: nothing notices when a running service stops answering.
import type { RuleFinding } from '../types.js';
import { humanSeconds, isLongRunning, quote, settingLine } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, yes } from '../describe-kit.js';
import { noHealthCheckParams } from './params.js';
import { messages } from './messages.js';
import { healthArtifacts } from './artifacts.js';
import { strings, type Cause } from '../../analysis/cause-role.js';
import { portOf } from '../../net/address.js';
import { rule as proxyRule } from '../proxy-upstream-errors/rule.js';

const MAX_SCRIPTS = 3;

export const rule = defineRule({
  id: 'service.no-health-check',
  severity: 'warning',
  needs: ['unit-config'],
  summary: 'A site-local long-running service has no liveness supervision',
  docs: `Fires for a site-local long-running service that has no WatchdogSec= above zero and no probe:
no timer-activated service, cron job or ExecStartPost= whose command targets its port (":8000",
"--port 8000"), a known health URL of it (--health-url, config healthUrls), or its unit name in a
"systemctl restart|try-restart|is-active" call. A hung process that keeps its port open is then
never restarted: Restart= only acts when the process exits.
A command that runs a script (ExecStart=/usr/local/bin/api-health.sh, "sh /x", "bash -c '...'") is
judged by the script's own lines, and by the lines of scripts it runs by absolute path (one level
deeper), exactly as an inline command: the collector copies those scripts (source health-script).
When the service has no probe, the site's own scripts that were read are quoted as read and not a
check of it, and a script that could not be read (a program, missing) is named as such.
Signals: unit files and drop-ins (or systemctl show), the timers and the services they activate,
/etc/crontab, /etc/cron.d and user crontabs, the scripts they run, the service's listening ports from ss.
Ignores: vendor units (unless configured), oneshot units, services a timer starts (jobs, not
servers), masked units. A probe is not judged for
quality, only for existence; WatchdogSec= is accepted as supervision only because the program must
then send WATCHDOG=1, which the unit's author chose.
Fix: a health-check service + timer that probes the health URL and restarts the unit on failure, or
WatchdogSec= for programs that send sd_notify WATCHDOG=1.`,
  params: noHealthCheckParams,
  messages,
  standing: true,
  cause: {
    order: 13,
    kinds: ['no-health-check-outage', 'no-health-check'],
    // A missing health check prolonged the outage only for the service behind the failing proxy.
    analyse: (findings, scope) => {
      const upstreamPorts = new Set(scope.of(proxyRule).flatMap((p) => strings(p.params.upstreams).map(portOf)));
      const behind = findings.filter((f) => scope.a.outage !== null && strings(f.params.ports).some((p) => upstreamPorts.has(portOf(p))));
      const others = findings.filter((f) => !behind.includes(f));
      const out: Cause[] = [];
      if (behind.length) out.push({ id: 'no-health-check-outage', confidence: 'medium', related: true, findings: behind, evidence: [] });
      if (others.length) out.push({ id: 'no-health-check', confidence: 'low', related: false, findings: others, evidence: [] });
      return out;
    },
  },
  describe(p, { f, k }) {
    const state: string[] = [];
    const unit = p.unit || f.subject;
    state.push(k('state.searched', { watchdog: `WatchdogSec=${p.watchdogSec || '0'}`, timers: p.timersSearched, cron: p.cronEntriesSearched }));
    if (p.restart) state.push(k('state.restart', { restart: `Restart=${p.restart}` }));
    state.push(p.ports.length ? k('state.ports', { ports: codes(p.ports) }) : k('state.noPorts'));
    for (const x of p.scriptsRead ?? []) {
      if (!x.path) continue;
      const via = codes([x.via || '?']);
      state.push(x.unread ? k('state.scriptUnread', { script: codes([x.path]), via, why: x.unread }) : k('state.scriptRead', { script: codes([x.path]), via, unit }));
    }
    const remediation = k('remediation', { hasPorts: yes(p.ports.length > 0), port: p.ports[0] ?? null, restart: `systemctl restart ${unit}` });
    return { title: k('title', { unit }), state, fix: k('fix', { unit }), remediation };
  },
  artifacts: healthArtifacts,
  run(facts) {
    const findings: RuleFinding<z.input<typeof noHealthCheckParams>>[] = [];
    // A service a timer starts is a job that runs and ends (a health check itself, a backup), not a server.
    const timed = new Set(facts.timers.map((t) => t.activates));
    for (const s of facts.services) {
      if (!s.siteLocal || !isLongRunning(s) || timed.has(s.name)) continue;
      if ((s.watchdogUs ?? 0) > 0) continue;
      if (s.probes.length > 0) continue;
      const watchdogLine = settingLine(s, 'WatchdogSec') ?? s.propsLine('WatchdogUSec');
      // The site's own scripts that were read and do not probe this service, those naming it first.
      const short = s.name.replace(/\.service$/, '');
      const read = (facts.healthScripts ?? [])
        .filter((x) => x.siteLocal)
        .map((x) => ({ x, named: x.path.includes(short) || x.via.includes(short) }))
        .sort((a, b) => Number(b.named) - Number(a.named) || a.x.path.localeCompare(b.x.path))
        .slice(0, MAX_SCRIPTS)
        .map((e) => e.x);
      findings.push({
        subject: s.name,
        params: {
          unit: s.name,
          ports: s.ports,
          watchdogSec: humanSeconds(s.watchdogUs ?? 0),
          timersSearched: facts.timers.length,
          cronEntriesSearched: facts.cron.length,
          execStartPost: s.execStartPost.map((e) => e.command),
          restart: s.restart,
          execStart: s.execStart[0] ?? null,
          scriptsRead: read.map((x) => ({ path: x.path, via: x.via, source: x.source, unread: x.unread })),
        },
        evidence: quote(facts, [s.execStartLine, watchdogLine, s.stateLine, ...read.flatMap((x) => x.lines.slice(0, 2))]),
      });
    }
    return findings;
  },
});
