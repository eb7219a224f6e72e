// service.no-health-check when the check is a script: a timer's service, a cron job or an
// ExecStartPost= that runs /usr/local/bin/something.sh is judged by the script's lines (collected
// as source health-script), as an inline command would be; one level deeper at most.
import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { renderReport } from '../../src/report/index.js';
import { SYSTEM_PROCS, ps, serviceUnit, ss } from '../helpers/raw.js';

const API_EXEC = '/home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000';
const API = serviceUnit({ description: 'Charger REST API', user: 'basar', workingDirectory: '/home/basar/charger', execStart: API_EXEC, service: ['Restart=always', 'RestartSec=5'] });
const FRAGMENT = 'files/etc/systemd/system/charger-api.service';
const RUNNING = {
  'commands/ps.txt': ps([
    ...SYSTEM_PROCS,
    { pid: 1290, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 61440, cgroup: '0::/system.slice/charger-api.service', args: `/home/basar/env/bin/python3 ${API_EXEC}` },
  ]),
  'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 1290, 7]] }]),
};
const TIMER = ['[Timer]', 'OnBootSec=1min', 'OnUnitActiveSec=30s', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
const ONESHOT = (cmd: string) => ['[Service]', 'Type=oneshot', `ExecStart=${cmd}`, ''].join('\n');
const SCRIPT = '/usr/local/bin/api-health.sh';
const SCRIPT_REL = `files${SCRIPT}`;

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'service.no-health-check');
const scriptSource = (path: string, extra: Record<string, unknown> = {}) => ({ id: 'health-script', path: `files${path}`, command: `copy of ${path}`, status: 'ok', ...extra });

describe('service.no-health-check with health checks written as scripts', () => {
  it('stays quiet when a timer runs a script that curls the port, and names the timer and the script line', async () => {
    const a = await analyzeSpec({
      manifest: { sources: [scriptSource(SCRIPT)] },
      files: {
        [FRAGMENT]: API,
        ...RUNNING,
        'files/etc/systemd/system/api-health.timer': TIMER,
        'files/etc/systemd/system/api-health.service': ONESHOT(SCRIPT),
        [SCRIPT_REL]: '#!/bin/sh\n# probe\nif ! curl -fsS --max-time 5 http://127.0.0.1:8000/api/health; then\n  systemctl restart charger-api.service\nfi\n',
      },
    });
    expect(findings(a)).toEqual([]);
    const api = a.services.find((s) => s.unit === 'charger-api.service')!;
    expect(api.healthChecks).toContain(`timer api-health.timer → api-health.service → ${SCRIPT}: if ! curl -fsS --max-time 5 http://127.0.0.1:8000/api/health; then (${SCRIPT_REL}:3)`);
    expect(api.healthChecks).toContain(`timer api-health.timer → api-health.service → ${SCRIPT}: systemctl restart charger-api.service (${SCRIPT_REL}:4)`);
    expect(api.healthCheckEvidence).toContainEqual({ source: SCRIPT_REL, line: 3, time: null, text: 'if ! curl -fsS --max-time 5 http://127.0.0.1:8000/api/health; then' });
    expect(a.recurrence.because).not.toContain('service.no-health-check');
    // The check itself is a oneshot job its timer starts, not a server with Restart=no: it is not
    // in the services table at all (a timer-started long-running service says 'started by').
    expect(a.services.find((s) => s.unit === 'api-health.service')).toBeUndefined();
    expect(renderReport(a, { format: 'md', lang: 'en' })).not.toMatch(/\| `api-health\.service` \|/);
  });

  it('says which timer starts a site-local service that is not a oneshot, in place of its Restart=, in both languages', async () => {
    // A nightly upload that runs for a while (Type=simple) is a job its timer starts, not a server left without Restart=.
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        ...RUNNING,
        'files/etc/systemd/system/meter-upload.timer': TIMER,
        'files/etc/systemd/system/meter-upload.service': ['[Service]', 'ExecStart=/usr/local/bin/meter-upload --to https://csms.example/meter', ''].join('\n'),
      },
    });
    expect(a.services.find((s) => s.unit === 'meter-upload.service')!.startedBy).toEqual(['meter-upload.timer']);
    expect(a.services.find((s) => s.unit === 'charger-api.service')!.startedBy).toBeUndefined();
    expect(renderReport(a, { format: 'md', lang: 'en' })).toMatch(/\| `meter-upload\.service` \|.*\| started by `meter-upload\.timer` \|/);
    expect(renderReport(a, { format: 'md', lang: 'tr' })).toContain('`meter-upload.timer` başlatıyor');
  });

  it('stays quiet when a cron job runs a script that runs, one level deeper, the script that restarts the unit', async () => {
    const a = await analyzeSpec({
      manifest: { sources: [scriptSource('/usr/local/bin/check-all.sh'), scriptSource('/usr/local/bin/restart-api.sh'), { id: 'cron', path: 'files/etc/cron.d/checks' }] },
      files: {
        [FRAGMENT]: API,
        ...RUNNING,
        'files/etc/cron.d/checks': '*/2 * * * * root sh /usr/local/bin/check-all.sh >/dev/null 2>&1\n',
        'files/usr/local/bin/check-all.sh': '#!/bin/sh\n/usr/local/bin/restart-api.sh\n',
        'files/usr/local/bin/restart-api.sh': '#!/bin/sh\nsystemctl is-active --quiet charger-api.service || systemctl restart charger-api.service\n',
      },
    });
    expect(findings(a)).toEqual([]);
    expect(a.services.find((s) => s.unit === 'charger-api.service')!.healthChecks.join('\n')).toContain(
      'cron files/etc/cron.d/checks → /usr/local/bin/check-all.sh → /usr/local/bin/restart-api.sh: systemctl is-active',
    );
  });

  it('fires when the script probes something else, quoting the script as read and not a check (not a package\'s cron script), in both languages', async () => {
    const a = await analyzeSpec({
      manifest: { sources: [scriptSource(SCRIPT), scriptSource('/sbin/e2scrub_all'), { id: 'cron', path: 'files/etc/cron.d/e2scrub_all' }] },
      files: {
        [FRAGMENT]: API,
        ...RUNNING,
        'files/etc/cron.d/e2scrub_all': '30 3 * * 0 root test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r\n',
        'files/sbin/e2scrub_all': '#!/bin/bash\nsystemctl start e2scrub@x.service\n',
        'files/etc/systemd/system/api-health.timer': TIMER,
        'files/etc/systemd/system/api-health.service': ONESHOT(SCRIPT),
        [SCRIPT_REL]: '#!/bin/sh\n# warm the cache\ncurl -fsS http://127.0.0.1:9000/warm || echo cold\n',
      },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f!.params.scriptsRead).toEqual([{ path: SCRIPT, via: 'api-health.timer → api-health.service', source: SCRIPT_REL, unread: null }]);
    expect(f!.evidence).toContainEqual({ source: SCRIPT_REL, line: 3, time: null, text: 'curl -fsS http://127.0.0.1:9000/warm || echo cold' });
    expect(renderReport(a, { format: 'md', lang: 'en' })).toContain(`Read \`${SCRIPT}\` (run by \`api-health.timer → api-health.service\`): it probes neither`);
    expect(renderReport(a, { format: 'md', lang: 'tr' })).toContain(`\`${SCRIPT}\` okundu (\`api-health.timer → api-health.service\` çalıştırıyor)`);
  });

  it('fires when what the timer runs is a program that could not be read, and says so', async () => {
    const a = await analyzeSpec({
      manifest: { sources: [{ id: 'health-script', command: 'copy of /usr/local/bin/healthd', status: 'unavailable', error: '/usr/local/bin/healthd: ELF executable, recorded and not copied' }] },
      files: { [FRAGMENT]: API, ...RUNNING, 'files/etc/systemd/system/charger-api-health.timer': TIMER, 'files/etc/systemd/system/charger-api-health.service': ONESHOT('/usr/local/bin/healthd --once') },
    });
    const f = findings(a)[0]!;
    // The advice does not name the device's own charger-api-health.service.
    expect(f.remediation).toContain('probes its port 0.0.0.0:8000 and runs systemctl restart charger-api.service on failure');
    expect(f.params.scriptsRead).toEqual([
      { path: '/usr/local/bin/healthd', via: 'charger-api-health.timer → charger-api-health.service', source: null, unread: 'unavailable: /usr/local/bin/healthd: ELF executable, recorded and not copied' },
    ]);
    expect(renderReport(a, { format: 'md', lang: 'en' })).toContain('could not be read, so what it checks is unknown');
  });

  it('stays quiet for a service a timer starts, even without Type=oneshot: a job, not a server', async () => {
    const a = await analyzeSpec({
      files: {
        'files/etc/systemd/system/backup.timer': TIMER,
        'files/etc/systemd/system/backup.service': '[Service]\nExecStart=/usr/local/bin/backup.sh\n',
        'files/etc/systemd/system/worker.service': '[Service]\nExecStart=/usr/local/bin/worker\nRestart=always\n',
      },
    });
    expect(findings(a).map((f) => f.subject)).toEqual(['worker.service']);
  });

  it('reads the script of a bundle written by hand, without manifest.sources', async () => {
    const a = await analyzeSpec({
      files: {
        [FRAGMENT]: API,
        ...RUNNING,
        'files/etc/systemd/system/api-health.timer': TIMER,
        'files/etc/systemd/system/api-health.service': ONESHOT(SCRIPT),
        [SCRIPT_REL]: '#!/bin/sh\ncurl -fsS http://127.0.0.1:8000/api/health || systemctl restart charger-api.service\n',
      },
    });
    expect(findings(a)).toEqual([]);
  });
});
