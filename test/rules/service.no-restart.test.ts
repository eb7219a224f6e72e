import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, sd, serviceUnit, showAll, showService } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-no-restart/rule.js';

const UNIT = serviceUnit({
  description: 'Charger OCPP client',
  user: 'basar',
  workingDirectory: '/home/basar/charger',
  execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
});
const FRAGMENT = 'files/etc/systemd/system/charger.service';
const EXEC_START = { source: FRAGMENT, line: 9, time: null, text: 'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py' };
const DESC = 'Charger OCPP client';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.no-restart');

describe('service.no-restart fires', () => {
  it('for a site-local service without Restart= (systemd default "no"), quoting its ExecStart', async () => {
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT } });
    expect(findings(a)).toHaveLength(1);
    const f = findings(a)[0]!;
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'charger.service',
      params: { unit: 'charger.service', restart: 'no', restartExplicit: false, fragment: '/etc/systemd/system/charger.service', dropins: [], exitedInWindow: 0, user: 'basar' },
    });
    expect(f.evidence).toEqual([EXEC_START]);
    expect(f.remediation).toContain('/etc/systemd/system/charger.service.d/10-restart.conf');
  });

  it('for Restart=on-success, quoting the Restart= line', async () => {
    const text = serviceUnit({ description: DESC, execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', service: ['Restart=on-success', 'RestartSec=5'] });
    const a = await analyzeSpec({ files: { [FRAGMENT]: text } });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ restart: 'on-success', restartExplicit: true });
    expect(f.evidence).toContainEqual({ source: FRAGMENT, line: 8, time: null, text: 'Restart=on-success' });
  });

  it('when a later drop-in turns Restart= back to no (drop-ins apply in file-name order)', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: UNIT,
        'files/etc/systemd/system/charger.service.d/10-restart.conf': '[Service]\nRestart=always\nRestartSec=5\n',
        'files/etc/systemd/system/charger.service.d/20-debug.conf': '# keep it down while debugging\n[Service]\nRestart=no\n',
      },
    });
    const f = findings(a)[0]!;
    expect(f.params.restart).toBe('no');
    expect(f.params.dropins).toEqual(['/etc/systemd/system/charger.service.d/10-restart.conf', '/etc/systemd/system/charger.service.d/20-debug.conf']);
    expect(f.evidence).toContainEqual({ source: 'files/etc/systemd/system/charger.service.d/20-debug.conf', line: 3, time: null, text: 'Restart=no' });
  });

  it('for a vendor unit that the configuration names as site-local', async () => {
    const a = await analyzeSpec({ files: { 'files/lib/systemd/system/charger.service': UNIT } }, { siteLocalUnits: ['charger.service'] });
    expect(findings(a).map((f) => f.subject)).toEqual(['charger.service']);
  });

  it('for a vendor unit named with collect --unit (manifest collector.units)', async () => {
    const a = await analyzeSpec({
      manifest: { collector: { command: 'charger-diag collect --unit charger.service', mode: 'live', units: ['charger.service'] } },
      files: { 'files/lib/systemd/system/charger.service': UNIT },
    });
    expect(findings(a).map((f) => f.subject)).toEqual(['charger.service']);
  });

  it('from systemctl show alone (no unit files), quoting Restart=', async () => {
    const show = showAll([showService({ id: 'charger.service', description: DESC, execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', mainPid: 901 })]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': show } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', severity: 'warning', params: { restart: 'no', fragment: '/etc/systemd/system/charger.service' } });
    expect(f.evidence).toContainEqual({ source: 'commands/systemctl-show.txt', line: 3, time: '2025-12-10T01:15:00+03:00', text: 'Restart=no' });
  });

  it('as critical when the journal shows it exited on its own in the window (no Stopping before it)', async () => {
    const journal = jsonl([
      sd.started('charger.service', DESC, at('00:41:17')),
      sd.mainExited('charger.service', at('01:10:02'), 'killed', '9/KILL'),
      sd.failed('charger.service', 'signal', at('01:10:02')),
    ]);
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT, 'commands/journal.jsonl': journal } });
    const f = findings(a)[0]!;
    expect(f.severity).toBe('critical');
    // "Main process exited" and "Failed with result" of one death are one exit.
    expect(f.params).toMatchObject({ exitedInWindow: 1, lastExit: '2025-12-10T01:10:02+03:00' });
    // The title is the report's (the same in the JSON); the exit is in severity and params.
    expect(f.title).toBe('charger.service is not restarted when it exits (Restart=no)');
    expect(f.evidence[0]).toEqual(EXEC_START);
    expect(f.evidence).toContainEqual({
      source: 'commands/journal.jsonl',
      line: 2,
      time: '2025-12-10T01:10:02+03:00',
      text: 'charger.service: Main process exited, code=killed, status=9/KILL',
    });
    expect(f.evidence).toContainEqual(expect.objectContaining({ source: 'commands/journal.jsonl', line: 3, text: "charger.service: Failed with result 'signal'." }));
  });

  it('counts each death once, and a second death after a manual start again', async () => {
    const journal = jsonl([
      sd.oomKilled('charger.service', at('01:02:00')),
      sd.mainExited('charger.service', at('01:02:00'), 'killed', '9/KILL'),
      sd.failed('charger.service', 'oom-kill', at('01:02:00')),
      sd.starting('charger.service', DESC, at('01:04:00')),
      sd.started('charger.service', DESC, at('01:04:00')),
      sd.mainExited('charger.service', at('01:09:30'), 'exited', '1/FAILURE'),
      sd.failed('charger.service', 'exit-code', at('01:09:30')),
    ]);
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT, 'commands/journal.jsonl': journal } });
    expect(findings(a)[0]!.params).toMatchObject({ exitedInWindow: 2, lastExit: '2025-12-10T01:09:30+03:00' });
  });

  it('as critical from systemd 247 texts too ("Succeeded." after a clean exit nobody asked for)', async () => {
    const journal = jsonl([sd.mainExited('charger.service', at('01:05:00'), 'exited', '0/SUCCESS'), sd.deactivated('charger.service', at('01:05:00'), 247)]);
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT, 'commands/journal.jsonl': journal } });
    const f = findings(a)[0]!;
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContainEqual(expect.objectContaining({ line: 2, text: 'charger.service: Succeeded.', time: '2025-12-10T01:05:00+03:00' }));
  });
});

describe('service.no-restart stays quiet or stays a warning', () => {
  it('is quiet when a drop-in /etc/systemd/system/x.service.d/10-restart.conf sets Restart=always', async () => {
    const a = await analyzeSpec({
      files: { [FRAGMENT]: UNIT, 'files/etc/systemd/system/charger.service.d/10-restart.conf': '[Service]\nRestart=always\nRestartSec=5\n' },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('service.no-restart');
  });

  it('is quiet for a vendor unit under /lib/systemd/system', async () => {
    const a = await analyzeSpec({ files: { 'files/lib/systemd/system/charger.service': UNIT } });
    expect(findings(a)).toEqual([]);
  });

  it('is quiet for Type=oneshot (meant to exit) and for a masked unit', async () => {
    const oneshot = serviceUnit({ description: 'Upload charging sessions', execStart: '/usr/local/bin/upload-sessions', service: ['Type=oneshot'] });
    const a = await analyzeSpec({
      files: { 'files/etc/systemd/system/upload.service': oneshot, 'files/etc/systemd/system/charger.service': '' },
    });
    expect(findings(a)).toEqual([]);
  });

  it('stays a warning when an operator stopped it (Stopping before the exit)', async () => {
    const journal = jsonl([
      sd.stopping('charger.service', DESC, at('01:05:00')),
      sd.deactivated('charger.service', at('01:05:01')),
      sd.stopped('charger.service', DESC, at('01:05:01')),
    ]);
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT, 'commands/journal.jsonl': journal } });
    const f = findings(a)[0]!;
    expect(f.severity).toBe('warning');
    expect(f.params.exitedInWindow).toBe(0);
  });

  it('stays a warning when the exit was before the window', async () => {
    const journal = jsonl([sd.mainExited('charger.service', at('00:40:00'), 'killed', '9/KILL'), sd.failed('charger.service', 'signal', at('00:40:00'))]);
    const a = await analyzeSpec({ files: { [FRAGMENT]: UNIT, 'commands/journal.jsonl': journal } });
    expect(findings(a)[0]!.severity).toBe('warning');
  });

  it('is skipped, with the reason, when the bundle has no unit configuration at all', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.failed('charger.service', 'signal', at('01:10:02'))]) } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.find((s) => s.rule === 'service.no-restart')?.reason).toMatch(/no unit files/);
  });

  it('counts an unreadable unit-file line and still reads the rest', async () => {
    const broken = UNIT.replace('[Install]', 'Restart always\n[Install]');
    const a = await analyzeSpec({ files: { [FRAGMENT]: broken } });
    expect(a.sources.find((s) => s.path === FRAGMENT)).toMatchObject({ skippedRecords: 1 });
    expect(findings(a)[0]!.params.restart).toBe('no');
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a drop-in sets Restart=always',
      bundle: { files: { [FRAGMENT]: UNIT, 'files/etc/systemd/system/charger.service.d/10-restart.conf': '[Service]\nRestart=always\nRestartSec=5\n' } },
    },
    { name: 'a vendor unit', bundle: { files: { 'files/lib/systemd/system/charger.service': UNIT } } },
  ],
  invalid: [
    {
      name: 'no Restart= and no exit',
      bundle: { files: { [FRAGMENT]: UNIT } },
      findings: [{ subject: 'charger.service', severity: 'warning', params: { restart: 'no', restartExplicit: false, exitedInWindow: 0 } }],
    },
    {
      name: 'an exit nobody asked for in the window, with a drop-in',
      bundle: {
        files: {
          [FRAGMENT]: UNIT,
          'files/etc/systemd/system/charger.service.d/20-debug.conf': '[Service]\nRestart=no\n',
          'commands/journal.jsonl': jsonl([sd.started('charger.service', DESC, at('00:41:17')), sd.mainExited('charger.service', at('01:10:02'), 'killed', '9/KILL'), sd.failed('charger.service', 'signal', at('01:10:02'))]),
        },
      },
      findings: [{ subject: 'charger.service', severity: 'critical', params: { restartExplicit: true, exitedInWindow: 1, dropins: ['/etc/systemd/system/charger.service.d/20-debug.conf'] } }],
    },
  ],
});
