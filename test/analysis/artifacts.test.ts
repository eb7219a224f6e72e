// Ready-to-apply fixes in the analysis JSON: what each file says, where its
// settings come from, and the order of the steps that apply it.
import { describe, it, expect } from 'vitest';
import type { Analysis, Artifact } from '../../src/analysis/schema.js';
import { analyzeSample, analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, appEntry, at, jsonl, listUnits, ps, serviceUnit, showAll, showService, ss, type Proc } from '../helpers/raw.js';


const SESSION = '0::/user.slice/user-1000.slice/session-3.scope';

/** A server started by hand in a login session, with its socket and (optionally) its procinfo. */
function handStarted(args: string, opts: { port?: number; procinfo?: { exe: string; cwd: string; stdout?: string } | null; program?: string } = {}) {
  const port = opts.port ?? 8000;
  const proc: Proc = { pid: 4242, ppid: 2311, user: 'basar', start: '2025-12-10 00:41:02', rss: 40960, cgroup: SESSION, args };
  const files: Record<string, string> = {
    'commands/ps.txt': ps([...SYSTEM_PROCS, LOGIN_SHELL, proc]),
    'commands/ss-ltnup.txt': ss([{ local: `0.0.0.0:${port}`, users: [[opts.program ?? 'python3', 4242, 6]] }]),
  };
  if (opts.procinfo !== null) {
    const pi = opts.procinfo ?? { exe: '/usr/bin/python3.11', cwd: '/home/basar/charger', stdout: '/home/basar/charger/nohup.out' };
    files['commands/procinfo.json'] = JSON.stringify({ processes: [{ pid: 4242, ...pi, stderr: pi.stdout ?? null }] }, null, 2);
  }
  return files;
}

const unitOf = (a: Analysis): Artifact => {
  const u = a.artifacts.find((x) => x.kind === 'unit-file');
  if (!u) throw new Error('no unit-file artifact');
  return u;
};

describe('artifacts of the seed incident', () => {
  it('a unit for the hand-started uvicorn, its health check, and a Restart= drop-in for charger.service', async () => {
    const a = await analyzeSample('seed-incident');
    expect(a.artifacts.map((x) => [x.kind, x.for, x.path])).toEqual([
      ['unit-file', 'process.unmanaged', '/etc/systemd/system/charger-api.service'],
      ['health-check-service', 'process.unmanaged', '/etc/systemd/system/charger-api-health.service'],
      ['health-check-timer', 'process.unmanaged', '/etc/systemd/system/charger-api-health.timer'],
      ['drop-in', 'service.no-restart', '/etc/systemd/system/charger.service.d/10-restart.conf'],
    ]);
    const unit = unitOf(a);
    expect(unit.subject).toBe('uvicorn (pid 165162)');
    expect(unit.content.split('\n')).toEqual([
      '[Unit]',
      'Description=charger-api (uvicorn)',
      'After=network-online.target',
      'Wants=network-online.target',
      'StartLimitIntervalSec=300',
      'StartLimitBurst=5',
      '',
      '[Service]',
      'Type=simple',
      'User=basar',
      'WorkingDirectory=/home/basar/charger',
      'ExecStart=/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000',
      'Restart=always',
      'RestartSec=5',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ]);
  });

  it('steps stop the hand-started process and wait for its port before enable --now', async () => {
    const unit = unitOf(await analyzeSample('seed-incident'));
    const ids = unit.steps!.map((s) => s.id);
    expect(ids).toEqual(['write-file', 'verify-unit', 'daemon-reload', 'stop-process', 'wait-port-free', 'enable-now', 'check-status', 'check-health']);
    const cmd = (id: string) => unit.steps!.find((s) => s.id === id)!.command;
    expect(cmd('write-file')).toBe(`sudo tee /etc/systemd/system/charger-api.service >/dev/null <<'EOF'\n${unit.content}EOF`);
    expect(cmd('stop-process')).toBe('sudo kill 165162');
    expect(cmd('wait-port-free')).toContain('/proc/165162');
    expect(cmd('wait-port-free')).toContain('sport = :8000');
    expect(cmd('enable-now')).toBe('sudo systemctl enable --now charger-api.service');
    expect(cmd('check-health')).toBe('curl -fsS --max-time 5 http://127.0.0.1:8000/api/status');
  });

  it('the health URL is the one uvicorn answered in nohup.out, quoted with its line', async () => {
    const a = await analyzeSample('seed-incident');
    const svc = a.artifacts.find((x) => x.kind === 'health-check-service')!;
    expect(svc.params).toMatchObject({ unit: 'charger-api.service', url: 'http://127.0.0.1:8000/api/status', urlSource: 'access-log', healthTimer: 'charger-api-health.timer' });
    expect(svc.params!.seen).toMatchObject({ path: '/api/status', statuses: { '200': expect.any(Number) }, log: 'files/home/basar/charger/nohup.out' });
    expect(svc.evidence![0]).toMatchObject({ source: 'files/home/basar/charger/nohup.out' });
    expect(svc.evidence![0]!.text).toMatch(/"GET \/api\/status HTTP\/1\.1" 200/);
    expect(svc.content).toContain(
      `ExecStart=/bin/sh -c 'curl -fsS --max-time 5 "http://127.0.0.1:8000/api/status" >/dev/null || { [ -x /usr/local/lib/charger-diag/capture-hang ] && timeout 10 /usr/local/lib/charger-diag/capture-hang charger-api.service; systemctl restart charger-api.service; }'`,
    );
    expect(svc.content).toContain('Type=oneshot');
    const timer = a.artifacts.find((x) => x.kind === 'health-check-timer')!;
    expect(timer.content).toContain('OnBootSec=60\nOnUnitActiveSec=30\nAccuracySec=5');
    expect(timer.content).toContain('WantedBy=timers.target');
    // The timer is enabled after both files are written and systemd has read them.
    expect(svc.steps!.map((s) => s.id)).toEqual(['write-file', 'write-file', 'daemon-reload', 'enable-timer', 'run-health-once', 'check-timer']);
  });

  it('no health check or watchdog is made up for services with no known URL and no sd_notify', async () => {
    const a = await analyzeSample('seed-incident');
    const forUnits = a.artifacts.filter((x) => x.for === 'service.no-health-check');
    expect(forUnits).toEqual([]);
    expect(a.artifacts.some((x) => x.content.includes('WatchdogSec'))).toBe(false);
  });

  it('the healthy sample needs no artifact', async () => {
    expect((await analyzeSample('healthy')).artifacts).toEqual([]);
  });
});

describe('unit file for a hand-started server', () => {
  it('marks the working directory unknown when the bundle has no procinfo', async () => {
    const a = await analyzeSpec({ files: handStarted('/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --port 8000', { procinfo: null, program: 'uvicorn' }) });
    const unit = unitOf(a);
    expect(unit.content).toContain('# WorkingDirectory=unknown: set the directory the process was started from\n');
    expect(unit.content).not.toMatch(/^WorkingDirectory=/m);
    expect(unit.params).toMatchObject({ workingDirectory: null, user: 'basar', pid: 4242 });
  });

  it('makes a relative program absolute: from the cwd for ./x, from /proc/PID/exe for a bare name', async () => {
    const rel = await analyzeSpec({ files: handStarted('./server --port 9000', { port: 9000, program: 'server', procinfo: { exe: '/opt/meter/server', cwd: '/opt/meter' } }) });
    expect(unitOf(rel).content).toContain('ExecStart=/opt/meter/server --port 9000\n');
    expect(unitOf(rel).params).toMatchObject({ execStartResolved: './server' });
    const bare = await analyzeSpec({ files: handStarted('python3 -m http.server 8080', { port: 8080, procinfo: { exe: '/usr/bin/python3.11', cwd: '/srv/www' } }) });
    expect(unitOf(bare).content).toContain('ExecStart=/usr/bin/python3.11 -m http.server 8080\n');
  });

  it('keeps %, $ and backslashes literal for systemd, and never carries a secret', async () => {
    const a = await analyzeSpec({
      files: handStarted('/usr/bin/node /srv/app/server.js --greeting=100% --home=$HOME --token=s3cr3t-value-123 --sep=a\\b', {
        program: 'node',
        procinfo: { exe: '/usr/bin/node', cwd: '/srv/app' },
      }),
    });
    const unit = unitOf(a);
    const exec = unit.content.split('\n').find((l) => l.startsWith('ExecStart='))!;
    // The removed secret is a placeholder to fill in, never a redaction mark that would be applied as the value.
    expect(exec).toBe('ExecStart=/usr/bin/node /srv/app/server.js --greeting=100%% --home=$$HOME --token=<secret> --sep=a\\\\b');
    expect(unit.placeholders).toEqual([{ placeholder: '<secret>', kind: 'secret' }]);
    expect(unit.params?.execStart).toContain('--token=[redacted:secret-arg]');
    expect(JSON.stringify(a)).not.toContain('s3cr3t-value-123');
  });

  it('without a listening port, waits for the process instead of the port', async () => {
    const files = handStarted('/usr/bin/python3 /home/basar/charger/worker.py', { procinfo: { exe: '/usr/bin/python3.11', cwd: '/home/basar/charger' } });
    files['commands/ss-ltnup.txt'] = ss([]);
    const a = await analyzeSpec({ files }, { serverPatterns: ['worker\\.py'] });
    const unit = unitOf(a);
    expect(unit.steps!.map((s) => s.id)).toContain('wait-process-gone');
    expect(unit.steps!.map((s) => s.id)).not.toContain('wait-port-free');
  });
});

// A systemd-run service whose uvicorn logs its access lines to the journal.
const API_SHOW = showService({ id: 'api.service', description: 'Charger API', execStart: '/srv/api/env/bin/python3 /srv/api/env/bin/uvicorn app:app --port 8000', mainPid: 701, user: 'api', workingDirectory: '/srv/api', restart: 'always' });
const API_PROCS: Proc[] = [...SYSTEM_PROCS, { pid: 701, ppid: 1, user: 'api', start: '2025-12-09 08:00:12', rss: 50000, cgroup: '0::/system.slice/api.service', args: '/srv/api/env/bin/python3 /srv/api/env/bin/uvicorn app:app --port 8000' }];
const API = { unit: 'api.service', identifier: 'uvicorn', pid: 701 };

function apiBundle(journalLines: string[]): Record<string, string> {
  return {
    'commands/ps.txt': ps(API_PROCS),
    'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 701, 7]] }]),
    'commands/systemctl-show.txt': showAll([API_SHOW]),
    'commands/systemctl-list-units.txt': listUnits([['api.service', 'loaded', 'active', 'running', 'Charger API']]),
    'files/etc/systemd/system/api.service': serviceUnit({ description: 'Charger API', execStart: '/srv/api/env/bin/python3 /srv/api/env/bin/uvicorn app:app --port 8000', user: 'api', service: ['Restart=always'] }),
    'commands/journal.jsonl': jsonl(journalLines),
  };
}

describe('health check for a service without one', () => {
  it('probes the health path its own journal shows answered, preferring /health over /status', async () => {
    const a = await analyzeSpec({
      files: apiBundle([
        appEntry(API, 'INFO:     127.0.0.1:51000 - "GET /api/status HTTP/1.1" 200 OK', at('01:01:00')),
        appEntry(API, 'INFO:     127.0.0.1:51001 - "GET /api/status HTTP/1.1" 200 OK', at('01:01:30')),
        appEntry(API, 'INFO:     127.0.0.1:51002 - "GET /health?full=1 HTTP/1.1" 200 OK', at('01:02:00')),
        appEntry(API, 'INFO:     127.0.0.1:51003 - "GET /healthcheck-docs HTTP/1.1" 200 OK', at('01:02:10')),
      ]),
    });
    const svc = a.artifacts.find((x) => x.kind === 'health-check-service')!;
    expect(svc).toMatchObject({ for: 'service.no-health-check', subject: 'api.service', path: '/etc/systemd/system/api-health.service' });
    expect(svc.params).toMatchObject({ url: 'http://127.0.0.1:8000/health', urlSource: 'access-log' });
    expect(svc.evidence![0]).toMatchObject({ source: 'commands/journal.jsonl', time: '2025-12-10T01:02:00+03:00' });
    expect(svc.content).toContain('systemctl restart api.service');
  });

  it('ignores a health path that never answered 2xx', async () => {
    const a = await analyzeSpec({ files: apiBundle([appEntry(API, 'INFO:     127.0.0.1:51002 - "GET /health HTTP/1.1" 503 Service Unavailable', at('01:02:00'))]) });
    expect(a.artifacts.filter((x) => x.kind === 'health-check-service')).toEqual([]);
  });

  it('takes a configured URL first', async () => {
    const a = await analyzeSpec(
      { files: apiBundle([appEntry(API, 'INFO:     127.0.0.1:51002 - "GET /health HTTP/1.1" 200 OK', at('01:02:00'))]) },
      { healthUrls: [{ unit: 'api.service', url: 'http://127.0.0.1:8000/live?deep=1' }] },
    );
    const svc = a.artifacts.find((x) => x.kind === 'health-check-service')!;
    expect(svc.params).toMatchObject({ url: 'http://127.0.0.1:8000/live?deep=1', urlSource: 'config' });
    expect(svc.evidence).toEqual([]);
  });

  it('proposes WatchdogSec= only for a program that speaks sd_notify', async () => {
    const notifyShow = showService({ id: 'ocpp.service', description: 'OCPP client', type: 'notify', execStart: '/usr/bin/ocpp-client', mainPid: 801 });
    const simpleShow = showService({ id: 'meter.service', description: 'Meter reader', type: 'simple', execStart: '/usr/bin/meter-reader', mainPid: 802 });
    const a = await analyzeSpec({
      files: {
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          { pid: 801, ppid: 1, user: 'root', start: '2025-12-09 08:00:12', cgroup: '0::/system.slice/ocpp.service', args: '/usr/bin/ocpp-client' },
          { pid: 802, ppid: 1, user: 'root', start: '2025-12-09 08:00:12', cgroup: '0::/system.slice/meter.service', args: '/usr/bin/meter-reader' },
        ]),
        'commands/systemctl-show.txt': showAll([notifyShow, simpleShow]),
        'commands/systemctl-list-units.txt': listUnits([
          ['meter.service', 'loaded', 'active', 'running', 'Meter reader'],
          ['ocpp.service', 'loaded', 'active', 'running', 'OCPP client'],
        ]),
      },
    });
    const subjects = a.findings.filter((f) => f.rule === 'service.no-health-check').map((f) => f.subject).sort();
    expect(subjects).toEqual(['meter.service', 'ocpp.service']);
    const watchdogs = a.artifacts.filter((x) => x.params?.setting === 'watchdog');
    expect(watchdogs.map((x) => [x.subject, x.path])).toEqual([['ocpp.service', '/etc/systemd/system/ocpp.service.d/20-watchdog.conf']]);
    expect(watchdogs[0]!.content).toBe('[Service]\nWatchdogSec=30\n');
    expect(watchdogs[0]!.params).toMatchObject({ notify: 'Type=notify' });
  });
});
