// A server started by hand becomes a systemd unit: the unit file (or, when the
// device has the unit already, a drop-in that leaves it as it is), how to move
// the running process over, and its health check when the URL is known.
import path from 'node:path';
import type { Finding } from '../../analysis/schema.js';
import type { ArtifactStep } from '../../analysis/schema.js';
import type { ProcessFact } from '../../facts/types.js';
import { suggestUnitName } from '../../facts/naming.js';
import { hasMark } from '../../redact-names.js';
import type { ProposedArtifact } from '../define.js';
import {
  freeDropIn,
  healthCheckPair,
  primaryPort,
  resolveHealthUrl,
  RESTART_SEC,
  shq,
  START_LIMIT_BURST,
  START_LIMIT_INTERVAL_SEC,
  UNIT_DIR,
  UNIT_PLACEHOLDER,
  writeFile,
  type ArtifactKit,
} from '../../analysis/artifact-kit.js';
import type { UnmanagedParams } from './params.js';

export function unmanagedArtifacts(f: Finding, params: UnmanagedParams, { facts, config, ap, taken }: ArtifactKit): ProposedArtifact[] {
  const p = facts.processes.find((x) => x.pid === params.pid);
  if (!p) return [];
  const suggested = params.suggestedUnit;
  const fallback = `${suggestUnitName(p.program, p.cwd, p.args)}.service`;
  // The name as the report shows it (a redaction mark in it when it held a secret) ...
  const named = validUnitName(suggested) ?? (typeof suggested === 'string' && hasMark(suggested) ? suggested : fallback);
  // ... and as files and commands carry it: a proposed name holding a secret is the user's to choose.
  const unit = validUnitName(ap.unit(named)) ?? fallback;
  const base = unit.replace(/\.service$/, '');
  const exec = execStartOf(p);
  const port = primaryPort(p.ports);
  const existing = facts.services.find((s) => s.name === named);
  const lines = [
    '[Unit]',
    `Description=${sdValue(ap.text(`${base} (${p.program})`))}`,
    'After=network-online.target',
    'Wants=network-online.target',
    `StartLimitIntervalSec=${START_LIMIT_INTERVAL_SEC}`,
    `StartLimitBurst=${START_LIMIT_BURST}`,
    '',
    '[Service]',
    'Type=simple',
    `User=${sdValue(ap.text(p.user))}`,
    p.cwd ? `WorkingDirectory=${sdValue(ap.text(p.cwd))}` : '# WorkingDirectory=unknown: set the directory the process was started from',
    `ExecStart=${ap.text(exec.line)}`,
    'Restart=always',
    `RestartSec=${RESTART_SEC}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  let content = lines.join('\n') + '\n';
  let unitPath = `${UNIT_DIR}/${unit}`;
  let exists: { path: string; instead: 'drop-in' | 'renamed'; dropIn?: string } | null = null;
  let write = writeFile(unitPath, content);
  if (taken.has(unitPath)) {
    // The unit is there already: a drop-in makes it run this command with the restart policy, and leaves the file as it is.
    const d = freeDropIn(taken, `${unitPath}.d`, 'charger-diag.conf');
    exists = { path: unitPath, instead: 'drop-in', dropIn: d.file };
    content = [
      '[Unit]',
      `StartLimitIntervalSec=${START_LIMIT_INTERVAL_SEC}`,
      `StartLimitBurst=${START_LIMIT_BURST}`,
      '',
      '[Service]',
      `User=${sdValue(ap.text(p.user))}`,
      p.cwd ? `WorkingDirectory=${sdValue(ap.text(p.cwd))}` : '# WorkingDirectory=unknown: set the directory the process was started from',
      '# An empty ExecStart= clears the unit\'s own before the new one (a service has one ExecStart=).',
      'ExecStart=',
      `ExecStart=${ap.text(exec.line)}`,
      'Restart=always',
      `RestartSec=${RESTART_SEC}`,
    ].join('\n') + '\n';
    write = `sudo mkdir -p ${shq(`${unitPath}.d`)}\n${writeFile(d.file, content)}`;
    unitPath = d.file;
  } else taken.add(unitPath);
  const health = port ? resolveHealthUrl(facts, config, { unit, ports: p.ports, outputFiles: [p.stdout, p.stderr] }) : null;
  const steps: ArtifactStep[] = [
    { id: 'write-file', command: write },
    { id: 'verify-unit', command: `sudo systemd-analyze verify ${shq(exists ? exists.path : unitPath)}` },
    { id: 'daemon-reload', command: 'sudo systemctl daemon-reload' },
    { id: 'stop-process', command: `sudo kill ${p.pid}` },
    {
      id: port ? 'wait-port-free' : 'wait-process-gone',
      command: port
        ? `timeout 30 sh -c 'while [ -e /proc/${p.pid} ] || ss -Hltn "sport = :${port.port}" | grep -q .; do sleep 1; done'`
        : `timeout 30 sh -c 'while [ -e /proc/${p.pid} ]; do sleep 1; done'`,
    },
    { id: 'enable-now', command: `sudo systemctl enable --now ${shq(unit)}` },
    { id: 'check-status', command: `systemctl status ${shq(unit)} --no-pager` },
    health
      ? { id: 'check-health', command: `curl -fsS --max-time 5 ${shq(ap.text(health.url))}` }
      : port
        ? { id: 'check-port', command: `ss -ltnp 'sport = :${port.port}'` }
        : { id: 'check-journal', command: `journalctl -u ${shq(unit)} -n 20 --no-pager` },
  ];
  const unitArtifact: ProposedArtifact = {
    kind: 'unit-file',
    subject: f.subject,
    path: unitPath,
    content,
    params: {
      unit: named,
      pid: p.pid,
      program: p.program,
      user: p.user,
      workingDirectory: p.cwd,
      execStart: exec.line,
      execStartResolved: exec.resolvedFrom,
      ports: p.ports,
      port: port?.port ?? null,
      workers: params.workers,
      stdout: p.stdout,
      scope: p.cgroupUnit,
      healthUrl: health?.url ?? null,
      existingUnit: existing ? { fragment: existing.fragmentPath, activeState: existing.activeState } : null,
      ...(exists ? { exists } : {}),
      restartSec: RESTART_SEC,
      startLimitIntervalSec: START_LIMIT_INTERVAL_SEC,
      startLimitBurst: START_LIMIT_BURST,
    },
    steps,
    evidence: [facts.evidence(p.psLine), ...(p.procinfoLine ? [facts.evidence(p.procinfoLine)] : [])],
  };
  const out = [unitArtifact];
  if (health) out.push(...healthCheckPair(named, health, f.subject, ap, taken));
  return out;
}

function validUnitName(v: unknown): string | null {
  return typeof v === 'string' && (/^[A-Za-z0-9:_.@-]+\.service$/.test(v) || v === `${UNIT_PLACEHOLDER}.service`) ? v : null;
}

/**
 * ExecStart= from the command line ps shows. systemd needs an absolute
 * program path: a relative one is resolved against the process's cwd, or
 * replaced by /proc/PID/exe when that is the same program.
 */
function execStartOf(p: ProcessFact): { line: string; resolvedFrom: string | null } {
  const words = p.args.split(/\s+/).filter(Boolean);
  let resolvedFrom: string | null = null;
  const argv0 = words[0] ?? p.program;
  if (!argv0.startsWith('/')) {
    if (argv0.includes('/') && p.cwd) {
      words[0] = path.posix.join(p.cwd, argv0);
      resolvedFrom = argv0;
    } else if (p.exe && path.posix.basename(p.exe).startsWith(path.posix.basename(argv0))) {
      words[0] = p.exe;
      resolvedFrom = argv0;
    }
  }
  return { line: words.map(sdExecWord).join(' '), resolvedFrom };
}

/** One ExecStart= word: specifiers, variables and backslashes kept literal; quotes kept inside a quoted word. */
function sdExecWord(w: string): string {
  const esc = w.replace(/\\/g, '\\\\').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (w === ';') return '\\;';
  if (/["']/.test(w)) return `"${esc.replace(/"/g, '\\"')}"`;
  return esc;
}

/** A plain setting value: only specifiers need escaping. */
function sdValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').replace(/%/g, '%%');
}
