// The fleet's picture (fleet summary `picture`): one row per analysed host over absolute time,
// its window, its down spans and outage episodes, and the outage windows hosts shared. Times are
// UTC so that hosts in different zones line up; renderers only draw it.
import type { Picture } from '../analysis/schema.js';
import type { FleetHost, FleetSummary } from './schema.js';

/** at most this many host rows; the rest are named in rowsLeftOut */
export const MAX_FLEET_ROWS = 12;

const utc = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** The union of a host's down spans, over all its lanes, for the fleet digest. */
export function downSpans(p: Picture): { from: string; to: string }[] {
  const spans = p.lanes
    .flatMap((l) => l.spans)
    .filter((s) => s.state === 'down')
    .map((s) => ({ from: Date.parse(s.from), to: Date.parse(s.to), fromText: s.from, toText: s.to }))
    .sort((a, b) => a.from - b.from);
  const merged: (typeof spans)[number][] = [];
  for (const s of spans) {
    const cur = merged[merged.length - 1];
    if (cur && s.from <= cur.to) {
      if (s.to > cur.to) {
        cur.to = s.to;
        cur.toText = s.toText;
      }
    } else merged.push({ ...s });
  }
  return merged.map((s) => ({ from: s.fromText, to: s.toText }));
}

export function fleetPicture(hosts: FleetHost[], groups: FleetSummary['outageGroups']): NonNullable<FleetSummary['picture']> | null {
  const analyzed = hosts.filter((h) => h.status === 'analyzed');
  if (!analyzed.some((h) => h.outageCount > 0 || (h.down ?? []).length > 0)) return null;
  const times: number[] = [];
  const ms = (iso: string | null | undefined) => {
    const v = iso ? Date.parse(iso) : NaN;
    if (Number.isFinite(v)) times.push(v);
    return v;
  };
  const rows = analyzed.map((h) => {
    const since = ms(h.window?.since);
    const until = ms(h.window?.until ?? h.collectedAt);
    const down = (h.down ?? []).map((d) => ({ from: utc(ms(d.from)), to: utc(ms(d.to)) }));
    const outages = (h.outages ?? (h.outage ? [h.outage] : [])).map((o) => ({ from: utc(ms(o.start)), to: utc(ms(o.end)) }));
    const collected = ms(h.collectedAt);
    return {
      label: h.label,
      window: Number.isFinite(since) && Number.isFinite(until) ? { from: utc(since), to: utc(until) } : null,
      down,
      outages,
      collectedAt: Number.isFinite(collected) ? utc(collected) : null,
    };
  });
  if (times.length === 0) return null;
  return {
    start: utc(Math.min(...times)),
    end: utc(Math.max(...times)),
    // Hosts come worst first, so the rows drawn are the ones that matter most.
    rows: rows.slice(0, MAX_FLEET_ROWS),
    rowsLeftOut: rows.slice(MAX_FLEET_ROWS).map((r) => r.label),
    windows: groups.filter((g) => g.hosts.length > 1).map((g) => ({ from: utc(Date.parse(g.start)), to: utc(Date.parse(g.end)), hosts: g.hosts.length })),
  };
}
