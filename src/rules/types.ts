// The rule contract, modelled on insights-core: a rule declares the facts it
// needs and is skipped with a reason when they are absent, never silently
// passed. One rule per file; each exports a `rule` of this type.
import type { Evidence, Severity } from '../analysis/schema.js';
import type { Facts, FactKind } from '../facts/types.js';
import type { Config, Thresholds } from '../config.js';

export interface RuleFinding {
  /** overrides the rule's default (e.g. critical when the unit really exited) */
  severity?: Severity;
  subject: string;
  params: Record<string, unknown>;
  title: string;
  /** all evidence, strongest first; the engine caps it and records evidenceTotal */
  evidence: Evidence[];
  remediation: string;
  noise?: boolean;
}

/** A rule can decide it has nothing to judge even with its facts present. */
export interface RuleSkip {
  skip: string;
}

export type RuleResult = RuleFinding[] | RuleSkip;

export interface RuleContext {
  thresholds: Thresholds;
  config: Config;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** every kind must be present, unless `needsAny` is used instead */
  needs: FactKind[];
  /** at least one of these kinds must be present */
  needsAny?: FactKind[];
  /** one line: what it checks */
  summary: string;
  /** the explanation `charger-diag rules` prints: signals used, what is ignored, the fix */
  docs: string;
  run(facts: Facts, ctx: RuleContext): RuleResult;
}

export function isSkip(r: RuleResult): r is RuleSkip {
  return !Array.isArray(r);
}
