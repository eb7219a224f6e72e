// What differs between hosts (OS, kernel, journal storage, collector
// version), and what they all share: a fleet that agrees is worth saying.
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { labelList, type FleetContext } from './context.js';

export function differences(ctx: FleetContext): string {
  const { s, t, b } = ctx;
  if (s.counts.analyzed === 0) return t.t('fleet.noneAnalysed');
  const value = (v: string | null) => (v === null ? t.t('fleet.diff.unknown') : code(v));
  const out = [t.t('fleet.diff.intro', { n: s.counts.analyzed })];
  for (const d of s.differences) {
    const lines = d.values.slice(0, b.values).map((v) => `- ${t.t('fleet.diff.value', { value: md(value(v.value)), n: v.hosts, hosts: labelList(ctx, v.labels) })}`);
    if (d.values.length > lines.length) lines.push(`- ${t.t('fleet.more', { n: d.values.length - lines.length })}`);
    out.push(`${t.t('fleet.diff.field', { field: md(t.t(`fleet.field.${d.field}`)) })}\n\n${lines.join('\n')}`);
  }
  if (s.differences.length === 0) out.push(t.t('fleet.diff.none'));
  if (s.sameEverywhere.length) {
    out.push(t.t('fleet.diff.same', { list: md(s.sameEverywhere.map((x) => `${t.t(`fleet.field.${x.field}`)} ${value(x.value)}`).join(', ')) }));
  }
  return out.join('\n\n');
}
