// The fleet report's title (host count and date) and its metadata block.
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { datePart, duration, time } from '../format.js';
import type { FleetContext } from './context.js';

export function fleetHeader(ctx: FleetContext): string {
  const { s, t } = ctx;
  const firstAnalysed = s.hosts.find((h) => h.status === 'analyzed');
  const date = datePart(s.outageGroups[0]?.start) ?? datePart(firstAnalysed?.collectedAt) ?? datePart(s.generatedAt) ?? '';
  const inputs = s.inputs.slice(0, ctx.b.inputs).map(code);
  if (s.inputs.length > inputs.length) inputs.push(t.t('fleet.more', { n: s.inputs.length - inputs.length }));
  const c = s.counts;
  return [
    `# ${t.t('fleet.title', { n: c.total, date: md(date) })}`,
    '',
    `- **${t.t('meta.created')}:** ${time(s.generatedAt).text}`,
    `- **${t.t('meta.tool')}:** ${code(`${s.tool.name} ${s.tool.version}`)}`,
    `- **${t.t('fleet.meta.inputs')}:** ${inputs.join(', ')}`,
    `- **${t.t('fleet.meta.hosts')}:** ${t.t('fleet.meta.hostsValue', { total: c.total, analyzed: c.analyzed, unreadable: c.unreadable, notCollected: c.notCollected })}`,
    `- **${t.t('fleet.meta.gap')}:** ${t.t('fleet.meta.gapValue', { gap: md(duration(t, s.outageGapSeconds)) })}`,
  ].join('\n');
}
