// Every sample's analysis conforms to the analysis JSON's schema, key order
// included (analyze does not parse its output again: test/helpers/conformance.ts).
// Rule tests check the same through analyzeSpec, on many more shapes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/reader.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { ConfigSchema } from '../../src/config.js';
import { nonConformance } from '../helpers/conformance.js';

const SAMPLES = join(__dirname, '..', '..', 'samples');
const samples = readdirSync(SAMPLES).filter((d) => statSync(join(SAMPLES, d)).isDirectory());

describe('the analysis JSON conforms to AnalysisSchema', () => {
  it.each(samples)('samples/%s', async (name) => {
    const bundle = await openBundle(join(SAMPLES, name));
    try {
      const a = await analyzeBundle(bundle, ConfigSchema.parse({ waivers: [{ rule: 'service.no-restart', reason: 'tested: waivers are in the JSON too' }] }));
      expect(nonConformance(a)).toBeNull();
    } finally {
      await bundle.close();
    }
  });

  it('the check fails on a wrong type, an unknown key and keys out of order', async () => {
    const bundle = await openBundle(join(SAMPLES, 'seed-incident'));
    try {
      const a = await analyzeBundle(bundle, ConfigSchema.parse({}));
      expect(nonConformance({ ...a, host: 42 })).toMatch(/^host: /);
      expect(nonConformance({ ...a, extra: true })).toMatch(/a key it does not know/);
      const { formatVersion, tool, ...rest } = a;
      expect(nonConformance({ tool, formatVersion, ...rest })).toMatch(/out of its order/);
    } finally {
      await bundle.close();
    }
  });
});
