import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parsePs, programName, cgroupPathsOf } from '../../src/parse/ps.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const istanbul = { timezone: 'Europe/Istanbul' };

describe('parsePs: canonical ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args', () => {
  // Laid out exactly as procps-ng 4.0.2 pads these columns (checked against a real capture).
  const r = parsePs(fixture('ps-eo-charger.txt'), 'commands/ps.txt', istanbul);
  const byPid = new Map(r.records.map((p) => [p.pid, p]));

  it('reads every row with its 1-based line', () => {
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(14);
    expect(byPid.get(1)!.line).toBe(2);
    expect(byPid.get(165162)!.line).toBe(11);
  });

  it('reads the numeric columns and lstart in device local time', () => {
    const api = byPid.get(165162)!;
    expect(api).toMatchObject({ ppid: 2311, user: 'basar', etimes: 55028, rssKiB: 61440, pcpu: 0.4, source: 'commands/ps.txt' });
    expect(api.startText).toBe('Tue Dec  9 09:41:02 2025');
    expect(new Date(api.startEpochMs!).toISOString()).toBe('2025-12-09T06:41:02.000Z');
    const charger = byPid.get(901)!;
    expect(new Date(charger.startEpochMs!).toISOString()).toBe('2025-12-09T22:12:05.000Z');
  });

  it('keeps the full command line and names the program behind the interpreter', () => {
    const api = byPid.get(165162)!;
    expect(api.args).toBe('/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000');
    expect(api.program).toBe('uvicorn');
    expect(byPid.get(901)!.program).toBe('main.py');
    expect(byPid.get(1022)!.program).toBe('nginx');
    expect(byPid.get(3012)!.program).toBe('server.js');
    expect(byPid.get(4100)!.program).toBe('http.server');
    expect(byPid.get(2311)!.program).toBe('bash');
  });

  it('reads cgroup paths: unified, "-", hybrid with comma-joined controllers', () => {
    expect(byPid.get(901)!.cgroupPaths).toEqual(['/system.slice/charger.service']);
    expect(byPid.get(165162)!.cgroupPaths).toEqual(['/user.slice/user-1000.slice/session-3.scope']);
    expect(byPid.get(3012)!.cgroupPaths).toEqual(['/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service']);
    expect(byPid.get(2)!.cgroupRaw).toBe('-');
    expect(byPid.get(2)!.cgroupPaths).toEqual(['/']);
    const ngrok = byPid.get(1200)!;
    expect(ngrok.cgroupRaw).toContain('6:cpu,cpuacct:/system.slice/ngrok.service');
    expect(ngrok.cgroupPaths).toEqual(['/system.slice/ngrok.service']);
  });

  it('tells kernel threads from zombies', () => {
    expect(byPid.get(2)!.kernelThread).toBe(true);
    expect(byPid.get(412)!.kernelThread).toBe(true);
    expect(byPid.get(412)!.program).toBe('kworker/0:1-events');
    expect(byPid.get(4500)!.kernelThread).toBe(false);
    expect(byPid.get(4500)!.program).toBe('python3');
    expect(byPid.get(901)!.kernelThread).toBe(false);
  });
});

describe('parsePs: real capture from a container without systemd', () => {
  const r = parsePs(fixture('ps-eo-real-container.txt'), 'commands/ps.txt', { utcOffset: '+00:00' });

  it('reads all rows; non-systemd v1 controllers leave the unified path at /', () => {
    expect(r.skipped).toBe(0);
    expect(r.records.map((p) => p.pid)).toEqual([1, 2, 3, 44, 5345, 5594, 5596, 5598]);
    const uv = r.records.find((p) => p.pid === 5594)!;
    expect(uv.cgroupRaw).toBe('4:memory:/process_api/79416d4423a3f208471a4543dc1b397b');
    expect(uv.cgroupPaths).toEqual(['/']);
    expect(uv.program).toBe('uvicorn');
    expect(r.records.find((p) => p.pid === 5596)!.program).toBe('http.server');
    expect(r.records.find((p) => p.pid === 5598)!.program).toBe('sleep');
    expect(new Date(uv.startEpochMs!).toISOString()).toBe('2026-11-26T07:12:20.000Z');
  });
});

describe('parsePs: ps auxww', () => {
  const text = [
    'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
    'root           1  0.0  0.2 168644 11872 ?        Ss   Dec09   0:04 /sbin/init splash',
    'root           2  0.0  0.0      0     0 ?        S    Dec09   0:00 [kthreadd]',
    'basar     165162  0.4  1.5 120412 61440 pts/0    Sl   09:41   3:51 /home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000',
    'systemd+     412  0.0  0.1  90040  6120 ?        Ssl  Dec09   0:01 /lib/systemd/systemd-timesyncd',
  ].join('\n');
  const r = parsePs(text, 'commands/ps.txt', istanbul);

  it('reads the aux columns; cgroups and start dates are unknown', () => {
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(4);
    const api = r.records[2]!;
    expect(api).toMatchObject({ pid: 165162, ppid: null, user: 'basar', rssKiB: 61440, pcpu: 0.4, cgroupRaw: null, cgroupPaths: [], startEpochMs: null, etimes: null, program: 'uvicorn', line: 4 });
    expect(r.records[1]!.kernelThread).toBe(true);
    expect(r.records[3]!.user).toBe('systemd+');
  });
});

describe('parsePs: damaged input', () => {
  it('counts truncated and garbled rows and keeps the good ones', () => {
    const lines = fixture('ps-eo-charger.txt').split('\n');
    const text = [
      lines[0],
      lines[1],
      lines[5]!.slice(0, 40), // cut inside lstart
      'garbage line from a broken paste',
      '  999     1 root                             Xyz Dec 10 01:12:05 2025     175 48212  2.1 - /bin/x',
      lines[6],
    ].join('\n');
    const r = parsePs(text, 'commands/ps.txt', istanbul);
    expect(r.records.map((p) => p.pid)).toEqual([1, 1022]);
    expect(r.skipped).toBe(3);
    expect(r.problems.map((p) => p.line)).toEqual([3, 4, 5]);
  });

  it('returns nothing for empty input without throwing', () => {
    expect(parsePs('', 'x', istanbul)).toEqual({ records: [], skipped: 0, problems: [] });
  });
});

describe('programName and cgroupPathsOf', () => {
  it('handles interpreters, -m, env and argv[0] rewrites', () => {
    expect(programName('python -m uvicorn api.main:app')).toBe('uvicorn');
    expect(programName('/usr/bin/python3.11 -u /opt/app/run.py')).toBe('run.py');
    expect(programName('/usr/bin/env python3 /opt/app/worker.py')).toBe('worker.py');
    expect(programName('sshd: basar@pts/0')).toBe('sshd');
    expect(programName('sh -c sleep 5')).toBe('sh');
    expect(programName('/usr/bin/node --require ./trace.js dist/index.js')).toBe('index.js');
  });

  it('prefers the unified path, falls back to name=systemd', () => {
    expect(cgroupPathsOf('1:name=systemd:/system.slice/x.service')).toEqual(['/system.slice/x.service']);
    expect(cgroupPathsOf('0::/system.slice/docker-ab.scope')).toEqual(['/system.slice/docker-ab.scope']);
  });
});
