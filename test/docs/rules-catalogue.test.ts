// docs/rules.md is generated from `charger-diag rules --json` (scripts/rules-doc.mjs):
// this regenerates it in memory and fails when the committed page differs.
// It reads the built CLI in dist/, as the script does: `npm test` builds before
// vitest runs, and the page must say what the shipped `rules --json` says
// (fields a rule does not hold but the command adds included).
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RULES_DOC,
  ROOT,
  catalogueJson,
  parseCatalogue,
  readTemplates,
  renderDocs,
  renderRule,
  renderRulesDoc,
  type CatalogueRule,
} from '../../scripts/rules-doc.mjs';

const base: CatalogueRule = { id: 'x.example', severity: 'warning', needs: ['logs'], needsAny: [], summary: 'An example', docs: 'Fires when it does.' };

describe('docs/rules.md', () => {
  it('is what scripts/rules-doc.mjs makes of the built catalogue', () => {
    expect(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run npm run build first').toBe(true);
    const expected = renderRulesDoc(catalogueJson(), readTemplates());
    const current = readFileSync(RULES_DOC, 'utf8');
    if (current !== expected) {
      const a = current.split('\n');
      const b = expected.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i < 0 ? Math.min(a.length, b.length) + 1 : i + 1;
      throw new Error(`docs/rules.md is stale: run npm run docs:rules (first difference at line ${at}: ${JSON.stringify(a[at - 1] ?? '')} should be ${JSON.stringify(b[at - 1] ?? '')})`);
    }
  });

  it('has one section per rule of the catalogue, in catalogue order, between the head and the tail', () => {
    const rules = catalogueJson();
    const page = renderRulesDoc(rules, { head: '# Head', tail: '## Tail' });
    const headings = page.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toEqual([...rules.map((r) => r.id), 'Tail']);
    expect(rules.length).toBeGreaterThan(10);
  });
});

describe('the generator', () => {
  it('renders the known fields: severity, needs, needs any, the summary as a sentence', () => {
    const md = renderRule({ ...base, needs: ['load', 'cpus'], needsAny: ['boots', 'uptime'] });
    expect(md).toContain('## x.example');
    expect(md).toContain('An example.');
    expect(md).toContain('- Default severity: warning.');
    expect(md).toContain('- Needs: `load` and `cpus`; any of `boots`, `uptime`.');
  });

  it('renders fields it does not know yet instead of failing on them', () => {
    const md = renderRule({
      ...base,
      standing: true,
      event: false,
      params: [{ name: 'unit', description: 'the unit it is about' }, { name: 'count' }],
      fixKinds: ['drop-in', 'unit-file'],
      someNewThing: { a: 1, b: 'two' },
    });
    expect(md).toContain('- Standing condition (counts for "will it recur?"): yes.');
    expect(md).toContain('- Event (something that happened, not a setting): no.');
    expect(md).toContain('- Params of its findings:\n  - `unit`: the unit it is about\n  - `count`');
    expect(md).toContain('- Fix kinds: `drop-in`, `unit-file`.');
    expect(md).toContain('- Some new thing:\n  - `a`: 1\n  - `b`: two');
  });

  it('keeps a long or multi-line text field inside its list item', () => {
    const long = `${'word '.repeat(30)}\n- not a list item`;
    const md = renderRule({ ...base, signals: long });
    const item = md.split('\n\n').find((block) => block.includes('- Signals:'))!;
    const lines = item.split('\n').slice(item.split('\n').findIndex((l) => l.startsWith('- Signals:')));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}\S/);
    expect(item).toContain('word - not a list item.');
  });

  it('turns the labelled parts of the docs text into bullets and keeps catalogue text from becoming markup', () => {
    const md = renderDocs('Fires on <script> and *stars* in tmux-spawn-*\nscopes.\nSignals: ps [pid]\nand ss.\nFix: Restart=always.');
    expect(md).toBe('Fires on \\<script\\> and \\*stars\\* in tmux-spawn-\\* scopes.\n\n- **Signals:** ps \\[pid\\] and ss.\n- **Fix:** Restart=always.');
  });

  it('refuses a catalogue without the fields a section is made of, naming the entry', () => {
    expect(() => parseCatalogue('{"id":"x"}')).toThrow(/expected a JSON array/);
    expect(() => parseCatalogue(JSON.stringify([{ ...base, docs: undefined }]))).toThrow(/entry 0 has no string "docs"/);
  });
});
