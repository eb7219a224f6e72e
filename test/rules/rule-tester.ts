// A tester for one rule module at a time, in the spirit of ESLint's RuleTester:
// `valid` bundles must give no finding, `invalid` ones exactly the findings
// listed. Every finding's params must fit the rule's zod schema (as they come
// back from the analysis JSON), and every finding is rendered with the rule's
// describe() in every report language from the rule's own messages, so a
// message key missing in a language or a placeholder a message uses and
// describe() does not supply fails here, not in a customer's report.
import { describe, it, expect } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Finding, Severity } from '../../src/analysis/schema.js';
import { runRules } from '../../src/analysis/run-rules.js';
import { ConfigSchema, type Config } from '../../src/config.js';
import type { AnyRule, FindingText } from '../../src/rules/define.js';
import { LANGS, loadCatalogue, Translator, type Lang } from '../../src/report/i18n.js';
import { describeWith } from '../../src/report/findings.js';
import { factsOf, type BundleSpec } from '../helpers/bundle.js';

export interface ValidCase {
  name: string;
  bundle: BundleSpec;
  config?: Partial<Config>;
}

export interface ExpectedFinding {
  subject: string;
  severity?: Severity;
  /** a subset of the finding's params */
  params?: Record<string, unknown>;
}

export interface InvalidCase extends ValidCase {
  /** every finding the rule must give, in any order, and no other */
  findings: ExpectedFinding[];
}

export interface Cases {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** Where a rule's messages disagree between languages or do not parse as ICU. */
export function messageProblems(rule: AnyRule): string[] {
  const problems: string[] = [];
  for (const lang of LANGS) {
    for (const other of LANGS) {
      if (other === lang) continue;
      for (const key of Object.keys(rule.messages[lang])) if (!(key in rule.messages[other])) problems.push(`${rule.id}: ${other} has no message ${key} (${lang} has)`);
    }
    for (const [key, text] of Object.entries(rule.messages[lang])) {
      try {
        new IntlMessageFormat(text, lang, undefined, { ignoreTag: true });
      } catch (e) {
        problems.push(`${rule.id}: ${lang} ${key} is not valid ICU: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/** A translator of the report's words and this rule's own messages only (not the registry's copy of them). */
function translatorFor(rule: AnyRule, lang: Lang): Translator {
  const own = Object.fromEntries(Object.entries(rule.messages[lang]).map(([k, v]) => [`rule.${rule.id}.${k}`, v]));
  return new Translator(lang, { ...loadCatalogue(lang), ...own });
}

/** Each finding described in every language; throws on a missing key, a missing placeholder or params off the schema. */
export function renderEverywhere(rule: AnyRule, f: Finding): Record<Lang, FindingText> {
  const problems = messageProblems(rule);
  if (problems.length) throw new Error(problems.join('\n'));
  const out = {} as Record<Lang, FindingText>;
  for (const lang of LANGS) {
    let text: FindingText | null;
    try {
      text = describeWith(rule, translatorFor(rule, lang), f);
    } catch (e) {
      throw new Error(`${rule.id} ${lang}: describing ${f.subject} failed: ${(e as Error).message}`);
    }
    if (!text) throw new Error(`${rule.id}: params of ${f.subject} do not fit the rule's schema`);
    for (const part of [text.title, text.fix, ...text.state]) if (!part.trim()) throw new Error(`${rule.id} ${lang}: an empty sentence for ${f.subject}`);
    out[lang] = text;
  }
  return out;
}

/** The findings of this one rule on a bundle (none when it is skipped). */
export async function findingsOf(rule: AnyRule, c: ValidCase): Promise<Finding[]> {
  const config = ConfigSchema.parse(c.config ?? {});
  const facts = await factsOf(c.bundle, c.config ?? {});
  return runRules([rule], facts, config).findings;
}

/** Params as the analysis JSON carries them, checked against the rule's schema. */
function checkParams(rule: AnyRule, f: Finding): void {
  const asJson: unknown = JSON.parse(JSON.stringify(f.params));
  const parsed = rule.params.safeParse(asJson);
  if (!parsed.success) throw new Error(`${rule.id}: params of ${f.subject} do not fit the rule's schema: ${parsed.error.message}`);
}

export async function verifyValid(rule: AnyRule, c: ValidCase): Promise<void> {
  const found = await findingsOf(rule, c);
  expect(found.map((f) => f.subject), `${rule.id} must give no finding for "${c.name}"`).toEqual([]);
}

export async function verifyInvalid(rule: AnyRule, c: InvalidCase): Promise<Finding[]> {
  const found = await findingsOf(rule, c);
  expect(found.map((f) => f.subject).sort(), `${rule.id}: the findings of "${c.name}"`).toEqual(c.findings.map((x) => x.subject).sort());
  for (const want of c.findings) {
    const f = found.find((x) => x.subject === want.subject)!;
    if (want.severity) expect(f.severity, `${want.subject}: severity`).toBe(want.severity);
    if (want.params) expect(f.params, `${want.subject}: params`).toMatchObject(want.params);
  }
  for (const f of found) {
    checkParams(rule, f);
    renderEverywhere(rule, f);
  }
  return found;
}

export const ruleTester = {
  /** One describe block per rule: its messages agree across languages, then one test per case. */
  run(rule: AnyRule, cases: Cases): void {
    if (cases.valid.length === 0 || cases.invalid.length === 0) throw new Error(`${rule.id}: a rule needs valid and invalid cases`);
    describe(`${rule.id} (rule tester)`, () => {
      it('has the same message keys in every language, all valid ICU', () => {
        expect(messageProblems(rule)).toEqual([]);
      });
      for (const c of cases.valid) it(`valid: ${c.name}`, () => verifyValid(rule, c));
      for (const c of cases.invalid) it(`invalid: ${c.name}`, async () => void (await verifyInvalid(rule, c)));
    });
  },
};
