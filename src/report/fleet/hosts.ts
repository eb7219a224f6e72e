// The analysed hosts, worst first, one row each.
import { basename } from 'node:path';
import { md } from '../i18n.js';
import { code, table } from '../markdown.js';
import { duration, time } from '../format.js';
import { severityWord } from '../findings.js';
import { cutNote, type FleetContext } from './context.js';
import type { FleetHost } from '../../fleet/schema.js';

function outageCell(ctx: FleetContext, h: FleetHost): string {
  const { t } = ctx;
  if (!h.outage) return '—';
  const main = t.t('fleet.hosts.outage', { duration: md(duration(t, h.outage.durationSeconds)), start: time(h.outage.start) });
  return h.outageCount > 1 ? `${main} (${t.t('fleet.hosts.episodes', { n: h.outageCount })})` : main;
}

export function fleetHosts(ctx: FleetContext): string {
  const { s, t, b } = ctx;
  const analysed = s.hosts.filter((h) => h.status === 'analyzed');
  if (analysed.length === 0) return t.t('fleet.noneAnalysed');
  const rows = analysed.slice(0, b.hostRows).map((h) => {
    const rules = h.rules.slice(0, b.rulesPerHost).map(code);
    if (h.rules.length > rules.length) rules.push(t.t('fleet.more', { n: h.rules.length - rules.length }));
    const worst = h.worst ? `**${severityWord(t, h.worst)}**` : t.t('word.none');
    const label = h.recurrence?.likely ? `${code(h.label)} (${t.t('fleet.hosts.recurs')})` : code(h.label);
    // The file name is how an operator finds the bundle again (and often the only place the inventory's name for the device appears).
    const bundle = h.bundle ? code(basename(h.bundle.path.replace(/\/+$/, '')) || h.bundle.path) : '—';
    return [label, bundle, worst, t.n(h.counts.critical), t.n(h.counts.warning), t.n(h.counts.info), outageCell(ctx, h), rules.join(', ') || '—'];
  });
  const header = [t.t('fleet.col.host'), t.t('meta.bundle'), t.t('fleet.col.worst'), t.t('severity.critical'), t.t('severity.warning'), t.t('severity.info'), t.t('fleet.col.outage'), t.t('fleet.col.rules')];
  return `${t.t('fleet.hosts.intro')}\n\n${table(header, rows)}${cutNote(ctx, 'fleet.cut.hosts', analysed.length - rows.length)}`;
}
