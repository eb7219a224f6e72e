import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, appEntry, at, jsonl, ps, ss, type Proc } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/process-port-conflict/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'process.port-conflict');

const UVICORN = '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000';
const SESSION3 = '0::/user.slice/user-1000.slice/session-3.scope';
const HAND_STARTED: Proc = { pid: 165162, ppid: 2311, user: 'basar', start: '2025-12-09 09:41:02', rss: 61440, cgroup: SESSION3, args: UVICORN };
const API = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 1877 };
const ERRNO98 = "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use";

describe('process.port-conflict fires', () => {
  it('on uvicorn\'s "[Errno 98]" line, naming the process that holds the port', async () => {
    const journal = jsonl([
      appEntry(API, 'INFO:     Started server process [1877]', at('01:10:01')),
      appEntry(API, 'INFO:     Waiting for application startup.', at('01:10:01')),
      appEntry(API, 'INFO:     Application startup complete.', at('01:10:02')),
      appEntry(API, ERRNO98, at('01:10:02')),
      appEntry(API, 'INFO:     Waiting for application shutdown.', at('01:10:02')),
    ]);
    const a = await analyzeSpec({
      files: {
        'commands/journal.jsonl': journal,
        'commands/ps.txt': ps([...SYSTEM_PROCS, LOGIN_SHELL, HAND_STARTED]),
        'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 165162, 7]] }]),
      },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: '0.0.0.0:8000',
      params: { address: '0.0.0.0', port: 8000, failures: 1, loggedBy: ['charger-api.service'], holder: 'uvicorn (pid 165162)' },
    });
    expect(f!.evidence[0]).toEqual({ source: 'commands/journal.jsonl', line: 4, time: '2025-12-10T01:10:02+03:00', text: ERRNO98 });
    expect(f!.evidence[1]).toMatchObject({ source: 'commands/ps.txt', line: 8 });
    expect(f!.evidence[2]).toMatchObject({ source: 'commands/ss-ltnup.txt', line: 2 });
  });

  it('on gunicorn\'s "Connection in use" in its error log, counting every retry', async () => {
    const log = [
      '[2025-12-10 01:10:02 +0300] [2410] [INFO] Starting gunicorn 21.2.0',
      "[2025-12-10 01:10:02 +0300] [2410] [ERROR] Connection in use: ('0.0.0.0', 8000)",
      '[2025-12-10 01:10:02 +0300] [2410] [ERROR] Retrying in 1 second.',
      "[2025-12-10 01:10:03 +0300] [2410] [ERROR] Connection in use: ('0.0.0.0', 8000)",
      '[2025-12-10 01:10:03 +0300] [2410] [ERROR] Retrying in 1 second.',
      '[2025-12-10 01:10:07 +0300] [2410] [ERROR] Can\'t connect to (\'0.0.0.0\', 8000)',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/gunicorn/error.log': log } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: '0.0.0.0:8000', params: { port: 8000, failures: 2, loggedBy: ['gunicorn'], holder: null } });
    expect(f.evidence.map((e) => [e.source, e.line, e.time])).toEqual([
      ['files/var/log/gunicorn/error.log', 2, '2025-12-10T01:10:02+03:00'],
      ['files/var/log/gunicorn/error.log', 4, '2025-12-10T01:10:03+03:00'],
    ]);
  });

  it("counting one failure per attempt where gunicorn 22+ logs two lines for it", async () => {
    const attempt = (sec: string) => [
      `[2025-12-10 01:10:${sec} +0300] [2410] [ERROR] Connection in use: ('0.0.0.0', 8000)`,
      `[2025-12-10 01:10:${sec} +0300] [2410] [ERROR] connection to ('0.0.0.0', 8000) failed: [Errno 98] Address already in use`,
    ];
    const log = ['[2025-12-10 01:10:02 +0300] [2410] [INFO] Starting gunicorn 23.0.0', ...attempt('02'), ...attempt('03'), ...attempt('04'), "[2025-12-10 01:10:07 +0300] [2410] [ERROR] Can't connect to ('0.0.0.0', 8000)", ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/gunicorn/error.log': log } });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ port: 8000, failures: 3 });
    expect(f.title).toContain('3 failed binds');
    // Both lines of an attempt stay quotable evidence.
    expect(f.evidenceTotal).toBe(6);
  });

  it('still counting each "[Errno 98]" line of a server that logs one per attempt', async () => {
    const log = [ERRNO98, 'INFO:     Waiting for application shutdown.', ERRNO98, ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/home/basar/nohup.out': log } });
    expect(findings(a)[0]!.params).toMatchObject({ failures: 2 });
  });

  it('on the same line in the nohup.out of a hand-started uvicorn (undated lines still count)', async () => {
    const nohup = ['INFO:     Started server process [170220]', 'INFO:     Waiting for application startup.', 'INFO:     Application startup complete.', ERRNO98, 'INFO:     Waiting for application shutdown.', 'INFO:     Application shutdown complete.', ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/home/basar/charger/nohup.out': nohup } });
    expect(findings(a)[0]).toMatchObject({ subject: '0.0.0.0:8000', params: { failures: 1, loggedBy: ['uvicorn'] } });
    expect(findings(a)[0]!.evidence).toEqual([{ source: 'files/home/basar/charger/nohup.out', line: 4, time: null, text: ERRNO98 }]);
  });

  it('on nginx "bind() … failed (98: Address already in use)"', async () => {
    const log = '2025/12/10 01:05:00 [emerg] 1022#1022: bind() to 0.0.0.0:80 failed (98: Address already in use)\n';
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/error.log': log } });
    expect(findings(a).map((f) => [f.subject, f.params.port])).toEqual([['0.0.0.0:80', 80]]);
  });

  it('on two unrelated processes running the same server command', async () => {
    const procs: Proc[] = [
      ...SYSTEM_PROCS,
      LOGIN_SHELL,
      HAND_STARTED,
      { pid: 170200, ppid: 170190, user: 'basar', start: '2025-12-10 01:09:40', rss: 3300, cgroup: '0::/user.slice/user-1000.slice/session-5.scope', args: '-bash' },
      { pid: 170220, ppid: 170200, user: 'basar', start: '2025-12-10 01:10:01', rss: 58000, cgroup: '0::/user.slice/user-1000.slice/session-5.scope', args: UVICORN },
    ];
    const a = await analyzeSpec({ files: { 'commands/ps.txt': ps(procs) } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'uvicorn (pids 165162, 170220)',
      params: { command: UVICORN, pids: [165162, 170220], cgroups: ['session-3.scope', 'session-5.scope'] },
    });
    expect(f!.evidence.map((e) => [e.source, e.line, e.time])).toEqual([
      ['commands/ps.txt', 8, '2025-12-10T01:15:00+03:00'],
      ['commands/ps.txt', 10, '2025-12-10T01:15:00+03:00'],
    ]);
  });
});

describe('process.port-conflict stays quiet', () => {
  it('for a gunicorn master and its workers (same command, parent and children)', async () => {
    const cmd = '/home/basar/env/bin/python3 /home/basar/env/bin/gunicorn -w 3 -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8000 api.main:app';
    const cg = '0::/system.slice/charger-api.service';
    const procs: Proc[] = [
      ...SYSTEM_PROCS,
      { pid: 1500, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 24000, cgroup: cg, args: cmd },
      { pid: 1503, ppid: 1500, user: 'basar', start: '2025-12-10 00:41:18', rss: 61000, cgroup: cg, args: cmd },
      { pid: 1504, ppid: 1500, user: 'basar', start: '2025-12-10 00:41:18', rss: 61000, cgroup: cg, args: cmd },
      { pid: 1505, ppid: 1500, user: 'basar', start: '2025-12-10 00:41:18', rss: 61000, cgroup: cg, args: cmd },
    ];
    const a = await analyzeSpec({
      files: { 'commands/ps.txt': ps(procs), 'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['gunicorn', 1500, 5]] }]) },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('process.port-conflict');
  });

  it('for nginx workers, titled apart from their master and all holding :80', async () => {
    const cg = '0::/system.slice/nginx.service';
    const worker = 'nginx: worker process';
    const procs: Proc[] = [
      ...SYSTEM_PROCS,
      { pid: 840, ppid: 1, user: 'root', start: '2025-12-01 08:00:12', rss: 1600, cgroup: cg, args: 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;' },
      { pid: 841, ppid: 840, user: 'www-data', start: '2025-12-01 08:00:12', rss: 5200, cgroup: cg, args: worker },
      { pid: 842, ppid: 840, user: 'www-data', start: '2025-12-01 08:00:12', rss: 5200, cgroup: cg, args: worker },
      { pid: 843, ppid: 840, user: 'www-data', start: '2025-12-01 08:00:12', rss: 5200, cgroup: cg, args: worker },
    ];
    const users: [string, number, number][] = [['nginx', 840, 6], ['nginx', 841, 6], ['nginx', 842, 6], ['nginx', 843, 6]];
    const a = await analyzeSpec({ files: { 'commands/ps.txt': ps(procs), 'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:80', users }]) } });
    expect(findings(a)).toEqual([]);
  });

  it('for a line that talks about a port being in use without a failed bind', async () => {
    const journal = jsonl([
      appEntry(API, 'INFO:     checking whether port 8000 is in use before start', at('01:10:00')),
      appEntry(API, 'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)', at('01:10:01')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });

  it('for a failed bind before the window', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([appEntry(API, ERRNO98, at('00:20:00'))]) } });
    expect(findings(a)).toEqual([]);
  });

  it('counts a truncated gunicorn line as skipped', async () => {
    const log = "[2025-12-10 01:10:02 +0300] [2410] [INFO] Starting gunicorn 21.2.0\n[2025-12-10 01:1\n";
    const a = await analyzeSpec({ files: { 'files/var/log/gunicorn/error.log': log } });
    expect(a.sources.find((s) => s.path === 'files/var/log/gunicorn/error.log')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a line about a port in use without a failed bind',
      bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry(API, 'INFO:     checking whether port 8000 is in use before start', at('01:10:00'))]) } },
    },
  ],
  invalid: [
    {
      name: 'a failed bind, naming the process that holds the port',
      bundle: {
        files: {
          'commands/journal.jsonl': jsonl([appEntry(API, ERRNO98, at('01:10:02'))]),
          'commands/ps.txt': ps([...SYSTEM_PROCS, LOGIN_SHELL, HAND_STARTED]),
          'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 165162, 7]] }]),
        },
      },
      findings: [{ subject: '0.0.0.0:8000', severity: 'warning', params: { port: 8000, holder: 'uvicorn (pid 165162)' } }],
    },
    {
      name: 'a failed bind with no socket list (holder unknown)',
      bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry(API, ERRNO98, at('01:10:02'))]) } },
      findings: [{ subject: '0.0.0.0:8000', params: { holder: null } }],
    },
    {
      name: 'two unrelated processes running the same server command',
      bundle: {
        files: {
          'commands/ps.txt': ps([
            ...SYSTEM_PROCS,
            LOGIN_SHELL,
            HAND_STARTED,
            { pid: 170200, ppid: 170190, user: 'basar', start: '2025-12-10 01:09:40', rss: 3300, cgroup: '0::/user.slice/user-1000.slice/session-5.scope', args: '-bash' },
            { pid: 170220, ppid: 170200, user: 'basar', start: '2025-12-10 01:10:01', rss: 58000, cgroup: '0::/user.slice/user-1000.slice/session-5.scope', args: UVICORN },
          ]),
        },
      },
      findings: [{ subject: 'uvicorn (pids 165162, 170220)', params: { command: UVICORN, pids: [165162, 170220] } }],
    },
  ],
});
