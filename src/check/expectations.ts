// Sample expectations (DESIGN.md §6b): compare an analysis with expected.json.
import { z } from 'zod';
import { severityRank, SeveritySchema, type Analysis } from '../analysis/schema.js';
import { parseTimestamp } from '../time.js';
import { readJsonObject, validate } from '../json-input.js';

export const ExpectedSchema = z.object({
  findings: z.array(z.object({ rule: z.string(), subject: z.string().optional(), severity: SeveritySchema.optional() })).default([]),
  absent: z.array(z.string()).default([]),
  outage: z.union([z.null(), z.object({ start: z.string(), end: z.string(), toleranceSeconds: z.number().nonnegative().default(60) })]).optional(),
  exhaustive: z.boolean().default(false),
});
export type Expected = z.infer<typeof ExpectedSchema>;

export function parseExpected(text: string, file: string): Expected {
  return validate(ExpectedSchema, readJsonObject(text, file), file);
}

/** Each failure says what was expected and what was found. An empty list means the analysis meets the expectations. */
export function compareExpectations(a: Analysis, exp: Expected): string[] {
  const failures: string[] = [];
  const describe = (f: Analysis['findings'][number]) => `${f.rule} ${f.subject} (${f.severity})`;
  const matched = new Set<number>();
  for (const want of exp.findings) {
    const idx = a.findings.findIndex(
      (f, i) => !matched.has(i) && f.rule === want.rule && (!want.subject || f.subject.includes(want.subject)) && (!want.severity || f.severity === want.severity),
    );
    if (idx >= 0) {
      matched.add(idx);
      continue;
    }
    const same = a.findings.filter((f) => f.rule === want.rule);
    failures.push(
      `expected ${want.rule}${want.subject ? ` for "${want.subject}"` : ''}${want.severity ? ` (${want.severity})` : ''}; found ${same.length ? same.map(describe).join(', ') : `no ${want.rule} finding`}`,
    );
  }
  for (const id of exp.absent) {
    const hits = a.findings.filter((f) => f.rule === id);
    if (hits.length) failures.push(`expected no ${id}; found ${hits.map(describe).join(', ')}`);
  }
  if (exp.outage !== undefined) {
    if (exp.outage === null) {
      if (a.outage) failures.push(`expected no outage; found ${a.outage.start} → ${a.outage.end}`);
    } else if (!a.outage) {
      failures.push(`expected an outage ${exp.outage.start} → ${exp.outage.end}; found none`);
    } else {
      const tol = exp.outage.toleranceSeconds * 1000;
      const clock = { utcOffset: '+00:00' };
      const off = (x: string, y: string) => Math.abs((parseTimestamp(x, clock) ?? NaN) - (parseTimestamp(y, clock) ?? NaN));
      if (!(off(a.outage.start, exp.outage.start) <= tol) || !(off(a.outage.end, exp.outage.end) <= tol)) {
        failures.push(`expected outage ${exp.outage.start} → ${exp.outage.end} (±${exp.outage.toleranceSeconds} s); found ${a.outage.start} → ${a.outage.end}`);
      }
    }
  }
  if (exp.exhaustive) {
    a.findings.forEach((f, i) => {
      if (!matched.has(i) && severityRank(f.severity) >= severityRank('warning')) failures.push(`unexpected ${describe(f)} (expectations are exhaustive)`);
    });
  }
  return failures;
}
