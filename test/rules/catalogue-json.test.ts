// `charger-diag rules --json`: the catalogue's metadata a user can rely on.
// The keys of v1 stay; standing, event, artifacts, causes, params and
// languages come from each rule module.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { rulesCommand } from '../../src/commands/rules.js';
import { RULES } from '../../src/rules/index.js';

afterEach(() => vi.restoreAllMocks());

function catalogue(): Record<string, unknown>[] {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  expect(rulesCommand({ json: true })).toBe(0);
  return JSON.parse(out) as Record<string, unknown>[];
}

describe('rules --json', () => {
  it('keeps the v1 keys and adds the module metadata', () => {
    const list = catalogue();
    expect(list.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of list) {
      expect(Object.keys(r)).toEqual(['id', 'severity', 'needs', 'needsAny', 'summary', 'docs', 'standing', 'event', 'artifacts', 'causes', 'params', 'languages']);
      expect(r.languages).toEqual(['en', 'tr']);
    }
    const byId = new Map(list.map((r) => [r.id as string, r]));
    expect(byId.get('service.no-restart')).toMatchObject({
      standing: true,
      event: false,
      artifacts: true,
      causes: ['no-restart-exited', 'no-restart-risk'],
      params: { unit: { type: 'string', optional: false }, lastExit: { type: 'string | null', optional: false }, dropins: { type: 'string[]', optional: false } },
    });
    expect(byId.get('kernel.oom-kill')).toMatchObject({ standing: false, event: true, artifacts: false, causes: ['oom-kill'], params: { scope: { type: '"cgroup" | "global"' } } });
    expect(byId.get('proxy.upstream-errors')).toMatchObject({ causes: [], params: { failedRequests: { type: 'number', optional: true } } });
  });
});
