// Sample expectations (docs/samples.md): compare an analysis with expected.json.
import * as z from '../zod.js';
import { severityRank, SeveritySchema, type Analysis, type Finding } from '../analysis/schema.js';
import { parseTimestamp } from '../time.js';
import { readJsonObject, validate } from '../json-input.js';
import { InputError } from '../errors.js';

export const ExpectedSchema = z.object({
  findings: z._default(z.array(z.object({ rule: z.string(), subject: z.optional(z.string()), severity: z.optional(SeveritySchema) })), []),
  absent: z._default(z.array(z.string()), []),
  outage: z.optional(z.union([z.null(), z.object({ start: z.string(), end: z.string(), toleranceSeconds: z._default(z.number().check(z.nonnegative()), 60) })])),
  exhaustive: z._default(z.boolean(), false),
});
export type Expected = z.infer<typeof ExpectedSchema>;

export function parseExpected(text: string, file: string): Expected {
  const expected = validate(ExpectedSchema, readJsonObject(text, file), file);
  // A rule both expected and expected absent can never pass: the file contradicts itself.
  const both = [...new Set(expected.findings.map((f) => f.rule).filter((rule) => expected.absent.includes(rule)))];
  if (both.length > 0) {
    throw new InputError(`${file}: contradictory expectations: ${both.map((r) => `"${r}"`).join(', ')} listed both in "findings" and in "absent"`);
  }
  return expected;
}

/** One way an expectation is not met: the message says what was expected and what was found. */
export interface ExpectationProblem {
  message: string;
  /** index into analysis.findings of the finding that breaks it (an absent rule that fired, an unexpected one), or null when something is missing */
  finding: number | null;
}

/** One expectation of expected.json and how the analysis meets it: a test case of `check`. */
export interface ExpectationOutcome {
  kind: 'finding' | 'absent' | 'outage' | 'exhaustive';
  /** e.g. `finding <rule> "charger.service" (warning)` */
  label: string;
  /** the rule id it is about, or null for outage and exhaustive; lets a reporter point into expected.json */
  rule: string | null;
  subject: string | null;
  problems: ExpectationProblem[];
}

const describe = (f: Finding) => `${f.rule} ${f.subject} (${f.severity})`;

/** Every expectation in file order (findings, absent, outage, exhaustive), each with its problems; none means met. */
export function evaluateExpectations(a: Analysis, exp: Expected): ExpectationOutcome[] {
  const out: ExpectationOutcome[] = [];
  // Greedy, in file order: two expectations for the same rule need two findings.
  const matched = new Set<number>();
  for (const want of exp.findings) {
    const label = `finding ${want.rule}${want.subject ? ` "${want.subject}"` : ''}${want.severity ? ` (${want.severity})` : ''}`;
    const outcome: ExpectationOutcome = { kind: 'finding', label, rule: want.rule, subject: want.subject ?? null, problems: [] };
    out.push(outcome);
    const idx = a.findings.findIndex(
      (f, i) => !matched.has(i) && f.rule === want.rule && (!want.subject || f.subject.includes(want.subject)) && (!want.severity || f.severity === want.severity),
    );
    if (idx >= 0) {
      matched.add(idx);
      continue;
    }
    const same = a.findings.filter((f) => f.rule === want.rule);
    outcome.problems.push({
      message: `expected ${want.rule}${want.subject ? ` for "${want.subject}"` : ''}${want.severity ? ` (${want.severity})` : ''}; found ${same.length ? same.map(describe).join(', ') : `no ${want.rule} finding`}`,
      finding: null,
    });
  }
  for (const id of exp.absent) {
    const outcome: ExpectationOutcome = { kind: 'absent', label: `no ${id}`, rule: id, subject: null, problems: [] };
    out.push(outcome);
    a.findings.forEach((f, i) => {
      if (f.rule === id) outcome.problems.push({ message: `expected no ${id}; found ${describe(f)}`, finding: i });
    });
  }
  if (exp.outage !== undefined) {
    const want = exp.outage;
    const label = want === null ? 'no outage' : `outage ${want.start} → ${want.end} (±${want.toleranceSeconds} s)`;
    const outcome: ExpectationOutcome = { kind: 'outage', label, rule: null, subject: null, problems: [] };
    out.push(outcome);
    const problem = outageProblem(a, want);
    if (problem) outcome.problems.push({ message: problem, finding: null });
  }
  if (exp.exhaustive) {
    const outcome: ExpectationOutcome = { kind: 'exhaustive', label: 'no other warning or critical finding', rule: null, subject: null, problems: [] };
    out.push(outcome);
    a.findings.forEach((f, i) => {
      if (!matched.has(i) && severityRank(f.severity) >= severityRank('warning')) {
        outcome.problems.push({ message: `unexpected ${describe(f)} (expectations are exhaustive)`, finding: i });
      }
    });
  }
  return out;
}

function outageProblem(a: Analysis, want: Expected['outage']): string | null {
  if (want === undefined) return null;
  if (want === null) return a.outage ? `expected no outage; found ${a.outage.start} → ${a.outage.end}` : null;
  if (!a.outage) return `expected an outage ${want.start} → ${want.end}; found none`;
  const tol = want.toleranceSeconds * 1000;
  const clock = { utcOffset: '+00:00' };
  const off = (x: string, y: string) => Math.abs((parseTimestamp(x, clock) ?? NaN) - (parseTimestamp(y, clock) ?? NaN));
  if (off(a.outage.start, want.start) <= tol && off(a.outage.end, want.end) <= tol) return null;
  return `expected outage ${want.start} → ${want.end} (±${want.toleranceSeconds} s); found ${a.outage.start} → ${a.outage.end}`;
}

/** Each failure says what was expected and what was found. An empty list means the analysis meets the expectations. */
export function compareExpectations(a: Analysis, exp: Expected): string[] {
  return evaluateExpectations(a, exp).flatMap((o) => o.problems.map((p) => p.message));
}
