// The analysis JSON's picture drawn: an inline SVG for the HTML report and a Mermaid gantt for
// the Markdown one (the HTML shows the SVG in the gantt's place). Both in the device's clock.
import type { Picture } from '../analysis/schema.js';
import { offsetMinutes } from '../time.js';
import { chartSvg, tickLabel, type Chart } from './chart-svg.js';
import { duration } from './format.js';
import type { Translator } from './i18n.js';
import { fence, visible } from './markdown.js';

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/;

/** The device's wall clock as written in the time itself: "2025-12-10 01:10:00". */
function wall(iso: string): string {
  const m = ISO.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

function clock(iso: string): string {
  return ISO.exec(iso)?.[2] ?? iso;
}

function where(e: { source: string; line: number | null }): string {
  return e.line !== null ? `${e.source}:${e.line}` : e.source;
}

function laneLabel(t: Translator, l: Picture['lanes'][number]): string {
  return ['kernel', 'probes', 'logins', 'device'].includes(l.kind) ? t.t(`picture.lane.${l.kind}`) : l.label;
}

export function legendWords(t: Translator): Record<string, string> {
  const words: Record<string, string> = { band: t.t('picture.outage') };
  for (const s of ['running', 'down', 'restarting']) words[s] = t.t(`picture.state.${s}`);
  for (const k of ['crash', 'oom-kill', 'watchdog', 'start-limit', 'probe', 'failed-requests', 'login', 'reboot', 'collection']) words[k] = t.t(`picture.mark.${k}`);
  return words;
}

function titleOf(t: Translator, p: Picture): string {
  return `${t.t('picture.title')} (UTC${p.offset})`;
}

export function pictureSvg(p: Picture, t: Translator): string {
  const off = offsetMinutes(p.offset) ?? 0;
  const chart: Chart = {
    title: titleOf(t, p),
    start: Date.parse(p.start),
    end: Date.parse(p.end),
    offsetMinutes: off,
    tick: (ms, precision) => tickLabel(ms, off, precision),
    rows: p.lanes.map((l) => ({
      label: laneLabel(t, l),
      spans: l.spans.map((s) => ({
        from: Date.parse(s.from),
        to: Date.parse(s.to),
        state: s.state,
        tip: `${t.t(`picture.state.${s.state}`)} ${clock(s.from)}–${clock(s.to)}${s.evidence.length ? ` — ${s.evidence.map(where).join(', ')}` : ''}`,
      })),
      marks: l.marks
        .filter((m) => m.kind !== 'collection')
        .map((m) => ({
          at: Date.parse(m.at),
          kind: m.kind,
          count: m.count,
          ...(m.failed !== undefined ? { failed: m.failed } : {}),
          tip: `${t.t(`picture.mark.${m.kind}`)} ${clock(m.at)}${m.count > 1 ? `, ${t.t('picture.count', { n: m.count })}` : ''}${
            m.failed !== undefined && m.failed > 0 ? `, ${t.t('picture.probesFailed', { failed: m.failed, n: m.count })}` : ''
          } — ${m.evidence.map(where).join(', ')}`,
        })),
    })),
    bands: p.outage
      ? [
          {
            from: Date.parse(p.outage.from),
            to: Date.parse(p.outage.to),
            label: `${t.t('picture.outage')} ${duration(t, p.outage.durationSeconds)}`,
            tip: `${t.t('picture.outage')} ${clock(p.outage.from)}–${clock(p.outage.to)}, ${duration(t, p.outage.durationSeconds)} — ${p.outage.evidence.map(where).join(', ')}`,
          },
        ]
      : [],
    collection: (() => {
      const m = p.lanes.flatMap((l) => l.marks).find((x) => x.kind === 'collection');
      return m ? { at: Date.parse(m.at), tip: `${t.t('picture.mark.collection')} ${clock(m.at)} — ${m.evidence.map(where).join(', ')}` } : null;
    })(),
    legend: legendWords(t),
    ...(p.density.lanesLeftOut.length ? { note: `${t.t('picture.lanesLeftOut', { n: p.density.lanesLeftOut.length })}: ${p.density.lanesLeftOut.join(', ')}` } : {}),
  };
  // The collection is drawn as a line across every lane, not again as a mark of the device lane.
  chart.rows = chart.rows.filter((r, i) => r.spans.length > 0 || r.marks.length > 0 || p.lanes[i]!.kind !== 'device');
  return chartSvg(chart);
}

/** Mermaid gantt keywords that a task or section name must not start with. */
const KEYWORDS = /^(title|section|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|click|call|weekday|weekend|inclusiveenddates|topaxis|displaymode|acctitle|accdescr|gantt)\b/i;

/**
 * A name Mermaid reads as text whatever the bundle put in it: only letters, digits and a few
 * harmless signs are kept (`:` ends a task name, `#` and `;` end a line, `%%` starts a comment,
 * backticks end the fence), and a name never starts with a keyword.
 */
export function mermaidText(text: string): string {
  const kept = visible(text)
    .replace(/[^\p{L}\p{N} ._\-+/()@=,×–']/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  const safe = kept === '' ? '_' : kept;
  return KEYWORDS.test(safe) ? `· ${safe}` : safe;
}

/** At most this many marks per lane in the gantt: closer ones are merged with their count. */
const GANTT_MARKS = 12;

export function pictureGantt(p: Picture, t: Translator): string {
  const start = Date.parse(p.start);
  const span = Math.max(1, Date.parse(p.end) - start);
  const lines = ['gantt', `    title ${mermaidText(t.t('picture.title'))} (UTC${p.offset.replace(':', '')})`, '    dateFormat YYYY-MM-DD HH:mm:ss', '    axisFormat %H:%M', '    todayMarker off'];
  if (p.outage) {
    lines.push(`    section ${mermaidText(t.t('picture.outage'))}`);
    lines.push(`    ${mermaidText(`${t.t('picture.outage')} ${duration(t, p.outage.durationSeconds)}`)} :crit, ${wall(p.outage.from)}, ${wall(p.outage.to)}`);
  }
  for (const l of p.lanes) {
    const tasks: string[] = [];
    for (const s of l.spans) {
      if (Date.parse(s.to) <= Date.parse(s.from)) continue;
      const tag = s.state === 'down' ? 'crit, ' : s.state === 'restarting' ? 'active, ' : 'done, ';
      tasks.push(`    ${mermaidText(t.t(`picture.state.${s.state}`))} :${tag}${wall(s.from)}, ${wall(s.to)}`);
    }
    // Merge marks of a kind into at most GANTT_MARKS buckets, each a milestone with its count.
    const buckets = new Map<string, { at: string; kind: string; count: number }>();
    for (const m of l.marks) {
      const key = `${m.kind}:${Math.floor(((Date.parse(m.at) - start) / span) * GANTT_MARKS)}`;
      const cur = buckets.get(key);
      if (cur) cur.count += m.count;
      else buckets.set(key, { at: m.at, kind: m.kind, count: m.count });
    }
    for (const m of buckets.values()) {
      const name = `${t.t(`picture.mark.${m.kind}`)}${m.count > 1 ? ` ×${m.count}` : ''}`;
      tasks.push(`    ${mermaidText(name)} :milestone, ${wall(m.at)}, 0s`);
    }
    if (tasks.length === 0) continue;
    lines.push(`    section ${mermaidText(laneLabel(t, l))}`, ...tasks);
  }
  return lines.join('\n');
}

/** The Markdown block: the gantt fenced for Mermaid, and where the same events stand as a table. */
export function pictureMarkdown(p: Picture, t: Translator): { gantt: string; block: string } {
  const gantt = pictureGantt(p, t);
  return { gantt, block: `${fence(gantt, 'mermaid')}\n\n${t.t('picture.fallback')}` };
}
