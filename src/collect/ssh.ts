// --ssh [USER@]HOST[:PORT]: the catalogue run on the device through OpenSSH
// with nothing installed there. One POSIX sh script (script.ts) goes over
// `ssh -T` as the remote shell's stdin; its output comes back as frames
// (lines starting with a random boundary) around base64 data, and each
// section goes through the same redaction, window filtering and caps as a
// local run before anything is written.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseOsRelease } from '../parse/os-release.js';
import { InputError } from '../errors.js';
import { UsageError } from '../usage.js';
import { addCounts, redactDeep, type RedactionCounts } from '../redact.js';
import { formatDeviceTime, formatOffset, offsetMinutes, type DeviceClock } from '../time.js';
import { runCommand } from './exec.js';
import { bundlePathOf } from './files.js';
import { clockOf, storageOf, zoneFromLocaltimeLink } from './host.js';
import { LogCopier, mib } from './log-copy.js';
import { SourceWriter } from './output.js';
import { dropHeadToFit } from './reverse-lines.js';
import { firstJournalTime, journalCapError, lastJournalTime } from './run-command.js';
import { procInfoFromLs, procinfoPids, relatives } from './procinfo.js';
import { LineSplitter } from './redact-stream.js';
import { renderScript } from './script.js';
import { firstLine, statusOf } from './status.js';
import { LIMITS, OS_RELEASE, commandPathOf, entryOf } from '../sources/catalogue.js';
import { redactText, type HostInfo, type RunContext, type SourceRecord } from './types.js';
import type { WindowSpec } from './window.js';
import type { Session } from './collect.js';
import { SourceStatusSchema, type SourceStatus } from '../bundle/manifest.js';
import type { JournaldConfigInput } from '../parse/journald.js';
import type { FailureKind } from '../fleet/collection-record.js';

/**
 * A device that gave no bundle, with why in a form a fleet summary can group:
 * still an InputError, so a single --ssh run ends as before (one line, exit 2).
 */
export class SshFailure extends InputError {
  constructor(
    message: string,
    readonly kind: FailureKind,
  ) {
    super(message);
    this.name = 'SshFailure';
  }
}

/**
 * What ssh's own complaint means. OpenSSH's wording has been stable for
 * decades; anything unrecognised stays 'failed' with the text beside it.
 */
export function failureKindOf(sshStderr: string): FailureKind {
  if (/Permission denied \(|Too many authentication failures|no supported authentication methods|Authentication failed/i.test(sshStderr)) return 'auth-refused';
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key is known for .* and you have requested strict checking|No .*host key is known/i.test(sshStderr)) return 'host-key';
  if (/Connection refused|Connection timed out|No route to host|Network is unreachable|Could not resolve hostname|Name or service not known|Temporary failure in name resolution|Connection closed by .*port|Connection reset by|kex_exchange_identification|Operation timed out/i.test(sshStderr)) return 'unreachable';
  return 'failed';
}

export interface SshTarget {
  /** what ssh is given as destination: user@host or host */
  destination: string;
  port: number | null;
  display: string;
}

/** "[USER@]HOST[:PORT]", with "[v6]:port" for IPv6 literals. */
export function parseSshTarget(text: string): SshTarget {
  const m = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^\s:@[\]]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--ssh ${text}: expected [USER@]HOST[:PORT]`);
  const port = m[3] !== undefined ? Number(m[3]) : null;
  if (port !== null && (port < 1 || port > 65535)) throw new UsageError(`--ssh ${text}: port ${port} is out of range`);
  const host = m[2]!.replace(/^\[(.*)\]$/, '$1');
  if (host.startsWith('-') || (m[1] ?? '').startsWith('-')) throw new UsageError(`--ssh ${text}: not a host name`);
  return { destination: m[1] ? `${m[1]}@${host}` : host, port, display: text.trim() };
}

export function sshArgv(target: SshTarget, options: string[]): string[] {
  // BatchMode: a collector must never sit at a password prompt; Compression: base64 of logs shrinks well.
  return ['ssh', '-T', '-o', 'BatchMode=yes', '-o', 'Compression=yes', ...(target.port !== null ? ['-p', String(target.port)] : []), ...options, '--', target.destination, 'sh -s'];
}

export interface SshResult {
  host: HostInfo;
  clock: DeviceClock;
  window: { sinceMs: number; untilMs: number; collectedAtMs: number };
  user: string | null;
  privileged: boolean | null;
}

interface Section {
  kind: string;
  id: string;
  path: string;
  command: string;
  enc: string;
  phase: 'data' | 'stderr';
  startedAt: number;
  rc: number | null;
  size: number | null;
  raw: number;
  stderr: Buffer[];
  writer?: SourceWriter;
  /** the journal over its cap: the device sent its newest entries instead (true), or says why it could not */
  newest?: true | string;
  /** the journal's redactions, counted apart until it is known whether its forward output stays */
  journalCounts?: RedactionCounts;
  log?: LogCopier;
  buf?: Buffer[];
}

const SAFE_COMMAND_PATH = /^commands\/[A-Za-z0-9][A-Za-z0-9._@-]*$/;

function decodeLine(enc: string, line: string): Buffer {
  if (enc === 'hex') return Buffer.from(line.replace(/\s+/g, ''), 'hex');
  return Buffer.from(line.trim(), 'base64');
}

/**
 * Status of a file read on the device, from the error cat/head/tail printed,
 * in the words a local run uses ("/etc/crontab: no such file"): the reader's
 * own phrasing differs between coreutils and busybox.
 */
function readErrorStatus(stderr: string, devicePath: string): { status: SourceStatus; error: string } {
  const msg = firstLine(stderr);
  if (/no such file|not a directory/i.test(msg)) return { status: 'missing', error: `${devicePath}: no such file` };
  if (/permission denied|not permitted/i.test(msg)) return { status: 'denied', error: `${devicePath}: permission denied` };
  return { status: 'failed', error: msg || `${devicePath}: could not be read` };
}

/** `signal` is the per-host time limit: when it fires the session is ended and nothing of it is kept. */
export async function runSsh(session: Session, target: SshTarget, options: string[], spec: WindowSpec, signal?: AbortSignal): Promise<SshResult> {
  const { checked, counts } = session;
  const boundary = `@@charger-diag-${randomBytes(12).toString('hex')}`;
  const script = renderScript({ boundary, timeoutMs: session.timeoutMs, window: spec, units: checked.units, logs: checked.logs, healthUrls: checked.healthUrls, redact: false });
  const info = new Map<string, string>();
  let ctx: RunContext | null = null;
  let clock: DeviceClock = { utcOffset: '+00:00' };
  let done = false;
  let fatal: string | null = null;
  let section: Section | null = null;
  const probes: { url: string; status: number | null; ms: number | null; error: string | null; at: string }[] = [];
  const journaldConfigs: JournaldConfigInput[] = [];
  const outputs = new Map<string, string>();
  let procLinks = '';
  let lastData = Date.now();

  const need = (): RunContext => {
    if (!ctx) throw new InputError(`--ssh ${target.display}: the device sent data before its host information`);
    return ctx;
  };

  const start = () => {
    const zone = [zoneFromLocaltimeLink(info.get('localtime') ?? '') ?? undefined, info.get('timedatectl'), info.get('timezone')].find((z) => z && validZone(z)) ?? null;
    const offset = info.get('offset') ?? '';
    clock = zone ? clockOf(zone) : { utcOffset: offsetMinutes(offset) !== null ? formatOffset(offsetMinutes(offset)!) : '+00:00' };
    const nowMs = Number(info.get('now')) * 1000;
    const sinceMs = Number(info.get('since')) * 1000;
    const untilMs = Number(info.get('until')) * 1000;
    if (![nowMs, sinceMs, untilMs].every(Number.isFinite)) throw new InputError(`--ssh ${target.display}: the device's clock could not be read`);
    ctx = session.start({ hostname: info.get('hostname') || null, clock, sinceMs, untilMs, collectedAtMs: nowMs });
  };

  const written = new Set<string>();
  const open = (f: string[]) => {
    const c = need();
    const [kind = '', id = '', path = '', command = '', enc = 'b64'] = f;
    // The device is not trusted to name bundle paths: a command writes commands/<name>, a copy files/<its absolute path>.
    const rel = kind === 'cmd' ? path : kind === 'file' || kind === 'log' ? bundlePathOf(path, counts) : null;
    if ((kind === 'cmd' && !SAFE_COMMAND_PATH.test(path)) || ((kind === 'file' || kind === 'log') && !path.startsWith('/')) || (rel !== null && written.has(rel))) {
      throw new InputError(`--ssh ${target.display}: the device sent an unexpected section (${kind} ${JSON.stringify(path)})`);
    }
    if (rel !== null) written.add(rel);
    const s: Section = { kind, id, path, command, enc, phase: 'data', startedAt: Date.now(), rc: null, size: null, raw: 0, stderr: [] };
    if (kind === 'cmd') {
      const journal = id === 'journal';
      if (journal && counts) s.journalCounts = {};
      s.writer = new SourceWriter({ staging: c.staging, rel: path, counts: s.journalCounts ?? counts, json: journal, cap: journal ? LIMITS.journalBytes : LIMITS.commandBytes });
    } else if (kind === 'log') {
      s.log = new LogCopier(bundlePathOf(path, counts), {
        kind: id === 'syslog' ? 'syslog' : 'app-log',
        devicePath: path,
        window: { sinceMs: c.sinceMs, untilMs: c.untilMs, clock: c.clock, referenceMs: c.collectedAtMs },
        cap: LIMITS.logBytes,
        counts,
        staging: c.staging,
      });
    } else s.buf = [];
    c.step(`${id} ${path}`.trim());
    section = s;
  };

  const close = async (s: Section) => {
    const c = need();
    const stderr = Buffer.concat(s.stderr).toString('utf8');
    const durationMs = Date.now() - s.startedAt;
    const command = redactText(counts, s.command);
    if (s.kind === 'cmd' && s.writer) {
      const w = s.writer;
      if (s.id === 'journal' && (s.raw >= LIMITS.journalBytes || s.newest !== undefined)) w.markCapped();
      const timeoutMs = s.id === 'journal' ? session.timeoutMs * LIMITS.longTimeoutFactor : session.timeoutMs;
      const st = statusOf(
        { exitCode: s.rc, timedOut: s.rc === 124 || s.rc === 137, capped: w.capped, notFound: s.rc === 127, stderr, bytes: w.bytes, stderrIsData: s.id === 'journald' },
        s.command.split(' ')[0] ?? '',
        timeoutMs,
        s.id === 'journal' ? LIMITS.journalBytes : LIMITS.commandBytes,
      );
      let { path, bytes } = await w.finish(st.status === 'ok');
      addCounts(counts, s.journalCounts ?? null);
      if (s.newest === true && path) {
        // Redaction may lengthen a line: the oldest lines make room under the cap.
        bytes -= (await dropHeadToFit(c.staging.pathOf(path), LIMITS.journalBytes)).bytes;
      }
      const r: SourceRecord = { id: s.id, command, status: st.status };
      if (path) r.path = path;
      if (s.rc !== null) r.exitCode = s.rc;
      r.durationMs = durationMs;
      if (path) r.bytes = bytes;
      let error = st.error;
      if (s.id === 'journal' && w.capped) {
        error =
          s.newest === true && path
            ? journalCapError({ newest: true, from: await firstJournalTime(c.staging.pathOf(path), c) })
            : journalCapError({ newest: false, last: lastJournalTime(w.lastLine, c), why: typeof s.newest === 'string' ? s.newest : null });
      }
      if (error) r.error = redactText(counts, error);
      c.record(r);
      // Kept for procinfo and the journal storage verdict, which need them after the stream.
      if (path && ['ps', 'listeners', 'journald'].includes(s.id)) outputs.set(path, await readFile(c.staging.pathOf(path), 'utf8'));
      return;
    }
    if (s.kind === 'log' && s.log) {
      if (s.rc !== 0 && s.raw === 0) {
        await s.log.discard();
        const { status, error } = readErrorStatus(stderr, s.path);
        c.record({ id: s.id, command, status, error: redactText(counts, error) });
        return;
      }
      const res = await s.log.finish();
      const cutRemote = s.size !== null && s.size > LIMITS.remoteLogBytes;
      const r: SourceRecord = { id: s.id, path: bundlePathOf(s.path, counts), status: res.truncated || cutRemote ? 'truncated' : 'ok', durationMs, bytes: res.bytes };
      if (res.truncated) r.error = `over the ${mib(LIMITS.logBytes)} cap: the newest lines of the window were kept, ${mib(res.cutBytes)} of older ones cut`;
      else if (cutRemote) r.error = `only the last ${mib(LIMITS.remoteLogBytes)} of ${mib(s.size!)} were read from the device`;
      c.record(r);
      return;
    }
    const data = Buffer.concat(s.buf ?? []);
    if (s.kind === 'raw') {
      if (s.id === 'proclinks') procLinks = data.toString('utf8');
      return;
    }
    // A small file.
    if (s.rc !== 0) {
      const { status, error } = readErrorStatus(stderr, s.path);
      c.record({ id: s.id, command, status, error: redactText(counts, error) });
      return;
    }
    // A health-check script has its own, smaller cap (the device sends one byte more to show a longer file).
    const cap = s.id === 'health-script' ? LIMITS.scriptBytes : LIMITS.configFileBytes;
    const more = data.length > cap;
    const text = redactText(counts, data.subarray(0, cap).toString('utf8'));
    const rel = bundlePathOf(s.path, counts);
    const bytes = await c.staging.writeFile(rel, text);
    const r: SourceRecord = { id: s.id, path: rel, status: more ? 'truncated' : 'ok', durationMs, bytes };
    if (more) r.error = s.id === 'health-script' ? `only the first ${cap / 1024} KiB were copied` : `only the first ${LIMITS.configFileBytes / 1048576} MiB were copied`;
    c.record(r);
    if (s.id === 'journald') journaldConfigs.push({ devicePath: s.path, bundlePath: rel, text });
  };

  const control = async (f: string[]) => {
    const tag = f[0];
    if (tag === 'H') {
      if (f[1] === 'ready') start();
      else info.set(f[1] ?? '', f[2] ?? '');
    } else if (tag === 'B') open(f.slice(1));
    else if (tag === 'E' && section) {
      section.phase = 'stderr';
      section.rc = f[1] !== undefined && /^\d+$/.test(f[1]) ? Number(f[1]) : null;
      section.size = f[2] !== undefined && /^\d+$/.test(f[2]) ? Number(f[2]) : null;
    } else if (tag === 'R' && section?.id === 'journal' && section.writer && section.phase === 'data' && section.newest === undefined) {
      // The export reached the cap on the device (jnewest): what follows, if anything, is its newest
      // entries in time order, replacing what came so far; a reason instead says why they could not be read.
      const why = f.slice(1).join(' ').trim();
      if (why !== '') section.newest = why;
      else {
        section.newest = true;
        await section.writer.abandon();
        delete section.journalCounts;
        // Up to the cap before redaction; bounded at twice that for a device that sends more.
        section.writer = new SourceWriter({ staging: need().staging, rel: section.path, counts, json: true, cap: 2 * LIMITS.journalBytes });
      }
    } else if (tag === 'Z' && section) {
      const s = section;
      section = null;
      await close(s);
    } else if (tag === 'N') {
      const c = need();
      const status = SourceStatusSchema.safeParse(f[2]);
      const r: SourceRecord = { id: f[1] ?? 'unknown', status: status.success ? status.data : 'failed' };
      if (f[3]) r.command = redactText(counts, f[3]);
      if (f[4]) r.error = redactText(counts, f[4]);
      c.record(r);
    } else if (tag === 'P') {
      const [, url = '', code = '', secs = '', at = '', err = ''] = f;
      probes.push({
        url,
        status: /^\d{3}$/.test(code) ? Number(code) : null,
        ms: secs !== '' && Number.isFinite(Number(secs)) ? Math.round(Number(secs) * 1000) : null,
        error: err === '' ? null : err,
        at: formatDeviceTime(Number(at) * 1000, clock),
      });
    } else if (tag === 'F') fatal = f.slice(1).join(' ');
    else if (tag === 'D') done = true;
  };

  const data = async (line: string) => {
    const s = section;
    if (!s) return;
    const buf = decodeLine(s.enc, line);
    if (s.phase === 'stderr') {
      if (s.stderr.reduce((n, b) => n + b.length, 0) < 4096) s.stderr.push(buf);
      return;
    }
    s.raw += buf.length;
    if (s.writer) await s.writer.push(buf);
    else if (s.log) await s.log.push(buf);
    // Small files and the /proc listing are held in memory: never more than a cap's worth.
    else if (s.raw - buf.length <= (s.kind === 'file' ? LIMITS.configFileBytes : 16 * 1024 * 1024)) s.buf!.push(buf);
  };

  const prefix = `${boundary}\t`;
  let pending: string[] = [];
  const splitter = new LineSplitter((b) => pending.push(b.toString('utf8')), 64 * 1024);
  const sink = async (chunk: Buffer): Promise<boolean> => {
    lastData = Date.now();
    splitter.push(chunk);
    const lines = pending;
    pending = [];
    for (const line of lines) {
      if (line.startsWith(prefix)) await control(line.slice(prefix.length).split('\t'));
      else await data(line);
    }
    return true;
  };

  // The device enforces each command's timeout; this catches a session that hangs on its own.
  const stall = new AbortController();
  const stallLimitMs = session.timeoutMs * LIMITS.longTimeoutFactor + 30_000;
  const watch = setInterval(() => {
    if (Date.now() - lastData > stallLimitMs) stall.abort();
  }, 1000);
  const limit = signal ? AbortSignal.any([stall.signal, signal]) : stall.signal;
  let result;
  try {
    result = await runCommand(sshArgv(target, options), sink, { timeoutMs: 6 * 3600_000, stdin: script, signal: limit });
  } finally {
    clearInterval(watch);
  }
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new SshFailure(`--ssh ${target.display}: timed out`, 'timeout');
  if (fatal) throw new SshFailure(`--ssh ${target.display}: ${fatal}`, 'failed');
  if (result.spawnError) throw new InputError(`--ssh: ssh: ${result.spawnError.code === 'ENOENT' ? 'not installed (the OpenSSH client is needed)' : result.spawnError.message}`);
  if (!ctx) {
    const why = sshError(result.stderr) || `ssh exited with status ${result.exitCode ?? result.signal}`;
    throw new SshFailure(`--ssh ${target.display}: ${why}`, result.timedOut ? 'timeout' : failureKindOf(result.stderr));
  }
  const c: RunContext = ctx;
  if (section) await close(section);
  if (!done) {
    const why = result.timedOut ? `no data for ${Math.round(stallLimitMs / 1000)} s` : sshError(result.stderr) || `ssh exited with status ${result.exitCode ?? result.signal}`;
    c.record({ id: 'ssh', command: redactText(counts, `ssh ${target.display}`), status: result.timedOut ? 'timeout' : 'failed', error: redactText(counts, `the session ended before the collection finished (${why}); what arrived is kept`) });
  }

  await writeProcInfo(c, outputs, procLinks, Number(info.get('pid')));
  if (probes.length > 0) {
    const doc = { probes };
    const { path } = entryOf('health');
    const bytes = await c.staging.writeFile(path, `${JSON.stringify(counts ? redactDeep(doc, counts) : doc, null, 2)}\n`);
    c.record({ id: 'health', path, command: redactText(counts, `GET ${checked.healthUrls.join(' ')}`), status: 'ok', bytes });
  }

  const dirsPath = commandPathOf('journald');
  const dirs = outputs.get(dirsPath);
  const uid = info.get('uid');
  const zone = 'timezone' in clock ? (clock.timezone ?? null) : null;
  const host: HostInfo = {
    hostname: info.get('hostname') || null,
    os: null,
    kernel: info.get('kernel') || null,
    arch: info.get('arch') || null,
    timezone: zone,
    utcOffset: formatOffset(offsetMinutes(info.get('offset') ?? '') ?? 0),
    cpus: /^\d+$/.test(info.get('cpus') ?? '') && Number(info.get('cpus')) > 0 ? Number(info.get('cpus')) : null,
    bootId: (info.get('bootid') ?? '').replace(/-/g, '') || null,
    journalStorage: storageOf(journaldConfigs, dirs !== undefined ? { source: dirsPath, text: dirs } : null),
  };
  host.os = await osOf(c);
  return {
    host,
    clock,
    window: { sinceMs: c.sinceMs, untilMs: c.untilMs, collectedAtMs: c.collectedAtMs },
    user: info.get('user') || null,
    privileged: uid === undefined ? null : uid === '0' || info.get('sudo') === 'yes',
  };
}

/** ssh's own complaint: its last line, past the "Warning: Permanently added ..." notices. */
function sshError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Warning: /.test(l));
  return lines[lines.length - 1] ?? '';
}

function validZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
    return /^[A-Za-z0-9_+\-/]+$/.test(z);
  } catch {
    return false;
  }
}

async function osOf(c: RunContext): Promise<string | null> {
  for (const p of OS_RELEASE.map((f) => `files${f}`)) {
    try {
      return parseOsRelease(await readFile(c.staging.pathOf(p), 'utf8')).prettyName;
    } catch {
      // not copied
    }
  }
  return null;
}

async function writeProcInfo(c: RunContext, outputs: Map<string, string>, links: string, scriptPid: number): Promise<void> {
  const { command, path } = entryOf('procinfo');
  const ps = outputs.get(commandPathOf('ps'));
  if (ps === undefined) {
    c.record({ id: 'procinfo', command, status: 'failed', error: 'not read: it needs the process list, and ps gave none' });
    return;
  }
  const exclude = Number.isInteger(scriptPid) ? relatives(ps, c.clock, scriptPid, 'down') : new Set<number>();
  const pids = procinfoPids(ps, outputs.get(commandPathOf('listeners')) ?? '', c.clock, c.serverPatterns, exclude);
  const doc = { processes: procInfoFromLs(links, pids) };
  const bytes = await c.staging.writeFile(path, `${JSON.stringify(c.counts ? redactDeep(doc, c.counts) : doc, null, 2)}\n`);
  c.record({ id: 'procinfo', path, command, status: 'ok', bytes });
}
