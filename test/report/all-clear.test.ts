// The all-clear report: a device where nothing reached warning gets a short
// report (under 8,000 characters in both languages) that keeps every heading
// in order, says what was checked and what could not be, and lists info
// findings as notes rather than as the problem. Waived findings show in the appendix.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { ConfigSchema } from '../../src/config.js';
import type { Analysis } from '../../src/analysis/schema.js';
import { renderReport } from '../../src/report/index.js';
import { Translator } from '../../src/report/i18n.js';
import { SECTIONS } from '../../src/report/markdown-report.js';
import { analyzeSample } from '../helpers/bundle.js';


const analyse = analyzeSample;

let healthy: Analysis;
let rebooted: Analysis;
beforeAll(async () => {
  healthy = await analyse('healthy');
  // The reboot of volatile-kernlog (an info finding) on an otherwise healthy device.
  const volatile = await analyse('volatile-kernlog');
  const reboot = volatile.findings.find((f) => f.rule === 'host.rebooted')!;
  rebooted = { ...healthy, findings: [reboot] };
});

const report = (a: Analysis, lang: 'en' | 'tr') => renderReport(a, { lang, format: 'md', now: new Date('2025-12-10T07:31:00Z') });

describe('the all-clear report', () => {
  for (const lang of ['en', 'tr'] as const) {
    it(`${lang}: under 8,000 characters, every heading in order, what was checked and what could not be`, () => {
      const md = report(healthy, lang);
      expect(md.length).toBeLessThan(8000);
      const t = new Translator(lang);
      const headings = SECTIONS.map((s) => `## ${t.t(`heading.${s.key}`)}`);
      const at = headings.map((h) => md.indexOf(`\n${h}\n`));
      expect(at.every((i) => i > 0), headings.filter((_, i) => at[i]! < 0).join(', ')).toBe(true);
      expect([...at].sort((x, y) => x - y)).toEqual(at);
      // What was checked: the services, the resources with their values, the checks that found nothing.
      expect(md).toContain('`charger-api.service`');
      expect(md).toMatch(/pressure|Baskı/i);
      expect(md).toContain('`resource.disk`');
      // What could not be: the sources missing from the bundle.
      expect(md).toContain('`coredumpctl: command not found`');
      // No table of 121 timeline events, only their count by kind.
      expect(md).not.toContain('Deactivated successfully.');
    });

    it(`${lang}: an info finding is a note, not the problem`, () => {
      const md = report(rebooted, lang);
      expect(md.length).toBeLessThan(8000);
      const t = new Translator(lang);
      expect(md).toContain(`### ${t.t('problem.notes.heading')}`);
      expect(md).toContain(t.t('problem.allClear'));
      expect(md).toContain(`**${t.t('conclusion.problem')}** ${t.t('conclusion.noProblem')}`);
      // No before/after state of a problem, no fix for it.
      expect(md).not.toContain(`**${t.t('problem.state')}**`);
      expect(md).toContain(t.t('plan.nothing'));
      // Its first quoted line is kept.
      expect(md).toContain(rebooted.findings[0]!.evidence[0]!.text.slice(0, 40));
    });
  }

  it('a bundle with a warning is not all clear: the full report', async () => {
    const md = report(await analyse('port-collision'), 'en');
    expect(md).not.toContain('### Notes (info)');
    expect(md.length).toBeGreaterThan(8000);
  });
});

describe('waivers in the report', () => {
  it('the appendix lists a waived finding with its reason, and an expired waiver as expired', async () => {
    const config = ConfigSchema.parse({
      waivers: [
        { rule: 'process.port-conflict', reason: 'two test servers on purpose', until: '2999-01-01' },
        { rule: 'log.errors', reason: 'old', until: '2001-01-01' },
      ],
    });
    const a = await analyse('port-collision', config);
    expect(a.waived!.length).toBeGreaterThan(0);
    expect(a.findings.some((f) => f.rule === 'process.port-conflict')).toBe(false);
    const md = report(a, 'en');
    const appendix = md.slice(md.indexOf('## Appendix'));
    expect(appendix).toContain('### Waived findings');
    expect(appendix).toContain('`two test servers on purpose`');
    expect(appendix).toMatch(/\*\*Expired waivers\*\*.*`log\.errors \(2001-01-01\)`/);
    const tr = report(a, 'tr');
    expect(tr).toContain('### Muaf tutulan bulgular');
  });
});
