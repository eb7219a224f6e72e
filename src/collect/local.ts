// The catalogue run on this machine: the live system, or a mounted device
// disk (--root DIR) where only what is on the disk can be read and live-only
// sources (processes, sockets, systemctl, /proc) are recorded `unavailable`.
import { createReadStream } from 'node:fs';
import { parseListUnits } from '../parse/systemctl-list-units.js';
import { redactDeep } from '../redact.js';
import { formatDeviceTime } from '../time.js';
import {
  CATALOGUE,
  LIMITS,
  LIVE_ONLY,
  NGINX_LOG,
  SYSLOG_MISSING,
  commandPathOf,
  crontabArgv,
  crontabPath,
  unitPropsArgv,
  type CatalogueEntry,
  type CommandEntry,
} from '../sources/catalogue.js';
import { bundlePathOf, copyConfigFile, copyCronFiles, copyJournaldConfigs, copyUnitFiles, unitLogTargets, type UnitFileCopy } from './files.js';
import type { FsView } from './fsview.js';
import { probe } from './health.js';
import { collectHealthScripts, type CronText } from './scripts.js';
import { copyLog, mib, type LogKind } from './log-copy.js';
import { logTargets, procinfoPids, readProcInfo, relatives } from './procinfo.js';
import { redactPath } from '../redact-names.js';
import { commandRunOf, readBack, runCommandSource } from './run-command.js';
import { runSteps } from './steps.js';
import { fileErrorStatus, shellQuote } from './status.js';
import { redactText, type RunContext, type SourceRecord } from './types.js';
import type { JournaldConfigInput } from '../parse/journald.js';

export interface LocalRunOptions {
  view: FsView;
  /** test seam: extra commands run after the catalogue's last command (a hung command, for the timeout test) */
  extraCommands?: CommandEntry[];
  /**
   * Called once, when ps has ended and the commands after it have started:
   * work done then (loading the report's code) overlaps their wait instead of
   * holding back ps or the commands that start when it ends.
   */
  whenUnderWay?: () => void;
}

export interface LocalRunResult {
  journaldConfigs: JournaldConfigInput[];
  journalDirs: { source: string; text: string } | null;
}

// Steps running at once: enough to overlap the commands' waits for systemd
// and the disk, few enough for a 4-core board that is also charging cars.
const STEPS_AT_ONCE = 4;

const indexOfCommand = (id: string) => CATALOGUE.findIndex((e) => e.kind === 'command' && e.id === id);

/**
 * What each catalogue step waits for before it starts. ps runs alone, first:
 * the process list shows the collector and its children, and must not show
 * the commands running beside it. procinfo reads ps and ss, unit-props reads
 * list-units. The health-check scripts and the application logs wait for
 * every copying step before them: they skip or collide with files already
 * copied, which must be the same files as when the steps ran one by one.
 * Commands write only commands/, never a copy's files/ path: those are not
 * waited for (list-unit-files alone takes a third of a second here).
 */
function needsOf(i: number): number[] {
  const entry = CATALOGUE[i]!;
  const ps = indexOfCommand('ps');
  if (i === ps) return [];
  switch (entry.kind) {
    case 'procinfo':
      return [ps, indexOfCommand('listeners')];
    case 'unit-props':
      return [ps, indexOfCommand('units')];
    case 'health-script':
    case 'app-log':
      return [ps, ...[...Array(i).keys()].filter((j) => CATALOGUE[j]!.kind !== 'command')];
    default:
      return [ps];
  }
}

function unavailable(ctx: RunContext, id: string, command: string): void {
  ctx.record({ id, command, status: 'unavailable', error: LIVE_ONLY });
}

export async function runLocal(ctx: RunContext, o: LocalRunOptions): Promise<LocalRunResult> {
  const { view } = o;
  const live = view.root === null;
  const outputs = new Map<string, SourceRecord>();
  let unitCopies: UnitFileCopy[] = [];
  let procLogs: string[] = [];
  let journald: { devicePath: string; bundlePath: string; text: string }[] = [];
  const cronTexts: CronText[] = [];
  const lastCommand = CATALOGUE.filter((e) => e.kind === 'command').pop();

  const command = async (ctx: RunContext, entry: CommandEntry) => {
    const argv = view.root === null ? entry.argv : entry.rootArgv?.(view.root);
    if (!argv) {
      unavailable(ctx, entry.id, shellQuote(entry.argv.filter((a) => !a.startsWith('\u0000'))));
      return;
    }
    const run = commandRunOf(entry, argv, ctx);
    if (view.root !== null && entry.id === 'journald') {
      // A listing of the disk's directories names them as the device does.
      const prefix = view.root.replace(/\/+$/, '');
      run.mapLine = (l) => l.split(prefix + '/').join('/');
    }
    outputs.set(entry.path, await runCommandSource(ctx, run));
  };

  const step = async (ctx: RunContext, entry: CatalogueEntry) => {
    switch (entry.kind) {
      case 'command':
        await command(ctx, entry);
        if (entry === lastCommand) for (const extra of o.extraCommands ?? []) await command(ctx, extra);
        // The steps waiting for ps start, and spawn their commands, in the microtasks after this
        // step ends; setImmediate comes after those.
        if (entry.id === 'ps' && o.whenUnderWay) setImmediate(o.whenUnderWay);
        return;
      case 'procinfo':
        procLogs = await procinfo(ctx, live, outputs, entry);
        return;
      case 'unit-props':
        await unitProps(ctx, live, outputs.get(commandPathOf('units')) ?? null, entry);
        return;
      case 'unit-files':
        ctx.step('unit files');
        unitCopies = await copyUnitFiles(ctx, view, entry.dirs);
        return;
      case 'syslog':
        ctx.step('syslog');
        await syslog(ctx, view, entry.files);
        return;
      case 'proc-files':
        ctx.step(entry.label);
        for (const f of entry.files) {
          if (live) await copyConfigFile(ctx, view, f.path, f.id);
          else unavailable(ctx, f.id, `copy of ${f.path}`);
        }
        return;
      case 'first-file': {
        ctx.step(entry.label);
        // Each but the last is optional: the next stands in for it.
        for (const [i, f] of entry.files.entries()) {
          const last = i === entry.files.length - 1;
          if ((await copyConfigFile(ctx, view, f, entry.id, last ? {} : { quietMissing: true })).text !== null) break;
        }
        return;
      }
      case 'journald-config':
        ctx.step('journald configuration');
        journald = await copyJournaldConfigs(ctx, view, entry.dirs);
        return;
      case 'cron':
        ctx.step('cron');
        cronTexts.push(...(await copyCronFiles(ctx, view, entry)).map((c) => ({ ...c, hasUserField: true })));
        cronTexts.push(...(await crontabs(ctx, view, entry.spool)));
        return;
      case 'health-script':
        await collectHealthScripts(ctx, view, unitCopies, cronTexts);
        return;
      case 'app-log':
        ctx.step('app logs');
        await appLogs(ctx, view, [...ctx.logs, ...(await nginxLogs(view, entry.nginxDir)), ...unitLogTargets(unitCopies), ...procLogs]);
        return;
      case 'health':
        ctx.step('health probes');
        await healthProbes(ctx, live, entry.path);
        return;
    }
  };

  await runSteps(ctx, CATALOGUE.map((entry, i) => ({ needs: needsOf(i), run: (c) => step(c, entry) })), STEPS_AT_ONCE);

  const dirsPath = commandPathOf('journald');
  const dirsRecord = outputs.get(dirsPath) ?? null;
  const dirsText = dirsRecord ? await readBack(ctx, dirsRecord) : null;
  return {
    journaldConfigs: journald.map((j) => ({ devicePath: j.devicePath, bundlePath: j.bundlePath, text: j.text })),
    journalDirs: dirsText !== null ? { source: dirsPath, text: dirsText } : null,
  };
}

async function procinfo(ctx: RunContext, live: boolean, outputs: Map<string, SourceRecord>, entry: { path: string; command: string }): Promise<string[]> {
  const { command, path } = entry;
  if (!live) {
    unavailable(ctx, 'procinfo', command);
    return [];
  }
  ctx.step('procinfo');
  const started = Date.now();
  const psRec = outputs.get(commandPathOf('ps'));
  const ps = psRec ? await readBack(ctx, psRec) : null;
  const ss = outputs.get(commandPathOf('listeners'));
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
  const bytes = await ctx.staging.writeFile(path, text);
  ctx.record({ id: 'procinfo', path, command, status: 'ok', exitCode: 0, durationMs: Date.now() - started, bytes });
  return logTargets(infos.filter((i) => !callers.has(i.pid)));
}

async function unitProps(ctx: RunContext, live: boolean, units: SourceRecord | null, entry: { path: string; command: string }): Promise<void> {
  if (!live) {
    unavailable(ctx, 'unit-props', entry.command);
    return;
  }
  const text = units ? await readBack(ctx, units) : null;
  const names = new Set<string>();
  if (text !== null) {
    for (const r of parseListUnits(text, commandPathOf('units')).records) {
      if (r.unit.endsWith('.service') || r.unit.endsWith('.timer')) names.add(r.unit);
    }
  }
  for (const u of ctx.units) names.add(u);
  if (text === null && ctx.units.length === 0) {
    const why = units?.error ? `: ${units.error}` : '';
    ctx.record({ id: 'unit-props', command: entry.command, status: units?.status === 'missing' ? 'missing' : 'failed', error: `not run: systemctl list-units gave no unit list${why}` });
    return;
  }
  if (names.size === 0) {
    ctx.record({ id: 'unit-props', command: entry.command, status: 'missing', error: 'no service or timer units listed' });
    return;
  }
  await runCommandSource(ctx, { id: 'unit-props', path: entry.path, argv: unitPropsArgv([...names]) });
}

async function readStreamOf(view: FsView, devicePath: string): Promise<AsyncIterable<Buffer>> {
  const host = await view.hostPath(devicePath);
  // A read's lines are all split and held before the first is written: 1 MiB reads made a 137 MB
  // log's copy peak 12.5 MB higher, and 64 KiB ones cost a fifth more CPU (measured; see the commit).
  const stream = createReadStream(host, { highWaterMark: 256 * 1024 });
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

async function syslog(ctx: RunContext, view: FsView, files: string[]): Promise<void> {
  let any = false;
  for (const p of files) if (await copyLogSource(ctx, view, p, 'syslog', true)) any = true;
  if (!any) ctx.record({ id: 'syslog', status: 'missing', error: SYSLOG_MISSING });
}

async function nginxLogs(view: FsView, dir: string): Promise<string[]> {
  try {
    return (await view.list(dir)).filter((e) => (e.kind === 'file' || e.kind === 'link') && NGINX_LOG.test(e.name)).map((e) => `${dir}/${e.name}`);
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

async function crontabs(ctx: RunContext, view: FsView, spool: string): Promise<CronText[]> {
  const texts: CronText[] = [];
  if (view.root === null) {
    for (const user of await cronUsers(view)) {
      const r = await runCommandSource(ctx, { id: 'cron', path: crontabPath(user), argv: crontabArgv(user) });
      const text = r.status === 'ok' && r.path ? await readBack(ctx, r) : null;
      if (text !== null) texts.push({ path: r.path!, text, hasUserField: false });
    }
    return texts;
  }
  // On a disk the spool holds what `crontab -l` would print.
  let entries;
  try {
    entries = await view.list(spool);
  } catch (e) {
    const { status, error } = fileErrorStatus(e);
    ctx.record({ id: 'cron', command: `copy of ${spool}/*`, status, error: `${spool}: ${error}` });
    return texts;
  }
  for (const e of entries) {
    if (e.kind !== 'file' || !/^[A-Za-z0-9._-]+$/.test(e.name)) continue;
    const devicePath = `${spool}/${e.name}`;
    try {
      const { data } = await view.readHead(devicePath, LIMITS.configFileBytes);
      const rel = crontabPath(e.name);
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

async function healthProbes(ctx: RunContext, live: boolean, path: string): Promise<void> {
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
  const bytes = await ctx.staging.writeFile(path, `${JSON.stringify(ctx.counts ? redactDeep(doc, ctx.counts) : doc, null, 2)}\n`);
  ctx.record({ id: 'health', path, command: redactText(ctx.counts, command), status: 'ok', durationMs: Date.now() - started, bytes });
}
