// `charger-diag collect`: options checked before anything runs, the window
// resolved on the device's clock, the catalogue run (live, --root or --ssh)
// into a private staging area, the manifest written, and the bundle packed
// and renamed into place. Whatever stops it (an error, a full disk, Ctrl-C)
// leaves nothing in the output directory.
import { existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InputError } from '../errors.js';
import { UsageError } from '../usage.js';
import { loadConfig } from '../config.js';
import type { RedactionCounts } from '../redact.js';
import { formatDeviceTime, type DeviceClock } from '../time.js';
import { killAllChildren } from './exec.js';
import { liveView, rootView, type FsView } from './fsview.js';
import { checkHealthUrl } from './health.js';
import { clockOf, deviceZone, diskHost, liveHost, storageOf } from './host.js';
import { runLocal } from './local.js';
import { buildManifest, type CollectorInfo } from './manifest.js';
import { Progress, humanBytes, summaryLine } from './progress.js';
import { OutputError, Staging, type StagingHooks } from './staging.js';
import { commit, packBundle, prepareBeside, sizeOf } from './bundle-writer.js';
import { shellQuote } from './status.js';
import { redactText, type HostInfo, type RunContext, type SourceRecord } from './types.js';
import { LIMITS, type CommandEntry } from '../sources/catalogue.js';
import { resolveWindow, windowSpec, type WindowSpec } from './window.js';
import { parseSshTarget, runSsh, type SshTarget } from './ssh.js';
import { renderScript } from './script.js';
import type { Analysis } from '../analysis/schema.js';
import type { CaptureTrigger } from '../capture/trigger.js';

// Collections under way (several at once in a fleet run). One 'exit' handler
// for all of them: an interrupted run ends every child and removes every
// staging area, and thousands of hosts do not mean thousands of listeners.
const underWay = new Set<() => void>();
function onProcessExit(): void {
  killAllChildren();
  for (const cleanup of underWay) cleanup();
}

export interface CollectOptions {
  since?: string;
  until?: string;
  around?: string;
  window?: string;
  root?: string;
  ssh?: string;
  sshOption?: string[];
  out?: string;
  log?: string[];
  unit?: string[];
  healthUrl?: string[];
  config?: string;
  /** seconds */
  timeout?: string | number;
  redact?: boolean;
  report?: boolean;
  lang?: 'en' | 'tr';
  /** the collector's own arguments, recorded (redacted) in the manifest */
  argv?: string[];
  /** names the default bundle file instead of the device's hostname (a fleet names each by its ssh target: cloned devices share hostnames) */
  bundleLabel?: string;
  /** `charger-diag capture`: the stop that started this collection, recorded in the manifest */
  trigger?: CaptureTrigger;
}

export interface CollectHooks extends StagingHooks {
  extraCommands?: CommandEntry[];
  /** progress output; null: silent */
  progress?: Progress | null;
  now?: () => number;
  /** ends an --ssh collection and keeps nothing of it (a fleet's per-host time limit); its reason is the message */
  signal?: AbortSignal;
}

export interface CollectResult {
  bundlePath: string;
  reportPath: string | null;
  sources: SourceRecord[];
  bytes: number;
  /** the analysis of the report beside the bundle (naming the archive and its sha256); null with --no-report or when the report could not be made */
  analysis: Analysis | null;
}


export interface Checked {
  spec: WindowSpec;
  timeoutMs: number;
  outDir: string;
  /** explicit bundle file, or null for the default name in outDir */
  outFile: string | null;
  root: string | null;
  ssh: SshTarget | null;
  logs: string[];
  units: string[];
  healthUrls: string[];
  serverPatterns: RegExp[];
}

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.(?:service|timer|socket|target|mount|path|slice|scope)$/;

/** Every option checked before anything runs (a fleet checks them once, before its first host). */
export async function checkCollectOptions(o: CollectOptions): Promise<Checked> {
  if (o.root !== undefined && o.ssh !== undefined) throw new UsageError('--root and --ssh cannot be used together');
  if ((o.sshOption ?? []).length > 0 && o.ssh === undefined) throw new UsageError('--ssh-option needs --ssh');
  const spec = windowSpec(o);
  let timeoutMs = LIMITS.timeoutSeconds * 1000;
  if (o.timeout !== undefined) {
    const t = Number(o.timeout);
    if (!Number.isFinite(t) || t <= 0 || t > 3600) throw new UsageError(`--timeout ${o.timeout}: expected seconds between 1 and 3600`);
    timeoutMs = Math.round(t * 1000);
  }
  let root: string | null = null;
  if (o.root !== undefined) {
    root = resolve(o.root);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw new InputError(`--root ${o.root}: no such directory`);
    }
    if (!st.isDirectory()) throw new InputError(`--root ${o.root}: not a directory`);
    if (!existsSync(resolve(root, 'etc')) && !existsSync(resolve(root, 'var'))) throw new InputError(`--root ${o.root}: not a device root file system (no etc/ or var/ in it)`);
  }
  const ssh = o.ssh !== undefined ? parseSshTarget(o.ssh) : null;

  let outDir: string;
  let outFile: string | null = null;
  const out = o.out !== undefined ? resolve(o.out) : null;
  if (out && existsSync(out) && statSync(out).isDirectory()) outDir = out;
  else if (out) {
    if (!/\.(?:tar\.gz|tgz)$/.test(out)) throw new UsageError(`--out ${o.out}: name a .tar.gz file or an existing directory`);
    if (existsSync(out)) throw new InputError(`--out ${o.out}: already exists (a bundle is never overwritten)`);
    outDir = dirname(out);
    if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new InputError(`--out ${o.out}: no such directory ${outDir}`);
    outFile = out;
  } else outDir = process.cwd();

  const logs = (o.log ?? []).map((p) => {
    if (root !== null || ssh !== null) {
      if (!p.startsWith('/')) throw new UsageError(`--log ${p}: give the absolute path on the device`);
      return p;
    }
    return resolve(p);
  });
  for (const u of o.unit ?? []) if (!UNIT_NAME.test(u)) throw new UsageError(`--unit ${u}: not a unit name (e.g. charger.service)`);
  const config = await loadConfig(o.config);
  const healthUrls = [...(o.healthUrl ?? []), ...config.healthUrls.map((h) => h.url)];
  for (const u of healthUrls) checkHealthUrl(u);
  return {
    spec,
    timeoutMs,
    outDir,
    outFile,
    root,
    ssh,
    logs,
    units: o.unit ?? [],
    healthUrls: [...new Set(healthUrls)],
    serverPatterns: config.serverPatterns.map((p) => new RegExp(p)),
  };
}

/** YYYYMMDD-HHmmss on `clock`, as bundle and record names carry it. */
export function stamp(ms: number, clock: DeviceClock): string {
  return formatDeviceTime(ms, clock).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function safeHost(name: string | null): string {
  const s = (name ?? '').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return s === '' ? 'device' : s.slice(0, 63);
}

/** Sessions hand the runners a context once the device's name and clock are known. */
export interface Session {
  start(p: { hostname: string | null; clock: DeviceClock; sinceMs: number; untilMs: number; collectedAtMs: number }): RunContext;
  readonly counts: RedactionCounts | null;
  readonly timeoutMs: number;
  readonly checked: Checked;
}

export async function collect(o: CollectOptions, hooks: CollectHooks = {}): Promise<CollectResult> {
  const checked = await checkCollectOptions(o);
  const now = hooks.now ?? Date.now;
  const progress = hooks.progress === undefined ? new Progress() : hooks.progress;
  const counts: RedactionCounts | null = o.redact === false ? null : {};
  const started = now();

  const staging = Staging.create(checked.outDir, hooks);
  const onExit = () => staging.cleanupSync();
  if (underWay.size === 0) process.on('exit', onProcessExit);
  underWay.add(onExit);

  const sources: SourceRecord[] = [];
  let bundleFile: string | null = null;
  const session: Session = {
    counts,
    timeoutMs: checked.timeoutMs,
    checked,
    start(p) {
      const name = checked.outFile ? basename(checked.outFile).replace(/\.(?:tar\.gz|tgz)$/, '') : `charger-diag-${safeHost(o.bundleLabel ?? p.hostname)}-${stamp(p.collectedAtMs, p.clock)}`;
      bundleFile = checked.outFile ?? resolve(checked.outDir, `${name}.tar.gz`);
      if (existsSync(bundleFile)) throw new InputError(`${bundleFile}: already exists (a bundle is never overwritten)`);
      staging.begin(name);
      return {
        staging,
        counts,
        timeoutMs: checked.timeoutMs,
        sinceMs: p.sinceMs,
        untilMs: p.untilMs,
        clock: p.clock,
        collectedAtMs: p.collectedAtMs,
        logs: checked.logs,
        units: checked.units,
        healthUrls: checked.healthUrls,
        serverPatterns: checked.serverPatterns,
        record: (r) => {
          sources.push(r);
          progress?.source(r);
        },
        step: (label) => progress?.step(label),
      };
    },
  };

  try {
    const commandLine = redactText(counts, shellQuote(['charger-diag', ...(o.argv ?? ['collect'])]));
    let host: HostInfo;
    let clock: DeviceClock;
    let window: { sinceMs: number; untilMs: number; collectedAtMs: number };
    let collector: CollectorInfo;

    if (checked.ssh) {
      const r = await runSsh(session, checked.ssh, o.sshOption ?? [], checked.spec, hooks.signal);
      host = r.host;
      clock = r.clock;
      window = r.window;
      collector = { command: commandLine, mode: 'ssh', user: r.user, privileged: r.privileged, target: redactText(counts, o.ssh ?? '') };
    } else {
      const view: FsView = checked.root ? rootView(checked.root) : liveView();
      const zone = await deviceZone(view, checked.timeoutMs);
      clock = clockOf(zone);
      const collectedAtMs = now();
      const w = resolveWindow(checked.spec, collectedAtMs, clock);
      const base = checked.root ? await diskHost(view, zone, collectedAtMs) : await liveHost(view, zone, collectedAtMs);
      if (checked.root && !zone) progress?.note(`charger-diag: ${checked.root}: no time zone found on the disk (etc/timezone, etc/localtime); times without an offset are read as UTC`);
      const runCtx = session.start({ hostname: base.hostname, clock, sinceMs: w.sinceMs, untilMs: w.untilMs, collectedAtMs });
      const r = await runLocal(runCtx, {
        view,
        ...(hooks.extraCommands ? { extraCommands: hooks.extraCommands } : {}),
        // The report's code loads while the commands run: most of their time is waiting. Loading
        // it is 20 to 35 ms of the main thread; before ps has spawned, it held back every command.
        ...(o.report !== false ? { whenUnderWay: () => void reportCode() } : {}),
      });
      host = { ...base, journalStorage: storageOf(r.journaldConfigs, r.journalDirs) };
      window = { ...w, collectedAtMs };
      const me = userInfo();
      collector = {
        command: commandLine,
        mode: checked.root ? 'root' : 'live',
        user: me.username,
        privileged: me.uid === 0,
        ...(checked.root ? { target: checked.root } : {}),
      };
    }
    if (checked.units.length > 0) collector.units = checked.units;

    const manifest = buildManifest({ host, clock, collectedAtMs: window.collectedAtMs, sinceMs: window.sinceMs, untilMs: window.untilMs, sources, counts, collector, ...(o.trigger ? { trigger: o.trigger } : {}) });
    await staging.writeFile('manifest.json', manifest);

    const finalBundle = bundleFile!;
    const report = o.report !== false ? await insideReport(staging, finalBundle, o, progress) : null;
    // The limit may run out while the report is made: a host that timed out gives no bundle, whatever it had.
    hooks.signal?.throwIfAborted();

    progress?.step('writing the bundle');
    const tar = await packBundle(staging);
    const moves = [{ from: tar.path, to: finalBundle }];
    let reportPath: string | null = null;
    let analysis: Analysis | null = null;
    if (report) {
      reportPath = finalBundle.replace(/\.(?:tar\.gz|tgz)$/, '') + '.report.md';
      // Beside the archive, the bundle is the archive: its path and its sha256.
      analysis = { ...report.analysis, bundle: { path: finalBundle, sha256: tar.sha256 } };
      moves.push({ from: await prepareBeside(staging, report.render(analysis.bundle)), to: reportPath });
    }
    await commit(moves);
    const bytes = await sizeOf(finalBundle);
    progress?.note(summaryLine(sources, now() - started));
    progress?.note(`Bundle: ${finalBundle} (${humanBytes(bytes)})`);
    if (reportPath) progress?.note(`Report: ${reportPath}`);
    return { bundlePath: finalBundle, reportPath, sources, bytes, analysis };
  } finally {
    // Each command ends its own process group (exec.ts); only an exit ends everyone's.
    progress?.clear();
    await staging.cleanup();
    underWay.delete(onExit);
    if (underWay.size === 0) process.off('exit', onProcessExit);
  }
}

type ReportCode = [typeof import('../commands/analyze.js'), typeof import('../report/index.js')];

let reportModules: Promise<ReportCode> | null = null;

/** The analysis and report code, loaded once (a fleet reports many bundles) and only when a report is made. */
function reportCode(): Promise<ReportCode> {
  reportModules ??= Promise.all([import('../commands/analyze.js'), import('../report/index.js')]);
  // Loaded ahead of its use: a failure is seen (and said) where the report is made.
  reportModules.catch(() => undefined);
  return reportModules;
}

/**
 * A full garbage collection between the collection and its report. What the collection left
 * (a journal export's lines, through redaction) is by then mostly in V8's old generation, which
 * V8 collects only when that reaches its limit: the report's analysis grew the heap on top of
 * it. In the real-systemd lab, a busy hour's journal of 35 MiB, the peak with the report went
 * from 84 to 79 MB (docs/testing.md), for one collection of a few ms. Node has no call for it:
 * V8's --expose-gc, set now, gives the next new context a gc().
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * report.md inside the staged bundle, from the same analysis `charger-diag
 * report` makes. Inside, the bundle is named by its file name with the digest
 * of its files (the archive holding the report cannot hold its own hash);
 * the copy beside it names the archive and its sha256. A report that cannot
 * be made is said on stderr and does not cost the bundle.
 */
async function insideReport(
  staging: Staging,
  finalBundle: string,
  o: CollectOptions,
  progress: Progress | null,
): Promise<{ render: (bundle: { path: string; sha256: string }) => string; analysis: Analysis } | null> {
  progress?.step('report');
  collectGarbage();
  try {
    const [{ loadAnalysis }, { renderReport }] = await reportCode();
    // Made on the device: a big journal is read without a reading thread beside the analysis, for
    // the memory of a small board (ReadOptions; 102 against 78 MB for a collection of a 183 MB journal).
    const analysis = await loadAnalysis(staging.dir, o.config, { journalThread: false });
    const lang = o.lang ?? 'en';
    const render = (bundle: { path: string; sha256: string }) => renderReport({ ...analysis, bundle }, { format: 'md', lang });
    await staging.writeFile('report.md', render({ path: basename(finalBundle), sha256: analysis.bundle.sha256 }));
    return { render, analysis };
  } catch (e) {
    if (e instanceof OutputError) throw e;
    progress?.note(`charger-diag: report not written (${(e as Error).message ?? String(e)}); the bundle is complete, run charger-diag report on it`);
    return null;
  }
}

/** `collect --print-script`: the --ssh script for this window and these options, to run by hand. */
export async function printScript(o: CollectOptions): Promise<string> {
  if (o.root !== undefined || o.ssh !== undefined) throw new UsageError('--print-script prints the script for running on the device itself: drop --root/--ssh');
  const spec = windowSpec(o);
  const timeout = o.timeout !== undefined ? Number(o.timeout) : LIMITS.timeoutSeconds;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) throw new UsageError(`--timeout ${o.timeout}: expected seconds between 1 and 3600`);
  for (const p of o.log ?? []) if (!p.startsWith('/')) throw new UsageError(`--log ${p}: give the absolute path on the device`);
  const config = await loadConfig(o.config);
  const healthUrls = [...new Set([...(o.healthUrl ?? []), ...config.healthUrls.map((h) => h.url)])];
  for (const u of healthUrls) checkHealthUrl(u);
  return renderScript({
    boundary: `@@charger-diag-${randomBytes(12).toString('hex')}`,
    timeoutMs: timeout * 1000,
    window: spec,
    units: o.unit ?? [],
    logs: o.log ?? [],
    healthUrls,
    redact: o.redact !== false,
  });
}
