// A repository's unit directory judged as if installed under /etc/systemd/system.
import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { checkTarget, type CheckedPath } from '../../src/check/run.js';
import { defaultConfig, ConfigSchema } from '../../src/config.js';
import { lineOf } from '../helpers/raw.js';
import { API_HEALTH_SERVICE, API_HEALTH_TIMER, API_UNIT, CHARGER_NO_RESTART, CHARGER_SUPERVISED, scratch, writeTree } from './fixtures.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

let lastRoot = '';

/** deploy/systemd/ in a scratch repository; PATH absolute as from another directory, locations relative to the repository root (cwd). */
async function checkUnits(files: Parameters<typeof writeTree>[1], failOn?: 'critical' | 'warning' | 'info', config = defaultConfig()): Promise<CheckedPath> {
  const { root, cleanup } = scratch();
  cleanups.push(cleanup);
  lastRoot = root;
  writeTree(root, Object.fromEntries(Object.entries(files).map(([k, v]) => [join('deploy/systemd', k), v])));
  return checkTarget({ kind: 'unit-dir', path: join(root, 'deploy/systemd'), expectFile: null }, config, { failOn, cwd: root });
}

const rulesOf = (r: CheckedPath) => r.findings.map((f) => `${f.rule} ${f.subject}`).sort();

describe('check: unit directories', () => {
  it('a service without Restart= fails with both configuration findings, located on its ExecStart line', async () => {
    const r = await checkUnits({ 'charger.service': CHARGER_NO_RESTART });
    expect(r.passed).toBe(false);
    expect(r.failOn).toBe('warning');
    expect(rulesOf(r)).toEqual(['service.no-health-check charger.service', 'service.no-restart charger.service']);
    const noRestart = r.findings.find((f) => f.rule === 'service.no-restart')!;
    expect(noRestart.location).toEqual({
      uri: 'deploy/systemd/charger.service',
      path: join(lastRoot, 'deploy/systemd/charger.service'),
      line: lineOf(CHARGER_NO_RESTART, 'ExecStart='),
    });
    expect(r.cases.map((c) => c.name)).toEqual(['charger.service: no finding at or above warning', 'every line reads as systemd reads it']);
    expect(r.cases[0]!.problems.map((p) => p.message)).toContain(
      'expected no finding at or above warning; found service.no-restart charger.service (warning): charger.service is not restarted when it exits (Restart=no)',
    );
  });

  it('Type=notify, Restart=always and WatchdogSec=30 pass with no finding at all', async () => {
    const r = await checkUnits({ 'charger.service': CHARGER_SUPERVISED });
    expect(r.findings).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it('a health-check timer in the directory counts as supervision; without it the API has no health check', async () => {
    const withProbe = await checkUnits({ 'charger-api.service': API_UNIT, 'charger-api-health.service': API_HEALTH_SERVICE, 'charger-api-health.timer': API_HEALTH_TIMER });
    expect(withProbe.findings).toEqual([]);
    expect(withProbe.passed).toBe(true);
    const alone = await checkUnits({ 'charger-api.service': API_UNIT });
    expect(rulesOf(alone)).toEqual(['service.no-health-check charger-api.service']);
    expect(alone.passed).toBe(false);
  });

  it('a cron job in cron.d/ that probes the port counts too', async () => {
    const r = await checkUnits({
      'charger-api.service': API_UNIT,
      'cron.d/charger-api-health': 'SHELL=/bin/sh\n* * * * * root curl -fsS -m 5 http://127.0.0.1:8000/api/health || systemctl restart charger-api.service\n',
    });
    expect(r.findings).toEqual([]);
    expect(r.unitFiles).toBe(1);
  });

  it('a drop-in that adds Restart=always is merged', async () => {
    const r = await checkUnits({ 'charger.service': CHARGER_NO_RESTART, 'charger.service.d/10-restart.conf': '[Service]\nRestart=always\nRestartSec=5\n' });
    expect(rulesOf(r)).toEqual(['service.no-health-check charger.service']);
    expect(r.unitFiles).toBe(2);
  });

  it('a drop-in that sets Restart=no again overrides the unit file', async () => {
    const dropIn = '[Service]\n# restarts hid a crash loop from us\nRestart=no\n';
    const r = await checkUnits({ 'charger.service': CHARGER_SUPERVISED, 'charger.service.d/override.conf': dropIn });
    expect(rulesOf(r)).toEqual(['service.no-restart charger.service']);
    // The first evidence line is the unit's ExecStart; the finding is about the unit.
    expect(r.findings[0]!.location.uri).toBe('deploy/systemd/charger.service');
  });

  it('a template is judged under its own name', async () => {
    const tpl = '[Unit]\nDescription=Charge point connector %i\n\n[Service]\nExecStart=/usr/local/bin/connector --id %i\n';
    const r = await checkUnits({ 'connector@.service': tpl });
    expect(rulesOf(r)).toEqual(['service.no-health-check connector@.service', 'service.no-restart connector@.service']);
    const f = r.findings.find((x) => x.rule === 'service.no-restart')!;
    expect(f.title).toBe('connector@.service is not restarted when it exits (Restart=no)');
    expect(f.remediation).toContain('systemctl edit connector@.service');
    expect(f.location).toMatchObject({ uri: 'deploy/systemd/connector@.service', line: lineOf(tpl, 'ExecStart=') });
    expect(r.cases.map((c) => c.name)).toEqual(['connector@.service: no finding at or above warning', 'every line reads as systemd reads it']);
  });

  it('a syntax slip in a template is reported once, at the template', async () => {
    const tpl = '[Service]\nExecStart=/usr/local/bin/connector --id %i\nRestart=always\nWatchdogSec 30\n';
    const r = await checkUnits({ 'connector@.service': tpl });
    const syntax = r.cases.find((c) => c.name === 'every line reads as systemd reads it')!;
    expect(syntax.problems.map((p) => `${p.location.uri}:${p.location.line}`)).toEqual(['deploy/systemd/connector@.service:4']);
  });

  it('a unit linked to /dev/null is masked and not judged; oneshot units are not long-running', async () => {
    const oneshot = '[Service]\nType=oneshot\nExecStart=/usr/local/bin/rotate-logs\n';
    const r = await checkUnits({ 'old-api.service': { link: '/dev/null' }, 'rotate.service': oneshot });
    expect(r.findings).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.cases.map((c) => c.name)).toEqual(['old-api.service: no finding at or above warning', 'rotate.service: no finding at or above warning', 'every line reads as systemd reads it']);
  });

  it('a unit file linked from elsewhere in the repository is read through the link', async () => {
    const r = await checkUnits({ '../common/charger.service': CHARGER_NO_RESTART, 'charger.service': { link: '../common/charger.service' } });
    expect(rulesOf(r)).toEqual(['service.no-health-check charger.service', 'service.no-restart charger.service']);
  });

  it('--fail-on critical lets warnings through; the config can raise a rule to critical', async () => {
    const lenient = await checkUnits({ 'charger.service': CHARGER_NO_RESTART }, 'critical');
    expect(lenient.passed).toBe(true);
    expect(lenient.findings.length).toBe(2);
    const strict = await checkUnits({ 'charger.service': CHARGER_NO_RESTART }, 'critical', ConfigSchema.parse({ rules: { 'service.no-restart': { severity: 'critical' } } }));
    expect(strict.passed).toBe(false);
    expect(strict.cases[0]!.problems.map((p) => p.finding?.rule)).toEqual(['service.no-restart']);
  });

  it('runtime rules have nothing to judge: only configuration findings appear', async () => {
    const r = await checkUnits({ 'charger.service': CHARGER_NO_RESTART, 'charger-api.service': API_UNIT });
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) expect(['service.no-restart', 'service.no-health-check']).toContain(f.rule);
  });

  it('a line systemd would ignore fails the check at that line: "Restart always" leaves the unit without Restart=', async () => {
    const typo = CHARGER_SUPERVISED.replace('Restart=always', 'Restart always');
    const r = await checkUnits({ 'charger.service': typo, 'my charger.service': CHARGER_SUPERVISED });
    expect(r.passed).toBe(false);
    const syntax = r.cases.find((c) => c.name === 'every line reads as systemd reads it')!;
    expect(syntax.problems.map((p) => [p.rule, p.message, p.location.uri, p.location.line])).toEqual([
      ['check.unit-syntax', `expected systemd to read every line; found line ${lineOf(typo, 'Restart always')} ignored: missing '=', line ignored`, 'deploy/systemd/charger.service', lineOf(typo, 'Restart always')],
      ['check.unit-syntax', 'expected systemd to read every line; found the file ignored: "my charger.service" is not a valid unit name', 'deploy/systemd/my charger.service', null],
    ]);
    // And the rule sees what systemd would run: no Restart=.
    expect(rulesOf(r)).toEqual(['service.no-restart charger.service']);
  });

  it('a secret in a unit file never reaches the result', async () => {
    const unit = CHARGER_NO_RESTART.replace(
      'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
      'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py --password Hunter2-Secret-Value',
    );
    const r = await checkUnits({ 'charger.service': unit });
    expect(JSON.stringify(r)).not.toContain('Hunter2-Secret-Value');
    expect(r.findings[0]!.evidenceText).toContain('[redacted:');
  });
});
