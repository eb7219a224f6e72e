// Özet / Summary: the outage, the most likely cause, what is unknown, whether
// it will recur, and every finding in one table.
import type { ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { table } from '../markdown.js';
import { duration, span, time } from '../format.js';
import { describeFinding, ruleName, severityWord } from '../findings.js';
import { causeSentence } from './why.js';
import { STANDING, eventRules, standingSplit } from './recurrence.js';
import { code } from '../markdown.js';
import { rule as proxyRule } from '../../rules/proxy-upstream-errors/rule.js';
import { rule as failedRule } from '../../rules/service-failed/rule.js';

export function basisWords(ctx: ReportContext, basis: string[]): string {
  // A basis is a signal kind (basis.*) or the rule whose findings are the signal (its own `basis` message).
  const key = (b: string) => (ctx.t.has(`rule.${b}.basis`) ? `rule.${b}.basis` : `basis.${b}`);
  return basis.map((b) => (ctx.t.has(key(b)) ? ctx.t.t(key(b)) : code(b))).join(', ');
}

export function summary(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  if (a.outage) {
    const o = a.outage;
    out.push(
      t.t('summary.outage', {
        span: span(o.start, o.end),
        duration: md(duration(t, o.durationSeconds)),
        basis: md(basisWords(ctx, o.basis)),
        signals: o.signals ?? 0,
        hasSignals: md(o.signals ? 'yes' : 'no'),
      }) +
        ' ' +
        (o.recoveredAt ? t.t('summary.recovered', { at: time(o.recoveredAt) }) : t.t('summary.notRecovered')),
    );
    if (a.outages.length > 1) out.push(t.t('summary.moreOutages', { n: a.outages.length }));
  } else {
    const blind = a.skipped.some((s) => s.rule === proxyRule.id) && a.skipped.some((s) => s.rule === failedRule.id);
    out.push(t.t('summary.noOutage') + (blind ? ` ${t.t('summary.outageUnchecked')}` : ''));
  }
  const top = ctx.causes.causes.find((c) => c.related);
  if (top) out.push(`${t.t('summary.topCause', { confidence: md(t.t(`confidence.${top.confidence}`)) })} ${causeSentence(ctx, top)}`);
  for (const u of ctx.causes.unknowns) out.push(`**${t.t('summary.unknownLabel')}** ${t.t(`unknownShort.${u.id}`, { subject: u.subject, port: u.port ?? '?' })}`);
  const unchecked = a.skipped.filter((s) => STANDING.includes(s.rule)).length;
  const { tookPart, standing } = standingSplit(ctx);
  const ruleList = (fs: typeof tookPart) => md([...new Set(fs.map((f) => f.rule))].map((r) => code(r)).join(', '));
  out.push(
    a.recurrence.likely
      ? standing.length && !tookPart.length
        ? t.t('summary.recurYesStanding', { rules: ruleList(standing), outage: md(a.outage ? 'yes' : 'no') })
        : tookPart.length
          ? t.t('summary.recurYes', { rules: ruleList(tookPart) }) + (standing.length ? ` ${t.t('summary.recurAlsoStanding', { rules: ruleList(standing) })}` : '')
          : t.t('summary.recurYes', { rules: md(a.recurrence.because.map((r) => code(r)).join(', ')) })
      : unchecked
        ? t.t('summary.recurNoUnchecked', { n: unchecked })
        : eventRules(a).length
          ? t.t('summary.recurNoEvents', { rules: md(eventRules(a).map((r) => code(r)).join(', ')) })
          : t.t('summary.recurNo'),
  );
  if (a.skipped.length) out.push(t.t('summary.skipped', { n: a.skipped.length, rules: md(a.skipped.map((s) => code(s.rule)).join(', ')) }));

  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of a.findings) counts[f.severity]++;
  const noise = a.findings.filter((f) => f.noise).length;
  if (a.findings.length === 0) {
    out.push(t.t('summary.noFindings'));
    return out.join('\n\n');
  }
  // All clear: info findings are notes (Problem detection lists them), not problems to count and rank.
  if (ctx.allClear) {
    out.push(t.t('summary.allClearNotes', { n: a.findings.length }));
    return out.join('\n\n');
  }
  out.push(t.t('summary.counts', { n: a.findings.length, critical: counts.critical, warning: counts.warning, info: counts.info, noise }));
  if (ctx.findings.length) out.push(
    table(
      [t.t('col.no'), t.t('col.severity'), t.t('col.finding'), t.t('col.rule')],
      ctx.findings.map((f, i) => [
        String(i + 1),
        `**${severityWord(t, f.severity)}**${f.noise ? ` (${t.t('noise.word')})` : ''}`,
        describeFinding(t, f).title,
        `${ruleName(t, f.rule)} (${code(f.rule)})`,
      ]),
    ),
  );
  if (ctx.folded.length) out.push(t.t('summary.folded', { shown: ctx.findings.length, n: ctx.folded.length }));
  return out.join('\n\n');
}
