// Analyses written by earlier versions lack params added since (docs/analysis-json.md,
// "Newer optional params"): their findings still read as their rule's in every
// language; params that do not fit a rule's schema at all fall back to the
// unknown-rule sentences instead of printing "?" in the rule's own.
import { describe, it, expect } from 'vitest';
import type { Finding } from '../../src/analysis/schema.js';
import { Translator } from '../../src/report/i18n.js';
import { describeFinding } from '../../src/report/findings.js';

const evidence = [{ source: 'commands/journal.jsonl', line: 1, time: null, text: 'x' }];
const finding = (rule: string, subject: string, params: Record<string, unknown>): Finding => ({ rule, severity: 'warning', subject, params, title: 'English title', evidence, evidenceTotal: 1, remediation: 'English fix' });

const OLDER: Finding[] = [
  finding('service.no-health-check', 'api.service', { unit: 'api.service', ports: ['0.0.0.0:8000'], watchdogSec: '0', timersSearched: 1, cronEntriesSearched: 0, execStartPost: [], restart: 'always', execStart: '/usr/bin/api' }),
  finding('kernel.segfault', 'api.service', { unit: 'api.service', crashes: 2, kinds: ['segfault'], signals: [], comm: 'api', pids: [12], first: '2025-12-10T01:00:00+03:00', last: '2025-12-10T01:01:00+03:00' }),
  finding('kernel.oom-kill', 'api.service', { unit: 'api.service', kills: 1, pids: [12], comm: 'api', memcg: null, scope: 'global', first: '2025-12-10T01:00:00+03:00' }),
  finding('host.rebooted', 'boot 5f2e8a1c9d7b', { bootId: '5f2e8a1c9d7b', at: '2025-12-10T01:13:07+03:00', current: true }),
  finding('service.watchdog-timeout', 'api.service', { unit: 'api.service', timeouts: 1, watchdogSec: '30s', first: null }),
  finding('proxy.upstream-errors', 'nginx', { proxy: 'nginx', upstreams: ['127.0.0.1:8000'], kinds: ['http-5xx'], statuses: [502], count: 3, first: null, last: null, sources: [] }),
];

describe('params of older analyses', () => {
  for (const f of OLDER) {
    it(`${f.rule} without the params added since reads as the rule's own finding`, () => {
      for (const lang of ['en', 'tr'] as const) {
        const t = new Translator(lang);
        const d = describeFinding(t, f);
        expect(d.title).not.toBe(t.t('rule.unknown.title', { rule: f.rule, subject: f.subject }));
        expect(d.title).not.toContain('English title');
        expect(`${d.title} ${d.fix} ${d.state.join(' ')}`).not.toMatch(/`\?`/);
      }
    });
  }

  it('params that do not fit the schema give the unknown-rule sentences (English: the JSON title)', () => {
    const f = finding('service.no-restart', 'x.service', { unit: 7 });
    expect(describeFinding(new Translator('en'), f)).toMatchObject({ title: 'English title', fix: 'English fix', state: [] });
    expect(describeFinding(new Translator('tr'), f).title).toBe(new Translator('tr').t('rule.unknown.title', { rule: 'service.no-restart', subject: 'x.service' }));
  });
});
