// `charger-diag rules --json`: the catalogue's metadata a user can rely on.
// The keys of v1 stay; standing, event, artifacts, causes, params and
// languages come from each rule module.
import { describe, it, expect } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { callCli } from '../helpers/cli.js';

async function catalogue(): Promise<Record<string, unknown>[]> {
  const r = await callCli(['rules', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

describe('rules --json', () => {
  it('keeps the v1 keys and adds the module metadata', async () => {
    const list = await catalogue();
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
