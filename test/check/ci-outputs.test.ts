// The CI outputs on paths that URIs and logs treat specially, and waivers as CI
// sees them: SARIF validated against the official 2.1.0 schema (kept in
// test/fixtures/sarif/, from the OASIS release as schemastore serves it),
// waived findings suppressed there and passing `check`, annotations at the
// finding's level, JUnit timing and files, the json and gcc formats.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { callCli, type CliOptions } from '../helpers/cli.js';
import { CHARGER_NO_RESTART, writeTree, copySample, scratchRepos } from './fixtures.js';
import type { Analysis } from '../../src/analysis/schema.js';

const SCHEMA = join(__dirname, '..', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json');

/** The schema is draft-04 (`id`); Ajv 8 reads it as draft-07 once `id` is `$id`, which changes nothing else it uses. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  // unicodeRegExp off: the schema's language-tag pattern is valid only as a non-Unicode regular expression.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: under ESM its plugin is the default export's `default`.
  const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (a: Ajv) => void;
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id as string });
}

const run = (args: string[], opts: CliOptions) => callCli(['check', ...args], { ...opts, env: { GITHUB_ACTIONS: '', ...opts.env } });

const repo = scratchRepos();

// A space, '#', '%' (and '%20' literally, which must not decode to a space) in the directory name.
const ODD_DIR = 'deploy dir #1 100%20 done';

interface Sarif {
  runs: {
    tool: { driver: { informationUri?: string; rules: { id: string; help: { text: string; markdown?: string } }[] } };
    results: { ruleId: string; level: string; suppressions?: { kind: string; status: string; justification: string }[]; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; properties: { subject?: string } }[];
  }[];
}

describe('SARIF', () => {
  it('from a path with a space, # and % validates against the 2.1.0 schema, and every URI decodes back to its path', async () => {
    const root = repo();
    writeTree(root, { [`${ODD_DIR}/charger.service`]: CHARGER_NO_RESTART });
    const r = await run([ODD_DIR, '--format', 'sarif'], { cwd: root });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Sarif;
    const validate = sarifValidator();
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const uris = doc.runs[0]!.results.flatMap((x) => x.locations.map((l) => l.physicalLocation.artifactLocation.uri));
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri).not.toMatch(/[ #]|%(?![0-9A-F]{2})/);
      expect(decodeURIComponent(uri)).toBe(`${ODD_DIR}/charger.service`);
    }
  });

  it('the schema check is real: an unencoded URI fails it', () => {
    const validate = sarifValidator();
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b#c%zz' } } }] }] }] };
    expect(validate(bad)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('uri-reference');
    bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'a%20b%23c%25zz';
    expect(validate(bad), JSON.stringify(validate.errors)).toBe(true);
  });

  it('names no web address package.json does not give, and carries each rule\'s docs as help.markdown', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    const doc = JSON.parse((await run(['units', '--format', 'sarif'], { cwd: root })).stdout) as Sarif;
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { homepage?: string; repository?: unknown };
    if (pkg.homepage === undefined && pkg.repository === undefined) expect(doc.runs[0]!.tool.driver.informationUri).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain('helpUri');
    const noRestart = doc.runs[0]!.tool.driver.rules.find((x) => x.id === 'service.no-restart')!;
    expect(noRestart.help.markdown).toContain(noRestart.help.text);
  });
});

describe('waivers', () => {
  const waiverConfig = (root: string, waiver: Record<string, unknown>): string => {
    const file = join(root, 'config.json');
    writeFileSync(file, JSON.stringify({ waivers: [waiver] }));
    return file;
  };

  it('a waived finding passes check and shows as suppressed in SARIF with its reason', async () => {
    const root = repo();
    writeTree(root, { [`${ODD_DIR}/charger.service`]: CHARGER_NO_RESTART });
    const before = await run([ODD_DIR, '--format', 'json'], { cwd: root });
    expect(before.code).toBe(1);
    const fired = (JSON.parse(before.stdout) as { paths: { findings: { rule: string; severity: string }[] }[] }).paths[0]!.findings.filter((f) => f.severity !== 'info');
    expect(fired.length).toBeGreaterThan(0);
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ waivers: fired.map((f) => ({ rule: f.rule, subject: 'charger', reason: `accepted until the new image ships (${f.rule})`, until: '2999-12-31' })) }));
    const text = await run([ODD_DIR, '--config', config], { cwd: root });
    expect(text.code, text.stdout).toBe(0);
    const sarif = await run([ODD_DIR, '--config', config, '--format', 'sarif'], { cwd: root });
    expect(sarif.code).toBe(0);
    const doc = JSON.parse(sarif.stdout) as Sarif;
    const validate = sarifValidator();
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const suppressed = doc.runs[0]!.results.filter((x) => x.suppressions);
    expect(suppressed.map((x) => x.ruleId).sort()).toEqual(fired.map((f) => f.rule).sort());
    for (const x of suppressed) expect(x.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: `accepted until the new image ships (${x.ruleId})` }]);
  });

  it('in the analysis a waived finding leaves findings for waived and counts in neither recurrence nor causes', async () => {
    const root = repo();
    const config = waiverConfig(root, { rule: 'service.no-restart', subject: 'charger.service', reason: 'replaced next week', until: '2999-01-01' });
    const sample = join(__dirname, '..', '..', 'samples', 'seed-incident');
    const plain = JSON.parse((await callCli(['analyze', sample, '--json'], { cwd: root })).stdout) as Analysis;
    expect(plain.recurrence.because).toContain('service.no-restart');
    const a = JSON.parse((await callCli(['analyze', sample, '--json', '--config', config], { cwd: root })).stdout) as Analysis;
    expect(a.findings.map((f) => f.rule)).not.toContain('service.no-restart');
    expect(a.waived).toEqual([expect.objectContaining({ rule: 'service.no-restart', subject: 'charger.service', waiver: { reason: 'replaced next week', until: '2999-01-01' } })]);
    expect(a.waivers).toEqual([expect.objectContaining({ status: 'applied', findings: 1 })]);
    expect(a.recurrence.because).not.toContain('service.no-restart');
    expect(JSON.stringify(a.causes)).not.toContain('service.no-restart');
  });

  it('an expired waiver stops applying, and the output says it expired', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    const config = waiverConfig(root, { rule: 'service.no-restart', subject: 'charger', reason: 'old promise', until: '2001-01-31' });
    const r = await run(['units', '--config', config, '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const path = (JSON.parse(r.stdout) as { paths: { findings: { rule: string }[]; waived: unknown[]; waivers: { status: string; findings: number }[] }[] }).paths[0]!;
    expect(path.findings.map((f) => f.rule)).toContain('service.no-restart');
    expect(path.waived).toEqual([]);
    expect(path.waivers).toEqual([expect.objectContaining({ status: 'expired', findings: 1, until: '2001-01-31' })]);
  });

  it('a waiver whose subject matches nothing leaves the finding and says so', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    const config = waiverConfig(root, { rule: 'service.no-restart', subject: 'other.service', reason: 'not this one' });
    const r = await run(['units', '--config', config, '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { paths: { waivers: { status: string }[] }[] }).paths[0]!.waivers[0]!.status).toBe('unmatched');
  });

  it('a waiver without a reason, with an impossible date or for an unknown rule is a config error', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    for (const [waiver, message] of [
      [{ rule: 'service.no-restart', subject: 'charger' }, /reason/],
      [{ rule: 'service.no-restart', reason: '   ' }, /reason/],
      [{ rule: 'service.no-restart', reason: 'x', until: '2026-02-30' }, /calendar date/],
      [{ rule: 'service.no-restrat', reason: 'x' }, /unknown rule id "service.no-restrat"/],
    ] as const) {
      const r = await run(['units', '--config', waiverConfig(root, waiver)], { cwd: root });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('config.json');
    }
  });
});

describe('annotations, JUnit, json, gcc', () => {
  it('GitHub annotations are ::warning for a warning and ::notice for info, not ::error', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    const json = JSON.parse((await run(['units', '--format', 'json'], { cwd: root })).stdout) as { paths: { findings: { rule: string; severity: string }[] }[] };
    const r = await run(['units'], { cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    const level = { critical: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
    for (const f of json.paths[0]!.findings) {
      expect(annotations.some((a) => a.startsWith(`::${level[f.severity]} `) && a.includes(`title=${f.rule}`)), `${f.rule} ${f.severity}`).toBe(true);
    }
    expect(annotations.filter((a) => a.startsWith('::error ')).length).toBe(json.paths[0]!.findings.filter((f) => f.severity === 'critical').length);
  });

  it('JUnit has a time, a classname per checked path and the file of each case', async () => {
    const root = repo();
    writeTree(root, { 'a/charger.service': CHARGER_NO_RESTART, 'b/charger.service': CHARGER_NO_RESTART });
    const xml = (await run(['a', 'b', '--format', 'junit'], { cwd: root })).stdout;
    expect(xml).toMatch(/<testsuites [^>]*time="\d+\.\d{3}"/);
    const cases = [...xml.matchAll(/<testcase classname="([^"]*)" name="[^"]*" file="([^"]*)" time="(\d+\.\d{3})"/g)];
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(['a', 'b']));
    expect(cases.filter((c) => c[1] === 'a').map((c) => c[2])).toContain('a/charger.service');
  });

  it('--format gcc: file:line:col: severity: message [rule], one a line', async () => {
    const root = repo();
    writeTree(root, { [`${ODD_DIR}/charger.service`]: CHARGER_NO_RESTART });
    const r = await run([ODD_DIR, '--format', 'gcc'], { cwd: root });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(new RegExp(`^${ODD_DIR}/charger\\.service(:\\d+:1)?: (error|warning|note): .+ \\[[a-z-]+\\.[a-z-]+\\]$`));
    expect(lines.some((l) => / warning: .*\[service\.no-restart\]$/.test(l))).toBe(true);
  });

  it('--format json is versioned and says what passed', async () => {
    const root = repo();
    writeTree(root, { 'units/charger.service': CHARGER_NO_RESTART });
    const doc = JSON.parse((await run(['units', '--format', 'json'], { cwd: root })).stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ format: 'charger-diag-check', formatVersion: 1, passed: false, summary: { paths: 1, passed: 0, failed: 1 } });
  });

  it('an expected.json listing a rule in findings and in absent is an error naming the file', async () => {
    const root = repo();
    const dir = join(root, 'samples');
    copySample('seed-incident', dir, (exp) => {
      (exp.absent as string[]).push((exp.findings as { rule: string }[])[0]!.rule);
    });
    const r = await run([join(dir, 'seed-incident')], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seed-incident\/expected\.json: contradictory expectations: "[a-z.-]+" listed both/);
  });
});
