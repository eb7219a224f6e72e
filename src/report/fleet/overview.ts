// Overview: how many hosts, which were down, where it will happen again.
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { duration, span } from '../format.js';
import { labelList, type FleetContext } from './context.js';

export function overview(ctx: FleetContext): string {
  const { s, t } = ctx;
  const c = s.counts;
  const analysed = s.hosts.filter((h) => h.status === 'analyzed');
  const out = [
    t.t('fleet.overview.counts', { total: c.total, analyzed: c.analyzed, unreadable: c.unreadable, notCollected: c.notCollected }),
    t.t('fleet.overview.worst', { ...c.worst }),
  ];
  const down = analysed.filter((h) => h.outageCount > 0).map((h) => h.label);
  out.push(down.length ? t.t('fleet.overview.outage', { n: down.length, hosts: labelList(ctx, down) }) : t.t('fleet.overview.noOutage'));
  const largest = s.outageGroups[0];
  if (largest && largest.hosts.length > 1) {
    out.push(t.t('fleet.overview.largestWindow', { span: span(largest.start, largest.end), duration: md(duration(t, largest.durationSeconds)), n: largest.hosts.length }));
  }
  const recurring = analysed.filter((h) => h.recurrence?.likely);
  if (recurring.length) {
    const because = [...new Set(recurring.flatMap((h) => h.recurrence?.because ?? []))].sort();
    out.push(t.t('fleet.overview.recurYes', { n: recurring.length, rules: md(because.map(code).join(', ')), hosts: labelList(ctx, recurring.map((h) => h.label)) }));
  } else {
    out.push(t.t('fleet.overview.recurNo'));
  }
  if (s.skippedRules.length) out.push(t.t('fleet.overview.skipped', { n: s.skippedRules.length }));
  return out.join('\n\n');
}
