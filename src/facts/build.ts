// Read every source of a bundle through its parser and combine them into the
// fact model. This is the only stage (with the bundle reader) that does I/O.
import type { Bundle } from '../bundle/reader.js';
import { canonicalSourceOf, resolveSources, devicePathOf, type SourceEntry } from '../bundle/sources.js';
import type { Config } from '../config.js';
import type { SourceSummary } from '../analysis/schema.js';
import type { DeviceClock } from '../time.js';
import { formatDeviceTime, parseTimestamp } from '../time.js';
import type { ParseProblem, LogRecord } from '../parse/types.js';
import { parsePs } from '../parse/ps.js';
import { parseSs, type ListenerRecord } from '../parse/ss.js';
import { parseProcInfo, type ProcInfoRecord } from '../parse/procinfo.js';
import { parseListUnits, type UnitStateRecord } from '../parse/systemctl-list-units.js';
import { parseSystemctlShow, type UnitPropsRecord } from '../parse/systemctl-show.js';
import { parseListTimers, type TimerRecord } from '../parse/systemctl-list-timers.js';
import { parseListUnitFiles } from '../parse/systemctl-list-unit-files.js';
import { loadUnitFiles, type UnitFileInput } from '../parse/unit-file.js';
import { parseCron, type CronEntry } from '../parse/cron.js';
import { journalStorage, type JournaldConfigInput } from '../parse/journald.js';
import { readJournal } from '../parse/journal.js';
import { readJournalFast } from '../parse/journal-fast.js';
import { readSyslog } from '../parse/syslog.js';
import { parseDmesg } from '../parse/dmesg.js';
import { parseBoots } from '../parse/boots.js';
import { parseCoredumpctl } from '../parse/coredumpctl.js';
import { readLines, streamRecords } from '../parse/lines.js';
import { createAppLogParser, detectAppLogFormat } from '../parse/app-log.js';
import { parseMeminfo, parseLoadavg, parseUptime, parsePressure, parseDf, parseHealthProbes } from '../parse/resources.js';
import type { Pressure, DfRecord } from '../parse/resources.js';
import { classifyCgroup, isSystemdCgroup } from './cgroup.js';
import { LogScanner, type LogKind } from './log-scan.js';
import { buildServices, type ScriptInputs } from './services.js';
import type { Facts, FactKind, Line, ProcessFact } from './types.js';

export interface BuiltFacts {
  facts: Facts;
  sources: SourceSummary[];
}

interface Summary {
  records: number | null;
  skipped: number;
  problems?: ParseProblem[];
}

const TEXT_CAP = 64 * 1024 * 1024;
/** what the collector copies of a health-check script at most (LIMITS.scriptBytes) */
const SCRIPT_BYTES = 256 * 1024;

export async function buildFacts(bundle: Bundle, config: Config): Promise<BuiltFacts> {
  const m = bundle.manifest;
  const host = m.host ?? {};
  const clock: DeviceClock = { timezone: host.timezone ?? null, utcOffset: host.utcOffset ?? null };
  if (!clock.timezone && bundle.has('files/etc/timezone')) {
    clock.timezone = (await bundle.readText('files/etc/timezone', 4096)).trim() || null;
  }
  const collectedAtMs = m.collectedAt ? parseTimestamp(m.collectedAt, clock) : null;
  const sinceMs = m.window?.since ? parseTimestamp(m.window.since, clock) : null;
  const untilMs = m.window?.until ? parseTimestamp(m.window.until, clock) : null;
  // The manifest gives the window to the second, and the collector asked journalctl for it rounded
  // outward (--until is inclusive to the second): so is what the analysis reads, or the lines logged
  // in the collection's own last second, in the bundle, would be dropped.
  const lastMs = untilMs !== null && untilMs % 1000 === 0 ? untilMs + 999 : untilMs;
  const inWindow = (ms: number | null) => ms === null || ((sinceMs === null || ms >= sinceMs) && (lastMs === null || ms <= lastMs));
  const gapMs = config.thresholds.outageGapSeconds * 1000;
  const referenceMs = collectedAtMs ?? untilMs ?? Date.now();

  const entries = resolveSources(bundle);
  const summaries = new Map<SourceEntry, Summary>();
  // A truncated source still holds what was collected: read it (the report says it is partial).
  const ok = (id: string) => entries.filter((e) => e.id === id && (e.status === 'ok' || e.status === 'truncated') && e.path !== null && bundle.has(e.path));
  const first = (id: string) => ok(id)[0];
  const text = async (e: SourceEntry) => bundle.readText(e.path!, TEXT_CAP);
  const note = (e: SourceEntry, s: Summary) => summaries.set(e, s);

  const available = new Set<FactKind>();
  const missingReason: Partial<Record<FactKind, string>> = {};
  const why = (id: string, what: string): string => {
    const e = entries.find((x) => x.id === id);
    if (!e) return `no ${what} in the bundle`;
    if (e.status === 'ok') return `${e.path}: ${what} could not be read`;
    return `${e.path ?? id}: ${e.status}${e.error ? ` (${e.error})` : ''}`;
  };

  // --- processes, sockets, procinfo
  const processes: ProcessFact[] = [];
  let listeners: ListenerRecord[] = [];
  let ssLines: string[] = [];
  let procinfo: ProcInfoRecord[] = [];
  const psEntry = first('ps');
  if (psEntry) {
    const psRaw = await text(psEntry);
    const psLines = psRaw.split('\n');
    const r = parsePs(psRaw, psEntry.path!, clock);
    note(psEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    const patterns = config.serverPatterns.map((p) => new RegExp(p));
    for (const p of r.records) {
      const cg = classifyCgroup(p.cgroupPaths);
      processes.push({
        pid: p.pid,
        ppid: p.ppid,
        user: p.user,
        program: p.program,
        args: p.args,
        cgroup: p.cgroupPaths[0] ?? p.cgroupRaw,
        category: p.cgroupRaw === null ? 'unknown' : cg.category,
        cgroupUnit: cg.unit,
        startEpochMs: p.startEpochMs,
        rssKiB: p.rssKiB,
        kernelThread: p.kernelThread,
        ports: [],
        listenerLines: [],
        psLine: { source: p.source, line: p.line, epochMs: collectedAtMs, text: foldSpaces(psLines[p.line - 1] ?? p.args) },
        exe: null,
        cwd: null,
        stdout: null,
        stderr: null,
        procinfoLine: null,
        matchesPattern: !p.kernelThread && patterns.some((re) => re.test(p.args)),
      });
    }
    if (r.records.length > 0) available.add('processes');
    else missingReason.processes = `${psEntry.path}: no process could be read`;
    if (r.records.some((p) => p.cgroupRaw !== null)) available.add('cgroups');
    else missingReason.cgroups = `${psEntry.path}: no cgroup column (plain ps auxww output)`;
  } else {
    missingReason.processes = why('ps', 'ps output');
    missingReason.cgroups = missingReason.processes;
  }
  const ssEntry = first('listeners');
  if (ssEntry) {
    const ssRaw = await text(ssEntry);
    ssLines = ssRaw.split('\n');
    const r = parseSs(ssRaw, ssEntry.path!);
    note(ssEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    listeners = r.records;
    available.add('listeners');
  } else missingReason.listeners = why('listeners', 'ss output');
  const piEntry = first('procinfo');
  if (piEntry) {
    const r = parseProcInfo(await text(piEntry), piEntry.path!);
    note(piEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    procinfo = r.records;
  }
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  for (const l of listeners) {
    if (l.state !== 'LISTEN' || !l.netid.startsWith('tcp')) continue;
    for (const owner of l.processes) {
      const p = byPid.get(owner.pid);
      if (!p) continue;
      if (!p.ports.includes(l.local)) p.ports.push(l.local);
      p.listenerLines.push({ source: l.source, line: l.line, epochMs: collectedAtMs, text: foldSpaces(ssLines[l.line - 1] ?? l.local) });
    }
  }
  for (const i of procinfo) {
    const p = byPid.get(i.pid);
    if (!p) continue;
    p.exe = i.exe;
    p.cwd = i.cwd;
    p.stdout = i.stdout;
    p.stderr = i.stderr;
    p.procinfoLine = { source: i.source, line: i.line, epochMs: collectedAtMs, text: procinfoText(i) };
  }
  const hasServiceManager = processes.some((p) => !p.kernelThread && isSystemdCgroup(p.category));

  // --- systemd configuration and state
  const unitInputs: UnitFileInput[] = [];
  for (const e of ok('unit-files')) {
    unitInputs.push({ devicePath: devicePathOf(e.path!) ?? e.path!, bundlePath: e.path!, text: await text(e) });
  }
  const unitFiles = loadUnitFiles(unitInputs);
  for (const e of ok('unit-files')) {
    const problems = unitFiles.problems.filter((p) => p.source === e.path);
    note(e, { records: 1, skipped: problems.length, problems: problems.map(({ line, reason }) => ({ line, reason })) });
  }
  let props: UnitPropsRecord[] = [];
  const showEntry = first('unit-props');
  if (showEntry) {
    const r = parseSystemctlShow(await text(showEntry), showEntry.path!);
    note(showEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    props = r.records;
  }
  let unitStates: UnitStateRecord[] = [];
  const luEntry = first('units');
  if (luEntry) {
    const r = parseListUnits(await text(luEntry), luEntry.path!);
    note(luEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    unitStates = r.records;
  }
  const lufEntry = first('unit-files-state');
  if (lufEntry) {
    const r = parseListUnitFiles(await text(lufEntry), lufEntry.path!);
    note(lufEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
  }
  let timers: TimerRecord[] = [];
  const ltEntry = first('timers');
  if (ltEntry) {
    const r = parseListTimers(await text(ltEntry), ltEntry.path!);
    note(ltEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    timers = r.records;
  }
  if (unitFiles.units.length > 0 || props.length > 0) available.add('unit-config');
  else missingReason['unit-config'] = `no unit files under files/*/systemd/system and ${why('unit-props', 'systemctl show output')}`;
  if (unitStates.length > 0 || props.length > 0) available.add('unit-state');
  else missingReason['unit-state'] = why('units', 'systemctl list-units output');

  const cron: CronEntry[] = [];
  for (const e of ok('cron')) {
    const base = e.path!.split('/').pop()!;
    const userFile = /^crontab-(.+)\.txt$/.exec(base);
    const r = parseCron(await text(e), e.path!, userFile ? { hasUserField: false, user: userFile[1]! } : { hasUserField: true });
    note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    cron.push(...r.records);
  }

  // --- scripts run by timers, ExecStartPost= and cron (read in full: each is capped at collection)
  const scripts: ScriptInputs = { texts: new Map(), notes: [] };
  for (const e of entries) {
    if (e.id !== 'health-script') continue;
    const copied = (e.status === 'ok' || e.status === 'truncated') && e.path !== null && bundle.has(e.path);
    if (copied) {
      const devicePath = devicePathOf(e.path!) ?? e.path!;
      const t = await text(e);
      scripts.texts.set(devicePath, { source: e.path!, text: t, truncated: e.status === 'truncated' });
      note(e, { records: t.split('\n').length, skipped: 0 });
    } else {
      const m = /^copy of (\/\S+)$/.exec(e.command ?? '');
      if (m) scripts.notes.push({ devicePath: m[1]!, status: e.status, error: e.error ?? null });
    }
  }

  // A bundle written by hand, without manifest.sources, names no source of its files: a copy of a
  // script is any small file under files/ that no canonical source claims.
  if (!m.sources) {
    for (const rel of bundle.files) {
      const devicePath = devicePathOf(rel);
      if (devicePath === null || canonicalSourceOf(rel) !== null || scripts.texts.has(devicePath) || bundle.size(rel) > SCRIPT_BYTES) continue;
      scripts.texts.set(devicePath, { source: rel, text: await bundle.readText(rel, SCRIPT_BYTES), truncated: false });
    }
  }

  // --- journald configuration
  const jdConfigs: JournaldConfigInput[] = [];
  let jdDirs: { source: string; text: string } | null = null;
  for (const e of ok('journald')) {
    if (e.path!.endsWith('journal-dirs.txt')) jdDirs = { source: e.path!, text: await text(e) };
    else jdConfigs.push({ devicePath: devicePathOf(e.path!) ?? e.path!, bundlePath: e.path!, text: await text(e) });
    note(e, { records: 1, skipped: 0 });
  }
  const storage = jdConfigs.length > 0 || jdDirs ? journalStorage(jdConfigs, jdDirs) : null;
  const manifestStorage = host.journalStorage ?? null;
  if ((storage && storage.storage !== 'unknown') || (manifestStorage && manifestStorage !== 'unknown')) available.add('journald');
  else missingReason.journald = 'no journald.conf, no journal directory listing, and the manifest does not record host.journalStorage';

  // --- resources
  const memEntry = first('memory');
  let memory = null;
  if (memEntry) {
    const r = parseMeminfo(await text(memEntry), memEntry.path!);
    note(memEntry, { records: r.record ? 1 : 0, skipped: r.skipped, problems: r.problems });
    memory = r.record;
  }
  if (memory) available.add('memory');
  else missingReason.memory = why('memory', '/proc/meminfo');
  let load = null;
  let uptime = null;
  const pressure: Pressure[] = [];
  for (const e of ok('load')) {
    const t = await text(e);
    if (e.path!.endsWith('/loadavg')) load = parseLoadavg(t, e.path!);
    else if (e.path!.endsWith('/uptime')) uptime = parseUptime(t, e.path!);
    else {
      const res = e.path!.split('/').pop() as 'cpu' | 'memory' | 'io';
      const p = ['cpu', 'memory', 'io'].includes(res) ? parsePressure(t, e.path!, res) : null;
      if (p) pressure.push(p);
    }
    note(e, { records: 1, skipped: 0 });
  }
  if (uptime) available.add('uptime');
  else missingReason.uptime = why('load', '/proc/uptime');
  if (load) available.add('load');
  else missingReason.load = why('load', '/proc/loadavg');
  if (typeof host.cpus === 'number' && host.cpus > 0) available.add('cpus');
  else missingReason.cpus = 'the manifest does not record the CPU count (host.cpus)';
  const disks: DfRecord[] = [];
  for (const e of ok('disk')) {
    const r = parseDf(await text(e), e.path!, e.path!.includes('inode') ? 'inodes' : 'bytes');
    note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    disks.push(...r.records);
  }
  if (disks.length > 0) available.add('disk');
  else missingReason.disk = why('disk', 'df output');

  // --- boots, coredumps, health probes
  const bootEntry = first('boots');
  const boots = bootEntry ? parseBoots(await text(bootEntry), bootEntry.path!, clock) : null;
  if (bootEntry && boots) note(bootEntry, { records: boots.records.length, skipped: boots.skipped, problems: boots.problems });
  if (boots && boots.records.length > 0) available.add('boots');
  else missingReason.boots = why('boots', 'journalctl --list-boots output');
  const coredumps: Facts['coredumps'] = [];
  const cdEntry = first('coredumps');
  if (cdEntry) {
    const t = await text(cdEntry);
    const r = parseCoredumpctl(t, cdEntry.path!, clock);
    note(cdEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    const lines = t.split('\n');
    for (const c of r.records) coredumps.push({ ...c, text: lines[c.line - 1] ?? '' });
  }
  const healthProbes: Facts['healthProbes'] = [];
  const hpEntry = first('health');
  if (hpEntry) {
    const r = parseHealthProbes(await text(hpEntry), hpEntry.path!);
    note(hpEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    for (const p of r.records) healthProbes.push({ ...p, epochMs: p.at ? parseTimestamp(p.at, clock) : collectedAtMs });
  }

  // --- logs, in one streaming pass each
  const currentBootMs = uptime && collectedAtMs !== null ? collectedAtMs - uptime.uptimeSeconds * 1000 : null;
  const scanner = new LogScanner(inWindow, gapMs, currentBootMs);
  const logSourcesRead = { kernel: [] as string[], system: [] as string[], app: [] as string[] };
  const journalEntry = first('journal');
  if (journalEntry) {
    const onRecord = (rec: LogRecord) => scanner.add(rec, 'journal');
    const path = bundle.pathOf(journalEntry.path!);
    let r: { records: number; skipped: number; problems: ParseProblem[] };
    if (process.env.CHARGER_DIAG_FULL_PARSE === '1') {
      // Every line through JSON.parse: the reference the fast path is measured and tested against.
      r = await readJournal(path, journalEntry.path!, onRecord);
    } else {
      const hash = bundle.wantsContentHash?.(journalEntry.path!) ?? false;
      const fast = await readJournalFast(path, journalEntry.path!, { window: { sinceMs, untilMs: lastMs }, hash }, onRecord);
      scanner.countQuiet(journalEntry.path!, fast.quietInWindow);
      if (fast.sha256 !== null) bundle.adoptContentHash?.(journalEntry.path!, fast.sha256);
      r = fast;
    }
    note(journalEntry, { records: r.records, skipped: r.skipped, problems: r.problems });
    logSourcesRead.kernel.push(journalEntry.path!);
    logSourcesRead.system.push(journalEntry.path!);
  }
  for (const e of ok('syslog')) {
    const isKern = /kern\.log/.test(e.path!);
    const kind: LogKind = isKern ? 'kernel-file' : 'syslog';
    const r = await readSyslog(bundle.pathOf(e.path!), e.path!, clock, referenceMs, (rec) => scanner.add(rec, kind, journalEntry !== undefined));
    note(e, { records: r.records, skipped: r.skipped, problems: r.problems });
    logSourcesRead.kernel.push(e.path!);
    if (!isKern) logSourcesRead.system.push(e.path!);
  }
  const dmesgEntry = first('dmesg');
  if (dmesgEntry) {
    const r = parseDmesg(await text(dmesgEntry), dmesgEntry.path!);
    note(dmesgEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    for (const rec of r.records) scanner.add(rec, 'dmesg');
    logSourcesRead.kernel.push(dmesgEntry.path!);
  }
  const proxyFiles: string[] = [];
  for (const e of ok('app-log')) {
    const devicePath = devicePathOf(e.path!) ?? e.path!;
    const head: string[] = [];
    for await (const l of readLines(bundle.pathOf(e.path!))) {
      head.push(l.text);
      if (head.length >= 50) break;
    }
    const format = detectAppLogFormat(devicePath, head);
    if (format === 'ngrok' || format.startsWith('nginx')) proxyFiles.push(e.path!);
    const parse = createAppLogParser(format, e.path!, clock, { referenceMs });
    const r = await streamRecords(bundle.pathOf(e.path!), (l) => parse(l.text, l.line), (rec) => scanner.add(rec, 'app'));
    note(e, { records: r.records, skipped: r.skipped, problems: r.problems });
    logSourcesRead.app.push(e.path!);
  }
  scanner.finish();
  if (logSourcesRead.system.length + logSourcesRead.app.length > 0) available.add('logs');
  else missingReason.logs = `no journal, syslog or application log in the bundle (${why('journal', 'journal')})`;
  if (logSourcesRead.system.length > 0) available.add('system-log');
  else missingReason['system-log'] = `no journal or syslog in the bundle (${why('journal', 'journal')})`;
  if (logSourcesRead.kernel.length > 0) available.add('kernel-log');
  else missingReason['kernel-log'] = `no journal, dmesg or kern.log in the bundle (${why('journal', 'journal')}; ${why('dmesg', 'dmesg')})`;
  if (proxyFiles.length > 0 || scanner.proxiesSeen.size > 0) available.add('proxy-log');
  else missingReason['proxy-log'] = 'no nginx or ngrok log in the bundle (neither a log file nor journal lines of nginx or ngrok)';

  const fmt = (ms: number | null) => (ms === null ? null : formatDeviceTime(ms, clock));
  const facts: Facts = {
    clock,
    hostname: host.hostname ?? 'unknown-host',
    hostInfo: {
      hostname: host.hostname ?? null,
      os: host.os ?? null,
      kernel: host.kernel ?? null,
      arch: host.arch ?? null,
      timezone: clock.timezone ?? null,
      utcOffset: clock.utcOffset ?? null,
      cpus: typeof host.cpus === 'number' ? host.cpus : null,
      bootId: host.bootId ?? null,
      journalStorage: manifestStorage,
    },
    collectedAtMs,
    window: { sinceMs, untilMs },
    available,
    missingReason,
    processes,
    hasServiceManager,
    listeners,
    listenersHaveOwners: listeners.some((l) => l.processes.length > 0),
    services: [],
    timers: [],
    cron,
    systemdEvents: scanner.systemdEvents,
    kernelEvents: scanner.kernelEvents,
    coredumps,
    proxyEvents: scanner.proxyEvents,
    proxyEventTotal: scanner.proxyEventTotal,
    proxyTimes: scanner.proxyTimes,
    proxyRequests: scanner.proxyRequests,
    proxyOkTimes: scanner.proxyOkTimes,
    portConflicts: scanner.portConflicts,
    errorGroups: scanner.errorGroups(),
    errorGroupsLeftOut: scanner.errorGroupsLeftOut(),
    healthProbes,
    memory,
    load,
    uptime,
    pressure,
    disks,
    journalStorage: storage,
    boots: boots?.records ?? [],
    journalBoots: [...scanner.journalBoots.values()],
    kernelBootLines: scanner.kernelBootLines,
    logSourcesRead,
    healthPaths: scanner.healthPaths.results(),
    fmt,
    inWindow,
    evidence: (l: Line) => ({ source: l.source, line: l.line, time: fmt(l.epochMs), text: l.text }),
  };
  const built = buildServices({ facts, unitFiles: unitFiles.units, props, unitStates, timers, config, scripts });
  facts.services = built.services;
  facts.timers = built.timers;
  facts.healthScripts = built.scripts;
  facts.deviceFiles = new Set(bundle.files.map((f) => devicePathOf(f)).filter((p): p is string => p !== null));

  const sources: SourceSummary[] = entries.map((e) => {
    const s = summaries.get(e);
    return {
      id: e.id,
      path: e.path,
      status: e.status,
      records: s?.records ?? null,
      skippedRecords: s?.skipped ?? 0,
      ...(e.error ? { error: e.error } : {}),
      ...(s?.problems && s.problems.length ? { problems: s.problems.slice(0, 5) } : {}),
      ...(e.path && scanner.inWindowCount.has(e.path) ? { inWindow: scanner.inWindowCount.get(e.path)! } : {}),
    };
  });
  return { facts, sources };
}

/** ps and ss pad columns (the cgroup column to 512 characters); quotes fold those runs of spaces. */
function foldSpaces(line: string): string {
  return line.trim().replace(/ {2,}/g, ' ');
}

function procinfoText(i: ProcInfoRecord): string {
  const parts = [`pid ${i.pid}`];
  if (i.exe) parts.push(`exe ${i.exe}`);
  if (i.cwd) parts.push(`cwd ${i.cwd}`);
  if (i.stdout) parts.push(`stdout ${i.stdout}`);
  if (i.stderr && i.stderr !== i.stdout) parts.push(`stderr ${i.stderr}`);
  if (i.error) parts.push(`(${i.error})`);
  return parts.join(', ');
}
