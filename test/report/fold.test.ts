// A device where hundreds of units each log an error (or fail) gives hundreds
// of findings. The report must still fit its cap, the default one, Jira's
// 32,767 and down to 8,000: the lowest severities are folded first into one
// table counting them by check, which says where the full list is; the
// findings still detailed keep their first quoted line; headings stay.
import { DEFAULT_MAX_CHARS } from '../../src/report/budget.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from '../../src/analysis/schema.js';
import { renderReport } from '../../src/report/index.js';
import { appEntry, jsonl, sd } from '../helpers/raw.js';
import { HEADINGS, NOW, SAMPLES_DIR, analyzeDir, headings } from './render.js';
import { callCli } from '../helpers/cli.js';

// The healthy sample (a real bundle: every source, its window 10:00 to 10:30) with lines added.
const SAMPLE = join(SAMPLES_DIR, 'healthy');
const clock = (i: number): string => {
  const sec = 60 + (i % 1500);
  return `2025-12-10T10:${String(Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}+03:00`;
};
const unitName = (i: number) => `charger-worker-${String(i).padStart(4, '0')}.service`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cd-fold-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function sampleWith(name: string, lines: string[]): Promise<Analysis> {
  const dir = join(work, name);
  cpSync(SAMPLE, dir, { recursive: true });
  appendFileSync(join(dir, 'commands/journal.jsonl'), jsonl(lines));
  return analyzeDir(dir);
}

/** One error line from each of n units, as their stdout reached the journal. */
function unitErrors(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(appEntry({ unit: unitName(i), identifier: `worker${i}`, pid: 2000 + i }, `ERROR: modbus read failed on register ${i}: timeout after 2000 ms`, clock(i), 3));
  }
  return lines;
}

/** n units that each exit with a failure (critical: service.failed), and a tenth of them log an error (info). */
function unitFailures(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(sd.mainExited(unitName(i), clock(i), 'exited', '1/FAILURE'));
    lines.push(sd.failed(unitName(i), 'exit-code', clock(i)));
    if (i % 10 === 0) lines.push(appEntry({ unit: unitName(i), identifier: `worker${i}`, pid: 2000 + i }, `Traceback: ValueError on register ${i}`, clock(i), 3));
  }
  return lines;
}

const CAPS = [60_000, 32_767, 8_000] as const;

function render(a: Analysis, lang: 'en' | 'tr', maxChars: number, format: 'md' | 'html' = 'md'): string {
  return renderReport(a, { lang, maxChars, format, now: NOW });
}

/** The numbers of the findings detailed in Problem detection ("### 12. ..."). */
function detailedCount(md: string, lang: 'en' | 'tr'): number {
  const section = md.split(`## ${HEADINGS[lang][1]}`)[1]!.split(`## ${HEADINGS[lang][2]}`)[0]!;
  return section.match(/^### \d+\. /gm)?.length ?? 0;
}

function expectFitsAndFolds(a: Analysis, lang: 'en' | 'tr', max: number): string {
  const md = render(a, lang, max);
  expect(md.length, `${lang} ${max}`).toBeLessThanOrEqual(max);
  expect(headings(md)).toEqual([...HEADINGS[lang]]);
  const detailed = detailedCount(md, lang);
  const folded = a.findings.length - detailed;
  expect(folded).toBeGreaterThan(0);
  // The folded table, its count, and where the full list is.
  expect(md).toContain(lang === 'en' ? '### Findings counted, not detailed' : '### Ayrıntılandırılmayan, yalnızca sayılan bulgular');
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'tr-TR').format(folded);
  expect(md).toContain(lang === 'en' ? `${n} findings (` : `${n} bulgu (`);
  expect(md).toContain(lang === 'en' ? 'are counted here by check, not detailed, to keep this report under' : 'karakterin altında kalsın diye ayrıntılandırılmadan burada kontrole göre sayılıyor');
  expect(md).toContain('`charger-diag analyze BUNDLE --json`');
  // Each detailed finding still quotes its first line.
  const ordered = [...a.findings].sort((x, y) => rank(x) - rank(y));
  for (const f of ordered.slice(0, detailed)) {
    const e = f.evidence[0];
    if (e) expect(md, `${f.rule} ${f.subject}`).toContain(`\`${e.source}:${e.line}\``);
  }
  return md;
}

const rank = (f: Analysis['findings'][number]) => (f.severity === 'critical' ? 0 : f.severity === 'warning' ? 1 : 2) + (f.noise ? 3 : 0);

describe('a report of hundreds of findings fits its cap', () => {
  const analyses: Record<string, Analysis> = {};
  beforeAll(async () => {
    analyses.errors300 = await sampleWith('errors300', unitErrors(300));
    analyses.errors2000 = await sampleWith('errors2000', unitErrors(2000));
    analyses.failures300 = await sampleWith('failures300', unitFailures(300));
  }, 120_000);

  it('the bundles really give hundreds of findings, too many for any cap unfolded', () => {
    expect(analyses.errors300!.findings.filter((f) => f.rule === 'log.errors').length).toBeGreaterThanOrEqual(200);
    expect(analyses.errors2000!.findings.length).toBeGreaterThanOrEqual(200);
    expect(analyses.failures300!.findings.filter((f) => f.severity === 'critical').length).toBe(300);
    // Info findings only and no outage: the all-clear report, whose notes are a title and one line each;
    // unfolded it is still over the default cap.
    expect(render(analyses.errors300!, 'en', 10_000_000).length).toBeGreaterThan(DEFAULT_MAX_CHARS);
  });

  for (const name of ['errors300', 'errors2000', 'failures300']) {
    for (const lang of ['en', 'tr'] as const) {
      for (const max of CAPS) {
        it(`${name}, ${lang}, under ${max}: fits, headings kept, the rest counted by check with where to find it`, () => {
          const md = expectFitsAndFolds(analyses[name]!, lang, max);
          expect(md).toContain(lang === 'en' ? 'counted by check, not detailed (Problem detection)' : 'ayrıntılandırılmadan kontrole göre sayıldı (Sorun Tespiti)');
        });
      }
    }
  }

  it('info is folded before anything more severe, and criticals last', () => {
    const a = analyses.failures300!;
    const info = a.findings.filter((f) => f.severity === 'info').length;
    expect(info).toBeGreaterThan(10);
    for (const max of CAPS) {
      const md = render(a, 'en', max);
      const folded = md.split('### Findings counted, not detailed')[1]!;
      // Every info finding is folded (counted in its row) whenever a single critical is.
      expect(folded, `${max}`).toMatch(new RegExp(`\\| \\*\\*Info\\*\\* \\| [^|]*\\(\`log\\.errors\`\\) \\| ${info} \\|`));
      expect(folded).toMatch(/\| \*\*Critical\*\* \| [^|]*\(`service\.failed`\) \| \d+ \|/);
      // The criticals that are detailed come first; under the smallest cap all are counted.
      if (max > 8000) expect(md).toMatch(/### 1\. .*charger-worker-0000\.service/);
      else expect(detailedCount(md, 'en')).toBe(0);
    }
  });

  it('the HTML page of a folded report carries the folded table, in both languages', () => {
    for (const lang of ['en', 'tr'] as const) {
      const html = render(analyses.errors300!, lang, 32_767, 'html');
      expect(html).toContain(lang === 'en' ? 'Findings counted, not detailed' : 'Ayrıntılandırılmayan, yalnızca sayılan bulgular');
      expect(html).toMatch(/<table>[\s\S]*<code class="id">charger-worker-0\d{3}\.service<\/code>/);
    }
  });

  it('the CLI: report exits 0 at the default cap, Jira’s and 8,000, as Markdown and HTML (it exited 2 before)', async () => {
    const dir = join(work, 'errors300');
    for (const args of [[], ['--max-chars', '32767'], ['--max-chars', '8000'], ['--format', 'html'], ['--lang', 'tr', '--max-chars', '8000']]) {
      const r = await callCli(['report', dir, ...args], { env: { SOURCE_DATE_EPOCH: '1765357200' } });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const cap = args.includes('--max-chars') ? Number(args[args.indexOf('--max-chars') + 1]) : 60_000;
      // The cap is the Markdown's; the HTML page is made from that Markdown.
      if (!args.includes('html')) expect(r.stdout.length).toBeLessThanOrEqual(cap);
      else expect(r.stdout).toContain('Findings counted, not detailed');
    }
  });

  it('a cap no report can meet is still one clear error', () => {
    expect(() => render(analyses.errors300!, 'en', 2000)).toThrow(/--max-chars 2000: too small for this bundle's report/);
  });
});
