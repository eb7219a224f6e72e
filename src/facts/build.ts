// Read every source of a bundle through its parser and combine them into the
// fact model. This is the only stage (with the bundle reader) that does I/O.
// Each source is read by one provider (facts/providers/), which declares the
// sources it reads and the fact kinds it provides; this driver runs them in
// order, words what is missing from their declarations (facts/missing.ts) and
// assembles the facts.
import type { Bundle } from '../bundle/reader.js';
import { resolveSources, devicePathOf, type SourceEntry } from '../bundle/sources.js';
import type { Config } from '../config.js';
import type { SourceSummary } from '../analysis/schema.js';
import type { SourceId } from '../sources/catalogue.js';
import type { DeviceClock } from '../time.js';
import { formatDeviceTime, parseTimestamp } from '../time.js';
import { buildServices } from './services.js';
import { missingReasons } from './missing.js';
import { PROVIDERS } from './providers/index.js';
import { emptyDraft, type Provider, type ProviderContext, type ReadOptions, type Summary } from './providers/types.js';
import type { Facts, FactKind, Line } from './types.js';

export interface BuiltFacts {
  facts: Facts;
  sources: SourceSummary[];
}

const TEXT_CAP = 64 * 1024 * 1024;

export async function buildFacts(bundle: Bundle, config: Config, read: ReadOptions = {}): Promise<BuiltFacts> {
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
  const referenceMs = collectedAtMs ?? untilMs ?? Date.now();

  const entries = resolveSources(bundle);
  const summaries = new Map<SourceEntry, Summary>();
  const contextOf = (provider: Provider): ProviderContext => {
    const declared = (id: SourceId): SourceId => {
      // A provider reading a source it does not declare would escape the account of what is missing.
      if (!provider.reads.includes(id)) throw new Error(`fact provider ${provider.name} reads ${id}, which it does not declare`);
      return id;
    };
    const ofSource = (id: SourceId) => {
      const wanted = declared(id);
      return entries.filter((e) => e.id === wanted);
    };
    const ok = (id: SourceId) => ofSource(id).filter((e) => (e.status === 'ok' || e.status === 'truncated') && e.path !== null && bundle.has(e.path));
    return {
      bundle,
      config,
      manifest: m,
      clock,
      collectedAtMs,
      sinceMs,
      untilMs,
      lastMs,
      referenceMs,
      read,
      inWindow,
      entries: ofSource,
      ok,
      first: (id) => ok(id)[0],
      text: (e) => bundle.readText(e.path!, TEXT_CAP),
      note: (e, s) => summaries.set(e, s),
    };
  };

  const draft = emptyDraft();
  const available = new Set<FactKind>();
  const readButEmpty: Partial<Record<FactKind, string>> = {};
  for (const provider of PROVIDERS) {
    const outcome = await provider.run(contextOf(provider), draft);
    for (const kind of outcome.present) {
      if (!provider.provides.some((p) => p.kind === kind)) throw new Error(`fact provider ${provider.name} reports ${kind}, which it does not declare`);
      available.add(kind);
    }
    Object.assign(readButEmpty, outcome.readButEmpty);
  }
  const missingReason = missingReasons(
    PROVIDERS.flatMap((p) => p.provides),
    available,
    readButEmpty,
    entries,
  );
  const scanner = draft.scanner;
  if (!scanner) throw new Error('no fact provider scanned the logs');

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
      journalStorage: host.journalStorage ?? null,
    },
    collectedAtMs,
    window: { sinceMs, untilMs },
    available,
    missingReason,
    processes: draft.processes,
    hasServiceManager: draft.hasServiceManager,
    listeners: draft.listeners,
    listenersHaveOwners: draft.listeners.some((l) => l.processes.length > 0),
    services: [],
    timers: [],
    cron: draft.cron,
    systemdEvents: scanner.systemdEvents,
    kernelEvents: scanner.kernelEvents,
    coredumps: draft.coredumps,
    proxyEvents: scanner.proxyEvents,
    proxyEventTotal: scanner.proxyEventTotal,
    proxyTimes: scanner.proxyTimes,
    proxyRequests: scanner.proxyRequests,
    proxyOkTimes: scanner.proxyOkTimes,
    portConflicts: scanner.portConflicts,
    errorGroups: scanner.errorGroups(),
    errorGroupsLeftOut: scanner.errorGroupsLeftOut(),
    healthProbes: draft.healthProbes,
    memory: draft.memory,
    load: draft.load,
    uptime: draft.uptime,
    pressure: draft.pressure,
    disks: draft.disks,
    journalStorage: draft.journalStorage,
    boots: draft.boots,
    journalBoots: [...scanner.journalBoots.values()],
    kernelBootLines: scanner.kernelBootLines,
    logSourcesRead: draft.logSourcesRead,
    healthPaths: scanner.healthPaths.results(),
    fmt,
    inWindow,
    evidence: (l: Line) => ({ source: l.source, line: l.line, time: fmt(l.epochMs), text: l.text }),
  };
  const built = buildServices({ facts, unitFiles: draft.unitFiles, props: draft.props, unitStates: draft.unitStates, timers: draft.timers, config, scripts: draft.scripts });
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
