// The report of the seed-incident lab (test/lab/seed-incident.test.ts), rendered from the analysis
// of its real bundle: an API started by hand from login c1, killed, restarted by hand from login
// c2 (ps says it started at 21:15:42, one second before session-c2.scope did: lstart rounding);
// charger.service without Restart= ran beside it the whole time and never stopped.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { AnalysisSchema, type Analysis } from '../../src/analysis/schema.js';
import { analyseCauses } from '../../src/analysis/causes.js';
import { render, section } from './render.js';

const analysis = (): Analysis =>
  AnalysisSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/lab/seed-incident/analysis.json', import.meta.url), 'utf8')));

describe('report of the seed-incident lab', () => {
  it('names the login the server was restarted from: its own scope (session-c2), not the first login', () => {
    const a = analysis();
    // The real data this is about: ps's start is a second before the scope's start.
    expect(a.findings.find((f) => f.rule === 'process.unmanaged')!.params).toMatchObject({ scope: 'session-c2.scope', startedAt: '2026-12-06T21:15:42+00:00' });
    expect(a.timeline.filter((e) => e.kind === 'unit-started' && (e.subject ?? '').endsWith('.scope')).map((e) => [e.subject, e.time])).toEqual([
      ['session-c1.scope', '2026-12-06T21:15:36+00:00'],
      ['session-c2.scope', '2026-12-06T21:15:43+00:00'],
    ]);
    const down = analyseCauses(a).causes.find((c) => c.id === 'unmanaged-down')!;
    expect(down.recovery).toMatchObject({ login: { subject: 'session-c2.scope', time: '2026-12-06T21:15:43+00:00' }, restartedAt: '2026-12-06T21:15:43+00:00' });
    for (const lang of ['en', 'tr'] as const) {
      const md = render(a, { lang });
      expect(md).toContain('`session-c2.scope`');
      expect(md).not.toMatch(/session-c1\.scope`\)/);
    }
    expect(render(a, { lang: 'en' })).toContain('started at 2026-12-06 21:15:43+00:00, after the outage began, following a login at 2026-12-06 21:15:43+00:00 (`session-c2.scope`)');
  });

  it('says how many requests failed (7), not how many lines told of them (14), in both languages', () => {
    const a = analysis();
    const en = render(a, { lang: 'en' });
    expect(en).toContain('`nginx` could not reach `127.0.0.1:8000` 7 times');
    expect(en).toContain('Counted once per request: 7 requests answered with 502/503/504 (the error-log lines about the same requests are not counted again); 14 log lines in all.');
    expect(en).toContain('got refused connections from `127.0.0.1:8000` 7 times');
    const tr = render(a, { lang: 'tr' });
    expect(tr).toContain('7 kez `127.0.0.1:8000` adresine ulaşamadı');
    expect(tr).toContain('Her istek bir kez sayıldı: 7 istek 502/503/504 ile yanıtlandı');
  });

  it('lists service.no-restart on charger.service as standing beside the outage, not as a cause of it', () => {
    const a = analysis();
    expect(a.recurrence.because).toEqual(['process.unmanaged', 'service.no-restart', 'service.no-health-check']);
    const en = render(a, { lang: 'en' });
    expect(section(en, 'Summary')).toContain('**Will it recur? YES**: conditions that caused or prolonged it still stand (`process.unmanaged`). Standing beside it, without taking part: `service.no-restart`, `service.no-health-check`.');
    const recur = section(en, 'Will it recur?');
    const took = recur.indexOf('This one took part in the outage');
    const beside = recur.indexOf('These stand beside it');
    expect(took).toBeGreaterThan(-1);
    expect(beside).toBeGreaterThan(took);
    expect(recur.slice(took, beside)).toContain('`process.unmanaged`');
    expect(recur.slice(took, beside)).not.toContain('charger.service');
    expect(recur.slice(beside)).toContain('`service.no-restart` — `charger.service`');
    const tr = render(a, { lang: 'tr' });
    expect(section(tr, 'Özet')).toContain('Kesintide rol oynamadan geçerli olan diğer koşullar: `service.no-restart`, `service.no-health-check`.');
    expect(section(tr, 'Tekrarlayacak mı?')).toContain('Kesintiye yol açmayan ya da onu uzatmayan, ama hâlâ geçerli 2 koşul');
  });

  it('with no outage, standing conditions are standing, never "caused or prolonged it"', () => {
    const a = analysis();
    const quiet: Analysis = { ...a, outage: null, outages: [], findings: a.findings.filter((f) => f.rule === 'service.no-restart') , recurrence: { likely: true, because: ['service.no-restart'] } };
    const en = section(render(quiet, { lang: 'en' }), 'Summary');
    expect(en).toContain('**Will it recur? YES**: standing conditions remain (`service.no-restart`).');
    expect(en).not.toContain('caused or prolonged');
  });
});
