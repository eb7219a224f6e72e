// Tekrarlayacak mı? / Will it recur?: YES or NO from the analysis's
// recurrence verdict, with the rule ids and subjects behind it.
import type { Finding } from '../../analysis/schema.js';
import { someCodes, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { ALL_RULES, STANDING_CONDITIONS } from '../../rules/index.js';

/** docs/analysis-json.md: the conditions that keep a device at risk until fixed (rules marked `standing`). */
export const STANDING: readonly string[] = STANDING_CONDITIONS;

/** Faults that happened (not standing conditions): no configuration change makes them go away (rules marked `event`, in its order). */
export const EVENTS: readonly string[] = ALL_RULES.filter((r) => r.event !== undefined)
  .sort((x, y) => x.event! - y.event!)
  .map((r) => r.id);

export function eventRules(a: ReportContext['a']): string[] {
  return EVENTS.filter((r) => a.findings.some((f) => f.rule === r));
}

/**
 * The standing conditions split by whether they took part in this outage (a cause the analysis
 * relates to it: the unmanaged server behind the failing proxy, a no-restart unit that exited in
 * the window, ...) or only stand beside it (a unit without Restart= that never stopped).
 */
export function standingSplit(ctx: ReportContext): { tookPart: Finding[]; standing: Finding[] } {
  const related = new Set(ctx.causes.causes.filter((c) => c.related).flatMap((c) => c.findings.map((f) => `${f.rule}\u0000${f.subject}`)));
  const tookPart: Finding[] = [];
  const standing: Finding[] = [];
  for (const rule of ctx.a.recurrence.because) {
    for (const f of ctx.a.findings.filter((x) => x.rule === rule)) (related.has(`${f.rule}\u0000${f.subject}`) ? tookPart : standing).push(f);
  }
  return { tookPart, standing };
}

function conditionLines(ctx: ReportContext, findings: Finding[]): string {
  const t = ctx.t;
  const rules = [...new Set(findings.map((f) => f.rule))];
  return rules
    .map((rule) => {
      const subjects = findings.filter((f) => f.rule === rule).map((f) => f.subject);
      const key = t.has(`rule.${rule}.recur`) ? `rule.${rule}.recur` : 'recur.rule.other';
      return `- ${code(rule)} — ${t.t(key, { subjects: someCodes(ctx, subjects), n: subjects.length })}`;
    })
    .join('\n');
}

export function recurrence(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  if (a.recurrence.likely) {
    out.push(`**${t.t('recur.yesWord')}** — ${t.t('recur.yesIntro', { n: a.recurrence.because.length })}`);
    const { tookPart, standing } = standingSplit(ctx);
    if (tookPart.length) {
      out.push(t.t('recur.tookPart', { n: tookPart.length }));
      out.push(conditionLines(ctx, tookPart));
    }
    if (standing.length) {
      out.push(t.t('recur.standing', { n: standing.length, outage: md(a.outage ? 'yes' : 'no') }));
      out.push(conditionLines(ctx, standing));
    }
    out.push(t.t('recur.yesOutro'));
  } else {
    out.push(`**${t.t('recur.noWord')}** — ${t.t('recur.noIntro', { rules: md(STANDING.map(code).join(', ')) })}`);
    const events = eventRules(a);
    if (events.length) out.push(t.t('recur.noButEvents', { rules: md(events.map(code).join(', ')) }));
  }
  const unchecked = a.skipped.filter((s) => STANDING.includes(s.rule));
  if (unchecked.length) {
    out.push(t.t('recur.unchecked', { n: unchecked.length }));
    out.push(unchecked.map((s) => `- ${code(s.rule)}: ${code(s.reason)}`).join('\n'));
  }
  return out.join('\n\n');
}
