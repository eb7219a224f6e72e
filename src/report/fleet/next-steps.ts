// Next steps: the worst hosts' own post-mortems (ready-to-paste commands),
// fleet-wide fixes for shared standing conditions, hosts to collect again.
import { STANDING_CONDITIONS } from '../../rules/index.js';
import { fence } from '../markdown.js';
import { labelList, shellWord, type FleetContext } from './context.js';

export function nextSteps(ctx: FleetContext, lang: string): string {
  const { s, t, b } = ctx;
  const out: string[] = [];
  const worst = s.hosts.filter((h) => h.status === 'analyzed' && h.worst !== null && h.bundle).slice(0, b.nextHosts);
  if (worst.length) {
    const langArg = lang === 'en' ? '' : ` --lang ${lang}`;
    const commands = worst.map((h) => `charger-diag report ${shellWord(h.bundle!.path)}${langArg}`);
    out.push(`${t.t('fleet.next.worst', { n: worst.length })}\n\n${fence(commands.join('\n'), 'sh')}`);
  } else if (s.counts.analyzed > 0) {
    out.push(t.t('fleet.next.nothing'));
  }
  const standing = s.rules.filter((r) => (STANDING_CONDITIONS as readonly string[]).includes(r.rule));
  if (standing.length) {
    const items = standing.slice(0, b.ruleRows).map((r) => {
      const top = r.subjects[0]!;
      return `- ${t.t('fleet.next.standingItem', { rule: r.rule, subject: top.subject, n: top.hosts })}`;
    });
    out.push(`${t.t('fleet.next.standing')}\n\n${items.join('\n')}`);
  }
  const notCollected = s.hosts.filter((h) => h.status === 'not-collected');
  if (notCollected.length) out.push(t.t('fleet.next.recollect', { n: notCollected.length, hosts: labelList(ctx, notCollected.map((h) => h.target ?? h.label)) }));
  if (s.counts.unreadable) out.push(t.t('fleet.next.unreadable', { n: s.counts.unreadable }));
  if (s.skippedRules.length) out.push(t.t('fleet.next.skipped'));
  if (s.outageGroups.some((g) => g.hosts.length > 1)) out.push(t.t('fleet.next.human'));
  return out.join('\n\n');
}
