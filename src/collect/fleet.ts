// `collect` from many devices over OpenSSH: --ssh repeated or --hosts FILE,
// at most --jobs sessions at once, each host under its own time limit, one
// bundle per host into --out DIR. A host that fails (unreachable, key
// refused, timed out) is recorded with why and never stops the others. The
// run ends with a collection record beside the bundles, which `analyze
// --summary` reads back so that hosts without a bundle stay in the fleet view,
// and (unless --no-report) the fleet report, built from the analyses each
// host's own report was made from: no bundle is analysed twice.
import { readFileSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { rename, writeFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { UsageError } from '../usage.js';
import { formatDeviceTime, type DeviceClock } from '../time.js';
import { redact, redactDeep } from '../redact.js';
import { TOOL } from '../version.js';
import { collect, checkCollectOptions, stamp, type CollectOptions, type CollectResult } from './collect.js';
import { OutputError } from './staging.js';
import { parseSshTarget, SshFailure, type SshTarget } from './ssh.js';
import { humanBytes } from './progress.js';
import { visibleLine } from '../render/visible.js';
import {
  FLEET_COLLECTION_FORMAT,
  FleetCollectionSchema,
  type FailureKind,
  type FleetCollection,
  type FleetHostRecord,
} from '../fleet/collection-record.js';
import { loadCheckedConfig } from '../commands/analyze.js';
import { defaultNow } from '../report/index.js';
import { renderFleetReport } from '../report/fleet/render.js';
import { buildFleetSummary, digestAnalysis, notCollectedHost, unreadableHost } from '../fleet/summary.js';
import { FleetSummarySchema, type FleetHost } from '../fleet/schema.js';

export const DEFAULT_JOBS = 8;
export const MAX_JOBS = 256;
/** A device's whole collection; each command on it has its own --timeout besides. */
export const DEFAULT_HOST_TIMEOUT_SECONDS = 900;

export interface FleetOptions extends Omit<CollectOptions, 'ssh' | 'bundleLabel'> {
  /** --ssh, repeated */
  ssh?: string[];
  /** --hosts FILE ('-': standard input) */
  hosts?: string;
  jobs?: string | number;
  hostTimeout?: string | number;
}

/** One line of --hosts or one --ssh, where it came from (for errors that name it). */
export interface FleetTarget {
  text: string;
  target: SshTarget;
  origin: string;
}

export interface FleetHostResult {
  record: FleetHostRecord;
  /** absolute paths of what was written for the host (null: nothing) */
  bundlePath: string | null;
  reportPath: string | null;
  /** the fleet view's digest of the analysis behind the host's report; null without one (the analysis itself is not kept: fleets are large) */
  digest: FleetHost | null;
}

export interface FleetResult {
  hosts: FleetHostResult[];
  recordPath: string;
  /** the fleet report beside the record; null with --no-report */
  reportPath: string | null;
  collection: FleetCollection;
}

export interface FleetHooks {
  /** progress and the closing summary; null: silent */
  log?: ((line: string) => void) | null;
  /** each host as it finishes, in finishing order (the CLI prints its paths) */
  onHost?: (h: FleetHostResult) => void;
  now?: () => number;
}

/** A positive whole number option within bounds, or a one-line error naming it. */
export function positiveNumber(name: string, value: string | number | undefined, fallback: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} ${value}: expected a ${integer ? 'whole number' : 'number'} from 1 to ${max}`);
  }
  return n;
}

/** --host-timeout in seconds, for one device or each of a fleet. */
export function hostTimeoutSeconds(value: string | number | undefined): number {
  return positiveNumber('--host-timeout', value, DEFAULT_HOST_TIMEOUT_SECONDS, 24 * 3600, false);
}

/** A device's time limit: when it runs out, its signal ends the collection as a 'timeout' failure naming the device. */
export function hostTimeLimit(seconds: number, target: string): { signal: AbortSignal; clear: () => void } {
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(new SshFailure(`--ssh ${target}: no bundle within ${seconds} s (--host-timeout); nothing of it was kept`, 'timeout')),
    seconds * 1000,
  );
  return { signal: ac.signal, clear: () => clearTimeout(timer) };
}

/**
 * --hosts FILE: one [USER@]HOST[:PORT] a line; `#` starts a comment (a whole
 * line, or after a space); blank lines are skipped.
 */
export function parseHostsFile(text: string, file: string): FleetTarget[] {
  const out: FleetTarget[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    if (/\s/.test(line)) throw new InputError(`${where}: expected one [USER@]HOST[:PORT] per line, found ${JSON.stringify(line)}`);
    let target: SshTarget;
    try {
      target = parseSshTarget(line);
    } catch (e) {
      throw new InputError(`${where}: ${(e as Error).message.replace(/^--ssh /, '')}`);
    }
    out.push({ text: line, target, origin: where });
  });
  return out;
}

function readHostsFile(file: string): string {
  try {
    if (file === '-') return readFileSync(0, 'utf8');
    const st = statSync(file);
    if (!st.isFile()) throw new InputError(`--hosts ${file}: not a file`);
    if (st.size > 16 * 1024 * 1024) throw new InputError(`--hosts ${file}: larger than 16 MiB; not a host list`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--hosts ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
}

/** The device a target reaches: user names differ, the device does not. */
function deviceKey(t: SshTarget): string {
  return `${t.destination.replace(/^[^@]*@/, '').toLowerCase()}:${t.port ?? ''}`;
}

/** Every target of --ssh and --hosts, each device once (a second line for it is said on stderr). */
export function fleetTargets(o: FleetOptions, log: ((l: string) => void) | null): FleetTarget[] {
  const all: FleetTarget[] = (o.ssh ?? []).map((text) => ({ text: text.trim(), target: parseSshTarget(text), origin: `--ssh ${text}` }));
  if (o.hosts !== undefined) {
    const name = o.hosts === '-' ? '(standard input)' : o.hosts;
    all.push(...parseHostsFile(readHostsFile(o.hosts), name));
  }
  if (all.length === 0) throw new InputError(`--hosts ${o.hosts}: names no host`);
  const seen = new Map<string, FleetTarget>();
  const out: FleetTarget[] = [];
  for (const t of all) {
    const first = seen.get(deviceKey(t.target));
    if (first) {
      log?.(`charger-diag: ${t.origin}: ${t.text} is the device of ${first.origin} again; collected once`);
      continue;
    }
    seen.set(deviceKey(t.target), t);
    out.push(t);
  }
  return out;
}

/** The bundle's file name part: the host as the operator named it, with its port when one was given. */
function labelOf(t: SshTarget): string {
  const host = t.destination.replace(/^[^@]*@/, '');
  return t.port !== null ? `${host}-${t.port}` : host;
}

const LOCAL_CLOCK: DeviceClock = { timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null };

function failureOf(e: unknown, t: FleetTarget): { kind: FailureKind; message: string } {
  const text = (e as Error)?.message ?? String(e);
  // The device's own words come first; "--ssh X:" is the single-host prefix, the summary names the host already.
  const message = text.replace(/^--ssh \S+: /, '');
  if (e instanceof SshFailure) return { kind: e.kind, message };
  if (e instanceof InputError || e instanceof OutputError) return { kind: 'failed', message };
  return { kind: 'failed', message: `internal error: ${message} (${t.text})` };
}

function sourceCounts(r: CollectResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of r.sources) counts[s.status] = (counts[s.status] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function hostLine(r: FleetHostRecord, bytes: number | null, reportWanted: boolean): string {
  if (r.status === 'failed') return `${r.failure!.kind}: ${r.failure!.message}`;
  const c = r.sources ?? {};
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const notOk = Object.entries(c)
    .filter(([k]) => k !== 'ok')
    .map(([k, v]) => `${v} ${k}`);
  return `ok, ${total} sources${notOk.length ? ` (${notOk.join(', ')})` : ''}${bytes !== null ? `, ${humanBytes(bytes)}` : ''} in ${(r.durationMs / 1000).toFixed(1)} s${reportWanted && r.report === null ? '; its report could not be made (run charger-diag report on the bundle)' : ''}`;
}

/** Collect from every target; at most `jobs` ssh sessions are open at any time. */
export async function collectFleet(o: FleetOptions, hooks: FleetHooks = {}): Promise<FleetResult> {
  // Lines quote targets and ssh's or the device's words: controls shown, not obeyed.
  const log = hooks.log === undefined ? (l: string) => process.stderr.write(`${visibleLine(l)}\n`) : hooks.log;
  const now = hooks.now ?? Date.now;
  if (o.root !== undefined) throw new UsageError('--root and --ssh/--hosts cannot be used together');
  const jobs = positiveNumber('--jobs', o.jobs, DEFAULT_JOBS, MAX_JOBS, true);
  const limitSeconds = hostTimeoutSeconds(o.hostTimeout);
  const targets = fleetTargets(o, log);
  const { ssh: _ssh, hosts: _hosts, jobs: _jobs, hostTimeout: _hostTimeout, out: _out, ...rest } = o;
  // Options are checked once, with the first host and before --out is made:
  // a bad --since fails the run, not every host, and leaves nothing behind.
  await checkCollectOptions({ ...rest, ssh: targets[0]!.text });
  const config = o.report !== false ? await loadCheckedConfig(o.config) : null;
  const outDir = fleetOutDir(o.out);
  const base: CollectOptions = { ...rest, out: outDir };

  const startedMs = now();
  const recordPath = join(outDir, `charger-diag-fleet-${stamp(startedMs, LOCAL_CLOCK)}.json`);
  log?.(`Collecting from ${targets.length} host${targets.length === 1 ? '' : 's'}, at most ${Math.min(jobs, targets.length)} at once, each within ${limitSeconds} s, into ${outDir}`);
  const results: FleetHostResult[] = new Array(targets.length);
  let done = 0;
  let next = 0;

  const one = async (i: number) => {
    const t = targets[i]!;
    const started = now();
    const limit = hostTimeLimit(limitSeconds, t.text);
    let res: FleetHostResult;
    let bytes: number | null = null;
    try {
      const r = await collect({ ...base, ssh: t.text, bundleLabel: labelOf(t.target), argv: fleetArgv(o.argv, t.text) }, { progress: null, signal: limit.signal, now });
      bytes = r.bytes;
      res = {
        record: {
          target: t.text,
          status: 'ok',
          bundle: basename(r.bundlePath),
          report: r.reportPath ? basename(r.reportPath) : null,
          failure: null,
          durationMs: Math.max(0, Math.round(now() - started)),
          sources: sourceCounts(r),
        },
        bundlePath: r.bundlePath,
        reportPath: r.reportPath,
        digest: r.analysis ? digestAnalysis(r.analysis, { target: t.text, toolVersion: TOOL.version, input: r.bundlePath, record: recordPath }) : null,
      };
    } catch (e) {
      const f = failureOf(e, t);
      res = {
        record: { target: t.text, status: 'failed', bundle: null, report: null, failure: { kind: f.kind, message: redact(f.message) }, durationMs: Math.max(0, Math.round(now() - started)) },
        bundlePath: null,
        reportPath: null,
        digest: null,
      };
    } finally {
      limit.clear();
    }
    results[i] = res;
    done++;
    log?.(`[${done}/${targets.length}] ${t.text}: ${hostLine(res.record, bytes, config !== null)}`);
    hooks.onHost?.(res);
  };

  const worker = async () => {
    while (next < targets.length) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, targets.length) }, worker));

  const finishedMs = now();
  const collection: FleetCollection = FleetCollectionSchema.parse({
    format: FLEET_COLLECTION_FORMAT,
    formatVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    startedAt: formatDeviceTime(startedMs, LOCAL_CLOCK),
    finishedAt: formatDeviceTime(finishedMs, LOCAL_CLOCK),
    window: windowGiven(o),
    jobs,
    hostTimeoutSeconds: limitSeconds,
    hosts: results.map((r) => r.record),
  });
  await writeBeside(recordPath, `${JSON.stringify(collection, null, 2)}\n`);
  let reportPath: string | null = null;
  if (config) {
    reportPath = recordPath.replace(/\.json$/, '.report.md');
    const hosts = results.map((r) => fleetHostOf(r, recordPath));
    const summary = FleetSummarySchema.parse(redactDeep(buildFleetSummary(hosts, { inputs: [recordPath], outageGapSeconds: config.thresholds.outageGapSeconds, now: defaultNow() })));
    await writeBeside(reportPath, renderFleetReport(summary, { format: 'md', lang: o.lang ?? 'en' }));
  }
  for (const line of closingSummary(collection, finishedMs - startedMs)) log?.(line);
  log?.(`Record: ${recordPath}`);
  if (reportPath) log?.(`Fleet report: ${reportPath}`);
  return { hosts: results, recordPath, reportPath, collection };
}

/** A host as the fleet report sees it: its digest, why it gave no bundle, or why its bundle has no analysis. */
function fleetHostOf(r: FleetHostResult, recordPath: string): FleetHost {
  if (r.digest) return r.digest;
  if (r.record.status === 'failed') return notCollectedHost(r.record, recordPath);
  return unreadableHost(r.bundlePath ?? r.record.target, `${r.bundlePath}: its report could not be made at collection; run charger-diag report on it`, { target: r.record.target, record: recordPath });
}

function windowGiven(o: FleetOptions): Record<string, string> {
  const w: Record<string, string> = {};
  for (const k of ['since', 'until', 'around', 'window'] as const) if (o[k] !== undefined) w[k] = String(o[k]);
  if (Object.keys(w).length === 0) w.since = '-1h';
  return w;
}

/** Each bundle's manifest records the command that made it: the fleet's, narrowed to its own host. */
function fleetArgv(argv: string[] | undefined, target: string): string[] | undefined {
  if (!argv) return undefined;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--ssh' || a === '--hosts' || a === '--jobs') {
      i++;
      continue;
    }
    if (/^--(?:ssh|hosts|jobs)=/.test(a)) continue;
    out.push(a);
  }
  const at = out.indexOf('collect');
  out.splice(at >= 0 ? at + 1 : 0, 0, '--ssh', target);
  return out;
}

/** --out DIR for a fleet: an existing directory, or a new one in an existing directory. */
function fleetOutDir(out: string | undefined): string {
  if (out === undefined) return process.cwd();
  const dir = resolve(out);
  if (/\.(?:tar\.gz|tgz)$/.test(dir)) throw new UsageError(`--out ${out}: several hosts give several bundles; name a directory`);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out ${out}: not a directory`);
    return dir;
  }
  if (!existsSync(dirname(dir)) || !statSync(dirname(dir)).isDirectory()) throw new InputError(`--out ${out}: no such directory ${dirname(dir)}`);
  try {
    mkdirSync(dir);
  } catch (e) {
    throw new InputError(`--out ${out}: cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return dir;
}


/** Written under a temporary name and renamed: a reader never sees half a record. */
export async function writeBeside(path: string, content: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx', mode: 0o644 });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new InputError(`${path}: could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

const KIND_ORDER: FailureKind[] = ['unreachable', 'auth-refused', 'host-key', 'timeout', 'failed'];

/** The lines that close a fleet run: how many hosts gave a bundle, and each failed one with why. */
export function closingSummary(c: FleetCollection, elapsedMs: number): string[] {
  const failed = c.hosts.filter((h) => h.status === 'failed');
  const ok = c.hosts.length - failed.length;
  const head = `Fleet: ${ok} of ${c.hosts.length} host${c.hosts.length === 1 ? '' : 's'} collected in ${(elapsedMs / 1000).toFixed(1)} s`;
  if (failed.length === 0) return [`${head}.`];
  const byKind = KIND_ORDER.map((k) => [k, failed.filter((h) => h.failure?.kind === k)] as const).filter(([, hs]) => hs.length > 0);
  const lines = [`${head}; ${failed.length} failed (${byKind.map(([k, hs]) => `${hs.length} ${k}`).join(', ')}):`];
  const width = Math.min(40, Math.max(...failed.map((h) => h.target.length)));
  for (const [kind, hs] of byKind) {
    for (const h of hs) lines.push(`  ${h.target.padEnd(width)}  ${kind.padEnd(12)}  ${h.failure?.message ?? ''}`);
  }
  return lines;
}
