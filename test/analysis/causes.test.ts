// The cause analysis is part of the analysis JSON (`causes`), so every consumer
// sees the verdict the report gives; a report of an older analysis without it
// computes the same causes from the findings.
import { describe, it, expect, beforeAll } from 'vitest';
import { AnalysisSchema, type Analysis } from '../../src/analysis/schema.js';
import { analyseCauses, causesJson, causesOf } from '../../src/analysis/causes.js';
import { analyzeSample, render } from '../report/render.js';

let seed: Analysis;
beforeAll(async () => {
  seed = await analyzeSample('seed-incident');
});

describe('causes in the analysis JSON', () => {
  it('are written by the analysis: the unmanaged server behind the failing proxy, findings named by rule and subject', () => {
    expect(seed.causes).toBeDefined();
    const top = seed.causes!.causes[0]!;
    expect(top).toMatchObject({ id: 'unmanaged-down', confidence: 'high', related: true });
    expect(top.findings).toEqual([
      { rule: 'process.unmanaged', subject: expect.stringMatching(/^uvicorn \(pid \d+\)$/) },
      { rule: 'proxy.upstream-errors', subject: 'ngrok' },
    ]);
    for (const c of seed.causes!.causes) for (const r of c.findings) expect(seed.findings.some((f) => f.rule === r.rule && f.subject === r.subject)).toBe(true);
    // Plain JSON: it goes through the schema and back unchanged.
    expect(AnalysisSchema.parse(JSON.parse(JSON.stringify(seed))).causes).toEqual(seed.causes);
  });

  it('are what the findings give when computed again, and renderers resolve them to the same findings', () => {
    const { causes: _written, ...older } = seed;
    expect(causesJson(analyseCauses(older))).toEqual(seed.causes);
    const resolved = causesOf(seed);
    expect(resolved.causes.map((c) => c.findings.map((f) => seed.findings.indexOf(f)))).toEqual(analyseCauses(older).causes.map((c) => c.findings.map((f) => seed.findings.indexOf(f))));
  });

  it('an analysis made before causes were written renders the same report', () => {
    const { causes: _written, ...older } = seed;
    for (const lang of ['en', 'tr'] as const) expect(render(older, { lang })).toBe(render(seed, { lang }));
  });

  it('a cause of a kind this version cannot say, or whose findings are gone, is left out of the report', () => {
    const a: Analysis = {
      ...seed,
      causes: {
        causes: [
          { id: 'from-the-future', confidence: 'high', related: true, findings: [{ rule: seed.findings[0]!.rule, subject: seed.findings[0]!.subject }], evidence: [] },
          { id: 'crash', confidence: 'high', related: true, findings: [{ rule: 'kernel.segfault', subject: 'nothing here' }], evidence: [] },
          ...seed.causes!.causes,
        ],
        unknowns: [],
      },
    };
    expect(causesOf(a).causes.map((c) => c.id)).toEqual(seed.causes!.causes.map((c) => c.id));
  });
});
