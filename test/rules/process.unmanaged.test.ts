import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, ps, ss, type Proc } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/process-unmanaged/rule.js';

const UVICORN = '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000';
const SESSION = '0::/user.slice/user-1000.slice/session-3.scope';

function uvicornIn(cgroup: string, extra: Proc[] = []): Proc[] {
  return [
    ...SYSTEM_PROCS,
    LOGIN_SHELL,
    { pid: 165162, ppid: 2311, user: 'basar', start: '2025-12-09 09:41:02', rss: 61440, pcpu: 0.4, cgroup, args: UVICORN },
    ...extra,
  ];
}

const SOCKETS = ss([
  { local: '0.0.0.0:22', users: [['sshd', 733, 3]] },
  { local: '0.0.0.0:8000', users: [['uvicorn', 165162, 7]] },
  { local: '[::]:22', users: [['sshd', 733, 4]] },
]);

const PROCINFO = JSON.stringify(
  {
    processes: [
      { pid: 165162, exe: '/usr/bin/python3.11', cwd: '/home/basar/charger', stdout: '/home/basar/charger/nohup.out', stderr: '/home/basar/charger/nohup.out' },
    ],
  },
  null,
  2,
);

const findings = (a: Awaited<ReturnType<typeof analyzeSpec>>) => a.findings.filter((f) => f.rule === 'process.unmanaged');

describe('process.unmanaged fires', () => {
  it('for a uvicorn started by hand in a login session that listens on :8000', async () => {
    const a = await analyzeSpec({
      files: { 'commands/ps.txt': ps(uvicornIn(SESSION)), 'commands/ss-ltnup.txt': SOCKETS, 'commands/procinfo.json': PROCINFO },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'process.unmanaged',
      severity: 'critical',
      subject: 'uvicorn (pid 165162)',
      params: {
        pid: 165162,
        program: 'uvicorn',
        user: 'basar',
        command: UVICORN,
        category: 'session',
        scope: 'session-3.scope',
        ports: ['0.0.0.0:8000'],
        workers: [],
        cwd: '/home/basar/charger',
        stdout: '/home/basar/charger/nohup.out',
        startedAt: '2025-12-09T09:41:02+03:00',
        suggestedUnit: 'charger-api.service',
      },
    });
    // ps row (line 8: header, five system processes, the login shell), then the ss row, then procinfo.
    expect(f!.evidence[0]).toMatchObject({ source: 'commands/ps.txt', line: 8, time: '2025-12-10T01:15:00+03:00' });
    expect(f!.evidence[0]!.text).toContain('session-3.scope /home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app');
    expect(f!.evidence[1]).toMatchObject({ source: 'commands/ss-ltnup.txt', line: 3, time: '2025-12-10T01:15:00+03:00' });
    expect(f!.evidence[1]!.text).toContain('0.0.0.0:8000');
    expect(f!.evidence[2]).toMatchObject({ source: 'commands/procinfo.json', line: 3 });
    expect(f!.evidence[2]!.text).toContain('cwd /home/basar/charger');
    expect(f!.remediation).toContain('kill 165162');
    expect(a.recurrence.because).toContain('process.unmanaged');
  });

  it('in a tmux-spawn scope of the user manager, and on a loopback-only port', async () => {
    const tmux = '0::/user.slice/user-1000.slice/user@1000.service/tmux-spawn-5b2f0c1e-9a7d-4e3b-8c6f-1d2e3f4a5b6c.scope';
    const a = await analyzeSpec({
      files: {
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          { pid: 3012, ppid: 3001, user: 'basar', start: '2025-12-09 10:02:44', rss: 2816, cgroup: tmux, args: 'node /home/basar/dashboard/server.js' },
        ]),
        'commands/ss-ltnup.txt': ss([{ local: '127.0.0.1:5000', users: [['node', 3012, 18]] }]),
      },
    });
    const [f] = findings(a);
    expect(f).toMatchObject({ subject: 'server.js (pid 3012)', severity: 'critical', params: { category: 'tmux', ports: ['127.0.0.1:5000'] } });
    expect(f!.evidence[0]).toMatchObject({ source: 'commands/ps.txt', line: 7 });
  });

  it('for a uvicorn in a session when ss (not root) cannot name socket owners', async () => {
    const nonRoot = ss([{ local: '0.0.0.0:22' }, { local: '0.0.0.0:8000' }]);
    const a = await analyzeSpec({ files: { 'commands/ps.txt': ps(uvicornIn(SESSION)), 'commands/ss-ltnup.txt': nonRoot } });
    const [f] = findings(a);
    expect(f).toMatchObject({ subject: 'uvicorn (pid 165162)', params: { ports: [], listenersKnown: false } });
    expect(f!.evidence).toHaveLength(1);
  });

  it('once per server tree: uvicorn workers are listed under their supervisor, not reported again', async () => {
    const withWorkers = '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000 --workers 2';
    const procs: Proc[] = [
      ...SYSTEM_PROCS,
      LOGIN_SHELL,
      { pid: 165162, ppid: 2311, user: 'basar', start: '2025-12-09 09:41:02', cgroup: SESSION, args: withWorkers },
      { pid: 165170, ppid: 165162, user: 'basar', start: '2025-12-09 09:41:03', cgroup: SESSION, args: withWorkers },
      { pid: 165171, ppid: 165162, user: 'basar', start: '2025-12-09 09:41:03', cgroup: SESSION, args: withWorkers },
    ];
    const a = await analyzeSpec({
      files: {
        'commands/ps.txt': ps(procs),
        'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 165171, 7], ['uvicorn', 165170, 7], ['uvicorn', 165162, 7]] }]),
      },
    });
    expect(findings(a).map((f) => f.subject)).toEqual(['uvicorn (pid 165162)']);
    expect(findings(a)[0]!.params.workers).toEqual([165170, 165171]);
  });
});

describe('process.unmanaged stays quiet', () => {
  const quiet = async (cgroup: string) => {
    const a = await analyzeSpec({ files: { 'commands/ps.txt': ps(uvicornIn(cgroup)), 'commands/ss-ltnup.txt': SOCKETS } });
    expect(a.skipped.map((s) => s.rule)).not.toContain('process.unmanaged');
    return findings(a);
  };

  it('for the same uvicorn run by a system service', async () => {
    expect(await quiet('0::/system.slice/charger-api.service')).toEqual([]);
  });

  it('for the same uvicorn run by a user-manager service', async () => {
    expect(await quiet('0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.service')).toEqual([]);
  });

  it('for the same uvicorn inside a docker container scope', async () => {
    expect(await quiet('0::/system.slice/docker-3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e.scope')).toEqual([]);
  });

  it('for a hand-started process that is no server (no socket, not a server program)', async () => {
    const a = await analyzeSpec({
      files: {
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          LOGIN_SHELL,
          { pid: 2400, ppid: 2311, user: 'basar', start: '2025-12-10 01:01:00', cgroup: SESSION, args: 'tail -f /home/basar/charger/uvicorn.log' },
        ]),
        'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:22', users: [['sshd', 733, 3]] }]),
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, when no process has a systemd cgroup (no service manager: a container)', async () => {
    const procs = uvicornIn('-').map((p) => ({ ...p, cgroup: '-' }));
    const a = await analyzeSpec({ files: { 'commands/ps.txt': ps(procs), 'commands/ss-ltnup.txt': SOCKETS } });
    expect(findings(a)).toEqual([]);
    const skip = a.skipped.find((s) => s.rule === 'process.unmanaged');
    expect(skip?.reason).toMatch(/no process on the host has a systemd cgroup/);
  });

  it('is skipped when ps has no cgroup column (plain ps auxww)', async () => {
    const aux = [
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'root           1  0.0  0.3 168644 11872 ?        Ss   Dec09   0:07 /sbin/init splash',
      'basar     165162  0.4  1.5 312044 61440 pts/0    Sl   Dec09   3:41 /home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'commands/ps.txt': aux, 'commands/ss-ltnup.txt': SOCKETS } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.find((s) => s.rule === 'process.unmanaged')?.reason).toMatch(/no cgroup column/);
  });

  it('counts a truncated ps row as skipped and still judges the rest', async () => {
    const text = ps(uvicornIn(SESSION)) + '99999     1 root                             Wed Dec 10\n';
    const a = await analyzeSpec({ files: { 'commands/ps.txt': text, 'commands/ss-ltnup.txt': SOCKETS } });
    expect(a.sources.find((s) => s.id === 'ps')).toMatchObject({ skippedRecords: 1 });
    expect(findings(a).map((f) => f.subject)).toEqual(['uvicorn (pid 165162)']);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'the same uvicorn run by a system service', bundle: { files: { 'commands/ps.txt': ps(uvicornIn('0::/system.slice/charger-api.service')), 'commands/ss-ltnup.txt': SOCKETS } } },
    { name: 'the same uvicorn in a docker container scope', bundle: { files: { 'commands/ps.txt': ps(uvicornIn('0::/system.slice/docker-3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e.scope')), 'commands/ss-ltnup.txt': SOCKETS } } },
  ],
  invalid: [
    {
      name: 'a uvicorn started by hand in a login session, with its cwd and output',
      bundle: { files: { 'commands/ps.txt': ps(uvicornIn(SESSION)), 'commands/ss-ltnup.txt': SOCKETS, 'commands/procinfo.json': PROCINFO } },
      findings: [{ subject: 'uvicorn (pid 165162)', severity: 'critical', params: { pid: 165162, ports: ['0.0.0.0:8000'], cwd: '/home/basar/charger', scope: 'session-3.scope' } }],
    },
    {
      name: 'the same without process details (no cwd, no output file)',
      bundle: { files: { 'commands/ps.txt': ps(uvicornIn(SESSION)), 'commands/ss-ltnup.txt': SOCKETS } },
      findings: [{ subject: 'uvicorn (pid 165162)', params: { cwd: null, stdout: null } }],
    },
  ],
});
