import { describe, it, expect } from 'vitest';
import { parseProcInfo } from '../../src/parse/procinfo.js';

// As the collector writes it (JSON.stringify(..., null, 2)).
const collected = `{
  "processes": [
    {
      "pid": 165162,
      "exe": "/usr/bin/python3.11",
      "cwd": "/home/basar/charger",
      "stdout": "/home/basar/charger/nohup.out",
      "stderr": "/home/basar/charger/nohup.out"
    },
    {
      "pid": 1022,
      "exe": null,
      "cwd": null,
      "stdout": null,
      "stderr": null,
      "error": "permission denied"
    },
    { "pid": 901, "exe": "/usr/bin/python3.11", "cwd": "/home/basar/charger", "stdout": "socket:[23456]", "stderr": "socket:[23456]", "uid": 1000 }
  ]
}
`;

describe('parseProcInfo', () => {
  it('reads each process with the line where its object starts', () => {
    const r = parseProcInfo(collected, 'commands/procinfo.json');
    expect(r.skipped).toBe(0);
    expect(r.records).toEqual([
      { source: 'commands/procinfo.json', line: 3, pid: 165162, exe: '/usr/bin/python3.11', cwd: '/home/basar/charger', stdout: '/home/basar/charger/nohup.out', stderr: '/home/basar/charger/nohup.out', error: null },
      { source: 'commands/procinfo.json', line: 10, pid: 1022, exe: null, cwd: null, stdout: null, stderr: null, error: 'permission denied' },
      { source: 'commands/procinfo.json', line: 18, pid: 901, exe: '/usr/bin/python3.11', cwd: '/home/basar/charger', stdout: 'socket:[23456]', stderr: 'socket:[23456]', error: null },
    ]);
  });

  it('accepts a bare array and missing fields', () => {
    const text = '[\n  {"pid": 7, "cwd": "/srv"},\n  {"pid": "8"}\n]\n';
    const r = parseProcInfo(text, 'p.json');
    expect(r.records.map((p) => [p.pid, p.cwd, p.exe, p.line])).toEqual([
      [7, '/srv', null, 2],
      [8, null, null, 3],
    ]);
  });

  it('skips invalid entries with their line, keeps the valid ones', () => {
    const text = `{
  "host": {"name": "charger-01", "list": [{"pid": 99}]},
  "processes": [
    {"pid": -1, "exe": "/bin/x"},
    {"exe": "/bin/no-pid"},
    42,
    {"pid": 5, "exe": 17},
    {"pid": 6, "exe": "/bin/ok"}
  ]
}`;
    const r = parseProcInfo(text, 'p.json');
    expect(r.records.map((p) => [p.pid, p.line])).toEqual([[6, 8]]);
    expect(r.skipped).toBe(4);
    expect(r.problems.map((p) => p.line)).toEqual([4, 5, 6, 7]);
    expect(r.problems[1]!.reason).toContain('pid');
  });

  it('counts truncated JSON as one unreadable document', () => {
    const r = parseProcInfo(collected.slice(0, 200), 'p.json');
    expect(r.records).toEqual([]);
    expect(r.skipped).toBe(1);
    expect(r.problems[0]!.reason).toMatch(/not valid JSON/);
  });

  it('rejects a document of the wrong shape, accepts empty input', () => {
    expect(parseProcInfo('{"procs": []}', 'p.json').skipped).toBe(1);
    expect(parseProcInfo('', 'p.json')).toEqual({ records: [], skipped: 0, problems: [] });
  });
});
