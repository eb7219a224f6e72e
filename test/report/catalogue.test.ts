// The two message catalogues are one report in two languages: the same keys,
// the same placeholders, valid ICU, every rule of the catalogue covered.
import { describe, it, expect } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { LANGS, loadCatalogue, Translator, md } from '../../src/report/i18n.js';
import { RULES, ruleMessages } from '../../src/rules/index.js';
import { RULED_OUT } from '../../src/report/sections/crash.js';
import { STANDING } from '../../src/report/sections/recurrence.js';

// The report's own messages and every rule module's, as the Translator merges them.
const catalogues = Object.fromEntries(LANGS.map((l) => [l, { ...loadCatalogue(l), ...ruleMessages(l) }])) as Record<(typeof LANGS)[number], Record<string, string>>;

/** Argument names a message uses, nested ones included. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (els: { type: number; value?: unknown; options?: Record<string, { value: unknown[] }> }[]) => {
    for (const el of els) {
      if (typeof el.value === 'string' && [1, 2, 3, 4, 5, 6].includes(el.type)) names.add(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value as never);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst() as never);
  return [...names].sort();
}

describe('report catalogues', () => {
  it('have the same keys in English and Turkish', () => {
    expect(Object.keys(catalogues.tr).sort()).toEqual(Object.keys(catalogues.en).sort());
  });

  it('hold valid ICU messages with the same placeholders in both languages', () => {
    for (const [key, en] of Object.entries(catalogues.en)) {
      const tr = catalogues.tr[key]!;
      // Turkish nouns do not inflect after a number, so a plural selector of English may go unused.
      const pluralOnly = (name: string) => new RegExp(`\\{${name}, plural,`).test(en);
      expect(argumentsOf(tr).filter((n) => !argumentsOf(en).includes(n)), key).toEqual([]);
      expect(argumentsOf(en).filter((n) => !argumentsOf(tr).includes(n) && !pluralOnly(n)), key).toEqual([]);
    }
  });

  it('translate every sentence (only names, codes and units may read the same)', () => {
    // Terms Turkish engineers use as they are (the hand-written analysis says "health check" too).
    const terms = new Set(['col.healthCheck', 'improve.area.health', 'cause.oom-kill', 'rule.kernel.oom-kill.name', 'timeline.kernel-oom-killed', 'timeline.kernel-coredump', 'timeline.coredump']);
    const same = Object.keys(catalogues.en).filter((k) => !terms.has(k)).filter((k) => catalogues.en[k] === catalogues.tr[k] && /\p{L}{3,}.*\s\p{L}{3,}/u.test(catalogues.en[k]!.replace(/\{[^}]*\}|`[^`]*`/g, '')));
    expect(same).toEqual([]);
  });

  it('describe every rule of the catalogue by its id: name, title and fix, in both languages', () => {
    for (const lang of LANGS) {
      for (const r of RULES) {
        for (const part of ['name', 'title', 'fix']) expect(catalogues[lang], `${lang} ${r.id}.${part}`).toHaveProperty([`rule.${r.id}.${part}`]);
      }
      for (const id of RULED_OUT) expect(catalogues[lang]).toHaveProperty([`rule.${id}.ruledOut`]);
      for (const id of STANDING) expect(catalogues[lang]).toHaveProperty([`rule.${id}.recur`]);
    }
  });

  it('format numbers the reader’s way and escape bundle text by default', () => {
    const tr = new Translator('tr');
    const en = new Translator('en');
    expect(tr.t('crash.resources.loadAll', { l1: 0.41, l5: 0.37, l15: 0.33 })).toBe('0,37 (5 dk; 1 dk: 0,41, 15 dk: 0,33)');
    expect(en.t('crash.resources.loadAll', { l1: 0.41, l5: 0.37, l15: 0.33 })).toBe('0.37 (5 min; 1 min: 0.41, 15 min: 0.33)');
    expect(tr.t('unit.percent', { v: 27 })).toBe('%27');
    expect(en.t('evidence.cut', { n: 1234, sources: md('`x`') })).toBe('1,234 more lines in the bundle: `x`.');
    expect(tr.t('evidence.cut', { n: 1234, sources: md('`x`') })).toBe('Pakette 1.234 satır daha var: `x`.');
    // A plain string is bundle text: it arrives as a code span, whatever it holds.
    expect(en.t('crash.kernel.skipped', { reason: 'a `b` <c>' })).toBe('Could not be checked: ``a `b` <c>``');
  });
});
