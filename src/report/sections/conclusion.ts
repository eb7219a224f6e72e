// Sonuç / Conclusion: problem, solution, expected result, what is still
// unknown, and the parts only a person can fill in, marked as such.
import { type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { duration } from '../format.js';
import { describeFinding } from '../findings.js';
import { fixItems, unitOf } from './plan.js';
import { causeSentence } from './why.js';

export function conclusion(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  const top = ctx.causes.causes.find((c) => c.related);
  const problem = top
    ? causeSentence(ctx, top)
    : ctx.findings[0] && !ctx.allClear
      ? describeFinding(t, ctx.findings[0]).title
      : t.t('conclusion.noProblem');
  out.push(`**${t.t('conclusion.problem')}** ${problem}`);
  const items = fixItems(ctx);
  const units = items.filter((i) => i.kind === 'unit').map((i) => unitOf(i.primary));
  const restart = items.filter((i) => i.kind === 'restart').map((i) => unitOf(i.primary));
  const health = items.filter((i) => i.kind === 'health' || i.kind === 'watchdog').map((i) => unitOf(i.primary));
  const parts: string[] = [];
  if (units.length) parts.push(t.t('conclusion.solution.units', { units: md(units.map(code).join(', ')) }));
  if (restart.length) parts.push(t.t('conclusion.solution.restart', { units: md(restart.map(code).join(', ')) }));
  if (health.length) parts.push(t.t('conclusion.solution.health', { units: md(health.map(code).join(', ')) }));
  // All clear: info notes call for no change.
  const none = a.findings.length === 0 || ctx.allClear;
  out.push(`**${t.t('conclusion.solution')}** ${parts.length ? parts.join(' ') : t.t(none ? 'conclusion.solution.notNeeded' : 'conclusion.solution.none')}`);
  const expected = a.outage
    ? t.t(health.length ? 'conclusion.expected.health' : 'conclusion.expected.restart', { duration: md(duration(t, a.outage.durationSeconds)) })
    : none
      ? a.skipped.length
        ? t.t('conclusion.expected.unchecked', { n: a.skipped.length })
        : t.t('conclusion.expected.nothing')
      : t.t('conclusion.expected.noOutage');
  out.push(`**${t.t('conclusion.expected')}** ${expected}`);
  if (ctx.causes.unknowns.length) {
    out.push(`**${t.t('conclusion.unknown')}** ${ctx.causes.unknowns.map((u) => t.t(`unknownShort.${u.id}`, { subject: u.subject, port: u.port ?? '?' })).join(' ')}`);
  }
  out.push(`**${t.t('conclusion.human')}**`);
  out.push(
    ['owner', 'impact', 'wentWell', 'wentBadly', 'actions']
      .map((k) => `- **${t.t(`human.${k}`)}:** _${t.t('human.fill')}_`)
      .join('\n'),
  );
  return out.join('\n\n');
}
