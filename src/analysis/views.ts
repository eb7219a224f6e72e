// The parts of the analysis JSON that describe the device rather than judge
// it: resources (snapshots at collection), services, and the timeline.
import type { Resource, ServiceEntry, TimelineEntry } from './schema.js';
import type { Facts, Line, ProcessFact } from '../facts/types.js';
import type { Thresholds } from '../config.js';
import { isRealFs } from '../rules/resource-disk/rule.js';
import { suggestUnitName } from '../facts/naming.js';

export function resourceRows(facts: Facts, t: Thresholds): Resource[] {
  const at = facts.fmt(facts.collectedAtMs);
  const rows: Resource[] = [];
  const m = facts.memory;
  if (m) {
    const avail = m.availableBytes ?? (m.freeBytes ?? 0) + (m.buffersBytes ?? 0) + (m.cachedBytes ?? 0);
    const used = m.totalBytes - avail;
    const pct = m.totalBytes ? (avail / m.totalBytes) * 100 : 100;
    rows.push({
      name: 'memory',
      used,
      total: m.totalBytes,
      verdict: pct < t.memoryAvailablePercent ? 'warning' : 'normal',
      at,
      source: m.source,
      line: m.lines.MemTotal ?? m.line,
      unit: 'bytes',
      percent: round1((used / m.totalBytes) * 100),
      detail: m.availableBytes === null ? 'MemAvailable missing: estimated from MemFree + Buffers + Cached' : undefined,
    });
  }
  for (const p of facts.pressure) {
    if (!p.some) continue;
    const limit = p.resource === 'memory' ? t.memoryPressureAvg10 : p.resource === 'cpu' ? t.cpuPressureAvg10 : p.resource === 'io' ? t.ioPressureAvg10 : null;
    rows.push({
      name: `pressure ${p.resource}`,
      used: p.some.avg10,
      total: 100,
      verdict: limit !== null && p.some.avg10 > limit ? 'warning' : 'normal',
      at,
      source: p.source,
      line: p.line,
      unit: 'percent',
      percent: p.some.avg10,
      detail: p.text,
    });
  }
  if (facts.load) {
    const cpus = facts.hostInfo.cpus;
    const limit = cpus ? cpus * t.loadPerCpu : null;
    rows.push({
      name: 'load',
      used: facts.load.load5,
      total: limit,
      verdict: limit === null ? 'unknown' : facts.load.load5 > limit ? 'warning' : 'normal',
      at,
      source: facts.load.source,
      line: facts.load.line,
      unit: 'load',
      percent: null,
      detail: `${facts.load.load1} ${facts.load.load5} ${facts.load.load15}${cpus ? ` on ${cpus} CPUs` : ' (CPU count unknown)'}`,
    });
  }
  for (const d of facts.disks) {
    if (!isRealFs(d)) continue;
    rows.push({
      name: d.unit === 'inodes' ? `${d.mountpoint} (inodes)` : d.mountpoint,
      used: d.used,
      total: d.size,
      verdict: d.usePercent >= t.diskCriticalPercent ? 'critical' : d.usePercent >= t.diskWarningPercent ? 'warning' : 'normal',
      at,
      source: d.source,
      line: d.line,
      unit: d.unit,
      percent: d.usePercent,
      detail: `${d.filesystem}${d.type ? ` ${d.type}` : ''}`,
    });
  }
  return rows;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function managedBy(p: ProcessFact): ServiceEntry['managedBy'] {
  switch (p.category) {
    case 'system-service':
      return 'systemd';
    case 'user-service':
      return 'systemd-user';
    case 'container':
      return 'container';
    case 'unknown':
      return 'unknown';
    default:
      return 'none';
  }
}

/** Servers (listening processes) and site-local services, joined where a process belongs to a unit. */
export function serviceEntries(facts: Facts): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  const covered = new Set<number>();
  const timersOf = (unit: string) => facts.timers.filter((t) => t.activates === unit).map((t) => t.unit);
  for (const s of facts.services) {
    if (!s.siteLocal && s.ports.length === 0) continue;
    if (s.masked) continue;
    // A oneshot (a health check a timer starts, a setup step) runs and exits: it is not a server,
    // and Restart= does not apply to it the way it does to one.
    if (s.type === 'oneshot' && s.ports.length === 0) continue;
    const main = facts.processes.find((p) => p.pid === s.mainPid) ?? facts.processes.find((p) => s.processes.includes(p.pid));
    for (const pid of s.processes) covered.add(pid);
    out.push({
      name: s.name.replace(/\.service$/, ''),
      managedBy: 'systemd',
      unit: s.name,
      pid: main?.pid ?? s.mainPid ?? null,
      command: s.execStart[0] ?? main?.args ?? null,
      user: s.user ?? main?.user ?? null,
      cwd: s.workingDirectory ?? main?.cwd ?? null,
      ports: s.ports,
      restart: s.restart,
      healthChecks: [
        ...((s.watchdogUs ?? 0) > 0 ? [`WatchdogSec=${(s.watchdogUs ?? 0) / 1e6}s`] : []),
        ...s.probes.map((p) => `${p.kind} ${p.via}: ${p.command}${p.script && p.line ? ` (${p.line.source}:${p.line.line})` : ''}`),
      ],
      ...(s.probes.length ? { healthCheckEvidence: s.probes.filter((p) => p.line).map((p) => facts.evidence(p.line!)) } : {}),
      ...(timersOf(s.name).length ? { startedBy: timersOf(s.name) } : {}),
      program: main?.program ?? null,
      startedAt: facts.fmt(main?.startEpochMs ?? null),
      siteLocal: s.siteLocal,
      activeState: s.activeState,
      type: s.type,
      watchdogSec: s.watchdogUs !== null ? s.watchdogUs / 1e6 : null,
      fragment: s.fragmentPath,
    });
  }
  const byPid = new Map(facts.processes.map((p) => [p.pid, p]));
  for (const p of facts.processes) {
    if (covered.has(p.pid) || p.kernelThread || (p.ports.length === 0 && !p.matchesPattern)) continue;
    // Workers of a listed server are part of it.
    const parent = p.ppid !== null ? byPid.get(p.ppid) : undefined;
    if (parent && parent.program === p.program && (parent.ports.length > 0 || parent.matchesPattern)) continue;
    const managed = managedBy(p);
    out.push({
      name: managed === 'systemd' || managed === 'systemd-user' ? (p.cgroupUnit ?? p.program).replace(/\.service$/, '') : suggestUnitName(p.program, p.cwd, p.args),
      managedBy: managed,
      unit: managed === 'systemd' || managed === 'systemd-user' ? p.cgroupUnit : null,
      pid: p.pid,
      command: p.args,
      user: p.user,
      cwd: p.cwd,
      ports: p.ports,
      restart: null,
      healthChecks: [],
      program: p.program,
      cgroup: p.cgroup,
      startedAt: facts.fmt(p.startEpochMs),
      stdout: p.stdout,
      exe: p.exe,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.pid ?? 0) - (b.pid ?? 0));
}

const TIMELINE_MAX = 400;

/** One ordered story of the window: lifecycle events, kernel faults, proxy errors (runs collapsed), probes, boots. */
export function timeline(facts: Facts, gapSeconds: number): { entries: TimelineEntry[]; total: number } {
  const entries: (TimelineEntry & { ms: number | null })[] = [];
  const push = (l: Line, kind: string, subject?: string) => {
    entries.push({ time: facts.fmt(l.epochMs), ms: l.epochMs, source: l.source, line: l.line, kind, text: l.text, ...(subject ? { subject } : {}) });
  };
  const interesting = new Set(facts.services.filter((s) => s.siteLocal).map((s) => s.name));
  for (const e of facts.systemdEvents) {
    if (!facts.inWindow(e.at.epochMs)) continue;
    const alarming = ['failed', 'failed-to-start', 'main-exited', 'restart-scheduled', 'start-limit-hit', 'watchdog', 'oom-kill'].includes(e.kind);
    if (!alarming && !interesting.has(e.unit) && !e.unit.endsWith('.scope')) continue;
    // A session scope that empties is often the only trace of a hand-started process dying.
    if (e.unit.endsWith('.scope') && !['started', 'stopped', 'deactivated'].includes(e.kind)) continue;
    push(e.at, `unit-${e.kind}`, e.unit);
  }
  for (const e of facts.kernelEvents) if (facts.inWindow(e.at.epochMs) && e.kind !== 'oom-invoked') push(e.at, `kernel-${e.kind}`, e.unit ?? (e.comm ? `${e.comm} (pid ${e.pid ?? '?'})` : undefined));
  for (const c of facts.coredumps) if (facts.inWindow(c.epochMs)) push({ source: c.source, line: c.line, epochMs: c.epochMs, text: c.text }, 'coredump');
  for (const c of facts.portConflicts) if (facts.inWindow(c.at.epochMs)) push(c.at, 'port-conflict');
  // Proxy errors: only the first and last of each run, with the count in the text.
  const runs = new Map<string, { first: Line; last: Line; n: number }[]>();
  const sorted = [...facts.proxyEvents].filter((e) => facts.inWindow(e.at.epochMs)).sort((a, b) => (a.at.epochMs ?? 0) - (b.at.epochMs ?? 0));
  for (const e of sorted) {
    const list = runs.get(e.proxy) ?? [];
    const cur = list[list.length - 1];
    if (cur && e.at.epochMs !== null && cur.last.epochMs !== null && e.at.epochMs - cur.last.epochMs <= gapSeconds * 1000) {
      cur.last = e.at;
      cur.n++;
    } else list.push({ first: e.at, last: e.at, n: 1 });
    runs.set(e.proxy, list);
  }
  for (const [proxy, list] of runs) {
    for (const r of list) {
      push(r.first, 'proxy-error', proxy);
      if (r.last !== r.first) push(r.last, 'proxy-error', proxy);
    }
  }
  for (const o of facts.proxyOkTimes) if (facts.inWindow(o.ms)) push(o.at, 'proxy-ok', o.proxy);
  for (const p of facts.processes) {
    if (p.startEpochMs !== null && facts.inWindow(p.startEpochMs) && (p.ports.length > 0 || p.matchesPattern) && !p.kernelThread) {
      push({ ...p.psLine, epochMs: p.startEpochMs }, 'process-start', `${p.program} (pid ${p.pid})`);
    }
  }
  for (const h of facts.healthProbes) {
    push({ source: h.source, line: h.line, epochMs: h.epochMs, text: `GET ${h.url} → ${h.status ?? 'no answer'}${h.error ? ` (${h.error})` : ''}` }, 'health-probe');
  }
  for (const b of facts.journalBoots) if (facts.inWindow(b.firstMs)) push(b.at, 'boot');
  for (const g of facts.errorGroups) {
    for (const s of g.samples.slice(0, 3)) if (s.epochMs !== null && facts.inWindow(s.epochMs)) push(s, s.noise ? 'log-error-noise' : 'log-error', g.key);
  }
  entries.sort((a, b) => (a.ms ?? Number.MAX_SAFE_INTEGER) - (b.ms ?? Number.MAX_SAFE_INTEGER) || a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0));
  const total = entries.length;
  const kept = total > TIMELINE_MAX ? [...entries.slice(0, TIMELINE_MAX / 2), ...entries.slice(total - TIMELINE_MAX / 2)] : entries;
  return { entries: kept.map(({ ms: _ms, ...e }) => e), total };
}
