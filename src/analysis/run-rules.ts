// Run the catalogue over the facts: skip rules whose facts are missing (with
// the reason), apply config (disabled rules, severity overrides), cap
// evidence, and order findings deterministically.
import type { Finding } from './schema.js';
import { severityRank } from './severities.js';
import type { Facts, FactKind } from '../facts/types.js';
import type { Config } from '../config.js';
import type { Rule } from '../rules/types.js';
import { isSkip } from '../rules/types.js';
import { Translator } from '../report/i18n.js';
import { describeWith, type FindingText } from '../report/findings.js';
import { plainText } from '../report/markdown.js';

export interface RuleRun {
  findings: Finding[];
  skipped: { rule: string; reason: string }[];
}

function missing(facts: Facts, kinds: FactKind[]): FactKind[] {
  return kinds.filter((k) => !facts.available.has(k));
}

function reasonFor(facts: Facts, kinds: FactKind[]): string {
  return kinds.map((k) => facts.missingReason[k] ?? `no ${k} data in the bundle`).join('; ');
}

export function runRules(rules: readonly Rule[], facts: Facts, config: Config): RuleRun {
  const findings: Finding[] = [];
  const skipped: { rule: string; reason: string }[] = [];
  const cap = config.thresholds.evidencePerFinding;
  // A finding's English title and remediation are its rule's English messages, as plain text.
  const en = new Translator('en');
  for (const rule of rules) {
    const override = config.rules[rule.id];
    if (override?.enabled === false) {
      skipped.push({ rule: rule.id, reason: 'disabled in the configuration' });
      continue;
    }
    const lacking = missing(facts, rule.needs);
    if (lacking.length > 0) {
      skipped.push({ rule: rule.id, reason: reasonFor(facts, lacking) });
      continue;
    }
    if (rule.needsAny && rule.needsAny.every((k) => !facts.available.has(k))) {
      skipped.push({ rule: rule.id, reason: reasonFor(facts, rule.needsAny) });
      continue;
    }
    const result = rule.run(facts, { thresholds: config.thresholds, config });
    if (isSkip(result)) {
      skipped.push({ rule: rule.id, reason: result.skip });
      continue;
    }
    for (const f of result) {
      if (f.evidence.length === 0) {
        // A claim without a quoted line is not allowed out; this is a rule bug, made visible.
        throw new Error(`rule ${rule.id} produced a finding for ${f.subject} without evidence`);
      }
      const base = {
        rule: rule.id,
        severity: override?.severity ?? f.severity ?? rule.severity,
        subject: f.subject,
        params: f.params as Record<string, unknown>,
      };
      const evidence = { evidence: f.evidence.slice(0, cap), evidenceTotal: f.evidence.length };
      let text: FindingText | null = null;
      try {
        text = describeWith(rule, en, { ...base, title: '', ...evidence, remediation: '' });
      } catch {
        // A rule whose messages the report catalogue does not hold (one made in a test): the generic sentence.
      }
      findings.push({
        ...base,
        // Params off the rule's schema (a rule bug the compiler could not see, such as NaN) still give a finding.
        title: plainText(text ? text.title : en.t('rule.unknown.title', { rule: rule.id, subject: f.subject })),
        ...evidence,
        remediation: plainText(text ? (text.remediation ?? text.fix) : en.t('rule.unknown.fix', { rule: rule.id })),
        ...(f.noise !== undefined ? { noise: f.noise } : {}),
      });
    }
  }
  const order = new Map(rules.map((r, i) => [r.id, i]));
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (order.get(a.rule)! - order.get(b.rule)!) ||
      a.subject.localeCompare(b.subject),
  );
  return { findings, skipped };
}
