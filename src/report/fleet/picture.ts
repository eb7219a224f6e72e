// The fleet's picture drawn: hosts × absolute time (UTC), each host's window, down spans and
// collection, the outage windows hosts shared shaded. An SVG in HTML, a Mermaid gantt in Markdown.
import type { FleetSummary } from '../../fleet/schema.js';
import { chartSvg, tickLabel, type ChartRow } from '../chart-svg.js';
import type { Translator } from '../i18n.js';
import { fence } from '../markdown.js';
import { legendWords, mermaidText } from '../picture.js';

type FleetPicture = NonNullable<FleetSummary['picture']>;

const wall = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');

/** The host's outage episodes and down spans as one union: a host was down or it was not. */
function downOf(r: FleetPicture['rows'][number]): { from: number; to: number }[] {
  const all = [...r.outages, ...r.down].map((d) => ({ from: Date.parse(d.from), to: Date.parse(d.to) })).sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const d of all) {
    const cur = merged[merged.length - 1];
    if (cur && d.from <= cur.to) cur.to = Math.max(cur.to, d.to);
    else merged.push({ ...d });
  }
  return merged;
}

export function fleetPictureSvg(p: FleetPicture, t: Translator): string {
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const rows: ChartRow[] = p.rows.map((r) => ({
    label: r.label,
    spans: [
      ...(r.window ? [{ from: Date.parse(r.window.from), to: Date.parse(r.window.to), state: 'running' as const, tip: `${t.t('picture.fleet.window')} ${clock(Date.parse(r.window.from))}–${clock(Date.parse(r.window.to))} UTC` }] : []),
      ...downOf(r).map((d) => ({ ...d, state: 'down' as const, tip: `${t.t('picture.state.down')} ${clock(d.from)}–${clock(d.to)} UTC` })),
    ],
    marks: r.collectedAt ? [{ at: Date.parse(r.collectedAt), kind: 'collection' as const, count: 1, tip: `${t.t('picture.mark.collection')} ${clock(Date.parse(r.collectedAt))} UTC` }] : [],
  }));
  const start = Date.parse(p.start);
  const end = Date.parse(p.end);
  return chartSvg({
    title: t.t('picture.titleFleet'),
    start,
    end: end > start ? end : start + 60_000,
    offsetMinutes: 0,
    tick: (ms, precision) => tickLabel(ms, 0, precision),
    rows,
    bands: p.windows.map((w) => ({
      from: Date.parse(w.from),
      to: Date.parse(w.to),
      label: `${t.t('picture.sharedWindow')} (${w.hosts})`,
      tip: `${t.t('picture.sharedWindow')} ${clock(Date.parse(w.from))}–${clock(Date.parse(w.to))} UTC, ${w.hosts}`,
    })),
    collection: null,
    legend: { ...legendWords(t), running: t.t('picture.fleet.window'), band: t.t('picture.sharedWindow') },
    ...(p.rowsLeftOut.length ? { note: `${t.t('picture.lanesLeftOut', { n: p.rowsLeftOut.length })}: ${p.rowsLeftOut.join(', ')}` } : {}),
  });
}

export function fleetPictureGantt(p: FleetPicture, t: Translator): string {
  const lines = ['gantt', `    title ${mermaidText(t.t('picture.titleFleet'))}`, '    dateFormat YYYY-MM-DD HH:mm:ss', '    axisFormat %H:%M', '    todayMarker off'];
  if (p.windows.length) {
    lines.push(`    section ${mermaidText(t.t('picture.sharedWindow'))}`);
    for (const w of p.windows) lines.push(`    ${mermaidText(`${t.t('picture.sharedWindow')} (${w.hosts})`)} :crit, ${wall(w.from)}, ${wall(w.to)}`);
  }
  for (const r of p.rows) {
    lines.push(`    section ${mermaidText(r.label)}`);
    if (r.window) lines.push(`    ${mermaidText(t.t('picture.fleet.window'))} :done, ${wall(r.window.from)}, ${wall(r.window.to)}`);
    for (const d of downOf(r)) {
      if (d.to > d.from) lines.push(`    ${mermaidText(t.t('picture.state.down'))} :crit, ${wall(new Date(d.from).toISOString().replace(/\.000Z$/, ''))}, ${wall(new Date(d.to).toISOString().replace(/\.000Z$/, ''))}`);
    }
  }
  return lines.join('\n');
}

export function fleetPictureMarkdown(p: FleetPicture, t: Translator): { gantt: string; block: string } {
  const gantt = fleetPictureGantt(p, t);
  return { gantt, block: fence(gantt, 'mermaid') };
}
