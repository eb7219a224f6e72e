// The catalogue run on this machine: the live system, or a mounted device
// disk (--root DIR) where only what is on the disk can be read and live-only
// sources (processes, sockets, systemctl, /proc) are recorded `unavailable`.
import { createReadStream } from 'node:fs';
import { parseListUnits } from '../parse/systemctl-list-units.js';
import { redactDeep } from '../redact.js';
import { formatDeviceTime } from '../time.js';
import {
  COMMANDS,
  CRON_FILES,
  LIMITS,
  LIVE_ONLY,
  NGINX_LOG,
  NGINX_LOG_DIR,
  PROC_FILES,
  SYSLOG_FILES,
  UNIT_PROPS_COMMAND,
  crontabArgv,
  unitPropsArgv,
  type CommandEntry,
} from './catalogue.js';
import { bundlePathOf, copyConfigFile, copyCronFiles, copyJournaldConfigs, copyUnitFiles, unitLogTargets, type UnitFileCopy } from './files.js';
import type { FsView } from './fsview.js';
import { probe } from './health.js';
import { collectHealthScripts, type CronText } from './scripts.js';
import { copyLog, mib, type LogKind } from './log-copy.js';
import { logTargets, procinfoPids, readProcInfo, relatives } from './procinfo.js';
import { redactPath } from '../redact-names.js';
import { commandRunOf, readBack, runCommandSource } from './run-command.js';
import { fileErrorStatus, shellQuote } from './status.js';
import { redactText, type RunContext, type SourceRecord } from './types.js';
import type { JournaldConfigInput } from '../parse/journald.js';

export interface LocalRunOptions {
  view: FsView;
  /** test seam: extra commands run after the catalogue (a hung command, for the timeout test) */
  extraCommands?: CommandEntry[];
}

export interface LocalRunResult {
  journaldConfigs: JournaldConfigInput[];
  journalDirs: { source: string; text: string } | null;
}

function unavailable(ctx: RunContext, id: string, command: string): void {
  ctx.record({ id, command, status: 'unavailable', error: LIVE_ONLY });
}

export async function runLocal(ctx: RunContext, o: LocalRunOptions): Promise<LocalRunResult> {
  const { view } = o;
  const root = view.root;
  const live = root === null;
  const outputs = new Map<string, SourceRecord>();
  let unitCopies: UnitFileCopy[] = [];
  let procLogs: string[] = [];

  for (const entry of [...COMMANDS, ...(o.extraCommands ?? [])]) {
    const argv = live ? entry.argv : entry.rootArgv?.(root);
    if (!argv) unavailable(ctx, entry.id, shellQuote(entry.argv.filter((a) => !a.startsWith('\u0000'))));
    else {
      const run = commandRunOf(entry, argv, ctx);
      if (!live && entry.id === 'journald') {
        const prefix = root.replace(/\/+$/, '');
        run.mapLine = (l) => l.split(prefix + '/').join('/');
      }
      outputs.set(entry.path, await runCommandSource(ctx, run));
    }

    if (entry.id === 'listeners') procLogs = await procinfo(ctx, live, outputs);
    if (entry.id === 'units') await unitProps(ctx, live, outputs.get(entry.path) ?? null);
    if (entry.id === 'timers') {
      ctx.step('unit files');
      unitCopies = await copyUnitFiles(ctx, view);
    }
  }

  ctx.step('syslog');
  await syslog(ctx, view);

  ctx.step('/proc');
  for (const f of PROC_FILES) {
    if (live) await copyConfigFile(ctx, view, f.path, f.id);
    else unavailable(ctx, f.id, `copy of ${f.path}`);
  }

  ctx.step('os-release');
  const osRelease = await copyConfigFile(ctx, view, '/etc/os-release', 'os', { quietMissing: true });
  if (osRelease.text === null) await copyConfigFile(ctx, view, '/usr/lib/os-release', 'os');

  ctx.step('journald configuration');
  const journald = await copyJournaldConfigs(ctx, view);
  const dirsRecord = outputs.get('commands/journal-dirs.txt') ?? null;
  const dirsText = dirsRecord ? await readBack(ctx, dirsRecord) : null;

  ctx.step('cron');
  const cronTexts: CronText[] = (await copyCronFiles(ctx, view)).map((c) => ({ ...c, hasUserField: true }));
  cronTexts.push(...(await crontabs(ctx, view)));

  await collectHealthScripts(ctx, view, unitCopies, cronTexts);

  ctx.step('app logs');
  await appLogs(ctx, view, [...ctx.logs, ...(await nginxLogs(view)), ...unitLogTargets(unitCopies), ...procLogs]);

  ctx.step('health probes');
  await healthProbes(ctx, live);

  return {
    journaldConfigs: journald.map((j) => ({ devicePath: j.devicePath, bundlePath: j.bundlePath, text: j.text })),
    journalDirs: dirsText !== null ? { source: 'commands/journal-dirs.txt', text: dirsText } : null,
  };
}

async function procinfo(ctx: RunContext, live: boolean, outputs: Map<string, SourceRecord>): Promise<string[]> {
  const command = 'readlink /proc/PID/{exe,cwd,fd/1,fd/2}';
  if (!live) {
    unavailable(ctx, 'procinfo', command);
    return [];
  }
  ctx.step('procinfo');
  const started = Date.now();
  const psRec = outputs.get('commands/ps.txt');
  const ps = psRec ? await readBack(ctx, psRec) : null;
  const ss = outputs.get('commands/ss-ltnup.txt');
  const ssText = ss ? ((await readBack(ctx, ss)) ?? '') : '';
  if (ps === null) {
    ctx.record({ id: 'procinfo', command, status: 'failed', error: 'not read: it needs the process list, and ps gave none' });
    return [];
  }
  const pids = procinfoPids(ps, ssText, ctx.clock, ctx.serverPatterns, relatives(ps, ctx.clock, process.pid, 'down'));
  const infos = [];
  for (const pid of pids) infos.push(await readProcInfo(pid));
  // The shell that started the collector writes where the operator pointed it: not the device's evidence.
  const callers = relatives(ps, ctx.clock, process.pid, 'up');
  // Paths are redacted a segment at a time, as the bundle names the files they point to, so a
  // process's nohup.out under /srv/token=SECRET/app is still found as the file it writes.
  const counts = ctx.counts;
  const pathOf = (p: string | null): string | null => (p === null || counts === null ? p : redactPath(p, counts));
  const doc = { processes: infos.map((i) => ({ ...i, exe: pathOf(i.exe), cwd: pathOf(i.cwd), stdout: pathOf(i.stdout), stderr: pathOf(i.stderr) })) };
  const text = `${JSON.stringify(counts ? redactDeep(doc, counts) : doc, null, 2)}\n`;
  const path = 'commands/procinfo.json';
  const bytes = await ctx.staging.writeFile(path, text);
  ctx.record({ id: 'procinfo', path, command, status: 'ok', exitCode: 0, durationMs: Date.now() - started, bytes });
  return logTargets(infos.filter((i) => !callers.has(i.pid)));
}

async function unitProps(ctx: RunContext, live: boolean, units: SourceRecord | null): Promise<void> {
  if (!live) {
    unavailable(ctx, 'unit-props', UNIT_PROPS_COMMAND);
    return;
  }
  const text = units ? await readBack(ctx, units) : null;
  const names = new Set<string>();
  if (text !== null) {
    for (const r of parseListUnits(text, 'commands/systemctl-list-units.txt').records) {
      if (r.unit.endsWith('.service') || r.unit.endsWith('.timer')) names.add(r.unit);
    }
  }
  for (const u of ctx.units) names.add(u);
  if (text === null && ctx.units.length === 0) {
    const why = units?.error ? `: ${units.error}` : '';
    ctx.record({ id: 'unit-props', command: UNIT_PROPS_COMMAND, status: units?.status === 'missing' ? 'missing' : 'failed', error: `not run: systemctl list-units gave no unit list${why}` });
    return;
  }
  if (names.size === 0) {
    ctx.record({ id: 'unit-props', command: UNIT_PROPS_COMMAND, status: 'missing', error: 'no service or timer units listed' });
    return;
  }
  await runCommandSource(ctx, { id: 'unit-props', path: 'commands/systemctl-show.txt', argv: unitPropsArgv([...names]) });
}

async function readStreamOf(view: FsView, devicePath: string): Promise<AsyncIterable<Buffer>> {
  const host = await view.hostPath(devicePath);
  const stream = createReadStream(host, { highWaterMark: 1024 * 1024 });
  // Surface open errors (ENOENT, EACCES) here, before copying starts.
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return stream as AsyncIterable<Buffer>;
}

async function copyLogSource(ctx: RunContext, view: FsView, devicePath: string, kind: LogKind, quietMissing: boolean): Promise<SourceRecord | null> {
  const id = kind;
  const started = Date.now();
  const rel = bundlePathOf(devicePath, ctx.counts);
  let input: AsyncIterable<Buffer>;
  try {
    input = await readStreamOf(view, devicePath);
  } catch (e) {
    const { status, error } = fileErrorStatus(e);
    if (status === 'missing' && quietMissing) return null;
    const record: SourceRecord = { id, command: `copy of ${devicePath}`, status, error: `${devicePath}: ${error}` };
    ctx.record(record);
    return record;
  }
  let result;
  try {
    result = await copyLog(input, rel, {
      kind,
      devicePath,
      window: { sinceMs: ctx.sinceMs, untilMs: ctx.untilMs, clock: ctx.clock, referenceMs: ctx.collectedAtMs },
      cap: LIMITS.logBytes,
      counts: ctx.counts,
      staging: ctx.staging,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code !== 'EACCES' && code !== 'EIO' && code !== 'EISDIR') throw e;
    const { status, error } = fileErrorStatus(e);
    const record: SourceRecord = { id, command: `copy of ${devicePath}`, status, error: `${devicePath}: ${error}` };
    ctx.record(record);
    return record;
  }
  const record: SourceRecord = { id, path: rel, status: result.truncated ? 'truncated' : 'ok', durationMs: Date.now() - started, bytes: result.bytes };
  if (result.truncated) record.error = `over the ${mib(LIMITS.logBytes)} cap: the newest lines of the window were kept, ${mib(result.cutBytes)} of older ones cut`;
  ctx.record(record);
  return record;
}

async function syslog(ctx: RunContext, view: FsView): Promise<void> {
  let any = false;
  for (const p of SYSLOG_FILES) if (await copyLogSource(ctx, view, p, 'syslog', true)) any = true;
  if (!any) {
    ctx.record({ id: 'syslog', status: 'missing', error: `none of ${SYSLOG_FILES.filter((p) => !p.endsWith('.1')).join(', ')} exists (no syslog daemon such as rsyslog writes them)` });
  }
}

async function nginxLogs(view: FsView): Promise<string[]> {
  try {
    return (await view.list(NGINX_LOG_DIR)).filter((e) => (e.kind === 'file' || e.kind === 'link') && NGINX_LOG.test(e.name)).map((e) => `${NGINX_LOG_DIR}/${e.name}`);
  } catch {
    return [];
  }
}

async function appLogs(ctx: RunContext, view: FsView, paths: string[]): Promise<void> {
  const explicit = new Set(ctx.logs);
  const seen = new Set<string>();
  for (const p of paths) {
    const key = bundlePathOf(p, ctx.counts);
    if (seen.has(key)) continue;
    seen.add(key);
    // A log named with --log that is missing is worth saying; one found by discovery is not there by definition.
    await copyLogSource(ctx, view, p, 'app-log', !explicit.has(p));
  }
}

async function crontabs(ctx: RunContext, view: FsView): Promise<CronText[]> {
  const texts: CronText[] = [];
  if (view.root === null) {
    for (const user of await cronUsers(view)) {
      const r = await runCommandSource(ctx, { id: 'cron', path: `commands/crontab-${user}.txt`, argv: crontabArgv(user) });
      const text = r.status === 'ok' && r.path ? await readBack(ctx, r) : null;
      if (text !== null) texts.push({ path: r.path!, text, hasUserField: false });
    }
    return texts;
  }
  // On a disk the spool holds what `crontab -l` would print.
  let entries;
  try {
    entries = await view.list(CRON_FILES.spool);
  } catch (e) {
    const { status, error } = fileErrorStatus(e);
    ctx.record({ id: 'cron', command: `copy of ${CRON_FILES.spool}/*`, status, error: `${CRON_FILES.spool}: ${error}` });
    return texts;
  }
  for (const e of entries) {
    if (e.kind !== 'file' || !/^[A-Za-z0-9._-]+$/.test(e.name)) continue;
    const devicePath = `${CRON_FILES.spool}/${e.name}`;
    try {
      const { data } = await view.readHead(devicePath, LIMITS.configFileBytes);
      const rel = `commands/crontab-${e.name}.txt`;
      const text = redactText(ctx.counts, data.toString('utf8'));
      const bytes = await ctx.staging.writeFile(rel, text);
      ctx.record({ id: 'cron', path: rel, command: `copy of ${devicePath}`, status: 'ok', bytes });
      texts.push({ path: rel, text, hasUserField: false });
    } catch (err) {
      const { status, error } = fileErrorStatus(err);
      ctx.record({ id: 'cron', command: `copy of ${devicePath}`, status, error: `${devicePath}: ${error}` });
    }
  }
  return texts;
}

/** root and every account with a login shell and a regular uid: whose crontab can schedule a probe or a restart. */
async function cronUsers(view: FsView): Promise<string[]> {
  const users = new Set<string>(['root']);
  try {
    const { data } = await view.readHead('/etc/passwd', 4 * 1024 * 1024);
    for (const line of data.toString('utf8').split('\n')) {
      const f = line.split(':');
      const uid = Number(f[2]);
      const shell = f[6] ?? '';
      if (f[0] && /^[A-Za-z0-9._-]+$/.test(f[0]) && uid >= 1000 && uid < 60000 && !/(nologin|false)$/.test(shell)) users.add(f[0]);
    }
  } catch {
    // without /etc/passwd, root alone
  }
  return [...users];
}

async function healthProbes(ctx: RunContext, live: boolean): Promise<void> {
  if (ctx.healthUrls.length === 0) return;
  const command = `GET ${ctx.healthUrls.join(' ')}`;
  if (!live) {
    unavailable(ctx, 'health', redactText(ctx.counts, command));
    return;
  }
  const started = Date.now();
  const probes = [];
  for (const url of ctx.healthUrls) probes.push(await probe(url, ctx.timeoutMs, (ms) => formatDeviceTime(ms, ctx.clock)));
  const doc = { probes };
  const path = 'commands/health-probes.json';
  const bytes = await ctx.staging.writeFile(path, `${JSON.stringify(ctx.counts ? redactDeep(doc, ctx.counts) : doc, null, 2)}\n`);
  ctx.record({ id: 'health', path, command: redactText(ctx.counts, command), status: 'ok', durationMs: Date.now() - started, bytes });
}
