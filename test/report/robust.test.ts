// The renderers read a JSON contract that newer analyzers extend: a rule this
// catalogue does not know, or params a rule stopped sending, must still give
// a whole report (and the Turkish one still no English sentence).
import { describe, it, expect, beforeAll } from 'vitest';
import type { Analysis, Finding } from '../../src/analysis/schema.js';
import { HEADINGS, analyzeSample, headings, render } from './render.js';

let seed: Analysis;
beforeAll(async () => {
  seed = await analyzeSample('seed-incident');
});

const future: Finding = {
  rule: 'future.rule',
  severity: 'warning',
  subject: 'thing <b>1</b>',
  params: {},
  title: 'Something *new* happened to <b>thing</b>',
  evidence: [{ source: 'commands/journal.jsonl', line: 3, time: '2025-12-10T01:03:00+03:00', text: 'new line' }],
  evidenceTotal: 1,
  remediation: 'Do the new thing.',
};

describe('renderers on an extended or thinned analysis', () => {
  it('a rule the catalogue does not know: English falls back on its title (escaped), Turkish names the rule id', () => {
    const a: Analysis = { ...seed, findings: [...seed.findings, future] };
    const en = render(a, { lang: 'en' });
    const tr = render(a, { lang: 'tr' });
    expect(headings(en)).toEqual([...HEADINGS.en]);
    expect(headings(tr)).toEqual([...HEADINGS.tr]);
    expect(en).toContain('Something \\*new\\* happened to \\<b\\>thing\\</b\\>');
    expect(tr).not.toContain('Something');
    expect(tr).not.toContain('Do the new thing');
    expect(tr).toContain('`future.rule` kontrolü `thing <b>1</b>` hakkında bir bulgu bildirdi');
    expect(render(a, { lang: 'en', format: 'html' })).not.toContain('<b>thing</b>');
  });

  it('findings without params, an analysis without optional fields', () => {
    const a = {
      ...seed,
      findings: seed.findings.map((f) => ({ ...f, params: {} })),
      artifacts: seed.artifacts.map(({ params: _p, steps: _s, evidence: _e, ...rest }) => rest),
      hostInfo: undefined,
      logSourcesRead: undefined,
      redaction: undefined,
      collectedAt: undefined,
      timelineTotal: undefined,
    } as Analysis;
    for (const lang of ['en', 'tr'] as const) {
      const md = render(a, { lang });
      expect(headings(md)).toEqual([...HEADINGS[lang]]);
      for (const f of a.findings) expect(md).toContain(f.evidence[0]!.text);
    }
  });
});
