import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, lineOf, listUnits, sd, showAll, showService } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-failed/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.failed');
const DESC = 'Charger OCPP client';
const EXEC = '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py';

describe('service.failed fires', () => {
  it('on systemd 252 journal lines: Main process exited, Failed with result (UNIT_RESULT)', async () => {
    const journal = jsonl([
      sd.mainExited('charger.service', at('01:10:02'), 'exited', '1/FAILURE'),
      sd.failed('charger.service', 'exit-code', at('01:10:02')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subject: 'charger.service',
      params: { unit: 'charger.service', failures: 1, results: ['exit-code'], failedAtCollection: false, first: '2025-12-10T01:10:02+03:00', last: '2025-12-10T01:10:02+03:00' },
      title: 'charger.service failed once in the window',
    });
    expect(f!.evidence).toEqual([{ source: 'commands/journal.jsonl', line: 2, time: '2025-12-10T01:10:02+03:00', text: "charger.service: Failed with result 'exit-code'." }]);
  });

  it('on the systemd 247 job text "Failed to start <Description>." (unit from UNIT=)', async () => {
    const journal = jsonl([sd.failedToStart('charger.service', DESC, at('01:10:05'), 247)]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)[0]).toMatchObject({ subject: 'charger.service', params: { results: ['failed'], failures: 0 } });
    expect(findings(a)[0]!.evidence).toEqual([{ source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:10:05+03:00', text: 'Failed to start Charger OCPP client.' }]);
  });

  it('on the 252 syslog form "systemd[1]: Failed to start <unit> - <Description>."', async () => {
    const syslog = [
      'Dec 10 01:10:02 charger-01 systemd[1]: charger.service: Main process exited, code=exited, status=1/FAILURE',
      "Dec 10 01:10:02 charger-01 systemd[1]: charger.service: Failed with result 'exit-code'.",
      'Dec 10 01:10:05 charger-01 systemd[1]: Failed to start charger.service - Charger OCPP client.',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': syslog } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', params: { failures: 1, results: ['exit-code', 'failed'] } });
    expect(f.evidence.map((e) => [e.source, e.line, e.time])).toEqual([
      ['files/var/log/syslog', 2, '2025-12-10T01:10:02+03:00'],
      ['files/var/log/syslog', 3, '2025-12-10T01:10:05+03:00'],
    ]);
  });

  it('on failed state at collection in list-units, quoting the row', async () => {
    const units = listUnits([
      ['charger.service', 'loaded', 'failed', 'failed', DESC],
      ['cron.service', 'loaded', 'active', 'running', 'Regular background program processing daemon'],
      ['ssh.service', 'loaded', 'active', 'running', 'OpenBSD Secure Shell server'],
    ]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-list-units.txt': units } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', params: { failedAtCollection: true, failures: 0, results: [] }, title: 'charger.service failed and is in failed state at collection' });
    expect(f.evidence).toEqual([{ source: 'commands/systemctl-list-units.txt', line: 2, time: '2025-12-10T01:15:00+03:00', text: `charger.service loaded failed failed ${DESC}` }]);
  });

  it('on ActiveState=failed in systemctl show, with its Result=', async () => {
    const show = showAll([showService({ id: 'charger.service', description: DESC, execStart: EXEC, activeState: 'failed', subState: 'failed', result: 'exit-code' })]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': show } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', params: { failedAtCollection: true, results: ['exit-code'] }, title: 'charger.service failed and is in failed state at collection' });
    expect(f.evidence).toEqual([{ source: 'commands/systemctl-show.txt', line: lineOf(show, 'ActiveState='), time: '2025-12-10T01:15:00+03:00', text: 'ActiveState=failed' }]);
  });
});

describe('service.failed stays quiet', () => {
  it('for a clean stop (Deactivated successfully / Succeeded.)', async () => {
    const journal = jsonl([
      sd.stopping('charger.service', DESC, at('01:05:00')),
      sd.deactivated('charger.service', at('01:05:01')),
      sd.stopped('charger.service', DESC, at('01:05:01')),
      sd.deactivated('ngrok.service', at('01:06:00'), 247),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('service.failed');
  });

  it('for a unit that failed before the window and is active again', async () => {
    const journal = jsonl([sd.failed('charger.service', 'exit-code', at('00:50:00')), sd.started('charger.service', DESC, at('00:50:06'))]);
    const show = showAll([showService({ id: 'charger.service', description: DESC, execStart: EXEC, mainPid: 1290 })]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal, 'commands/systemctl-show.txt': show } });
    expect(findings(a)).toEqual([]);
  });

  it('does not guess the unit of a 247 syslog "Failed to start <Description>." line', async () => {
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': 'Dec 10 01:10:05 charger-01 systemd[1]: Failed to start Charger OCPP client.\n' } });
    expect(findings(a)).toEqual([]);
  });

  it('counts a list-units row cut short as skipped', async () => {
    const units = listUnits([['cron.service', 'loaded', 'active', 'running', 'Regular background program processing daemon']]).replace('cron.service loaded active running', 'charger.service loaded\ncron.service loaded active running');
    const a = await analyzeSpec({ files: { 'commands/systemctl-list-units.txt': units } });
    expect(a.sources.find((s) => s.id === 'units')).toMatchObject({ skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped without journal, syslog or unit state', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'service.failed')?.reason).toMatch(/journal/);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a clean stop',
      bundle: { files: { 'commands/journal.jsonl': jsonl([sd.stopping('charger.service', DESC, at('01:05:00')), sd.deactivated('charger.service', at('01:05:01')), sd.stopped('charger.service', DESC, at('01:05:01'))]) } },
    },
  ],
  invalid: [
    {
      name: 'Failed with result in the journal',
      bundle: { files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger.service', at('01:10:02'), 'exited', '1/FAILURE'), sd.failed('charger.service', 'exit-code', at('01:10:02'))]) } },
      findings: [{ subject: 'charger.service', severity: 'critical', params: { failures: 1, results: ['exit-code'], failedAtCollection: false } }],
    },
    {
      name: 'failed at collection, without a journal line (no first/last)',
      bundle: { files: { 'commands/systemctl-show.txt': showAll([showService({ id: 'charger.service', description: DESC, execStart: EXEC, activeState: 'failed', subState: 'failed', result: 'exit-code' })]) } },
      findings: [{ subject: 'charger.service', params: { failedAtCollection: true } }],
    },
  ],
});
