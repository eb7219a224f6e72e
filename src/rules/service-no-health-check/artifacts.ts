// What watches a service that nothing checks: a health-check service + timer
// when its health URL is known (configured, probed, or seen in its access
// log), else WatchdogSec= for a program that speaks sd_notify.
import type { Finding } from '../../analysis/schema.js';
import type { ServiceFact } from '../../facts/types.js';
import type { ProposedArtifact } from '../define.js';
import { Applicable, freeDropIn, healthCheckPair, resolveHealthUrl, shq, type Taken, UNIT_DIR, WATCHDOG_SEC, writeFile, type ArtifactKit } from '../../analysis/artifact-kit.js';
import type { NoHealthCheckParams } from './params.js';

export function healthArtifacts(f: Finding, p: NoHealthCheckParams, { facts, config, ap, taken }: ArtifactKit): ProposedArtifact[] {
  const unit = p.unit;
  const s = facts.services.find((x) => x.name === unit);
  if (!s || !/^[A-Za-z0-9:_.@\\-]+\.service$/.test(unit)) return [];
  const procs = facts.processes.filter((p) => s.processes.includes(p.pid));
  const health = resolveHealthUrl(facts, config, { unit, ports: s.ports, outputFiles: procs.flatMap((p) => [p.stdout, p.stderr]) });
  if (health) return healthCheckPair(unit, health, f.subject, ap, taken);
  const notify = notifySignal(s);
  if (notify) return [watchdogDropIn(unit, notify, f.subject, ap, taken)];
  return [];
}

/** The program talks to sd_notify: Type=notify, or NotifyAccess= set to something other than none. */
function notifySignal(s: ServiceFact): string | null {
  if (s.type === 'notify' || s.type === 'notify-reload') return `Type=${s.type}`;
  const na = s.definition?.get('Service', 'NotifyAccess')?.value ?? s.props?.NotifyAccess ?? null;
  if (na && na !== 'none') return `NotifyAccess=${na}`;
  return null;
}

function watchdogDropIn(unit: string, signal: string, subject: string, ap: Applicable, taken: Taken): ProposedArtifact {
  const applied = ap.unit(unit);
  const dir = `${UNIT_DIR}/${applied}.d`;
  const { file, existing } = freeDropIn(taken, dir, '20-watchdog.conf');
  const content = `[Service]\nWatchdogSec=${WATCHDOG_SEC}\n`;
  return {
    kind: 'drop-in',
    subject,
    path: file,
    content,
    params: { unit, setting: 'watchdog', watchdogSec: WATCHDOG_SEC, notify: signal, ...(existing ? { exists: { path: existing, instead: 'renamed' } } : {}) },
    steps: [
      { id: 'write-file', command: `sudo mkdir -p ${shq(dir)}\n${writeFile(file, content)}` },
      { id: 'daemon-reload', command: 'sudo systemctl daemon-reload' },
      { id: 'restart-unit', command: `sudo systemctl restart ${shq(applied)}` },
      { id: 'check-setting', command: `systemctl show ${shq(applied)} -p WatchdogUSec -p NotifyAccess` },
    ],
  };
}
