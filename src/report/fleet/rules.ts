// Findings across the fleet: each rule with its worst severity, how many
// hosts, which subjects; then the checks that could not run, and where.
import { md } from '../i18n.js';
import { code, table } from '../markdown.js';
import { ruleName, severityWord } from '../findings.js';
import { cutNote, labelList, type FleetContext } from './context.js';

export function fleetRules(ctx: FleetContext): string {
  const { s, t, b } = ctx;
  const out: string[] = [];
  if (s.rules.length === 0) out.push(t.t('fleet.rules.none'));
  else {
    out.push(t.t('fleet.rules.intro'));
    const rows = s.rules.slice(0, b.ruleRows).map((r) => {
      const subjects = r.subjects.slice(0, b.subjects).map((x) => `${code(x.subject)} ×${t.n(x.hosts)}`);
      if (r.subjects.length > subjects.length) subjects.push(t.t('fleet.more', { n: r.subjects.length - subjects.length }));
      const hosts = t.t('fleet.rules.hostsCell', { n: r.hosts, total: s.counts.analyzed });
      const names = b.labels > 0 ? `: ${labelList(ctx, r.labels).text}` : '';
      return [`${ruleName(t, r.rule)} (${code(r.rule)})`, `**${severityWord(t, r.worst)}**`, `${hosts}${names}`, subjects.join(', ')];
    });
    out.push(
      table([t.t('col.rule'), t.t('fleet.col.worst'), t.t('fleet.col.hosts'), t.t('fleet.col.subjects')], rows) +
        cutNote(ctx, 'fleet.cut.rows', s.rules.length - rows.length),
    );
  }
  if (s.skippedRules.length) {
    out.push(t.t('fleet.rules.skippedIntro'));
    out.push(
      s.skippedRules
        .map((r) => {
          const reasons = r.reasons.slice(0, b.subjects).map((x) => t.t('fleet.rules.reason', { reason: x.reason, n: x.hosts }));
          if (r.reasons.length > reasons.length) reasons.push(t.t('fleet.more', { n: r.reasons.length - reasons.length }));
          return `- ${t.t('fleet.rules.skipped', { rule: r.rule, n: r.hosts, hosts: labelList(ctx, r.labels), reasons: md(reasons.join('; ')) })}`;
        })
        .join('\n'),
    );
  }
  return out.join('\n\n');
}
