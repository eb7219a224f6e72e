// analyze builds the analysis JSON without parsing it again with AnalysisSchema
// (src/analysis/analyze.ts says why), so tests hold its output to the schema:
// the same shape, no key the schema does not know, and the keys in the
// schema's order (the order every version has printed).
import { AnalysisSchema, type Analysis } from '../../src/analysis/schema.js';

/** Why `a` does not conform to the analysis JSON's schema, or null when it does. */
export function nonConformance(a: unknown): string | null {
  const parsed = AnalysisSchema.safeParse(a);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return `${first.path.join('.') || '(root)'}: ${first.message}`;
  }
  const given = JSON.stringify(a);
  const canonical = JSON.stringify(parsed.data);
  if (given === canonical) return null;
  let at = 0;
  while (at < given.length && given[at] === canonical[at]) at++;
  return `differs from the schema's own rendering (a key it does not know, or keys out of its order) at character ${at}: …${given.slice(Math.max(0, at - 80), at + 40)}… where the schema gives …${canonical.slice(Math.max(0, at - 80), at + 40)}…`;
}

export function assertConforms(a: Analysis): Analysis {
  const why = nonConformance(a);
  if (why !== null) throw new Error(`the analysis JSON does not conform to AnalysisSchema: ${why}`);
  return a;
}
