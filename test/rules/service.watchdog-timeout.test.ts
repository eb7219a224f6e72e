import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { appEntry, at, jsonl, lineOf, sd, serviceUnit, showAll, showService } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-watchdog-timeout/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.watchdog-timeout');

const API_EXEC = '/home/basar/env/bin/python3 /home/basar/charger/api/serve.py';
const API_UNIT = serviceUnit({ description: 'Charger REST API', user: 'basar', execStart: API_EXEC, service: ['Type=notify', 'WatchdogSec=30', 'Restart=on-failure'] });
const TIMEOUT = 'charger-api.service: Watchdog timeout (limit 30s)!';

// What systemd 252 logs when WatchdogSec= expires: the timeout, SIGABRT to the main process, its dumped exit, the result.
const WATCHDOG_252 = [
  sd.watchdog('charger-api.service', '30s', at('01:08:31')),
  sd.killing('charger-api.service', 1877, 'python3', 'SIGABRT', at('01:08:31')),
  sd.mainExited('charger-api.service', at('01:08:32'), 'dumped', '6/ABRT'),
  sd.failed('charger-api.service', 'watchdog', at('01:08:32')),
];

describe('service.watchdog-timeout fires', () => {
  it('on "Watchdog timeout (limit 30s)!" and "Failed with result \'watchdog\'" in the journal, with WatchdogSec= from the unit', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(WATCHDOG_252), 'files/etc/systemd/system/charger-api.service': API_UNIT } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subject: 'charger-api.service',
      params: { unit: 'charger-api.service', timeouts: 1, watchdogSec: '30s', first: '2025-12-10T01:08:31+03:00', resultAtCollection: false },
    });
    expect(f!.evidence).toEqual([
      { source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:08:31+03:00', text: TIMEOUT },
      { source: 'commands/journal.jsonl', line: 4, time: '2025-12-10T01:08:32+03:00', text: "charger-api.service: Failed with result 'watchdog'." },
    ]);
  });

  it('on the syslog form (systemd 247: same text after "systemd[1]:")', async () => {
    const syslog = [
      `Dec 10 01:08:31 charger-01 systemd[1]: ${TIMEOUT}`,
      'Dec 10 01:08:31 charger-01 systemd[1]: charger-api.service: Killing process 1877 (python3) with signal SIGABRT.',
      'Dec 10 01:08:32 charger-01 systemd[1]: charger-api.service: Main process exited, code=dumped, status=6/ABRT',
      "Dec 10 01:08:32 charger-01 systemd[1]: charger-api.service: Failed with result 'watchdog'.",
      'Dec 10 01:08:32 charger-01 systemd[1]: charger-api.service: Scheduled restart job, restart counter is at 1.',
      'Dec 10 01:08:32 charger-01 systemd[1]: Stopped Charger REST API.',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': syslog } });
    expect(findings(a)[0]).toMatchObject({ subject: 'charger-api.service', params: { timeouts: 1, watchdogSec: null } });
    expect(findings(a)[0]!.evidence.map((e) => e.line)).toEqual([1, 4]);
  });

  it('on UNIT_RESULT=watchdog alone', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.failed('charger-api.service', 'watchdog', at('01:08:32'))]) } });
    expect(findings(a)[0]).toMatchObject({ subject: 'charger-api.service', params: { timeouts: 1 } });
  });

  it('on Result=watchdog in systemctl show (the last run ended by the watchdog)', async () => {
    const show = showAll([
      showService({ id: 'charger-api.service', description: 'Charger REST API', type: 'notify', execStart: API_EXEC, watchdogUSec: '30s', restart: 'no', activeState: 'failed', subState: 'failed', result: 'watchdog' }),
    ]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': show } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ severity: 'critical', subject: 'charger-api.service', params: { unit: 'charger-api.service', watchdogSec: '30s', first: null, resultAtCollection: true } });
    expect(f.evidence).toEqual([{ source: 'commands/systemctl-show.txt', line: lineOf(show, 'Result='), time: '2025-12-10T01:15:00+03:00', text: 'Result=watchdog' }]);
  });
});

describe('service.watchdog-timeout stays quiet', () => {
  it('when the watchdog is configured but never fired', async () => {
    const journal = jsonl([sd.started('charger-api.service', 'Charger REST API', at('01:00:10'))]);
    const show = showAll([showService({ id: 'charger-api.service', description: 'Charger REST API', type: 'notify', execStart: API_EXEC, watchdogUSec: '30s', mainPid: 1877 })]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal, 'commands/systemctl-show.txt': show, 'files/etc/systemd/system/charger-api.service': API_UNIT } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('service.watchdog-timeout');
  });

  it('when an application logs its own "watchdog timeout" words', async () => {
    const app = { unit: 'charger.service', identifier: 'python3', pid: 901 };
    const journal = jsonl([
      appEntry(app, 'hardware watchdog timeout set to 15s', at('01:01:00')),
      appEntry(app, 'charger-api.service: Watchdog timeout (limit 30s)!', at('01:02:00'), 3),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });

  it('when the timeout was before the window', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.watchdog('charger-api.service', '30s', at('00:30:00'))]) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts an unstamped syslog line as skipped', async () => {
    const syslog = `Dec 10 01:01:00 charger-01 systemd[1]: Started Charger REST API.\n${TIMEOUT}\n`;
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': syslog } });
    expect(a.sources.find((s) => s.id === 'syslog')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a watchdog that never fired',
      bundle: {
        files: {
          'commands/journal.jsonl': jsonl([sd.started('charger-api.service', 'Charger REST API', at('01:00:10'))]),
          'files/etc/systemd/system/charger-api.service': API_UNIT,
        },
      },
    },
  ],
  invalid: [
    {
      name: 'the timeout in the journal, WatchdogSec= from the unit',
      bundle: { files: { 'commands/journal.jsonl': jsonl(WATCHDOG_252), 'files/etc/systemd/system/charger-api.service': API_UNIT } },
      findings: [{ subject: 'charger-api.service', severity: 'critical', params: { timeouts: 1, watchdogSec: '30s', resultAtCollection: false } }],
    },
    {
      name: 'Result=watchdog in systemctl show only (no time)',
      bundle: {
        files: {
          'commands/systemctl-show.txt': showAll([
            showService({ id: 'charger-api.service', description: 'Charger REST API', type: 'notify', execStart: API_EXEC, watchdogUSec: '30s', restart: 'no', activeState: 'failed', subState: 'failed', result: 'watchdog' }),
          ]),
        },
      },
      findings: [{ subject: 'charger-api.service', params: { first: null, resultAtCollection: true } }],
    },
  ],
});
