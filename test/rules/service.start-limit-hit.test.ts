import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, lineOf, sd, showAll, showService } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-start-limit-hit/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.start-limit-hit');
const DESC = 'Charger OCPP client';
const EXEC = '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py';

/** Restart=always, RestartSec=100ms: five quick crashes, then systemd gives up (252 texts). */
function crashLoop(restarts: number, giveUp: boolean): string[] {
  const out: string[] = [];
  for (let n = 1; n <= restarts; n++) {
    const s = String(10 + n * 2).padStart(2, '0');
    out.push(
      sd.mainExited('charger.service', at(`01:11:${s}`), 'exited', '1/FAILURE'),
      sd.failed('charger.service', 'exit-code', at(`01:11:${s}`)),
      sd.restartScheduled('charger.service', n, at(`01:11:${s}`)),
      sd.stopped('charger.service', DESC, at(`01:11:${s}`), 252, 'restart'),
      sd.starting('charger.service', DESC, at(`01:11:${s}`)),
      sd.started('charger.service', DESC, at(`01:11:${s}`)),
    );
  }
  if (giveUp) {
    out.push(
      sd.mainExited('charger.service', at('01:11:30'), 'exited', '1/FAILURE'),
      sd.failed('charger.service', 'exit-code', at('01:11:30')),
      sd.restartScheduled('charger.service', restarts + 1, at('01:11:30')),
      sd.stopped('charger.service', DESC, at('01:11:30'), 252, 'restart'),
      sd.startLimitHit('charger.service', at('01:11:30')),
      sd.failed('charger.service', 'start-limit-hit', at('01:11:30')),
      sd.failedToStart('charger.service', DESC, at('01:11:30')),
    );
  }
  return out;
}

describe('service.start-limit-hit fires', () => {
  it('on "Start request repeated too quickly." and UNIT_RESULT=start-limit-hit in the journal', async () => {
    const lines = crashLoop(4, true);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(lines) } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    const limitLine = lines.length - 2;
    expect(f).toMatchObject({ severity: 'critical', subject: 'charger.service', params: { unit: 'charger.service', at: '2025-12-10T01:11:30+03:00' } });
    expect(f!.evidence).toEqual([
      { source: 'commands/journal.jsonl', line: limitLine, time: '2025-12-10T01:11:30+03:00', text: 'charger.service: Start request repeated too quickly.' },
      { source: 'commands/journal.jsonl', line: limitLine + 1, time: '2025-12-10T01:11:30+03:00', text: "charger.service: Failed with result 'start-limit-hit'." },
    ]);
    // The same give-up is also a failure and a restart loop; each rule says its part.
    expect(a.findings.map((x) => x.rule)).toEqual(expect.arrayContaining(['service.failed', 'service.restart-loop']));
  });

  it('on the systemd 247 syslog form', async () => {
    const syslog = [
      'Dec 10 01:11:30 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 5.',
      'Dec 10 01:11:30 charger-01 systemd[1]: Stopped Charger OCPP client.',
      'Dec 10 01:11:30 charger-01 systemd[1]: charger.service: Start request repeated too quickly.',
      "Dec 10 01:11:30 charger-01 systemd[1]: charger.service: Failed with result 'start-limit-hit'.",
      'Dec 10 01:11:30 charger-01 systemd[1]: Failed to start Charger OCPP client.',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/syslog': syslog } });
    const f = findings(a)[0]!;
    expect(f.subject).toBe('charger.service');
    expect(f.evidence.map((e) => [e.source, e.line, e.time])).toEqual([
      ['files/var/log/syslog', 3, '2025-12-10T01:11:30+03:00'],
      ['files/var/log/syslog', 4, '2025-12-10T01:11:30+03:00'],
    ]);
  });

  it('on Result=start-limit-hit in systemctl show, with the unit\'s start limits', async () => {
    const show = showAll([
      showService({ id: 'charger.service', description: DESC, execStart: EXEC, activeState: 'failed', subState: 'failed', result: 'start-limit-hit', nRestarts: 5, startLimitBurst: 5, startLimitIntervalUSec: '10s' }),
    ]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': show } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger.service', params: { at: null, startLimitBurst: 5, startLimitIntervalSec: 10, activeState: 'failed' } });
    expect(f.evidence).toEqual([{ source: 'commands/systemctl-show.txt', line: lineOf(show, 'Result='), time: '2025-12-10T01:15:00+03:00', text: 'Result=start-limit-hit' }]);
  });
});

describe('service.start-limit-hit stays quiet', () => {
  it('on four quick restarts that stay under the limit', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(crashLoop(4, false)) } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('service.start-limit-hit');
  });

  it('on Result=exit-code in systemctl show', async () => {
    const show = showAll([showService({ id: 'charger.service', description: DESC, execStart: EXEC, activeState: 'failed', subState: 'failed', result: 'exit-code' })]);
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': show } });
    expect(findings(a)).toEqual([]);
  });

  it('on a give-up before the window', async () => {
    const lines = [sd.startLimitHit('charger.service', at('00:40:00')), sd.failed('charger.service', 'start-limit-hit', at('00:40:00'))];
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(lines) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts a show block without Id= as skipped (it cannot say which unit)', async () => {
    const block = showService({ id: 'charger.service', description: DESC, execStart: EXEC, result: 'start-limit-hit', activeState: 'failed' }).replace(/^Id=.*\n/m, '');
    const a = await analyzeSpec({ files: { 'commands/systemctl-show.txt': showAll([block]) } });
    expect(a.sources.find((s) => s.id === 'unit-props')).toMatchObject({ records: 0, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });
});

ruleTester.run(rule, {
  valid: [{ name: 'four quick restarts under the limit', bundle: { files: { 'commands/journal.jsonl': jsonl(crashLoop(4, false)) } } }],
  invalid: [
    {
      name: 'the give-up in the journal',
      bundle: { files: { 'commands/journal.jsonl': jsonl(crashLoop(4, true)) } },
      findings: [{ subject: 'charger.service', severity: 'critical', params: { unit: 'charger.service', at: '2025-12-10T01:11:30+03:00' } }],
    },
    {
      name: 'Result=start-limit-hit in systemctl show',
      bundle: { files: { 'commands/systemctl-show.txt': showAll([showService({ id: 'charger.service', description: DESC, execStart: EXEC, activeState: 'failed', subState: 'failed', result: 'start-limit-hit' })]) } },
      findings: [{ subject: 'charger.service' }],
    },
  ],
});
