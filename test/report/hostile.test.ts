// Bundle text is untrusted (it comes from a ticket): a log line or a file name
// with <script>, backticks, `|` or </details> must stay text in the Markdown
// and in the HTML, wherever the report quotes it.
import { describe, it, expect, beforeAll } from 'vitest';
import { Marked, type Token, type Tokens } from 'marked';
import type { Analysis } from '../../src/analysis/schema.js';
import { analyzeSpec } from '../helpers/bundle.js';
import { SYSTEM_PROCS, appEntry, at, jsonl, listUnits, ps, showAll, showService } from '../helpers/raw.js';
import { render } from './render.js';

const HOSTILE = 'ERROR boom <script>alert(1)</script> ```` `tick` | a | b | </details> <img src=x onerror=alert(2)> ~~~ [x](javascript:alert(3))';
const HOSTILE_LOG = 'files/var/log/we`ird|<i>x</i>.log';

let a: Analysis;
const out: Record<string, string> = {};

beforeAll(async () => {
  a = await analyzeSpec({
    files: {
      'commands/ps.txt': ps([...SYSTEM_PROCS, { pid: 7001, ppid: 1, user: 'basar', start: '2025-12-09 08:00:12', cgroup: '0::/system.slice/charger-api.service', args: '/usr/bin/python3 -m uvicorn api.main:app' }]),
      'commands/systemctl-show.txt': showAll([showService({ id: 'charger-api.service', description: 'Charger API', execStart: '/usr/bin/python3 -m uvicorn api.main:app', mainPid: 7001, restart: 'always' })]),
      'commands/systemctl-list-units.txt': listUnits([['charger-api.service', 'loaded', 'active', 'running', 'Charger API']]),
      'commands/journal.jsonl': jsonl([
        appEntry({ unit: 'charger-api.service', identifier: 'uvicorn', pid: 7001 }, HOSTILE, at('01:05:00'), 3),
        appEntry({ unit: 'charger-api.service', identifier: 'uvicorn', pid: 7001 }, `second ${HOSTILE}`, at('01:06:00'), 3),
      ]),
      [HOSTILE_LOG]: `2025-12-10 01:07:00 ERROR ${HOSTILE}\n`,
    },
  });
  for (const lang of ['en', 'tr'] as const) {
    out[`${lang}.md`] = render(a, { lang });
    out[`${lang}.html`] = render(a, { lang, format: 'html' });
  }
});

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    const nested = (t as { tokens?: Token[] }).tokens;
    if (nested) walk(nested, visit);
    if (t.type === 'table') {
      const tt = t as Tokens.Table;
      for (const c of tt.header) walk(c.tokens, visit);
      for (const r of tt.rows) for (const c of r) walk(c.tokens, visit);
    }
    if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens, visit);
  }
}

describe('hostile bundle text', () => {
  it('the bundle reaches the report: the hostile line is a finding and the odd file name a source', () => {
    expect(a.findings.some((f) => f.evidence.some((e) => e.text.includes('<script>alert(1)</script>')))).toBe(true);
    expect(a.sources.some((s) => s.path === HOSTILE_LOG)).toBe(true);
  });

  for (const lang of ['en', 'tr']) {
    it(`${lang}.md: every piece of it is inside a code block or a code span, never raw HTML`, () => {
      const md = out[`${lang}.md`]!;
      // Quoted verbatim in a fence longer than the run of four backticks inside it.
      expect(md).toContain(`\`\`\`\`\`text\n${HOSTILE}\n\`\`\`\`\``);
      const tokens = new Marked({ gfm: true }).lexer(md);
      const rawHtml: string[] = [];
      const texts: string[] = [];
      walk(tokens, (t) => {
        if (t.type === 'html') rawHtml.push((t as Tokens.HTML).raw.trim());
        if (t.type === 'text' && !(t as { tokens?: Token[] }).tokens) texts.push((t as Tokens.Text).text);
        if (t.type === 'link') texts.push((t as Tokens.Link).href);
      });
      // The only raw HTML is the report's own folding.
      for (const h of rawHtml) expect(h).toMatch(/^(<details>\n<summary>[^<>]*<\/summary>|<\/details>|<br>)$/);
      for (const x of texts) {
        expect(x).not.toContain('<script');
        expect(x).not.toContain('onerror');
        expect(x).not.toContain('javascript:');
      }
    });

    it(`${lang}.md: tables keep their columns when a cell holds | and backticks`, () => {
      const tokens = new Marked({ gfm: true }).lexer(out[`${lang}.md`]!);
      const tables: Tokens.Table[] = [];
      walk(tokens, (t) => t.type === 'table' && tables.push(t as Tokens.Table));
      expect(tables.length).toBeGreaterThan(2);
      for (const t of tables) for (const r of t.rows) expect(r.length).toBe(t.header.length);
      const sourceCells = tables.flatMap((t) => t.rows.map((r) => r[1]!.text));
      expect(sourceCells.some((c) => c.includes('we`ird|<i>x</i>.log'))).toBe(true);
    });

    it(`${lang}.html: the line is shown as text; no script, image or handler reaches the page`, () => {
      const html = out[`${lang}.html`]!;
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img/i);
      expect(html).not.toMatch(/<[^>]*\sonerror\s*=/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).not.toMatch(/<i>x<\/i>/);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
      // </details> from the log cannot close the report's own folding.
      expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
      expect(html).toContain('&lt;/details&gt;');
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    });
  }
});
