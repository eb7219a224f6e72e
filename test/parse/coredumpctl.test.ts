import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoredumpctl } from '../../src/parse/coredumpctl.js';

const FIX = join(import.meta.dirname, 'fixtures');
const SRC = 'commands/coredumpctl.txt';
const IST = { timezone: 'Europe/Istanbul' };

describe('parseCoredumpctl, systemd 252', () => {
  it('reads the table: corefile states, SIZE column dropped from EXE', () => {
    const res = parseCoredumpctl(readFileSync(join(FIX, 'coredumpctl-252.txt'), 'utf8'), SRC, IST);
    expect(res.skipped).toBe(0);
    expect(res.records).toEqual([
      {
        source: SRC,
        line: 2,
        epochMs: Date.parse('2025-12-10T01:11:20+03:00'),
        timeText: 'Wed 2025-12-10 01:11:20 +03',
        pid: 1290,
        uid: 1000,
        signal: 'SIGSEGV',
        corefile: 'present',
        exe: '/usr/bin/python3.11',
      },
      {
        source: SRC,
        line: 3,
        epochMs: Date.parse('2025-12-10T01:11:30+03:00'),
        timeText: 'Wed 2025-12-10 01:11:30 +03',
        pid: 1402,
        uid: 1000,
        signal: 'SIGABRT',
        corefile: 'journal',
        exe: '/home/basar/env/bin/python3.11',
      },
      {
        source: SRC,
        line: 4,
        epochMs: Date.parse('2025-12-10T01:11:40+03:00'),
        timeText: 'Wed 2025-12-10 01:11:40 +03',
        pid: 1500,
        uid: 0,
        signal: 'SIGBUS',
        corefile: 'missing',
        exe: '/opt/charger/bin/ocpp',
      },
    ]);
  });

  it('resolves a zone name with the device clock', () => {
    const res = parseCoredumpctl(readFileSync(join(FIX, 'coredumpctl-252-eet.txt'), 'utf8'), SRC, { timezone: 'Europe/Helsinki' });
    expect(res.records).toHaveLength(1);
    expect(res.records[0]).toMatchObject({ timeText: 'Wed 2025-12-10 00:11:21 EET', epochMs: Date.parse('2025-12-10T01:11:21+03:00'), exe: '/usr/bin/python3.11' });
  });
});

describe('parseCoredumpctl, older forms', () => {
  it('reads systemd 247 rows: numeric signal, no SIZE', () => {
    const text = [
      'TIME                            PID   UID   GID SIG COREFILE  EXE',
      'Wed 2025-12-10 01:11:20 +03    1290  1000  1000  11 present   /usr/bin/python3.9',
      'Wed 2025-12-10 01:11:40 +03    1500     0     0   6 none      /opt/charger/bin/ocpp agent',
    ].join('\n');
    const res = parseCoredumpctl(text, SRC, IST);
    expect(res.skipped).toBe(0);
    expect(res.records.map((r) => [r.line, r.pid, r.uid, r.signal, r.corefile, r.exe])).toEqual([
      [2, 1290, 1000, 'SIGSEGV', 'present', '/usr/bin/python3.9'],
      [3, 1500, 0, 'SIGABRT', 'none', '/opt/charger/bin/ocpp agent'],
    ]);
  });

  it('reads the PRESENT column of older releases', () => {
    const text = [
      'TIME                            PID   UID   GID SIG PRESENT EXE',
      'Wed 2025-12-10 01:11:20 +03    1290  1000  1000  11 *       /usr/bin/python3.5',
      'Wed 2025-12-10 01:11:40 +03    1500     0     0  11         /opt/charger/bin/ocpp',
    ].join('\n');
    const res = parseCoredumpctl(text, SRC, IST);
    expect(res.records.map((r) => [r.corefile, r.exe])).toEqual([
      ['present', '/usr/bin/python3.5'],
      [null, '/opt/charger/bin/ocpp'],
    ]);
  });
});

describe('parseCoredumpctl, nothing or bad input', () => {
  it('gives no records and no problem for "No coredumps found." or empty output', () => {
    expect(parseCoredumpctl('No coredumps found.\n', SRC, IST)).toEqual({ records: [], skipped: 0, problems: [] });
    expect(parseCoredumpctl('', SRC, IST)).toEqual({ records: [], skipped: 0, problems: [] });
  });

  it('counts rows it cannot read', () => {
    const text = [
      'TIME                         PID  UID  GID SIG     COREFILE EXE                 SIZE',
      'Wed 2025-12-10 01:11:20 +03 1290 1000 1000 SIGSEGV present  /usr/bin/python3.11 1.1M',
      'Wed 2025-12-10 01:11:30 +03 n/a',
      'Wed 2025-12-10 01:11:30 +03 1402 1000 1000 SIGABRT journal',
      'Wed 2025-12-10 01:1',
    ].join('\n');
    const res = parseCoredumpctl(text, SRC, IST);
    expect(res.records).toHaveLength(1);
    expect(res.skipped).toBe(3);
    expect(res.problems).toEqual([
      { line: 3, reason: 'row without PID and signal columns' },
      { line: 4, reason: 'row without EXE column' },
      { line: 5, reason: 'no timestamp at the start of the row' },
    ]);
  });
});
