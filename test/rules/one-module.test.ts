// One rule, one module: a rule id is written in its own module and nowhere
// else that would have to change with it. Sections, the engine and the
// catalogues look rules up or import the rule object, so renaming a rule or
// adding one touches one folder.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULES } from '../../src/rules/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAX_FILES = 3;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The id as a quoted literal ('id', "id", `id`) or inside a message key ("rule.<id>.title", "recur.rule.<id>"). */
function mentions(id: string): RegExp {
  const e = escape(id);
  return new RegExp(`(['"\`])${e}\\1|"[A-Za-z.]*\\.${e}(?:\\.[A-Za-z.-]*)?"\\s*:`);
}

const sources = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'report-templates'))].map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));

describe('rule ids', () => {
  it('finds the ids it counts (the scan itself works)', () => {
    const re = mentions(RULES[0].id);
    expect(re.test(`id: '${RULES[0].id}',`)).toBe(true);
    expect(re.test(`  "rule.${RULES[0].id}.title": "x",`)).toBe(true);
    expect(re.test(`// ${RULES[0].id}: a comment`)).toBe(false);
  });

  for (const rule of RULES) {
    it(`${rule.id} is written in its own module only (at most ${MAX_FILES} files of src/ and report-templates/)`, () => {
      const re = mentions(rule.id);
      const where = sources.filter((f) => re.test(f.text)).map((f) => f.path);
      const own = `src/rules/${rule.id.replace('.', '-')}/`;
      expect(where.filter((p) => p.startsWith(own)).length, where.join(', ')).toBeGreaterThan(0);
      expect(where.filter((p) => !p.startsWith(own)), 'files outside the rule module').toEqual([]);
      expect(where.length, where.join(', ')).toBeLessThanOrEqual(MAX_FILES);
      // Any mention at all, comments and docs text included: at most three files still.
      const word = new RegExp(`(?<![\\w.-])${escape(rule.id)}(?![\\w-])`);
      const anywhere = sources.filter((f) => word.test(f.text)).map((f) => f.path);
      expect(anywhere.length, anywhere.join(', ')).toBeLessThanOrEqual(MAX_FILES);
    });
  }
});
