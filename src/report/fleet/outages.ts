// Shared outage windows: which hosts were down together, each with its own times.
import { md } from '../i18n.js';
import { code, table } from '../markdown.js';
import { duration, span, time } from '../format.js';
import { cutNote, type FleetContext } from './context.js';

export function outages(ctx: FleetContext): string {
  const { s, t, b } = ctx;
  if (s.outageGroups.length === 0) return t.t('fleet.outages.none');
  const out = [t.t('fleet.outages.intro', { gap: md(duration(t, s.outageGapSeconds)) })];
  s.outageGroups.slice(0, b.windows).forEach((g, i) => {
    const rows = g.hosts.slice(0, b.windowRows).map((h) => [code(h.label), time(h.start).text, time(h.end).text, duration(t, h.durationSeconds)]);
    out.push(
      `### ${t.t('fleet.outages.window', { i: i + 1, span: span(g.start, g.end), duration: md(duration(t, g.durationSeconds)), n: g.hosts.length })}\n\n` +
        table([t.t('fleet.col.host'), t.t('fleet.col.start'), t.t('fleet.col.end'), t.t('fleet.col.duration')], rows) +
        cutNote(ctx, 'fleet.cut.hosts', g.hosts.length - rows.length),
    );
  });
  return out.join('\n\n') + cutNote(ctx, 'fleet.cut.windows', s.outageGroups.length - b.windows);
}
