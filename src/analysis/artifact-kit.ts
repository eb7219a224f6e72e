// The plumbing every rule's ready-to-apply files share (src/rules/*/artifacts.ts):
// paths that never overwrite the device's files, unit names and text that may
// hold a secret, health URLs, and the shell that writes a file. The files
// themselves are each rule's own; the prose about them lives in the report
// templates, keyed by kind and step id.
import path from 'node:path';
import type { Artifact, Evidence } from './schema.js';
import type { Config } from '../config.js';
import type { Facts } from '../facts/types.js';
import type { HealthPathFact } from '../facts/health-paths.js';
import type { RedactionCounts } from '../redact.js';
import { redact } from '../redact.js';
import { hasMark, replaceMarks } from '../redact-names.js';
import type { ProposedArtifact } from '../rules/define.js';
import { portOf, splitAddress } from '../net/address.js';
import { HANG } from '../capture/layout.js';

/** What a rule's artifacts hook gets: the facts, the configuration, and the shared guards. */
export interface ArtifactKit {
  facts: Facts;
  config: Config;
  ap: Applicable;
  taken: Taken;
}

export const UNIT_DIR = '/etc/systemd/system';
/** RestartSec= and the start limit every generated unit gets (docs/report.md). */
export const RESTART_SEC = 5;
export const START_LIMIT_INTERVAL_SEC = 300;
export const START_LIMIT_BURST = 5;
export const HEALTH_EVERY_SEC = 30;
export const WATCHDOG_SEC = 30;

// ---------------------------------------------------------------- never overwrite the device's files

const UNIT_SEARCH = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

/**
 * What a proposed file must not be: a file the bundle holds a copy of, or a
 * unit the device already has under any directory of the search path (a new
 * /etc/systemd/system/NAME would hide it). Files proposed earlier in this
 * analysis are added as they are taken.
 */
export interface Taken {
  has(devicePath: string): boolean;
  add(devicePath: string): void;
}

export function takenPaths(facts: Facts): Taken {
  const files = new Set(facts.deviceFiles ?? []);
  const units = new Set<string>([...facts.services.map((s) => s.name), ...facts.timers.map((t) => t.unit)]);
  for (const f of files) {
    for (const dir of UNIT_SEARCH) if (f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/')) units.add(f.slice(dir.length + 1));
  }
  // A path holding a placeholder names no file yet: the person chooses the name, so it can
  // neither collide with the device's files nor take the place of another proposal's.
  const chosenLater = (p: string): boolean => p.includes(UNIT_PLACEHOLDER);
  return {
    has: (p) => !chosenLater(p) && (files.has(p) || (path.posix.dirname(p) === UNIT_DIR && units.has(path.posix.basename(p)))),
    add: (p) => {
      if (chosenLater(p)) return;
      files.add(p);
      if (path.posix.dirname(p) === UNIT_DIR) units.add(path.posix.basename(p));
    },
  };
}

/** A drop-in file name in dir that is free: the wanted one, else charger-diag.conf, else charger-diag-N.conf. */
export function freeDropIn(taken: Taken, dir: string, wanted: string): { file: string; existing: string | null } {
  let free = [wanted, 'charger-diag.conf'].find((n) => !taken.has(`${dir}/${n}`));
  for (let n = 2; free === undefined; n++) if (!taken.has(`${dir}/charger-diag-${n}.conf`)) free = `charger-diag-${n}.conf`;
  const file = `${dir}/${free}`;
  taken.add(file);
  return { file, existing: free === wanted ? null : `${dir}/${wanted}` };
}

// ---------------------------------------------------------------- secrets and placeholders

/** Stands, in a ready-to-apply path, file or command, for a unit name that held a secret. */
export const UNIT_PLACEHOLDER = '<unit-name>';
/** Stands, in a ready-to-apply file or command, for a secret removed from it. */
export const SECRET_PLACEHOLDER = '<secret>';
const PLACEHOLDER_SPLIT = /(<unit-name>|<secret>)/;

/**
 * What a file or a command may hold of the bundle's text. A redaction mark
 * would be applied as if it were the value (a unit named
 * `x@pi:[redacted:url-credentials]@relay.service`, a password
 * `[redacted:secret-arg]`): a placeholder that a person must fill in goes
 * there instead, and the artifact lists it (withPlaceholders).
 */
export class Applicable {
  constructor(private readonly counts: RedactionCounts | undefined) {}

  /** The unit's name, or `<unit-name>.service` (.timer, ...) when the name carries a secret. */
  unit(name: string): string {
    if (!hasMark(redact(name, this.counts))) return name;
    const suffix = /\.[a-z]+$/.exec(name)?.[0] ?? '';
    return `${UNIT_PLACEHOLDER}${suffix}`;
  }

  /** Text with every secret replaced by `<secret>`. */
  text(s: string): string {
    return replaceMarks(redact(s, this.counts), SECRET_PLACEHOLDER);
  }
}

/** Placeholders an artifact's path, content or steps use, listed on it so every renderer can say what to fill in. */
export function withPlaceholders(a: Artifact): Artifact {
  // A last guard after the analysis-wide redaction: no mark is ever left to be applied.
  const path = replaceMarks(a.path, SECRET_PLACEHOLDER);
  const content = replaceMarks(a.content, SECRET_PLACEHOLDER);
  const steps = a.steps?.map((s) => ({ ...s, command: replaceMarks(s.command, SECRET_PLACEHOLDER) }));
  const applied = [path, content, ...(steps ?? []).map((s) => s.command)].join('\n');
  const placeholders = [
    ...(applied.includes(UNIT_PLACEHOLDER) ? [{ placeholder: UNIT_PLACEHOLDER, kind: 'unit-name' }] : []),
    ...(applied.includes(SECRET_PLACEHOLDER) ? [{ placeholder: SECRET_PLACEHOLDER, kind: 'secret' }] : []),
  ];
  const out: Artifact = { ...a, path, content, ...(steps ? { steps } : {}) };
  if (placeholders.length) out.placeholders = placeholders;
  else delete out.placeholders;
  return out;
}

export function primaryPort(ports: string[]): { address: string; port: string } | null {
  const first = ports.find((p) => splitAddress(p) !== null);
  return first === undefined ? null : splitAddress(first);
}

/** Where to reach a listener from the device itself. */
function localHost(address: string): string {
  const a = address.replace(/%.*$/, '');
  if (a === '0.0.0.0' || a === '*' || a.startsWith('127.') || a === '') return '127.0.0.1';
  if (a === '[::]' || a === '[::1]' || a === '::') return '[::1]';
  return a;
}

// ---------------------------------------------------------------- health checks

export interface HealthUrl {
  url: string;
  source: 'config' | 'probe' | 'access-log';
  evidence: Evidence[];
  seen: { path: string; count: number; statuses: Record<string, number>; log: string } | null;
}

export function healthCheckPair(unit: string, h: HealthUrl, subject: string, ap: Applicable, taken: Taken): ProposedArtifact[] {
  const applied = ap.unit(unit);
  const url = ap.text(h.url);
  const base = applied.replace(/\.service$/, '');
  // A name whose service and timer are both free: the device's own api-health.service (a check of
  // something else, or of this unit that the analysis could not read) is never overwritten.
  const stems = [`${base}-health`, `${base}-health-check`, `${base}-charger-diag-health`];
  const free = (x: string) => !taken.has(`${UNIT_DIR}/${x}.service`) && !taken.has(`${UNIT_DIR}/${x}.timer`);
  let stem = stems.find(free);
  for (let n = 2; stem === undefined; n++) if (free(`${base}-charger-diag-health-${n}`)) stem = `${base}-charger-diag-health-${n}`;
  const svc = `${stem}.service`;
  const timer = `${stem}.timer`;
  const exists = stem === stems[0] ? null : { path: taken.has(`${UNIT_DIR}/${stems[0]}.service`) ? `${UNIT_DIR}/${stems[0]}.service` : `${UNIT_DIR}/${stems[0]}.timer`, instead: 'renamed' as const };
  taken.add(`${UNIT_DIR}/${svc}`);
  taken.add(`${UNIT_DIR}/${timer}`);
  const svcPath = `${UNIT_DIR}/${svc}`;
  const timerPath = `${UNIT_DIR}/${timer}`;
  const svcContent = [
    '[Unit]',
    `Description=${applied} health check`,
    `After=${applied}`,
    '',
    '[Service]',
    'Type=oneshot',
    // Before the restart, and only where `charger-diag capture` is installed, the hung process's
    // state is saved (docs/capture.md); `timeout 10` keeps the restart from waiting on it.
    `ExecStart=/bin/sh -c 'curl -fsS --max-time 5 "${url.replace(/%/g, '%%')}" >/dev/null || { [ -x ${HANG} ] && timeout 10 ${HANG} ${applied}; systemctl restart ${applied}; }'`,
  ].join('\n') + '\n';
  const timerContent = [
    '[Unit]',
    `Description=${applied} health check every ${HEALTH_EVERY_SEC} s`,
    '',
    '[Timer]',
    'OnBootSec=60',
    `OnUnitActiveSec=${HEALTH_EVERY_SEC}`,
    'AccuracySec=5',
    '',
    '[Install]',
    'WantedBy=timers.target',
  ].join('\n') + '\n';
  const params = { unit, url: h.url, urlSource: h.source, seen: h.seen, healthService: svc, healthTimer: timer, everySec: HEALTH_EVERY_SEC, ...(exists ? { exists } : {}) };
  return [
    {
      kind: 'health-check-service',
      subject,
      path: svcPath,
      content: svcContent,
      params,
      steps: [
        { id: 'write-file', command: writeFile(svcPath, svcContent) },
        { id: 'write-file', command: writeFile(timerPath, timerContent) },
        { id: 'daemon-reload', command: 'sudo systemctl daemon-reload' },
        { id: 'enable-timer', command: `sudo systemctl enable --now ${shq(timer)}` },
        { id: 'run-health-once', command: `sudo systemctl start ${shq(svc)} && systemctl status ${shq(svc)} --no-pager` },
        { id: 'check-timer', command: `systemctl list-timers ${shq(timer)} --no-pager` },
      ],
      evidence: h.evidence,
    },
    { kind: 'health-check-timer', subject, path: timerPath, content: timerContent, params },
  ];
}

// A URL goes into a unit file and a shell command: only characters that need no quoting in either.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9._~:/?=&%+,@[\]-]+$/;

/** The health URL of a service: configured, probed by the collector, or seen answered in its own access log. */
export function resolveHealthUrl(
  facts: Facts,
  config: Config,
  target: { unit: string; ports: string[]; outputFiles: (string | null)[] },
): HealthUrl | null {
  const portNums = new Set(target.ports.map(portOf));
  const urlPort = (u: string): string | null => {
    const m = /^(https?):\/\/(?:[^/@]*@)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(u);
    if (!m) return null;
    return m[3] ?? (m[1] === 'https' ? '443' : '80');
  };
  const configured = config.healthUrls.find((h) => h.unit === target.unit) ?? config.healthUrls.find((h) => !h.unit && portNums.has(urlPort(h.url) ?? ''));
  if (configured && SAFE_URL.test(configured.url)) return { url: configured.url, source: 'config', evidence: [], seen: null };

  const probes = facts.healthProbes.filter((h) => portNums.has(urlPort(h.url) ?? '') && SAFE_URL.test(h.url));
  const probe = probes.find((h) => h.status !== null && h.status >= 200 && h.status < 300) ?? probes[0];
  if (probe) {
    return {
      url: probe.url,
      source: 'probe',
      evidence: [{ source: probe.source, line: probe.line, time: facts.fmt(probe.epochMs), text: `GET ${probe.url} → ${probe.status ?? probe.error ?? 'no answer'}` }],
      seen: null,
    };
  }

  const port = primaryPort(target.ports);
  if (!port) return null;
  const outputs = new Set(target.outputFiles.filter((x): x is string => !!x).map((d) => `files${d}`));
  const upstreamOfNginx = facts.proxyEvents.some((e) => e.proxy === 'nginx' && e.upstream !== undefined && e.upstream.endsWith(`:${port.port}`));
  const candidates = (facts.healthPaths ?? []).filter(
    (h) =>
      Object.keys(h.statuses).some((s) => s.startsWith('2')) &&
      (h.unit === target.unit || outputs.has(h.source) || (upstreamOfNginx && h.identifier === 'nginx')),
  );
  const best = candidates.sort(rankHealthPath)[0];
  if (!best) return null;
  const url = `http://${localHost(port.address)}:${port.port}${best.path}`;
  if (!SAFE_URL.test(url)) return null;
  return {
    url,
    source: 'access-log',
    evidence: [facts.evidence(best.last)],
    seen: { path: best.path, count: best.count, statuses: best.statuses, log: best.unit ? `${best.source} (${best.unit})` : best.source },
  };
}

const PATH_PREFERENCE = ['health', 'healthz', 'ping', 'status'];

function rankHealthPath(a: HealthPathFact, b: HealthPathFact): number {
  const seg = (h: HealthPathFact) => PATH_PREFERENCE.indexOf(h.path.replace(/\/$/, '').split('/').pop()!.toLowerCase());
  return seg(a) - seg(b) || b.count - a.count || a.path.localeCompare(b.path);
}

// ---------------------------------------------------------------- shell

/** `sudo tee PATH` with a quoted here-document: nothing in the content is expanded. */
export function writeFile(file: string, content: string): string {
  let marker = 'EOF';
  while (content.split('\n').includes(marker)) marker += '_';
  return `sudo tee ${shq(file)} >/dev/null <<'${marker}'\n${content}${marker}`;
}

export function shq(s: string): string {
  // A placeholder stays outside quotes: pasted unfilled, the shell refuses the command instead of running it on a name like "<unit-name>".
  if (PLACEHOLDER_SPLIT.test(s)) return s.split(PLACEHOLDER_SPLIT).map((part, i) => (i % 2 === 1 || part === '' ? part : shq(part))).join('');
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
