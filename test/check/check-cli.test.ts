// `charger-diag check` as CI runs it: exit codes, what it prints. In process,
// but for the one-line errors, from the built CLI in a process of its own.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callCli, expectOneLineError, runCli, type CliOptions } from '../helpers/cli.js';
import { API_HEALTH_SERVICE, API_HEALTH_TIMER, API_UNIT, CHARGER_NO_RESTART, CHARGER_SUPERVISED, SAMPLES, copySample, writeTree, scratchRepos } from './fixtures.js';

const REPO = join(__dirname, '..', '..');

// An outer GitHub Actions run must not leak into the cases that test without it.
const checkArgs = (args: string[], opts: CliOptions): [string[], CliOptions] => [['check', ...args], { cwd: opts.cwd ?? REPO, env: { GITHUB_ACTIONS: '', ...opts.env } }];
const run = (args: string[], opts: CliOptions = {}) => callCli(...checkArgs(args, opts));
/** The built CLI in a process of its own. */
const runOwn = (args: string[], opts: CliOptions = {}) => runCli(...checkArgs(args, opts));


const repo = scratchRepos();

const sampleNames = readdirSync(SAMPLES).filter((n) => existsSync(join(SAMPLES, n, 'manifest.json'))).sort();

describe('charger-diag check samples/', () => {
  it('passes: every sample meets its expectations, exit 0', async () => {
    const r = await run(['samples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const n of sampleNames) expect(r.stdout).toMatch(new RegExp(`^PASS samples/${n} {2}\\(bundle, samples/${n}/expected\\.json: \\d+ expectations met\\)$`, 'm'));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^check: \d+ passed, 0 failed$/);
  });

  for (const name of sampleNames) {
    it(`${name}: changing any expectation fails, saying what was expected and what was found`, async () => {
      const root = repo();
      const original = JSON.parse(readFileSync(join(SAMPLES, name, 'expected.json'), 'utf8')) as { findings: { rule: string; subject?: string; severity?: string }[]; absent: string[] };
      // One broken copy per change, all in one directory of bundles, checked in one run.
      const missingRule = original.absent[0] ?? 'kernel.oom-kill';
      const broken = join(root, 'broken');
      copySample(
        name,
        broken,
        (exp) => {
          (exp.findings as unknown[]).push({ rule: missingRule, subject: 'charger.service' });
          exp.absent = (exp.absent as string[]).filter((x) => x !== missingRule);
        },
        'missing',
      );
      original.findings.forEach((_, i) =>
        copySample(
          name,
          broken,
          (exp) => {
            const f = (exp.findings as { severity?: string }[])[i]!;
            f.severity = f.severity === 'critical' ? 'warning' : 'critical';
          },
          `severity-${i}`,
        ),
      );

      const r = await run(['broken'], { cwd: root });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/^PASS /m);
      expect(r.stdout).toContain(`FAIL broken/missing  (bundle, broken/missing/expected.json: `);
      expect(r.stdout).toContain(`  finding ${missingRule} "charger.service"\n    expected ${missingRule} for "charger.service"; found no ${missingRule} finding\n      at broken/missing/expected.json:`);
      original.findings.forEach((f, i) => {
        const other = f.severity === 'critical' ? 'warning' : 'critical';
        const block = r.stdout.slice(r.stdout.indexOf(`FAIL broken/severity-${i} `));
        expect(block, `finding ${i}`).toMatch(new RegExp(`^ {4}expected ${f.rule.replace('.', '\\.')}.* \\(${other}\\); found ${f.rule.replace('.', '\\.')} `, 'm'));
      });
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`check: 0 passed, ${original.findings.length + 1} failed`);
    });
  }
});

describe('charger-diag check: unit directories', () => {
  it('a service without Restart= fails (exit 1) with the finding at file:line', async () => {
    const root = repo();
    writeTree(root, { 'deploy/systemd/charger.service': CHARGER_NO_RESTART });
    const r = await run(['deploy/systemd/'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const line = CHARGER_NO_RESTART.split('\n').findIndex((l) => l.startsWith('ExecStart=')) + 1;
    expect(r.stdout).toContain('FAIL deploy/systemd/  (unit files: 1, no expectations: 2 findings, failing on warning and above)');
    expect(r.stdout).toContain(
      'expected no finding at or above warning; found service.no-restart charger.service (warning): charger.service is not restarted when it exits (Restart=no)',
    );
    expect(r.stdout).toContain(`    at deploy/systemd/charger.service:${line}: ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py`);
  });

  it('Type=notify, Restart=always and WatchdogSec= pass (exit 0); so does an API with a health-check timer', async () => {
    const root = repo();
    writeTree(root, {
      'deploy/systemd/charger.service': CHARGER_SUPERVISED,
      'deploy/systemd/charger-api.service': API_UNIT,
      'deploy/systemd/charger-api-health.service': API_HEALTH_SERVICE,
      'deploy/systemd/charger-api-health.timer': API_HEALTH_TIMER,
    });
    const r = await run(['deploy/systemd'], { cwd: root });
    expect(r.stdout).toBe('PASS deploy/systemd  (unit files: 4, no expectations: 0 findings, failing on warning and above)\ncheck: 1 passed, 0 failed\n');
    expect(r.code).toBe(0);
  });

  it('--fail-on critical lets the warnings of a unit directory pass', async () => {
    const root = repo();
    writeTree(root, { 'deploy/systemd/charger.service': CHARGER_NO_RESTART });
    expect((await run(['deploy/systemd', '--fail-on', 'critical'], { cwd: root })).code).toBe(0);
  });
});

describe('charger-diag check: archives, formats, annotations', () => {
  it('a .tar.gz bundle with --expect: passes with its expectations, fails with another sample\'s', async () => {
    const root = repo();
    copySample('seed-incident', root);
    execFileSync('tar', ['czf', 'seed.tar.gz', 'seed-incident'], { cwd: root });
    const ok = await run(['seed.tar.gz', '--expect', 'seed-incident/expected.json'], { cwd: root });
    expect(ok.stdout).toMatch(/^PASS seed\.tar\.gz {2}\(bundle, seed-incident\/expected\.json: \d+ expectations met\)$/m);
    expect(ok.code).toBe(0);
    const bad = await run(['seed.tar.gz', '--expect', join(SAMPLES, 'healthy', 'expected.json')], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('expected no process.unmanaged; found process.unmanaged uvicorn (pid 165162) (critical)');
    // Inside an archive the location is the archive; the member and line are named in the title.
    expect(bad.stdout).toMatch(/at seed\.tar\.gz: /);
    // Without expectations a bundle fails on critical findings only.
    const plain = await run(['seed.tar.gz'], { cwd: root });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('found process.unmanaged uvicorn (pid 165162) (critical): uvicorn (pid 165162) runs outside any service');
    expect(plain.stdout).toContain('(commands/ps.txt:');
  });

  it('a path that is neither a bundle nor a unit directory exits 2 with one line naming it (the first by the built CLI)', async () => {
    const root = repo();
    writeTree(root, { 'docs/README.md': '# notes\n' });
    expectOneLineError(runOwn(['docs'], { cwd: root }), /^charger-diag: docs: not a bundle \(no manifest\.json\), not a directory of unit files/);
    expectOneLineError(await run(['nowhere'], { cwd: root }), /^charger-diag: nowhere: no such file or directory$/);
    expectOneLineError(await run(['samples/', '--expect', 'samples/healthy/expected.json']), /--expect samples\/healthy\/expected\.json: names the expectations of one bundle/);
  });

  it('a broken expected.json or config exits 2 naming the file', async () => {
    const root = repo();
    const dir = copySample('healthy', root);
    writeFileSync(join(dir, 'expected.json'), '{ "findings": [ { "rule": 3 } ] }');
    expectOneLineError(await run(['healthy'], { cwd: root }), /^charger-diag: healthy\/expected\.json: invalid field findings\[0\]\.rule = 3: /);
    writeFileSync(join(root, 'cfg.json'), '{ "rules": { "service.no-restrat": { "enabled": false } } }');
    expectOneLineError(await run(['healthy', '--config', 'cfg.json'], { cwd: root }), /cfg\.json: unknown rule id "service\.no-restrat"/);
  });

  it('--format junit --out FILE writes XML that parses, and the summary still goes to stdout', async () => {
    const root = repo();
    writeTree(root, { 'deploy/systemd/charger.service': CHARGER_NO_RESTART });
    const r = await run(['deploy/systemd', join(REPO, 'samples'), '--format', 'junit', '--out', 'junit.xml'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL deploy\/systemd {2}/m);
    const xml = readFileSync(join(root, 'junit.xml'), 'utf8');
    const py = spawnSync('python3', ['-c', 'import sys; from xml.dom import minidom; d = minidom.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName("testcase")), len(d.getElementsByTagName("failure")))'], {
      input: xml,
      encoding: 'utf8',
    });
    expect(py.stderr).toBe('');
    const [cases, failures] = py.stdout.trim().split(' ').map(Number);
    expect(failures).toBe(1);
    expect(cases).toBeGreaterThan(sampleNames.length + 1);
  });

  it('--format sarif prints SARIF 2.1.0 on stdout; with GITHUB_ACTIONS=true the annotations go to stderr', async () => {
    const root = repo();
    writeTree(root, { 'deploy/systemd/charger.service': CHARGER_NO_RESTART });
    const r = await run(['deploy/systemd', '--format', 'sarif'], { cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(['service.no-health-check', 'service.no-restart']);
    const line = CHARGER_NO_RESTART.split('\n').findIndex((l) => l.startsWith('ExecStart=')) + 1;
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual([
      // Warnings are ::warning: the check fails by its exit status, the annotation says how serious the finding is.
      `::warning file=deploy/systemd/charger.service,line=${line},title=service.no-health-check::deploy/systemd: expected no finding at or above warning; found service.no-health-check charger.service (warning): charger.service has no health check: nothing restarts it if it hangs`,
      `::warning file=deploy/systemd/charger.service,line=${line},title=service.no-restart::deploy/systemd: expected no finding at or above warning; found service.no-restart charger.service (warning): charger.service is not restarted when it exits (Restart=no)`,
    ].sort());
  });

  it('with GITHUB_ACTIONS=true and text output, annotations follow the summary on stdout; without it there are none', async () => {
    const root = repo();
    copySample('seed-incident', root, (exp) => {
      (exp.findings as { severity?: string }[])[1]!.severity = 'critical';
    });
    const gh = await run(['seed-incident'], { cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    expect(gh.code).toBe(1);
    const annotations = gh.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations[0]).toMatch(
      /^::error file=seed-incident\/expected\.json,line=\d+,title=check\.expectation::seed-incident: expected service\.no-restart for "charger\.service" \(critical\); found service\.no-restart charger\.service \(warning\)$/,
    );
    expect(annotations[1]).toMatch(/^::warning file=seed-incident\/files\/etc\/systemd\/system\/charger\.service,line=\d+,title=service\.no-restart::seed-incident: unexpected service\.no-restart/);
    expect(gh.stdout.indexOf('check: 0 passed, 1 failed')).toBeLessThan(gh.stdout.indexOf('::error'));
    const plain = await run(['seed-incident'], { cwd: root });
    expect(plain.stdout).not.toMatch(/^::/m);
  });
});
