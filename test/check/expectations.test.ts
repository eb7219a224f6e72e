// docs/samples.md on the seed incident: every kind of expectation, met and broken.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareExpectations, evaluateExpectations, parseExpected } from '../../src/check/expectations.js';
import { lineOfExpectation } from '../../src/check/run.js';
import type { Analysis } from '../../src/analysis/schema.js';
import { SAMPLES } from './fixtures.js';
import { analyzeSample } from '../helpers/bundle.js';

let seed: Analysis;
const seedExpected = () => JSON.parse(readFileSync(join(SAMPLES, 'seed-incident', 'expected.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  seed = await analyzeSample('seed-incident');
});

const parse = (o: unknown) => parseExpected(JSON.stringify(o), 'expected.json');

describe('evaluateExpectations', () => {
  it('the sample expectations are all met, one outcome per expectation in file order', () => {
    const exp = seedExpected();
    const outcomes = evaluateExpectations(seed, parse(exp));
    expect(outcomes.every((o) => o.problems.length === 0)).toBe(true);
    const n = (exp.findings as unknown[]).length + (exp.absent as unknown[]).length + 2;
    expect(outcomes).toHaveLength(n);
    expect(outcomes[0]).toMatchObject({ kind: 'finding', label: 'finding process.unmanaged "uvicorn (pid 165162)" (critical)', rule: 'process.unmanaged' });
    expect(outcomes.at(-2)).toMatchObject({ kind: 'outage', label: 'outage 2025-12-10T01:10:00+03:00 → 2025-12-10T01:12:00+03:00 (±60 s)' });
    expect(outcomes.at(-1)).toMatchObject({ kind: 'exhaustive', label: 'no other warning or critical finding' });
  });

  it('a wrong severity says what was expected and what was found, and the unmatched finding becomes unexpected', () => {
    const exp = seedExpected();
    (exp.findings as { severity?: string }[])[1]!.severity = 'critical';
    const failures = compareExpectations(seed, parse(exp));
    expect(failures).toEqual([
      'expected service.no-restart for "charger.service" (critical); found service.no-restart charger.service (warning)',
      'unexpected service.no-restart charger.service (warning) (expectations are exhaustive)',
    ]);
  });

  it('a rule that must be absent names each finding that fired, with its index', () => {
    const outcomes = evaluateExpectations(seed, parse({ absent: ['service.no-health-check'] }));
    const [absent] = outcomes;
    expect(absent!.problems.map((p) => p.message)).toEqual([
      'expected no service.no-health-check; found service.no-health-check charger.service (warning)',
      'expected no service.no-health-check; found service.no-health-check ngrok.service (warning)',
    ]);
    for (const p of absent!.problems) expect(seed.findings[p.finding!]!.rule).toBe('service.no-health-check');
  });

  it('outage: outside the tolerance, none expected, and one expected when there is none', () => {
    expect(compareExpectations(seed, parse({ outage: { start: '2025-12-10T01:08:00+03:00', end: '2025-12-10T01:12:00+03:00', toleranceSeconds: 60 } }))).toEqual([
      'expected outage 2025-12-10T01:08:00+03:00 → 2025-12-10T01:12:00+03:00 (±60 s); found 2025-12-10T01:10:00+03:00 → 2025-12-10T01:12:00+03:00',
    ]);
    // Same instant written in UTC is within tolerance.
    expect(compareExpectations(seed, parse({ outage: { start: '2025-12-09T22:10:30Z', end: '2025-12-09T22:12:00Z' } }))).toEqual([]);
    expect(compareExpectations(seed, parse({ outage: null }))).toEqual(['expected no outage; found 2025-12-10T01:10:00+03:00 → 2025-12-10T01:12:00+03:00']);
    expect(compareExpectations({ ...seed, outage: null }, parse({ outage: { start: '2025-12-10T01:10:00+03:00', end: '2025-12-10T01:12:00+03:00' } }))).toEqual([
      'expected an outage 2025-12-10T01:10:00+03:00 → 2025-12-10T01:12:00+03:00; found none',
    ]);
  });

  it('two expectations for one rule need two findings', () => {
    const two = parse({ findings: [{ rule: 'service.no-restart' }, { rule: 'service.no-restart' }] });
    expect(compareExpectations(seed, two)).toEqual(['expected service.no-restart; found service.no-restart charger.service (warning)']);
  });
});

describe('lineOfExpectation', () => {
  it('points at the entry in expected.json, picking the one with the right subject', () => {
    const text = readFileSync(join(SAMPLES, 'seed-incident', 'expected.json'), 'utf8');
    const lines = text.split('\n');
    const exp = parseExpected(text, 'expected.json');
    const outcomes = evaluateExpectations(seed, exp);
    const ngrok = outcomes.find((o) => o.kind === 'finding' && o.subject === 'ngrok.service')!;
    const l = lineOfExpectation(text, ngrok);
    expect(lines[l - 1]).toContain('"service.no-health-check"');
    expect(lines.slice(l - 2, l + 2).join('\n')).toContain('ngrok.service');
    const oom = outcomes.find((o) => o.kind === 'absent' && o.rule === 'kernel.oom-kill')!;
    const lo = lineOfExpectation(text, oom);
    expect(lines[lo - 1]!.trim()).toBe('"kernel.oom-kill",');
    expect(lines.slice(0, lo).some((x) => x.includes('"absent"'))).toBe(true);
    expect(lines[lineOfExpectation(text, outcomes.find((o) => o.kind === 'outage')!) - 1]).toContain('"outage"');
  });
});
