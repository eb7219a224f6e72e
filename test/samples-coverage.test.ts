// Every rule of the catalogue fires in at least one sample bundle: a rule that
// no realistic bundle can trigger (a pattern that never matches what the real
// tools print, a fact that is never built) shows up here.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/index.js';
import { SAMPLES, analyzeSample } from './helpers/bundle.js';

const names = readdirSync(SAMPLES).filter((n) => existsSync(join(SAMPLES, n, 'manifest.json'))).sort();

async function firedRules(name: string): Promise<string[]> {
  const a = await analyzeSample(name);
  return [...new Set(a.findings.map((f) => f.rule))];
}

describe('sample coverage of the rule catalogue', () => {
  it('every rule id fires in some sample, and no sample fires an id outside the catalogue', async () => {
    const catalogue = RULES.map((r) => r.id).sort();
    const firedBy = new Map<string, string[]>();
    for (const name of names) {
      for (const id of await firedRules(name)) firedBy.set(id, [...(firedBy.get(id) ?? []), name]);
    }
    const neverFired = catalogue.filter((id) => !firedBy.has(id));
    expect(neverFired, `rules no sample fires (samples: ${names.join(', ')})`).toEqual([]);
    expect([...firedBy.keys()].sort()).toEqual(catalogue);
  }, 120_000);
});
