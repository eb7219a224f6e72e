// The fleet report, rendered from the fleet summary only: sections in both
// languages, device text kept inert, the size cap met by cutting tables.
import { describe, it, expect } from 'vitest';
import { buildFleetSummary, notCollectedHost, unreadableHost } from '../../src/fleet/summary.js';
import { renderFleetMarkdown, renderFleetReport, FLEET_SECTIONS } from '../../src/report/fleet/render.js';
import { loadCatalogue, LANGS } from '../../src/report/i18n.js';
import { InputError } from '../../src/errors.js';
import type { FleetHost } from '../../src/fleet/schema.js';
import { downHost, host } from './fixtures.js';

const NOW = new Date('2025-12-10T09:00:00Z');
const summaryOf = (hosts: FleetHost[]) => buildFleetSummary(hosts, { inputs: ['fleet/'], outageGapSeconds: 300, now: NOW });

function sick(hostname: string, i: number): FleetHost {
  const h = downHost(hostname, [[`2025-12-10T01:${String(10 + (i % 3)).padStart(2, '0')}:00+03:00`, `2025-12-10T01:${String(12 + (i % 3)).padStart(2, '0')}:00+03:00`]]);
  const findings = [
    { rule: 'service.no-restart', subject: 'charger.service', severity: 'warning' as const, title: 't' },
    ...(i % 2 ? [{ rule: 'process.unmanaged', subject: `uvicorn (pid ${1000 + i})`, severity: 'critical' as const, title: 't' }] : []),
    ...(i % 5 === 0 ? [{ rule: 'log.errors', subject: `files/var/log/app-${i}.log`, severity: 'info' as const, title: 't' }] : []),
  ];
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    ...h,
    findings,
    counts,
    worst: counts.critical ? 'critical' : 'warning',
    rules: [...new Set(findings.map((f) => f.rule))].sort(),
    recurrence: { likely: true, because: ['service.no-restart'] },
    kernel: i % 10 === 0 ? '6.6.51+rpt-rpi-v8' : '6.1.0-rpi7-rpi-v8',
    skipped: i % 7 === 0 ? [{ rule: 'kernel.oom-kill', reason: 'no journal, dmesg or kern.log in the bundle' }] : [],
  };
}

function bigFleet(): FleetHost[] {
  const hosts: FleetHost[] = [];
  for (let i = 0; i < 900; i++) hosts.push(sick(i % 3 === 0 ? 'raspberrypi' : `charger-${String(i).padStart(4, '0')}`, i));
  for (let i = 0; i < 40; i++) hosts.push(host({ hostname: `healthy-${i}` }));
  for (let i = 0; i < 50; i++) {
    hosts.push(notCollectedHost({ target: `pi@10.1.${i >> 8}.${i & 255}`, status: 'failed', bundle: null, report: null, failure: { kind: 'unreachable', message: `ssh: connect to host 10.1.0.${i} port 22: Connection timed out` }, durationMs: 1 }, 'r.json'));
  }
  for (let i = 0; i < 10; i++) hosts.push(unreadableHost(`bundles/broken-${i}.tar.gz`, `bundles/broken-${i}.tar.gz: manifest.json: not valid JSON (line 3)`));
  return hosts.map((h, i) => (h.target === null && h.status === 'analyzed' ? { ...h, target: `pi@10.0.${i >> 8}.${i & 255}` } : h));
}

function headings(lang: (typeof LANGS)[number]): string[] {
  const c = loadCatalogue(lang);
  return FLEET_SECTIONS.map((s) => `## ${c[`fleet.heading.${s.key}`]}`);
}

function expectHeadingsInOrder(md: string, lang: (typeof LANGS)[number]): void {
  const at = headings(lang).map((h) => md.split('\n').indexOf(h));
  expect(at.every((i) => i > 0), `${lang}: ${headings(lang).join(', ')}`).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

describe('fleet report', () => {
  const small = summaryOf([
    sick('charger-01', 1),
    sick('charger-02', 2),
    host({ hostname: 'charger-03', kernel: '5.15.84-v8+' }),
    notCollectedHost({ target: 'pi@10.0.0.9', status: 'failed', bundle: null, report: null, failure: { kind: 'unreachable', message: 'No route to host' }, durationMs: 1 }, 'r.json'),
  ]);

  it('has a title with the host count and date, a metadata block, and every section in English and Turkish', () => {
    const en = renderFleetMarkdown(small, { lang: 'en' });
    expect(en.split('\n')[0]).toBe('# Fleet post-mortem: 4 hosts, 2025-12-10');
    expect(en).toContain('- **Created:** 2025-12-10 12:00:00+03:00');
    expect(en).toContain('- **Inputs:** `fleet/`');
    expectHeadingsInOrder(en, 'en');
    expect(en).toContain('**Will it recur? LIKELY on 2 hosts**');
    expect(en).toContain('charger-diag report bundles/charger-01.tar.gz');
    expect(en).toMatch(/`pi@10\.0\.0\.9` \| `unreachable`: unreachable \(no connection\) \| `No route to host` \|/);
    expect(en).toContain('Different values of **kernel**');
    // Each host row names its bundle file: how the operator finds it again.
    expect(en).toMatch(/^\| `charger-01` \(recurrence likely\) \| `charger-01\.tar\.gz` \| \*\*Critical\*\* \| 1 \| 1 \| 0 \|/m);
    const tr = renderFleetMarkdown(small, { lang: 'tr' });
    expect(tr.split('\n')[0]).toBe('# Filo olay sonrası analizi: 4 cihaz, 2025-12-10');
    expectHeadingsInOrder(tr, 'tr');
    expect(tr).toContain('**Tekrarlayacak mı? 2 cihazda EVET**');
    expect(tr).toContain('charger-diag report bundles/charger-01.tar.gz --lang tr');
    // No English sentence of the fleet catalogue leaks into the Turkish report.
    for (const w of ['Overview', 'worst first', 'Next steps', 'without a bundle', 'could not be read']) expect(tr).not.toContain(w);
  });

  it('says where there is no outage, nothing missing and nothing different', () => {
    const calm = renderFleetMarkdown(summaryOf([host({ hostname: 'a' }), host({ hostname: 'b' })]), { lang: 'en' });
    expect(calm).toContain('No analysed host shows an outage, so there is no window to compare.');
    expect(calm).toContain('Every host gave a bundle that could be read.');
    expect(calm).toContain('The analysed hosts do not differ in operating system');
    expect(calm).toContain('All analysed hosts agree on: operating system `Debian GNU/Linux 12 (bookworm)`');
    expect(calm).toContain('No analysed host has a finding');
  });

  it('keeps hostile host names, failure messages and bundle paths inert in Markdown, HTML and the pasted commands', () => {
    const evil = 'x|y`z<script>alert(1)</script>';
    const s = summaryOf([
      { ...sick(evil, 1), bundle: { path: "b/$(reboot)'; rm -rf ~ #.tar.gz", sha256: 'ab' } },
      notCollectedHost({ target: 'pi@h|o`s<t>', status: 'failed', bundle: null, report: null, failure: { kind: 'failed', message: 'boom | `x` <script>alert(2)</script>\n## Fake heading' }, durationMs: 1 }, 'r.json'),
    ]);
    const md = renderFleetMarkdown(s, { lang: 'en' });
    // Table rows keep their column count: no `|` from a device ends a cell.
    const cells = (line: string) => line.split(/(?<!\\)\|/).length - 2;
    const hostRow = md.split('\n').find((l) => l.includes('alert(1)') && l.includes('recurrence likely'))!;
    expect(cells(hostRow)).toBe(8);
    const failedRow = md.split('\n').find((l) => l.includes('alert(2)'))!;
    expect(cells(failedRow)).toBe(3);
    expect(failedRow).toContain("``boom \\| `x` <script>alert(2)</script> ⏎ ## Fake heading``");
    expect(md).not.toMatch(/^## Fake heading/m);
    expect(md).toContain(`charger-diag report 'b/$(reboot)'\\''; rm -rf ~ #.tar.gz'`);
    const html = renderFleetReport(s, { format: 'html', lang: 'en' });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('fits a thousand hosts under 32,767 characters by cutting tables, saying what was cut, in both languages', () => {
    const s = summaryOf(bigFleet());
    expect(s.counts).toMatchObject({ total: 1000, analyzed: 940, notCollected: 50, unreadable: 10 });
    for (const lang of LANGS) {
      const md = renderFleetMarkdown(s, { lang, maxChars: 32_767 });
      expect(md.length).toBeLessThanOrEqual(32_767);
      expectHeadingsInOrder(md, lang);
      const cut = lang === 'en' ? /… and (\d+) more hosts; see the summary JSON \(`--format json`\)\./ : /… ve (\d+) cihaz daha; özet JSON’a bakın \(`--format json`\)\./;
      const m = cut.exec(md.slice(md.indexOf(headings(lang)[3]!)));
      expect(m, lang).not.toBeNull();
      const rows = md.slice(md.indexOf(headings(lang)[3]!), md.indexOf(headings(lang)[4]!)).split('\n').filter((l) => l.startsWith('| `')).length;
      expect(rows + Number(m![1])).toBe(940);
    }
    const roomy = renderFleetMarkdown(s, { lang: 'en' });
    expect(roomy.length).toBeLessThanOrEqual(60_000);
    expect(roomy.length).toBeGreaterThan(32_767);
  });

  it('fits its default cap, Jira’s and 8,000 characters however many hosts and findings, in both languages', () => {
    // Every host of a 300-device fleet with 200 error-line findings of its own (one per unit).
    const loud = summaryOf(
      Array.from({ length: 300 }, (_, i) => {
        const h = sick(`charger-${String(i).padStart(4, '0')}`, i);
        const errors = Array.from({ length: 200 }, (_, k) => ({ rule: 'log.errors', subject: `charger-worker-${String(k).padStart(4, '0')}.service`, severity: 'info' as const, title: 't' }));
        return { ...h, findings: [...h.findings, ...errors], counts: { ...h.counts, info: h.counts.info + errors.length } };
      }),
    );
    for (const s of [summaryOf(bigFleet()), loud]) {
      for (const lang of LANGS) {
        for (const max of [60_000, 32_767, 8_000]) {
          const md = renderFleetMarkdown(s, { lang, maxChars: max });
          expect(md.length, `${lang} ${max}`).toBeLessThanOrEqual(max);
          expectHeadingsInOrder(md, lang);
        }
      }
    }
  });

  it('a cap no fleet report can meet is an input error', () => {
    expect(() => renderFleetMarkdown(small, { lang: 'en', maxChars: 500 })).toThrow(InputError);
  });

  it('--format json is the summary itself', () => {
    expect(JSON.parse(renderFleetReport(small, { format: 'json', lang: 'tr' }))).toEqual(small);
  });
});

describe('fleet report of a collection where no host gave a bundle', () => {
  const failed = (target: string) =>
    notCollectedHost({ target, status: 'failed', bundle: null, report: null, failure: { kind: 'unreachable', message: `ssh: connect to host ${target} port 22: Connection refused` }, durationMs: 1 }, 'r.json');
  const s = summaryOf([failed('10.0.0.1'), failed('10.0.0.2')]);

  for (const lang of LANGS) {
    it(`${lang}: says there is nothing to rank or compare instead of an empty table, and lists the hosts and why`, () => {
      const md = renderFleetMarkdown(s, { lang });
      const none = loadCatalogue(lang)['fleet.noneAnalysed']!;
      expectHeadingsInOrder(md, lang);
      expect(md.split(none).length - 1).toBe(2);
      // No table header without rows.
      expect(md).not.toMatch(/\|---(\|---)*\|\n(?!\|)/);
      expect(md).toMatch(/`10\.0\.0\.1` \| `unreachable`: /);
    });
  }
});
