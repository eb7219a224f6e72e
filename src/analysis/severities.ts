// The severities of a finding, worst first, and their order: a module of its own, without zod, so
// that the command line (--fail-on) and the rule runner use them without loading the analysis
// schema (analyze builds the analysis JSON without it; tests hold its output to the schema).
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return s === 'critical' ? 3 : s === 'warning' ? 2 : 1;
}
