import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { appEntry, at, jsonl } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/log-errors/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'log.errors');

const CHARGER = { unit: 'charger.service', identifier: 'python3', pid: 901 };
const API = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 1877 };
const TESTS = { unit: 'charger-selftest.service', identifier: 'pytest', pid: 3310, comm: 'python3' };

const WS_LOST = 'ocpp.charge_point: websocket connection lost: code = 1006 (connection closed abnormally [internal]), no reason';
const BOOT_REJECTED = 'ocpp.charge_point: BootNotification rejected by central system, retrying in 30s';

describe('log.errors fires (info)', () => {
  it('grouping error-priority journal lines by unit, with counts, first and last', async () => {
    const journal = jsonl([
      appEntry(CHARGER, 'ocpp.charge_point: heartbeat sent', at('01:01:00'), 6),
      appEntry(CHARGER, WS_LOST, at('01:10:02'), 3),
      appEntry(CHARGER, 'ocpp.charge_point: reconnecting in 5s', at('01:10:02'), 4),
      appEntry(API, 'ERROR:    Exception in ASGI application', at('01:10:03'), 3),
      appEntry(CHARGER, BOOT_REJECTED, at('01:10:40'), 3),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a).map((f) => [f.subject, f.severity, f.params.count, f.noise])).toEqual([
      ['charger-api.service', 'info', 1, false],
      ['charger.service', 'info', 2, false],
    ]);
    const charger = findings(a).find((f) => f.subject === 'charger.service')!;
    expect(charger.params).toMatchObject({ source: 'commands/journal.jsonl', noise: 0, undated: 0, first: '2025-12-10T01:10:02+03:00', last: '2025-12-10T01:10:40+03:00' });
    expect(charger.evidence).toEqual([
      { source: 'commands/journal.jsonl', line: 2, time: '2025-12-10T01:10:02+03:00', text: WS_LOST },
      { source: 'commands/journal.jsonl', line: 5, time: '2025-12-10T01:10:40+03:00', text: BOOT_REJECTED },
    ]);
    expect(a.recurrence.because).not.toContain('log.errors');
  });

  it('marking lines from tests and mocks as noise, per group and per line', async () => {
    const journal = jsonl([
      appEntry(TESTS, 'FAILED tests/test_ocpp.py::test_boot_notification - AssertionError: expected call not found.', at('01:05:00'), 3),
      appEntry(TESTS, "ERROR    ocpp.charge_point: <MagicMock name='ws.recv()' id='281473'> is not a valid OCPP frame", at('01:05:01'), 3),
      appEntry(CHARGER, WS_LOST, at('01:10:02'), 3),
      appEntry(CHARGER, 'ocpp.charge_point: send failed on mock_csms transport (charger started with --mock-csms)', at('01:10:03'), 3),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const tests = findings(a).find((f) => f.subject === 'charger-selftest.service')!;
    expect(tests.noise).toBe(true);
    expect(tests.params).toMatchObject({ count: 2, noise: 2 });
    expect(tests.params.noiseReasons).toEqual(expect.arrayContaining([expect.stringMatching(/^test (function|runner)/), expect.stringMatching(/^mock/)]));
    expect(tests.title).toContain('all test/mock noise');
    const charger = findings(a).find((f) => f.subject === 'charger.service')!;
    expect(charger.noise).toBe(false);
    expect(charger.params).toMatchObject({ count: 2, noise: 1 });
  });

  it('for an app log file, counting lines without a timestamp as undated', async () => {
    const log = [
      'INFO:     Started server process [1877]',
      'INFO:     Application startup complete.',
      'ERROR:    Exception in ASGI application',
      'Traceback (most recent call last):',
      '  File "/home/basar/env/lib/python3.11/site-packages/uvicorn/protocols/http/httptools_impl.py", line 426, in run_asgi',
      'sqlite3.OperationalError: database is locked',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/home/basar/charger/uvicorn.log': log } });
    const [f] = findings(a);
    // The traceback lines belong to the ERROR line above them.
    expect(f).toMatchObject({ subject: 'files/home/basar/charger/uvicorn.log', params: { count: 4, undated: 4, first: null, last: null } });
    expect(f!.evidence[0]).toEqual({ source: 'files/home/basar/charger/uvicorn.log', line: 3, time: null, text: 'ERROR:    Exception in ASGI application' });
  });
});

describe('log.errors stays quiet', () => {
  it('for warnings (priority 4) and notices', async () => {
    const journal = jsonl([
      appEntry(CHARGER, 'ocpp.charge_point: reconnecting in 5s', at('01:10:02'), 4),
      appEntry(CHARGER, 'ocpp.charge_point: meter value queue at 80%', at('01:10:03'), 5),
      appEntry(CHARGER, 'ocpp.charge_point: error counter reset', at('01:10:04'), 6),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('log.errors');
  });

  it('for errors outside the window', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([appEntry(CHARGER, WS_LOST, at('00:59:59'), 3), appEntry(CHARGER, WS_LOST, at('01:15:01'), 3)]) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts a journal line that is not JSON as skipped', async () => {
    const journal = jsonl([appEntry(CHARGER, WS_LOST, at('01:10:02'), 3), '-- No entries --']);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(a.sources.find((s) => s.id === 'journal')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a).map((f) => f.params.count)).toEqual([1]);
  });

  it('is skipped, with the reason, without any log', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'log.errors')?.reason).toMatch(/no journal, syslog or application log/);
  });
});

describe('log.errors past the grouping limit', () => {
  // One error line from each of n units (a fleet image whose every service logs one failure).
  const manyUnits = (n: number): string =>
    jsonl(
      Array.from({ length: n }, (_, i) =>
        appEntry({ unit: `worker-${String(i).padStart(4, '0')}.service`, identifier: 'python3', pid: 2000 + i }, `worker ${i}: ERROR cannot open /dev/ttyUSB${i}`, at('01:10:00'), 3),
      ),
    );

  it('counts the sources past the first 200 in one finding that quotes their lines, in both languages', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': manyUnits(205) } });
    const all = findings(a);
    expect(all).toHaveLength(201);
    const left = all.find((f) => f.params.leftOutSources !== undefined)!;
    expect(left.subject).toBe('5 more sources');
    expect(left.params).toMatchObject({ count: 5, leftOutSources: 5, sourcesAtLeast: false, groupLimit: 200 });
    expect(left.evidence.length).toBe(5);
    expect(left.evidence[0]!.text).toMatch(/^worker \d+: ERROR cannot open/);
    const { renderReport } = await import('../../src/report/index.js');
    const json = renderReport(a, { format: 'json', lang: 'en' });
    expect(json).toContain('5 more error lines from 5 more sources (only the first 200 sources are grouped one by one)');
    expect(renderReport(a, { format: 'md', lang: 'tr', maxChars: 1_000_000 })).toContain('5 kaynaktan daha 5 hata satırı (yalnızca ilk 200 kaynak tek tek gruplanır)');
  });

  it('says nothing more when every source has its own finding', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': manyUnits(200) } });
    expect(findings(a)).toHaveLength(200);
    expect(findings(a).some((f) => f.params.leftOutSources !== undefined)).toBe(false);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'warnings and notices only',
      bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry(CHARGER, 'ocpp.charge_point: reconnecting in 5s', at('01:10:02'), 4), appEntry(CHARGER, 'ocpp.charge_point: error counter reset', at('01:10:04'), 6)]) } },
    },
  ],
  invalid: [
    {
      name: 'error lines grouped by unit',
      bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry(CHARGER, WS_LOST, at('01:10:02'), 3), appEntry(API, 'ERROR:    Exception in ASGI application', at('01:10:03'), 3), appEntry(CHARGER, BOOT_REJECTED, at('01:10:40'), 3)]) } },
      findings: [
        { subject: 'charger.service', severity: 'info', params: { count: 2, noise: 0 } },
        { subject: 'charger-api.service', params: { count: 1 } },
      ],
    },
    {
      name: 'test and mock noise',
      bundle: {
        files: {
          'commands/journal.jsonl': jsonl([
            appEntry(TESTS, 'FAILED tests/test_ocpp.py::test_boot_notification - AssertionError: expected call not found.', at('01:05:00'), 3),
            appEntry(CHARGER, WS_LOST, at('01:10:02'), 3),
            appEntry(CHARGER, 'ocpp.charge_point: send failed on mock_csms transport (charger started with --mock-csms)', at('01:10:03'), 3),
          ]),
        },
      },
      findings: [
        { subject: 'charger-selftest.service', params: { count: 1, noise: 1 } },
        { subject: 'charger.service', params: { count: 2, noise: 1 } },
      ],
    },
  ],
});
