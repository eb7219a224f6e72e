// Run the catalogue over the facts: skip rules whose facts are missing (with
// the reason), apply config (disabled rules, severity overrides), cap
// evidence, and order findings deterministically.
import type { Finding } from './schema.js';
import { severityRank } from './schema.js';
import type { Facts, FactKind } from '../facts/types.js';
import type { Config } from '../config.js';
import type { Rule } from '../rules/types.js';
import { isSkip } from '../rules/types.js';

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
      findings.push({
        rule: rule.id,
        severity: override?.severity ?? f.severity ?? rule.severity,
        subject: f.subject,
        params: f.params as Record<string, unknown>,
        title: f.title,
        evidence: f.evidence.slice(0, cap),
        evidenceTotal: f.evidence.length,
        remediation: f.remediation,
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
