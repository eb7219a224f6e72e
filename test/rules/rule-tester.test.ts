// The rule tester fails where it must: a message key missing in Turkish, a
// placeholder a message uses that describe() does not supply, params off the
// schema, a finding too many or too few. Its rule is a small one made here,
// so the checks do not depend on any real rule staying as it is.
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { defineRule, type AnyRule, type RuleMessages } from '../../src/rules/define.js';
import { readdirSync, readFileSync } from 'node:fs';
import { RULES } from '../../src/rules/index.js';
import { messageProblems, renderEverywhere, ruleTester, verifyInvalid, verifyValid } from './rule-tester.js';

const MESSAGES: RuleMessages = {
  en: { name: 'Test check', title: '{unit} is not right', fix: 'Make {unit} right.' },
  tr: { name: 'Test kontrolü', title: '{unit} doğru değil', fix: '{unit} birimini düzeltin.' },
};

/** Fires for each unit in the config's siteLocalUnits (the bundle need hold nothing). */
function testRule(messages: RuleMessages = MESSAGES, params: Record<string, unknown> | null = null) {
  return defineRule({
    id: 'test.sample',
    severity: 'warning',
    needs: [],
    summary: 'a rule for the tester',
    docs: 'fires for each configured site-local unit',
    params: z.object({ unit: z.string() }),
    messages,
    describe: (p, { k }) => ({ title: k('title', { unit: p.unit }), state: [], fix: k('fix', { unit: p.unit }) }),
    run: (_facts, { config }) =>
      config.siteLocalUnits.map((unit) => ({
        subject: unit,
        params: (params ?? { unit }) as { unit: string },
        title: unit,
        evidence: [{ source: 'manifest.json', line: null, time: null, text: unit }],
        remediation: '',
      })),
  });
}

const bundle = { files: {} };
const fires = { name: 'one unit', bundle, config: { siteLocalUnits: ['a.service'] }, findings: [{ subject: 'a.service', severity: 'warning' as const, params: { unit: 'a.service' } }] };

describe('rule tester', () => {
  it('passes a rule that is right', async () => {
    await verifyValid(testRule(), { name: 'nothing configured', bundle });
    const [f] = await verifyInvalid(testRule(), fires);
    expect(renderEverywhere(testRule(), f!).tr.title).toBe('`a.service` doğru değil');
  });

  it('fails on a message key missing in Turkish', async () => {
    const rule = testRule({ en: MESSAGES.en, tr: { name: 'Test kontrolü', fix: '{unit} birimini düzeltin.' } });
    expect(messageProblems(rule)).toEqual(['test.sample: tr has no message title (en has)']);
    await expect(verifyInvalid(rule, fires)).rejects.toThrow(/tr has no message title/);
  });

  it('fails on a key missing in both languages, as describe() asks for it', async () => {
    const rule = testRule({ en: { name: 'x', fix: 'Fix {unit}.' }, tr: { name: 'y', fix: '{unit} düzeltin.' } });
    expect(messageProblems(rule)).toEqual([]);
    await expect(verifyInvalid(rule, fires)).rejects.toThrow(/missing message "rule\.test\.sample\.title"/);
  });

  it('fails on a placeholder a message uses and describe() does not supply', async () => {
    const rule = testRule({ en: { ...MESSAGES.en, fix: 'Make {unit} right on {port}.' }, tr: { ...MESSAGES.tr, fix: '{unit} birimini {port} üzerinde düzeltin.' } });
    await expect(verifyInvalid(rule, fires)).rejects.toThrow(/en: describing a\.service failed: .*port/);
  });

  it('fails on params that do not fit the schema', async () => {
    await expect(verifyInvalid(testRule(MESSAGES, { unit: 7 }), { ...fires, findings: [{ subject: 'a.service' }] })).rejects.toThrow(/do not fit the rule's schema/);
  });

  it('fails on a finding in a valid case, and on findings other than those listed', async () => {
    await expect(verifyValid(testRule(), { name: 'fires', bundle, config: { siteLocalUnits: ['a.service'] } })).rejects.toThrow(/must give no finding/);
    await expect(verifyInvalid(testRule(), { ...fires, config: { siteLocalUnits: ['a.service', 'b.service'] } })).rejects.toThrow(/findings of "one unit"/);
    await expect(verifyInvalid(testRule(), { ...fires, findings: [{ subject: 'a.service', severity: 'critical' }] })).rejects.toThrow(/severity/);
  });

  it('refuses a rule without valid or invalid cases', () => {
    expect(() => ruleTester.run(testRule() as AnyRule, { valid: [], invalid: [fires] })).toThrow(/valid and invalid cases/);
  });
});

describe('every registered rule', () => {
  it('is run through the rule tester by a test of test/rules/', () => {
    const dir = new URL('./', import.meta.url);
    const tests = readdirSync(dir).filter((n) => n.endsWith('.test.ts')).map((n) => readFileSync(new URL(n, dir), 'utf8'));
    const tested = (folder: string) => tests.some((t) => t.includes(`import { rule } from '../../src/rules/${folder}/rule.js';`) && t.includes('ruleTester.run(rule,'));
    expect(RULES.map((r) => r.id).filter((id) => !tested(id.replace('.', '-')))).toEqual([]);
  });
});
