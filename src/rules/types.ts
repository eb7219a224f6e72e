// The rule contract, modelled on insights-core: a rule declares the facts it
// needs and is skipped with a reason when they are absent, never silently
// passed. One rule per folder; each exports a `rule` made with defineRule().
import type { Evidence, Severity } from '../analysis/schema.js';
import type { Config, Thresholds } from '../config.js';

export interface RuleFinding<P = Record<string, unknown>> {
  /** overrides the rule's default (e.g. critical when the unit really exited) */
  severity?: Severity;
  subject: string;
  /** checked against the rule's params schema by the compiler */
  params: P;
  /** all evidence, strongest first; the engine caps it and records evidenceTotal */
  evidence: Evidence[];
  noise?: boolean;
}

/** A rule can decide it has nothing to judge even with its facts present. */
export interface RuleSkip {
  skip: string;
}

export type RuleResult<P = Record<string, unknown>> = RuleFinding<P>[] | RuleSkip;

export interface RuleContext {
  thresholds: Thresholds;
  config: Config;
}

/** A rule module (define.ts): the engine runs any of them. */
export type { AnyRule as Rule } from './define.js';

export function isSkip<P>(r: RuleResult<P>): r is RuleSkip {
  return !Array.isArray(r);
}
