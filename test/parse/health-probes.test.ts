import { describe, it, expect } from 'vitest';
import { parseHealthProbes } from '../../src/parse/resources.js';

const SRC = 'commands/health-probes.json';

describe('parseHealthProbes', () => {
  it('reads {"probes": [...]} as the collector writes it, with each probe\'s line', () => {
    const text = JSON.stringify(
      {
        probes: [
          { url: 'http://127.0.0.1:8000/api/health', status: 200, ms: 12, error: null, at: '2025-12-10T01:15:00+03:00' },
          { url: 'http://127.0.0.1:8080/health', status: null, ms: 3, error: 'connect ECONNREFUSED 127.0.0.1:8080', at: '2025-12-10T01:15:00+03:00' },
        ],
      },
      null,
      2,
    );
    const res = parseHealthProbes(text, SRC);
    expect(res.skipped).toBe(0);
    expect(res.records).toEqual([
      { source: SRC, line: 3, url: 'http://127.0.0.1:8000/api/health', status: 200, ms: 12, error: null, at: '2025-12-10T01:15:00+03:00' },
      { source: SRC, line: 10, url: 'http://127.0.0.1:8080/health', status: null, ms: 3, error: 'connect ECONNREFUSED 127.0.0.1:8080', at: '2025-12-10T01:15:00+03:00' },
    ]);
  });

  it('reads a bare array, with optional fields missing', () => {
    const res = parseHealthProbes('[{"url":"http://127.0.0.1:8000/api/health","status":503}]', SRC);
    expect(res.records).toEqual([{ source: SRC, line: 1, url: 'http://127.0.0.1:8000/api/health', status: 503, ms: null, error: null, at: null }]);
  });

  it('skips and counts a bad probe, keeping the others', () => {
    const text = `{
  "probes": [
    { "url": "http://127.0.0.1:8000/api/health", "status": "200" },
    { "url": "http://127.0.0.1:8000/api/status", "status": 502, "ms": 4 },
    { "status": 200 }
  ]
}`;
    const res = parseHealthProbes(text, SRC);
    expect(res.records.map((r) => [r.url, r.line])).toEqual([['http://127.0.0.1:8000/api/status', 4]]);
    expect(res.skipped).toBe(2);
    expect(res.problems.map((p) => p.line)).toEqual([3, 5]);
    expect(res.problems[0]!.reason).toMatch(/^probe 1: status/);
  });

  it('reports invalid JSON and a wrong shape as one problem each', () => {
    const cut = parseHealthProbes('{\n  "probes": [\n    { "url": "http://127.0.0.1:8000/api/he', SRC);
    expect(cut.records).toEqual([]);
    expect(cut.skipped).toBe(1);
    expect(cut.problems[0]!.reason).toBe('not valid JSON');
    const wrong = parseHealthProbes('{"checks": []}', SRC);
    expect(wrong.skipped).toBe(1);
    expect(wrong.problems[0]!.reason).toMatch(/probes/);
  });
});
