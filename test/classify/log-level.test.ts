import { describe, it, expect } from 'vitest';
import { isErrorRecord, noiseReason } from '../../src/classify/log-level.js';
import { findLevel } from '../../src/parse/level-words.js';
import type { LogRecord } from '../../src/parse/types.js';

const r = (text: string, priority?: number): LogRecord => ({
  source: 'files/home/basar/nohup.out',
  line: 1,
  epochMs: null,
  text,
  ...(priority !== undefined ? { priority } : {}),
});

describe('isErrorRecord', () => {
  it('trusts a known priority', () => {
    expect(isErrorRecord(r('anything', 3))).toBe(true);
    expect(isErrorRecord(r('anything', 0))).toBe(true);
    expect(isErrorRecord(r('ERROR: looks bad but journald says notice', 5))).toBe(false);
  });

  it('reads level marks when no priority is known', () => {
    expect(isErrorRecord(r('ERROR:    Exception in ASGI application'))).toBe(true);
    expect(isErrorRecord(r('2025-12-10 01:09:58,412 ERROR api.main: OCPP websocket closed'))).toBe(true);
    expect(isErrorRecord(r('2025-12-10 01:09:58,412 - api.main - CRITICAL - giving up'))).toBe(true);
    expect(isErrorRecord(r('2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused)'))).toBe(true);
    expect(isErrorRecord(r('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)'))).toBe(true);
    expect(isErrorRecord(r('t=2025-12-10T01:10:02+0300 lvl=eror msg="session closed" err="EOF"'))).toBe(true);
    expect(isErrorRecord(r('t=2025-12-10T01:10:03+0300 lvl=crit msg="command failed"'))).toBe(true);
    expect(isErrorRecord(r('EROR[12-10|01:10:02] failed to reconnect session   obj=csess'))).toBe(true);
    expect(isErrorRecord(r('Traceback (most recent call last):'))).toBe(true);
    expect(isErrorRecord(r('[2025-12-10 01:10:00 +0300] [1234] [ERROR] Connection in use: (\'0.0.0.0\', 8000)'))).toBe(true);
  });

  it("reads the line's own level on a service's stdout, where journald's priority is only SyslogLevel=", () => {
    const out = (text: string, priority: number): LogRecord => ({ ...r(text, priority), source: 'commands/journal.jsonl', fields: { _TRANSPORT: 'stdout' } });
    expect(isErrorRecord(out('ERROR:ocpp.client:Connection lost', 6))).toBe(true);
    expect(isErrorRecord(out('Traceback (most recent call last):', 6))).toBe(true);
    expect(isErrorRecord(out('t=2025-12-10T01:10:02+0300 lvl=eror msg="session closed" err="EOF"', 6))).toBe(true);
    expect(isErrorRecord(out('CRITICAL:ocpp.client:meter board not answering', 4))).toBe(true);
    expect(isErrorRecord(out('INFO:ocpp.client:retry after an error', 6))).toBe(false);
    expect(isErrorRecord(out('WARNING:ocpp.client:slow', 6))).toBe(false);
    // A stated error priority still wins (SyslogLevelPrefix: "<3>" at the line's start).
    expect(isErrorRecord(out('meter frame lost', 3))).toBe(true);
    // Lines sent through the journal API or syslog carry their own priority: it is trusted.
    expect(isErrorRecord({ ...r('ERROR: said in text only', 6), fields: { _TRANSPORT: 'journal' } })).toBe(false);
  });

  it('is not fooled by the word error inside a message or by warnings', () => {
    expect(isErrorRecord(r('t=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" err="dial tcp 127.0.0.1:8000: connect: connection refused"'))).toBe(false);
    expect(isErrorRecord(r('WARNING:  Invalid HTTP request received.'))).toBe(false);
    expect(isErrorRecord(r('2025-12-10 01:10:00,001 charger.meter: reading register 12 of 40, no ERROR bit set in the status word'))).toBe(false);
    expect(isErrorRecord(r('INFO:     127.0.0.1:43130 - "GET /api/error HTTP/1.1" 200 OK'))).toBe(false);
    expect(isErrorRecord(r('192.0.2.10 - - [10/Dec/2025:01:10:05 +0300] "GET /ERROR HTTP/1.1" 404 0 "-" "-"'))).toBe(false);
    expect(isErrorRecord(r('t=2025-12-10T01:10:00+0300 lvl=info msg="x" code=ERR_NGROK_8012'))).toBe(false);
  });
});

describe('findLevel', () => {
  it('looks at the first five tokens only, however long the text after them', () => {
    const tail = '\n  File "/opt/charger/api/main.py", line 88, in send\n    raise ERROR_STATE'.repeat(200);
    expect(findLevel(`- api.main - x ERROR${tail}`)).toEqual({ word: 'ERROR', priority: 3 });
    expect(findLevel(`- api.main - x y ERROR${tail}`)).toBeNull();
    expect(findLevel(`  \t api.main\u00a0-\u2003WARNING - slow${tail}`)).toEqual({ word: 'WARNING', priority: 4 });
    // level= is looked for anywhere.
    expect(findLevel(`one two three four five six level=crit${tail}`)).toEqual({ word: 'crit', priority: 2 });
  });

  it('reads a text of fewer tokens, with or without whitespace after them', () => {
    expect(findLevel('CRITICAL')).toEqual({ word: 'CRITICAL', priority: 2 });
    expect(findLevel('api ERROR \n')).toEqual({ word: 'ERROR', priority: 3 });
    expect(findLevel('api [warn]   ')).toEqual({ word: 'warn', priority: 4 });
    expect(findLevel('   ')).toBeNull();
    expect(findLevel('')).toBeNull();
  });
});

describe('noiseReason', () => {
  it('marks mocks', () => {
    expect(noiseReason(r("ERROR api.main: <MagicMock name='ws.send()' id='140234'> is not JSON serializable"))).toBe('mock: MagicMock');
    expect(noiseReason(r('  File "/usr/lib/python3.11/unittest/mock.py", line 1124, in __call__'))).toBe('mock: unittest/mock');
    expect(noiseReason(r('ERROR: mock central system closed the socket'))).toBe('mock: mock');
    expect(noiseReason(r('ERROR: mock_charge_point.send_boot_notification raised'))).toMatch(/^mock: mock_charge_point/);
    expect(noiseReason(r('AttributeError: Mock object has no attribute "meter"'))).toBe('mock: Mock');
    expect(noiseReason(r('ERROR: patched with unittest.mock.patch("ocpp.v16")'))).toBe('mock: unittest.mock');
  });

  it('marks test runners, test files and test functions', () => {
    expect(noiseReason(r('  File "/home/basar/env/lib/python3.11/site-packages/_pytest/python.py", line 194, in pytest_pyfunc_call'))).toBe('test runner: _pytest');
    expect(noiseReason(r('ERROR tests/test_api.py::test_status_when_ocpp_down - RuntimeError: OCPP client not connected'))).toBe('test function: test_api');
    expect(noiseReason(r('  File "/home/basar/charger/tests/conftest.py", line 12, in client'))).toBe('test file: conftest.py');
    expect(noiseReason(r('FAIL  src/api.test.ts > status > vitest run failed'))).toBe('test runner: vitest');
    expect(noiseReason(r('Ran 3 tests in 0.002s (unittest)'))).toBe('test runner: unittest');
  });

  it('does not swallow real errors that merely contain those letters', () => {
    for (const text of [
      'ERROR: firmware is not the latest (1.4.2), update failed',
      'ERROR: contest of connector lock timed out',
      'ERROR: TPM attestation failed: bad quote',
      'ERROR: hammock.local unreachable',
      'ERROR:    Exception in ASGI application',
      'CRITICAL charger.meter: self-test failed on connector 1',
      'ERROR: protest_mode not supported',
      'ERROR: mockup screen missing',
    ]) {
      expect([text, noiseReason(r(text))]).toEqual([text, null]);
    }
  });
});
