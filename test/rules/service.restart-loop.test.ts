import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, sd } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-restart-loop/rule.js';

const DESC = 'Charger OCPP client';
type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.restart-loop');

/** One crash-and-restart cycle as systemd 252 logs it with Restart=on-failure. */
function cycle(n: number, hms: string, restartHms: string): string[] {
  return [
    sd.mainExited('charger.service', at(hms), 'exited', '1/FAILURE'),
    sd.failed('charger.service', 'exit-code', at(hms)),
    sd.restartScheduled('charger.service', n, at(restartHms)),
    sd.stopped('charger.service', DESC, at(restartHms), 252, 'restart'),
    sd.starting('charger.service', DESC, at(restartHms)),
    sd.started('charger.service', DESC, at(restartHms)),
  ];
}

describe('service.restart-loop fires', () => {
  it('on three scheduled restarts of one unit in the window', async () => {
    const journal = jsonl([...cycle(1, '01:02:00', '01:02:05'), ...cycle(2, '01:04:00', '01:04:05'), ...cycle(3, '01:06:00', '01:06:05')]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'charger.service',
      params: {
        unit: 'charger.service',
        restarts: 3,
        maxCounter: 3,
        first: '2025-12-10T01:02:05+03:00',
        last: '2025-12-10T01:06:05+03:00',
        exitStatuses: ['exited/1/FAILURE'],
      },
    });
    expect(f!.evidence[0]).toEqual({
      source: 'commands/journal.jsonl',
      line: 3,
      time: '2025-12-10T01:02:05+03:00',
      text: 'charger.service: Scheduled restart job, restart counter is at 1.',
    });
    expect(f!.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([3, 9, 15, 1]));
  });

  it('reads the same lines from a syslog file (systemd[1]: …)', async () => {
    const syslog = [
      'Dec 10 01:02:05 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 1.',
      'Dec 10 01:02:05 charger-01 systemd[1]: Stopped Charger OCPP client.',
      'Dec 10 01:04:05 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 2.',
      'Dec 10 01:06:05 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 3.',
      'Dec 10 01:08:05 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 4.',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': syslog } });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ restarts: 4, maxCounter: 4 });
    expect(f.evidence[0]).toMatchObject({ source: 'files/var/log/syslog', line: 1, time: '2025-12-10T01:02:05+03:00' });
  });
});

describe('service.restart-loop stays quiet', () => {
  it('on two scheduled restarts', async () => {
    const journal = jsonl([...cycle(1, '01:02:00', '01:02:05'), ...cycle(2, '01:04:00', '01:04:05')]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });

  it('on three restarts spread over two units', async () => {
    const journal = jsonl([
      ...cycle(1, '01:02:00', '01:02:05'),
      ...cycle(2, '01:04:00', '01:04:05'),
      sd.restartScheduled('ngrok.service', 1, at('01:05:00')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });

  it('when the third restart is before the window', async () => {
    const journal = jsonl([...cycle(1, '00:58:00', '00:58:05'), ...cycle(2, '01:02:00', '01:02:05'), ...cycle(3, '01:04:00', '01:04:05')]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });

  it('on restarts an operator asked for (systemctl restart: no "Scheduled restart job")', async () => {
    const manual = (hms: string) => [
      sd.stopping('charger.service', DESC, at(hms)),
      sd.deactivated('charger.service', at(hms)),
      sd.stopped('charger.service', DESC, at(hms)),
      sd.starting('charger.service', DESC, at(hms)),
      sd.started('charger.service', DESC, at(hms)),
    ];
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([...manual('01:02:00'), ...manual('01:03:00'), ...manual('01:04:00')]) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts a journal line cut by a timeout as skipped, and the two whole restarts stay below the threshold', async () => {
    const lines = [...cycle(1, '01:02:00', '01:02:05'), ...cycle(2, '01:04:00', '01:04:05')];
    const third = sd.restartScheduled('charger.service', 3, at('01:06:05'));
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([...lines, third.slice(0, 200)]) } });
    expect(a.sources.find((s) => s.id === 'journal')).toMatchObject({ skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped when the bundle has no journal or syslog', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'service.restart-loop')?.reason).toMatch(/no journal or syslog/);
  });
});

ruleTester.run(rule, {
  valid: [{ name: 'two scheduled restarts', bundle: { files: { 'commands/journal.jsonl': jsonl([...cycle(1, '01:02:00', '01:02:05'), ...cycle(2, '01:04:00', '01:04:05')]) } } }],
  invalid: [
    {
      name: 'three scheduled restarts of one unit',
      bundle: { files: { 'commands/journal.jsonl': jsonl([...cycle(1, '01:02:00', '01:02:05'), ...cycle(2, '01:04:00', '01:04:05'), ...cycle(3, '01:06:00', '01:06:05')]) } },
      findings: [{ subject: 'charger.service', severity: 'warning', params: { unit: 'charger.service', restarts: 3 } }],
    },
  ],
});
