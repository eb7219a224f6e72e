// Each finding in the reader's language, built by its rule module's describe()
// from the rule id and params (never from the English `title`/`remediation` of
// the analysis JSON, which only the English report may fall back on for a rule
// this catalogue does not know, or whose params it cannot read).
import type { Finding } from '../analysis/schema.js';
import type { Translator } from './i18n.js';
import { escapeMarkdown } from './markdown.js';
import type { AnyRule, FindingText } from '../rules/define.js';
import { ruleById } from '../rules/index.js';

export type { FindingText } from '../rules/define.js';

export function ruleName(t: Translator, rule: string): string {
  return t.has(`rule.${rule}.name`) ? t.t(`rule.${rule}.name`) : t.t('rule.unknown.name', { rule });
}

export function severityWord(t: Translator, s: string): string {
  return t.t(`severity.${s === 'critical' || s === 'warning' ? s : 'info'}`);
}

/** A finding as its rule module says it, or null when its params do not fit the rule's schema. */
export function describeWith(rule: AnyRule, t: Translator, f: Finding): FindingText | null {
  const parsed = rule.params.safeParse(f.params);
  if (!parsed.success) return null;
  return rule.describe(parsed.data, { t, f, k: (key, params = {}) => t.t(`rule.${rule.id}.${key}`, { subject: f.subject, ...params }) });
}

export function describeFinding(t: Translator, f: Finding): FindingText {
  const rule = ruleById(f.rule);
  const own = rule ? describeWith(rule, t, f) : null;
  if (own) return own;
  return {
    // The analysis's own English sentences carry bundle text: escaped, and only in the English report.
    title: t.lang === 'en' ? escapeMarkdown(f.title) : t.t('rule.unknown.title', { rule: f.rule, subject: f.subject }),
    state: [],
    fix: t.lang === 'en' ? escapeMarkdown(f.remediation) : t.t('rule.unknown.fix', { rule: f.rule }),
  };
}
