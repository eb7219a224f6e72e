// One timeline chart as inline SVG: rows of spans and marks over time, shaded windows, a
// collection line. The device report (picture-svg.ts) and the fleet report draw with it.
// Every text is escaped (bundle text is hostile) and made visible; states and marks differ by
// pattern and shape as well as colour (Okabe-Ito), so the chart reads printed in black and
// white and for colour-blind readers. No script: a tooltip is the SVG <title> of each mark.
import { escapeHtml, visible } from './markdown.js';

export type ChartState = 'running' | 'down' | 'restarting';
export type ChartMarkKind = 'crash' | 'oom-kill' | 'watchdog' | 'start-limit' | 'probe' | 'failed-requests' | 'login' | 'reboot' | 'collection';

export interface ChartRow {
  label: string;
  spans: { from: number; to: number; state: ChartState; tip: string }[];
  marks: { at: number; kind: ChartMarkKind; count: number; failed?: number; tip: string }[];
}

export type TickPrecision = 'second' | 'minute' | 'day';

/** The wall clock of an instant shifted by `offsetMinutes`, as precise as the ticks need. */
export function tickLabel(ms: number, offsetMinutes: number, precision: TickPrecision): string {
  const iso = new Date(ms + offsetMinutes * 60_000).toISOString();
  return precision === 'day' ? iso.slice(0, 10) : iso.slice(11, precision === 'second' ? 19 : 16);
}

export interface Chart {
  title: string;
  start: number;
  end: number;
  /** tick label for an instant (the wall clock the reader should see): to the second, the minute, or the day, by the ticks' spacing */
  tick: (ms: number, precision: TickPrecision) => string;
  /** minutes to add to an instant for the wall clock the ticks are aligned on */
  offsetMinutes: number;
  rows: ChartRow[];
  bands: { from: number; to: number; label: string; tip: string }[];
  collection: { at: number; tip: string } | null;
  /** words for the legend, by state and mark kind */
  legend: Record<string, string>;
  note?: string;
}

const W = 960;
const LABEL_W = 190;
const X0 = LABEL_W + 10;
const X1 = W - 24;
const ROW_H = 28;
const TOP = 46;

function esc(text: string): string {
  return escapeHtml(visible(text));
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000, 7776000, 31536000];

const DEFS = `<defs>
<pattern id="cdp-down" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.4"/></pattern>
<pattern id="cdp-restart" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#F0E442"/><circle cx="3" cy="3" r="1.2" fill="#000"/></pattern>
<pattern id="cdp-band" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="8" height="8" fill="#e8e8e8"/><line x1="0" y1="0" x2="0" y2="8" stroke="#9a9a9a" stroke-width="1"/></pattern>
</defs>`;

const SPAN_FILL: Record<ChartState, string> = { running: '#cfe3f3', down: 'url(#cdp-down)', restarting: 'url(#cdp-restart)' };

/** The shape of a mark at (x, y): each kind its own, readable without colour. */
function shape(kind: ChartMarkKind, x: number, y: number, failed: boolean): string {
  const f = (n: number) => n.toFixed(1);
  switch (kind) {
    case 'crash':
      // A white halo keeps the cross readable on a hatched down span.
      return [5, 2.6].map((w, i) => `<path d="M${f(x - 5)} ${f(y - 5)}L${f(x + 5)} ${f(y + 5)}M${f(x - 5)} ${f(y + 5)}L${f(x + 5)} ${f(y - 5)}" stroke="${i ? '#000' : '#fff'}" stroke-width="${w}"/>`).join('');
    case 'oom-kill':
      return `<path d="M${f(x - 6)} ${f(y - 5)}H${f(x + 6)}L${f(x)} ${f(y + 6)}Z" fill="#CC79A7" stroke="#000" stroke-width="1.4"/>`;
    case 'watchdog':
      return `<path d="M${f(x)} ${f(y - 6)}L${f(x + 6)} ${f(y)}L${f(x)} ${f(y + 6)}L${f(x - 6)} ${f(y)}Z" fill="#E69F00" stroke="#000" stroke-width="1.4"/>`;
    case 'start-limit':
      return `<rect x="${f(x - 5)}" y="${f(y - 5)}" width="10" height="10" fill="#000"/>`;
    case 'probe':
      return `<circle cx="${f(x)}" cy="${f(y)}" r="4" fill="${failed ? '#000' : '#fff'}" stroke="#000" stroke-width="1.4"/>`;
    case 'login':
      return `<path d="M${f(x - 6)} ${f(y + 5)}H${f(x + 6)}L${f(x)} ${f(y - 6)}Z" fill="#fff" stroke="#009E73" stroke-width="2.2"/>`;
    case 'reboot':
      return `<path d="M${f(x - 2)} ${f(y - 9)}V${f(y + 9)}M${f(x + 2)} ${f(y - 9)}V${f(y + 9)}" stroke="#000" stroke-width="1.6"/>`;
    case 'collection':
      return `<path d="M${f(x)} ${f(y - 9)}V${f(y + 9)}M${f(x)} ${f(y - 9)}L${f(x - 8)} ${f(y - 5)}L${f(x)} ${f(y - 1)}" stroke="#0072B2" stroke-width="2" fill="#0072B2"/>`;
    case 'failed-requests':
      return `<rect x="${f(x - 1)}" y="${f(y - 8)}" width="3" height="16" fill="#000" fill-opacity=".8"/>`;
  }
}

/** Marks closer than this many pixels are one drawn mark (of one kind), with their count and tooltips. */
const MERGE_PX = 14;

function mergeClose(marks: ChartRow['marks'], x: (ms: number) => number): ChartRow['marks'] {
  const out: (ChartRow['marks'][number] & { tips: number })[] = [];
  for (const m of [...marks].sort((a, b) => a.at - b.at)) {
    const prev = m.kind === 'failed-requests' ? undefined : [...out].reverse().find((o) => o.kind === m.kind);
    if (prev && x(m.at) - x(prev.at) < MERGE_PX) {
      prev.count += m.count;
      if (m.failed !== undefined) prev.failed = (prev.failed ?? 0) + m.failed;
      // The first few tooltips are kept whole, each with its evidence; the rest are counted.
      if (prev.tips < 3) prev.tip += `\n${m.tip}`;
      else if (prev.tips === 3) prev.tip += '\n…';
      prev.tips++;
    } else out.push({ ...m, tips: 1 });
  }
  return out.map(({ tips: _tips, ...m }) => m);
}

export function chartSvg(c: Chart): string {
  const span = c.end - c.start;
  const x = (ms: number) => X0 + ((Math.min(Math.max(ms, c.start), c.end) - c.start) / span) * (X1 - X0);
  const plotTop = TOP;
  const plotBottom = TOP + c.rows.length * ROW_H;
  const out: string[] = [];
  // Ticks on round wall-clock times, at most about eight.
  const step = (STEPS_S.find((s) => span / 1000 / s <= 8) ?? STEPS_S[STEPS_S.length - 1]!) * 1000;
  const off = c.offsetMinutes * 60_000;
  const firstTick = Math.ceil((c.start + off) / step) * step - off;
  for (let t = firstTick; t <= c.end; t += step) {
    const tx = x(t);
    out.push(`<line x1="${tx.toFixed(1)}" y1="${plotTop - 4}" x2="${tx.toFixed(1)}" y2="${plotBottom}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${tx.toFixed(1)}" y="${plotBottom + 14}" text-anchor="middle" font-size="11" fill="#333">${esc(c.tick(t, step < 60_000 ? 'second' : step < 86_400_000 ? 'minute' : 'day'))}</text>`);
  }
  // Shaded windows behind the rows, labelled above them.
  for (const b of c.bands) {
    const bx = x(b.from);
    const bw = Math.max(2, x(b.to) - bx);
    const lx = Math.min(Math.max(bx + bw / 2, X0 + 60), X1 - 60);
    out.push(
      `<g><title>${esc(b.tip)}</title><rect x="${bx.toFixed(1)}" y="${plotTop - 4}" width="${bw.toFixed(1)}" height="${plotBottom - plotTop + 4}" fill="url(#cdp-band)" stroke="#555" stroke-dasharray="4 3"/>` +
        `<text x="${lx.toFixed(1)}" y="${plotTop - 9}" text-anchor="middle" font-size="12" font-weight="bold" fill="#000">${esc(b.label)}</text></g>`,
    );
  }
  c.rows.forEach((r, i) => {
    const top = plotTop + i * ROW_H;
    const mid = top + ROW_H / 2;
    out.push(`<g><title>${esc(r.label)}</title><text x="${LABEL_W}" y="${(mid + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#1b1f24">${esc(shorten(r.label, 28))}</text></g>`);
    out.push(`<line x1="${X0}" y1="${top + ROW_H}" x2="${X1}" y2="${top + ROW_H}" stroke="#eee"/>`);
    for (const s of r.spans) {
      const sx = x(s.from);
      // A short outage stays visible: a down span is never thinner than a mark.
      const sw = Math.max(s.state === 'running' ? 1.5 : 4, x(s.to) - sx);
      out.push(`<g><title>${esc(s.tip)}</title><rect x="${sx.toFixed(1)}" y="${top + 6}" width="${sw.toFixed(1)}" height="${ROW_H - 12}" fill="${SPAN_FILL[s.state]}" stroke="#333" stroke-width=".6"/></g>`);
    }
    const densest = Math.max(1, ...r.marks.filter((m) => m.kind === 'failed-requests').map((m) => m.count));
    for (const m of mergeClose(r.marks, x)) {
      const mx = x(m.at);
      if (m.kind === 'failed-requests') {
        // A density strip: the bar's height grows with the count (log scale), one bar per bucket.
        const h = (ROW_H - 8) * (0.35 + 0.65 * (Math.log(m.count + 1) / Math.log(densest + 1)));
        out.push(`<g><title>${esc(m.tip)}</title><rect x="${(mx - 1.5).toFixed(1)}" y="${(top + ROW_H - 4 - h).toFixed(1)}" width="3" height="${h.toFixed(1)}" fill="#000" fill-opacity=".8"/></g>`);
        continue;
      }
      const n = m.count > 1 ? `<text x="${(mx + 8).toFixed(1)}" y="${(mid - 4).toFixed(1)}" font-size="10" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">×${m.count}</text>` : '';
      out.push(`<g><title>${esc(m.tip)}</title>${shape(m.kind, mx, mid, (m.failed ?? 0) > 0)}${n}</g>`);
    }
  });
  if (c.collection) {
    const cx = x(c.collection.at);
    out.push(`<g><title>${esc(c.collection.tip)}</title><line x1="${cx.toFixed(1)}" y1="${plotTop - 4}" x2="${cx.toFixed(1)}" y2="${plotBottom}" stroke="#0072B2" stroke-width="1.5" stroke-dasharray="2 2"/></g>`);
  }
  // The legend: only what the chart shows.
  const used = new Set<string>();
  for (const r of c.rows) {
    for (const s of r.spans) used.add(s.state);
    for (const m of r.marks) used.add(m.kind);
  }
  if (c.bands.length) used.add('band');
  if (c.collection) used.add('collection');
  const items: string[] = [];
  let lx = X0;
  let ly = plotBottom + 34;
  for (const key of ['running', 'down', 'restarting', 'band', 'crash', 'oom-kill', 'watchdog', 'start-limit', 'probe', 'failed-requests', 'login', 'reboot', 'collection']) {
    if (!used.has(key) || !c.legend[key]) continue;
    const label = c.legend[key]!;
    const w = 26 + label.length * 6.4 + 14;
    if (lx + w > X1) {
      lx = X0;
      ly += 20;
    }
    const sym =
      key === 'running' || key === 'down' || key === 'restarting'
        ? `<rect x="${lx}" y="${ly - 8}" width="18" height="12" fill="${SPAN_FILL[key]}" stroke="#333" stroke-width=".6"/>`
        : key === 'band'
          ? `<rect x="${lx}" y="${ly - 8}" width="18" height="12" fill="url(#cdp-band)" stroke="#555" stroke-dasharray="4 3"/>`
          : shape(key as ChartMarkKind, lx + 9, ly - 2, false);
    items.push(`${sym}<text x="${lx + 24}" y="${ly + 2}" font-size="11" fill="#1b1f24">${esc(label)}</text>`);
    lx += w;
  }
  out.push(...items);
  let height = ly + 14;
  if (c.note) {
    out.push(`<text x="${X0}" y="${ly + 22}" font-size="11" fill="#57606a">${esc(c.note)}</text>`);
    height += 18;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="cd-chart" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(c.title)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>${esc(c.title)}</title>`,
    DEFS,
    `<text x="0" y="16" font-size="14" font-weight="bold" fill="#1b1f24">${esc(c.title)}</text>`,
    ...out,
    '</svg>',
  ].join('\n');
}
