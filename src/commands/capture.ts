// `charger-diag capture install|status|remove`: evidence taken when a watched service stops,
// not when someone notices (docs/capture.md). install and remove are the only commands that
// write outside their output path, and only the files their record lists; `capture collect`
// is what the installed capture unit runs. --ssh/--hosts act on devices over OpenSSH.
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { InputError } from '../errors.js';
import { parseSshTarget } from '../collect/ssh.js';
import { fleetTargets } from '../collect/fleet.js';
import { printScript } from '../collect/collect.js';
import { captureSettings, type SettingsFlags } from '../capture/settings.js';
import { localDevice, sshDevice, type Device } from '../capture/device.js';
import { newBoundary, parseQuery, queryScript, type DeviceState } from '../capture/query.js';
import { describePlan, describeRemove, installPlan, installScript, removeScript } from '../capture/plan.js';
import { captureStatus, statusText, type CaptureStatus } from '../capture/status.js';
import { captureCollect, type CaptureCollectOptions } from '../capture/collect-run.js';
import { RECORD, UNIT_NAME } from '../capture/layout.js';
import type { Collector } from '../capture/scripts.js';
import { processIo, type CliIo } from './io.js';

interface Targets {
  ssh?: string[];
  sshOption?: string[];
  hosts?: string;
}

export interface InstallCommandOptions extends SettingsFlags, Targets {
  unit?: string[];
  dryRun?: boolean;
}

export interface StatusCommandOptions extends Targets {
  dir?: string;
  json?: boolean;
}

export interface RemoveCommandOptions extends Targets {
  dryRun?: boolean;
}

function devices(o: Targets, io: CliIo): Device[] {
  if ((o.sshOption ?? []).length > 0 && !o.ssh?.length && o.hosts === undefined) throw new InputError('--ssh-option needs --ssh or --hosts');
  if (!o.ssh?.length && o.hosts === undefined) return [localDevice()];
  if (o.hosts === undefined && o.ssh!.length === 1) return [sshDevice(parseSshTarget(o.ssh![0]!), o.sshOption ?? [])];
  return fleetTargets({ ssh: o.ssh ?? [], ...(o.hosts !== undefined ? { hosts: o.hosts } : {}) }, (l) => io.stderr.write(`${l}\n`)).map((t) => sshDevice(t.target, o.sshOption ?? []));
}

async function query(d: Device, dir: string | null, root: boolean): Promise<DeviceState> {
  const boundary = newBoundary();
  const r = await d.sh(queryScript(boundary, dir), { root });
  if (!r.stdout.includes(`${boundary} end`)) throw new InputError(`${d.label}: could not read the device's state (${r.stderr.trim().split('\n').pop() || `exit ${r.code}`})`);
  return parseQuery(r.stdout, boundary);
}

/** The last line a device script wrote on stderr, without its own "charger-diag: " (the CLI adds one). */
function lastLine(stderr: string): string {
  return (stderr.trim().split('\n').pop() ?? '').replace(/^charger-diag: /, '');
}

/** A path npx or a package runner put under a temporary directory is gone by the next failure. */
function lasting(path: string): boolean {
  return !path.includes('/_npx/') && !path.startsWith(`${tmpdir()}/`) && !path.startsWith('/tmp/');
}

/** The Node and the CLI this command runs with (locally), or the ones on the device's PATH. */
function collectorFor(q: DeviceState, local: boolean): Collector {
  if (local) {
    try {
      const cli = realpathSync(process.argv[1]!);
      const node = realpathSync(process.execPath);
      if (lasting(cli) && lasting(node)) return { node, cli };
    } catch {
      // fall through to the script
    }
    return { node: null, cli: null };
  }
  if (q.node && q.cli && q.cli.endsWith('.js') && lasting(q.node) && lasting(q.cli)) return { node: q.node, cli: q.cli };
  return { node: null, cli: null };
}

/** Runs `each` on every device; one device's failure is said and the others go on. */
async function onEach(io: CliIo, list: Device[], each: (d: Device) => Promise<void>, headers = true): Promise<number> {
  let failed = 0;
  for (const d of list) {
    if (list.length > 1 && headers) io.stdout.write(`== ${d.label}\n`);
    try {
      await each(d);
    } catch (e) {
      if (list.length === 1) throw e;
      failed++;
      io.stderr.write(`charger-diag: ${d.label}: ${(e as Error).message}\n`);
    }
  }
  if (failed > 0 && failed === list.length) throw new InputError(`capture failed on every device (${failed})`);
  return failed > 0 ? 1 : 0;
}

export async function captureInstallCommand(o: InstallCommandOptions, io: CliIo = processIo()): Promise<number> {
  const settings = captureSettings(o);
  for (const u of o.unit ?? []) if (!UNIT_NAME.test(u)) throw new InputError(`--unit ${u}: not a service name (e.g. charger.service)`);
  const list = devices(o, io);
  const local = list.length === 1 && !o.ssh?.length && o.hosts === undefined;
  return onEach(io, list, async (d) => {
    const q = await query(d, settings.dir, !o.dryRun);
    if (q.recordUnreadable) throw new InputError(`${d.label}: ${RECORD} is not a record this charger-diag reads; remove it with the charger-diag that wrote it`);
    let units: string[];
    if (o.unit?.length) {
      const unknown = o.unit.filter((u) => !q.known.has(u));
      if (unknown.length) throw new InputError(`--unit ${unknown[0]}: no such service on ${d.label}`);
      units = [...new Set(o.unit)].sort();
    } else {
      units = q.candidates.map((c) => c.unit);
      if (units.length === 0) throw new InputError(`${d.label}: no site-local long-running service to watch; name the services with --unit`);
    }
    const collector = collectorFor(q, local);
    const collectScript = collector.node ? null : await printScript({ since: `-${settings.windowSec}s` });
    const plan = installPlan({ units, settings, collector, collectScript, now: new Date() });
    if (o.dryRun) {
      io.stdout.write(describePlan(plan, q.record, d.label));
      return;
    }
    const r = await d.sh(installScript(plan, q.record), { root: true });
    io.stdout.write(r.stdout);
    if (r.code !== 0) throw new InputError(`${d.label}: ${lastLine(r.stderr) || `install exited ${r.code}`}`);
    io.stdout.write(`watching ${units.join(' ')}; captures go to ${settings.dir} (${collector.node ? `charger-diag run by ${collector.node}` : 'the POSIX collection script'})\n`);
  });
}

export async function captureRemoveCommand(o: RemoveCommandOptions, io: CliIo = processIo()): Promise<number> {
  return onEach(io, devices(o, io), async (d) => {
    const q = await query(d, null, !o.dryRun);
    if (q.recordUnreadable) throw new InputError(`${d.label}: ${RECORD} is not a record this charger-diag reads; nothing was removed`);
    if (!q.record) {
      io.stdout.write(`capture is not installed on ${d.label} (no ${RECORD}): nothing to remove\n`);
      return;
    }
    if (o.dryRun) {
      io.stdout.write(describeRemove(q.record, d.label));
      return;
    }
    const r = await d.sh(removeScript(q.record), { root: true });
    io.stdout.write(r.stdout);
    if (r.code !== 0) throw new InputError(`${d.label}: ${lastLine(r.stderr) || `remove exited ${r.code}`}`);
    io.stdout.write(`kept: the captures in ${q.record.settings.dir} (${q.bundles.length} bundles)\n`);
  });
}

export async function captureStatusCommand(o: StatusCommandOptions, io: CliIo = processIo()): Promise<number> {
  if (o.dir !== undefined) captureSettings({ dir: o.dir });
  const all: CaptureStatus[] = [];
  const list = devices(o, io);
  const local = list.length === 1 && !o.ssh?.length && o.hosts === undefined;
  const code = await onEach(io, 
    list,
    async (d) => {
      const q = await query(d, o.dir ?? null, !local);
      const s = captureStatus(q);
      if (o.json) all.push(s);
      else {
        io.stdout.write(statusText(s, q.record?.units ?? []));
        // The counters and bundles are root's (the capture runs as root, umask 077).
        if (local && process.getuid?.() !== 0 && s.installed) io.stdout.write(`note: not run as root: the counters and bundles in ${s.dir} may be unreadable\n`);
      }
    },
    !o.json,
  );
  if (o.json) io.stdout.write(`${JSON.stringify(list.length === 1 ? all[0] : all, null, 2)}\n`);
  return code;
}

export type CaptureCollectCommandOptions = CaptureCollectOptions;

export async function captureCollectCommand(o: CaptureCollectOptions, io: CliIo = processIo()): Promise<number> {
  const r = await captureCollect(o);
  io.stdout.write(`${r.bundlePath}\n`);
  if (r.reportPath) io.stdout.write(`${r.reportPath}\n`);
  // What the capture cost, in the capture unit's journal (docs/capture.md quotes it).
  const u = process.resourceUsage();
  io.stdout.write(`capture cost: CPU ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(2)} s (user ${(u.userCPUTime / 1e6).toFixed(2)}, system ${(u.systemCPUTime / 1e6).toFixed(2)}), peak RSS ${(u.maxRSS / 1024).toFixed(1)} MiB\n`);
  return 0;
}
