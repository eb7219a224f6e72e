// The severities of a finding, worst first: a module of its own, without zod, so that the command
// line can offer them (--fail-on) without loading the analysis schema at start-up.
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
