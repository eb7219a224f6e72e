// The JUnit, SARIF and annotation writers on real check results: a unit
// directory whose name holds every character the formats treat specially,
// and a sample bundle whose hand-edited expectations no longer hold.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTarget, type CheckedPath } from '../../src/check/run.js';
import { renderJunit } from '../../src/check/junit.js';
import { renderSarif, FINGERPRINT_KEY, SARIF_SCHEMA, fingerprint } from '../../src/check/sarif.js';
import { renderAnnotations, escapeData, escapeProperty } from '../../src/check/annotations.js';
import { renderText } from '../../src/check/text.js';
import { defaultConfig } from '../../src/config.js';
import { RULES } from '../../src/rules/index.js';
import { CHARGER_NO_RESTART, CHARGER_SUPERVISED, copySample, scratch, writeTree } from './fixtures.js';

// Comma, percent, ampersand, angle brackets, quote and colon: special in XML, in workflow-command properties, or both.
const UNIT_DIR = 'deploy, 100% & <"x">';
const ODD_UNIT = 'api:8000.service';
let root: string;
let cleanup: () => void;
let results: CheckedPath[];
let units: CheckedPath;
let bundle: CheckedPath;

beforeAll(async () => {
  ({ root, cleanup } = scratch());
  writeTree(root, {
    [`${UNIT_DIR}/charger.service`]: CHARGER_NO_RESTART,
    [`${UNIT_DIR}/${ODD_UNIT}`]: CHARGER_NO_RESTART.replace('OCPP charger client', 'API'),
    'good/charger.service': CHARGER_SUPERVISED,
  });
  // A hand-edited expected.json: a subject with a line break, a control character and markup; a wrong severity.
  copySample('seed-incident', join(root, 'samples'), (exp) => {
    const findings = exp.findings as { rule: string; subject?: string; severity?: string }[];
    findings[1]!.severity = 'critical';
    findings.push({ rule: 'kernel.oom-kill', subject: 'charger\n.service \u0001 <b>&amp;</b> 100%' });
    // A rule listed both as expected and as absent is a contradiction check refuses: each moves to one list only.
    exp.absent = (exp.absent as string[]).filter((r) => r !== 'kernel.oom-kill').concat('log.errors');
    exp.findings = findings.filter((f) => f.rule !== 'log.errors');
  });
  const config = defaultConfig();
  units = await checkTarget({ kind: 'unit-dir', path: join(root, UNIT_DIR), expectFile: null }, config, { cwd: root });
  const good = await checkTarget({ kind: 'unit-dir', path: join(root, 'good'), expectFile: null }, config, { cwd: root });
  const dir = join(root, 'samples', 'seed-incident');
  bundle = await checkTarget({ kind: 'bundle', path: dir, expectFile: join(dir, 'expected.json') }, config, { cwd: root });
  results = [units, good, bundle];
});

afterAll(() => cleanup());

describe('JUnit', () => {
  it('parses as XML (python3 xml.dom.minidom, expat) and every name and message survives the round trip', () => {
    const xml = renderJunit(results);
    const script = `
import json, sys
from xml.dom import minidom
doc = minidom.parseString(sys.stdin.buffer.read())
top = doc.documentElement
def attrs(e): return {k: v for k, v in e.attributes.items()}
out = {"tag": top.tagName, "attrs": attrs(top), "suites": []}
for s in top.getElementsByTagName("testsuite"):
    cases = []
    for c in s.getElementsByTagName("testcase"):
        f = c.getElementsByTagName("failure")
        cases.append({"attrs": attrs(c), "failure": None if not f else {"attrs": attrs(f[0]), "text": "".join(n.data for n in f[0].childNodes)}})
    out["suites"].append({"attrs": attrs(s), "cases": cases})
print(json.dumps(out))
`;
    const py = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
    expect(py.error, 'python3 is needed to parse the JUnit output (.ci/run installs it)').toBeUndefined();
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    const doc = JSON.parse(py.stdout);
    expect(doc.tag).toBe('testsuites');
    const totalCases = results.reduce((n, r) => n + r.cases.length, 0);
    const failedCases = results.reduce((n, r) => n + r.cases.filter((c) => c.problems.length).length, 0);
    expect(doc.attrs).toMatchObject({ tests: String(totalCases), failures: String(failedCases), errors: '0' });
    expect(doc.suites).toHaveLength(3);
    results.forEach((r, i) => {
      const suite = doc.suites[i];
      expect(suite.attrs.name).toBe(r.path);
      expect(suite.attrs.tests).toBe(String(r.cases.length));
      expect(suite.attrs.failures).toBe(String(r.cases.filter((c) => c.problems.length).length));
      r.cases.forEach((c, j) => {
        const tc = suite.cases[j];
        // A classname per checked path, the file to open and the path's time shared among its cases.
        expect(tc.attrs.classname).toBe(r.path);
        expect(tc.attrs.file).toBe(c.problems[0]?.location.uri ?? r.expectFile ?? r.path);
        expect(tc.attrs.time).toMatch(/^\d+\.\d{3}$/);
        expect(tc.attrs.name).toBe(visible(`${r.path} :: ${c.name}`));
        if (c.problems.length === 0) expect(tc.failure).toBeNull();
        else {
          expect(tc.failure.attrs.message).toBe(visible(c.problems.length === 1 ? c.problems[0]!.message : `${c.problems.length} problems; first: ${c.problems[0]!.message}`));
          for (const p of c.problems) expect(tc.failure.text).toContain(visible(p.message));
        }
      });
    });
    // The unit directory's cases are per unit; the broken expectations each fail with what was expected and what was found.
    expect(doc.suites[0].cases.map((c: { attrs: { name: string } }) => c.attrs.name)).toEqual([
      `${units.path} :: ${ODD_UNIT}: no finding at or above warning`,
      `${units.path} :: charger.service: no finding at or above warning`,
      `${units.path} :: every line reads as systemd reads it`,
    ]);
    const failures = doc.suites[2].cases.filter((c: { failure: unknown }) => c.failure).map((c: { failure: { attrs: { message: string } } }) => c.failure.attrs.message);
    expect(failures).toContain('expected service.no-restart for "charger.service" (critical); found service.no-restart charger.service (warning)');
    expect(failures).toContain('expected kernel.oom-kill for "charger\n.service \\x01 <b>&amp;</b> 100%"; found no kernel.oom-kill finding');
    expect(failures.some((m: string) => m.startsWith('expected no log.errors; found log.errors'))).toBe(true);
  });
});

/** What the writer does to characters XML cannot carry. */
function visible(s: string): string {
  return s.replace(/\u0001/g, '\\x01');
}

describe('SARIF 2.1.0', () => {
  let sarif: {
    $schema: string;
    version: string;
    runs: {
      tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[] } };
      originalUriBaseIds: Record<string, { uri: string }>;
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }[];
        partialFingerprints: Record<string, string>;
      }[];
    }[];
  };
  beforeAll(() => {
    sarif = JSON.parse(renderSarif(results, root));
  });

  it('has the schema, the version and one run whose driver lists every rule of the catalogue', () => {
    expect(sarif.$schema).toBe(SARIF_SCHEMA);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0]!.tool.driver;
    expect(driver.name).toBe('charger-diag');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const rule of RULES) {
      const d = driver.rules.find((x) => x.id === rule.id);
      expect(d, rule.id).toBeDefined();
      expect(d!.shortDescription.text).toBe(rule.summary);
      expect(d!.fullDescription.text.length).toBeGreaterThan(20);
      expect(d!.fullDescription.text).not.toContain('\n');
      expect(rule.docs.replace(/\s+/g, ' ')).toContain(d!.fullDescription.text);
      expect(d!.help.text).toBe(rule.docs);
      expect(d!.defaultConfiguration.level).toBe({ critical: 'error', warning: 'warning', info: 'note' }[rule.severity]);
    }
    expect(driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['check.expectation', 'check.unit-syntax']));
    expect(new Set(driver.rules.map((r) => r.id)).size).toBe(driver.rules.length);
    expect(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${root}/`);
  });

  it('each result has ruleId, ruleIndex, level, message, a relative location at the evidence line, and a fingerprint', () => {
    const run = sarif.runs[0]!;
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations).toHaveLength(1);
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(artifactLocation.uri).not.toMatch(/^\/|^\.\.|\\/);
      // The location is a real file of the checked tree and the line holds the evidence.
      const text = readFileSync(join(root, decodeURIComponent(artifactLocation.uri)), 'utf8');
      expect(region!.startLine).toBeGreaterThan(0);
      expect(region!.startLine).toBeLessThanOrEqual(text.split('\n').length);
      expect(Object.keys(r.partialFingerprints)).toEqual([FINGERPRINT_KEY]);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('unit-directory findings point at the unit file line in the repository, with levels from severity', () => {
    const run = sarif.runs[0]!;
    const noRestart = run.results.filter((r) => r.ruleId === 'service.no-restart' && decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri).startsWith(UNIT_DIR));
    // URIs are percent-encoded (the directory name holds a space, '%', '<'); decoded, they are the paths.
    expect(noRestart.map((r) => decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)).sort()).toEqual([`${UNIT_DIR}/${ODD_UNIT}`, `${UNIT_DIR}/charger.service`]);
    for (const r of noRestart) {
      expect(r.level).toBe('warning');
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/[ <>"]/);
      const line = readFileSync(join(root, decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)), 'utf8').split('\n')[r.locations[0]!.physicalLocation.region!.startLine - 1];
      expect(line).toBe('ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py');
      expect(r.message.text).toMatch(/is not restarted when it exits \(Restart=no\)\. Add a drop-in/);
    }
    const charger = noRestart.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('/charger.service'))!;
    expect(charger.partialFingerprints[FINGERPRINT_KEY]).toBe(fingerprint('service.no-restart', 'charger.service', `${UNIT_DIR}/charger.service`));
    // The passing directory contributes nothing.
    expect(run.results.some((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('good/'))).toBe(false);
  });

  it('a bundle with expectations reports only what breaks them: a missing finding at its line in expected.json, a finding that should not be there at its evidence', () => {
    const run = sarif.runs[0]!;
    const fromBundle = run.results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('samples/'));
    const missing = fromBundle.filter((r) => r.ruleId === 'check.expectation');
    expect(missing.map((r) => r.level)).toEqual(['error', 'error']);
    const expUri = 'samples/seed-incident/expected.json';
    const expLines = readFileSync(join(root, expUri), 'utf8').split('\n');
    for (const r of missing) {
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe(expUri);
      expect(expLines[r.locations[0]!.physicalLocation.region!.startLine - 1]).toMatch(/"rule": "(service\.no-restart|kernel\.oom-kill)"/);
    }
    expect(missing.map((r) => r.message.text)).toContain(
      'samples/seed-incident: expected service.no-restart for "charger.service" (critical); found service.no-restart charger.service (warning)'.replace('samples/seed-incident', join(root, 'samples/seed-incident')),
    );
    const logErrors = fromBundle.filter((r) => r.ruleId === 'log.errors');
    expect(logErrors.length).toBeGreaterThan(0);
    for (const r of logErrors) {
      expect(r.level).toBe('note');
      expect(r.message.text).toMatch(/^expected no log\.errors; found log\.errors /);
      const { uri } = r.locations[0]!.physicalLocation.artifactLocation;
      expect(uri).toMatch(/^samples\/seed-incident\/(commands|files)\//);
      const line = readFileSync(join(root, uri), 'utf8').split('\n')[r.locations[0]!.physicalLocation.region!.startLine - 1]!;
      expect(line.length).toBeGreaterThan(0);
    }
    // The finding left unmatched by the severity change is reported once, under its own rule.
    expect(fromBundle.filter((r) => r.ruleId === 'service.no-restart').map((r) => r.message.text)).toEqual([
      expect.stringMatching(/^unexpected service\.no-restart charger\.service \(warning\) \(expectations are exhaustive\): /),
    ]);
  });

  it('fingerprints are stable across runs and differ by rule, subject and file', () => {
    expect(renderSarif(results, root)).toBe(renderSarif(results, root));
    const prints = sarif.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

describe('GitHub Actions annotations', () => {
  it('escapes % CR LF in the message and also : , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('one annotation per problem at its file and line, at the level of its finding; nothing for passing paths', () => {
    const lines = renderAnnotations(results).trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=[^:,]+(,line=\d+)?,title=[^:,]+::.+$/);
    const dirProp = escapeProperty(UNIT_DIR);
    expect(dirProp).toBe('deploy%2C 100%25 & <"x">');
    expect(lines).toContain(
      `::warning file=${dirProp}/api%3A8000.service,line=${CHARGER_NO_RESTART.split('\n').findIndex((l) => l.startsWith('ExecStart=')) + 1},title=service.no-restart::` +
        escapeData(`${units.path}: expected no finding at or above warning; found service.no-restart ${ODD_UNIT} (warning): ${ODD_UNIT} is not restarted when it exits (Restart=no)`),
    );
    // The hand-written subject with a line break and a percent sign stays on one line.
    const oom = lines.find((l) => l.includes('kernel.oom-kill'))!;
    expect(oom).toContain('title=check.expectation::');
    expect(oom).toContain('charger%0A.service');
    expect(oom).toContain('100%25');
    expect(oom).toMatch(/^::error file=samples\/seed-incident\/expected\.json,line=\d+,/);
    expect(lines.some((l) => l.includes('file=good/'))).toBe(false);
  });
});

describe('text summary', () => {
  it('says PASS or FAIL per path and, for a failure, what was expected and found, with file:line', () => {
    const text = renderText(results);
    expect(text).toContain(`FAIL ${units.path}  (unit files: 2, no expectations: 4 findings, failing on warning and above)`);
    expect(text).toContain(`PASS ${join(root, 'good')}  (unit files: 1, no expectations: 0 findings, failing on warning and above)`);
    expect(text).toContain(`FAIL ${join(root, 'samples/seed-incident')}  (bundle, ${join(root, 'samples/seed-incident/expected.json')}: 4 of 20 expectations not met)`);
    // A line break and a control character from expected.json are shown, not obeyed.
    expect(text).toContain('    expected kernel.oom-kill for "charger\\n.service \\x01 <b>&amp;</b> 100%"; found no kernel.oom-kill finding\n');
    for (const line of text.split('\n')) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('    expected service.no-restart for "charger.service" (critical); found service.no-restart charger.service (warning)');
    expect(text).toContain(`    at ${join(root, UNIT_DIR, 'charger.service')}:${CHARGER_NO_RESTART.split('\n').findIndex((l) => l.startsWith('ExecStart=')) + 1}: ExecStart=`);
    expect(text.trimEnd().split('\n').at(-1)).toBe('check: 1 passed, 2 failed');
  });
});
