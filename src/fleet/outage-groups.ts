// Which hosts were down together. Outage episodes are compared as instants
// (a host in +03:00 and one in +01:00 can be down at the same moment), and
// episodes that overlap or lie within the analysis's own gap of each other
// form one window, transitively: A near B and B near C put A, B and C in one
// window even when A and C are further apart.
import { formatDeviceTime } from '../time.js';
import type { FleetHost, FleetSummary } from './schema.js';

export type OutageGroup = FleetSummary['outageGroups'][number];

interface Episode {
  label: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  /** the analysis's own figure: its times are printed to the second, its duration is not rounded twice */
  durationSeconds: number;
}

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

function offsetOf(iso: string): string {
  return OFFSET.exec(iso)?.[1] ?? 'Z';
}

function episodes(hosts: Pick<FleetHost, 'label' | 'status' | 'outage' | 'outages'>[]): Episode[] {
  const out: Episode[] = [];
  for (const h of hosts) {
    if (h.status !== 'analyzed') continue;
    const list = h.outages ?? (h.outage ? [h.outage] : []);
    for (const o of list) {
      // A time without an offset cannot be placed on the fleet's clock; the analysis always writes one.
      if (!OFFSET.test(o.start) || !OFFSET.test(o.end)) continue;
      const startMs = Date.parse(o.start);
      const endMs = Date.parse(o.end);
      if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) continue;
      out.push({ label: h.label, start: o.start, end: o.end, startMs, endMs: Math.max(startMs, endMs), durationSeconds: o.durationSeconds });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function seconds(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / 1000);
}

function toGroup(cluster: Episode[]): OutageGroup & { startMs: number } {
  const first = cluster[0]!;
  const clock = { utcOffset: offsetOf(first.start) };
  const endMs = Math.max(...cluster.map((e) => e.endMs));
  // A host with two episodes inside one window is listed once, from its first start to its last end.
  const perHost = new Map<string, { start: Episode; end: Episode }>();
  for (const e of cluster) {
    const seen = perHost.get(e.label);
    if (!seen) perHost.set(e.label, { start: e, end: e });
    else if (e.endMs > seen.end.endMs) seen.end = e;
  }
  const hosts = [...perHost.entries()]
    .map(([label, { start, end }]) => ({
      label,
      start: start.start,
      end: end.end,
      durationSeconds: start === end ? start.durationSeconds : seconds(start.startMs, end.endMs),
      startMs: start.startMs,
    }))
    .sort((a, b) => a.startMs - b.startMs || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ startMs: _drop, ...h }) => h);
  return {
    start: formatDeviceTime(first.startMs, clock),
    end: formatDeviceTime(endMs, clock),
    durationSeconds: cluster.length === 1 ? first.durationSeconds : seconds(first.startMs, endMs),
    hosts,
    startMs: first.startMs,
  };
}

/** Outage windows, most hosts first, then earliest; a lone host's outage is a window of one. */
export function groupOutages(hosts: Pick<FleetHost, 'label' | 'status' | 'outage' | 'outages'>[], gapSeconds: number): OutageGroup[] {
  const all = episodes(hosts);
  const clusters: Episode[][] = [];
  let reach = -Infinity;
  for (const e of all) {
    const current = clusters[clusters.length - 1];
    if (current && e.startMs - reach <= gapSeconds * 1000) {
      current.push(e);
      reach = Math.max(reach, e.endMs);
    } else {
      clusters.push([e]);
      reach = e.endMs;
    }
  }
  return clusters
    .map(toGroup)
    .sort((a, b) => b.hosts.length - a.hosts.length || a.startMs - b.startMs)
    .map(({ startMs: _drop, ...g }) => g);
}
