import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { SYSTEM_PROCS, ps, serviceUnit, ss } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-no-health-check/rule.js';

const API_EXEC = '/home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000';
const API = serviceUnit({
  description: 'Charger REST API',
  user: 'basar',
  workingDirectory: '/home/basar/charger',
  execStart: API_EXEC,
  service: ['Restart=always', 'RestartSec=5'],
});
const FRAGMENT = 'files/etc/systemd/system/charger-api.service';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.no-health-check');

const HEALTH_TIMER = ['[Unit]', 'Description=Probe the charger API every 30s', '', '[Timer]', 'OnBootSec=1min', 'OnUnitActiveSec=30s', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
const healthService = (command: string) =>
  ['[Unit]', 'Description=Probe the charger API', '', '[Service]', 'Type=oneshot', `ExecStart=${command}`, ''].join('\n');

/** The API's unit, its process and its listening socket: a site-local server that nothing probes yet. */
const API_RUNNING = {
  [FRAGMENT]: API,
  'commands/ps.txt': ps([
    ...SYSTEM_PROCS,
    { pid: 1290, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 61440, cgroup: '0::/system.slice/charger-api.service', args: `/home/basar/env/bin/python3 ${API_EXEC}` },
  ]),
  'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 1290, 7]] }]),
};

describe('service.no-health-check fires', () => {
  it('for a site-local API with Restart= but nothing that probes it, with its listening port', async () => {
    const a = await analyzeSpec({
      files: {
        ...API_RUNNING,
        'files/etc/crontab': '# /etc/crontab: system-wide crontab\nSHELL=/bin/sh\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n',
      },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'charger-api.service',
      params: { unit: 'charger-api.service', ports: ['0.0.0.0:8000'], watchdogSec: '0s', timersSearched: 0, cronEntriesSearched: 1, execStartPost: [], restart: 'always' },
    });
    expect(f!.evidence[0]).toEqual({ source: FRAGMENT, line: 9, time: null, text: `ExecStart=${API_EXEC}` });
    expect(f!.remediation).toContain('0.0.0.0:8000');
    expect(a.recurrence.because).toContain('service.no-health-check');
  });

  it('when the only timer probes another port', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        'files/etc/systemd/system/grafana-health.timer': HEALTH_TIMER,
        'files/etc/systemd/system/grafana-health.service': healthService('/usr/bin/curl -fsS --max-time 5 http://127.0.0.1:3000/api/health'),
      },
    });
    expect(findings(a).map((f) => f.subject)).toEqual(['charger-api.service']);
    expect(findings(a)[0]!.params.timersSearched).toBe(1);
  });

  it('when WatchdogSec=0 is set explicitly (the watchdog is off), quoting that line', async () => {
    const text = API.replace('RestartSec=5', 'RestartSec=5\nWatchdogSec=0');
    const a = await analyzeSpec({ files: { [FRAGMENT]: text } });
    const f = findings(a)[0]!;
    expect(f.evidence).toContainEqual({ source: FRAGMENT, line: 12, time: null, text: 'WatchdogSec=0' });
  });
});

describe('service.no-health-check stays quiet', () => {
  it('when a timer starts a service that curls the port', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        'files/etc/systemd/system/charger-api-health.timer': HEALTH_TIMER,
        'files/etc/systemd/system/charger-api-health.service': healthService(
          "/bin/sh -c 'curl -fsS --max-time 5 http://127.0.0.1:8000/health || systemctl restart charger-api.service'",
        ),
      },
    });
    expect(findings(a)).toEqual([]);
    expect(a.services.find((s) => s.unit === 'charger-api.service')?.healthChecks.join(' ')).toContain('charger-api-health.timer');
  });

  it('when the timer-started service only asks systemctl is-active about the unit', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        'files/etc/systemd/system/charger-api-health.timer': HEALTH_TIMER,
        'files/etc/systemd/system/charger-api-health.service': healthService('/bin/systemctl is-active --quiet charger-api'),
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('when the port comes from ss (not the command line) and a cron job probes it', async () => {
    const serve = '/home/basar/env/bin/python3 /home/basar/charger/api/serve.py';
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: serviceUnit({ description: 'Charger REST API', execStart: serve, service: ['Restart=always'] }),
        'commands/ps.txt': ps([...SYSTEM_PROCS, { pid: 1290, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', cgroup: '0::/system.slice/charger-api.service', args: serve }]),
        'commands/ss-ltnup.txt': ss([{ local: '127.0.0.1:8000', users: [['python3', 1290, 6]] }]),
        'files/etc/crontab': '*/1 * * * * root curl -fsS -m 5 http://127.0.0.1:8000/health || systemctl restart charger-api\n',
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it("when the unit's own ExecStartPost= probes its port, with another timer and cron job that do not", async () => {
    const probe = '/usr/bin/curl -fsS --retry 10 --retry-connrefused http://127.0.0.1:8000/health';
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: serviceUnit({ description: 'Charger REST API', execStart: API_EXEC, service: ['Restart=always', `ExecStartPost=${probe}`] }),
        'files/etc/systemd/system/grafana-health.timer': HEALTH_TIMER,
        'files/etc/systemd/system/grafana-health.service': healthService('/usr/bin/curl -fsS --max-time 5 http://127.0.0.1:3000/api/health'),
        'files/etc/crontab': '17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
      },
    });
    expect(findings(a)).toEqual([]);
    expect(a.services.find((x) => x.unit === 'charger-api.service')?.healthChecks).toEqual([expect.stringContaining(probe)]);
  });

  it('when a cron job probes the port', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        'files/etc/cron.d/charger-health':
          'SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n* * * * * root curl -fsS --max-time 5 http://127.0.0.1:8000/health >/dev/null || systemctl restart charger-api.service\n',
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('when a user crontab probes the port', async () => {
    const a = await analyzeSpec({
      files: { [FRAGMENT]: API, 'commands/crontab-basar.txt': '*/2 * * * * /home/basar/bin/check-api.sh --port 8000\n' },
    });
    expect(findings(a)).toEqual([]);
  });

  it('with WatchdogSec=30 (the program sends WATCHDOG=1)', async () => {
    const text = API.replace('RestartSec=5', 'RestartSec=5\nType=notify\nWatchdogSec=30');
    const a = await analyzeSpec({ files: { [FRAGMENT]: text } });
    expect(findings(a)).toEqual([]);
  });

  it('for a vendor unit and for a oneshot unit', async () => {
    const a = await analyzeSpec({
      files: {
        'files/lib/systemd/system/charger-api.service': API,
        'files/etc/systemd/system/upload.service': serviceUnit({ description: 'Upload sessions', execStart: '/usr/local/bin/upload', service: ['Type=oneshot'] }),
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('counts an unreadable cron line and still finds the probe on the next one', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        'files/etc/cron.d/charger-health': '* * * root\n* * * * * root curl -fsS http://127.0.0.1:8000/health\n',
      },
    });
    expect(a.sources.find((s) => s.path === 'files/etc/cron.d/charger-health')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'a timer starts a service that curls the port',
      bundle: {
        files: {
          [FRAGMENT]: API,
          'files/etc/systemd/system/charger-api-health.timer': HEALTH_TIMER,
          'files/etc/systemd/system/charger-api-health.service': healthService("/bin/sh -c 'curl -fsS --max-time 5 http://127.0.0.1:8000/health || systemctl restart charger-api.service'"),
        },
      },
    },
  ],
  invalid: [
    {
      name: 'a site-local API nothing probes, with its listening port',
      bundle: {
        files: API_RUNNING,
      },
      findings: [{ subject: 'charger-api.service', severity: 'warning', params: { ports: ['0.0.0.0:8000'], restart: 'always' } }],
    },
    {
      name: 'a unit without a known port or Restart=',
      bundle: { files: { [FRAGMENT]: serviceUnit({ description: 'Charger worker', user: 'basar', execStart: '/home/basar/env/bin/python3 /home/basar/charger/worker.py' }) } },
      findings: [{ subject: 'charger-api.service', params: { ports: [] } }],
    },
  ],
});
