// Regression: systemd 252's `systemctl show` prints WatchdogUSec=infinity for units that never set
// WatchdogSec= (a site-local oneshot health check did, in the simulation behind samples/global-oom).
// systemd arms no watchdog for infinity, so it is no supervision, and it must not reach the analysis
// JSON as Infinity (the schema refused it: "internal error").
import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { SYSTEM_PROCS, ps, showAll, showService, ss } from '../helpers/raw.js';

const API_EXEC = '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 127.0.0.1 --port 8000';
const files = (watchdogUSec: string) => ({
  'commands/systemctl-show.txt': showAll([
    showService({ id: 'charger-api.service', description: 'Charger HTTP API (uvicorn)', execStart: API_EXEC, restart: 'always', watchdogUSec, mainPid: 1290, user: 'basar' }),
  ]),
  'commands/ps.txt': ps([
    ...SYSTEM_PROCS,
    { pid: 1290, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', rss: 55808, cgroup: '0::/system.slice/charger-api.service', args: API_EXEC },
  ]),
  'commands/ss-ltnup.txt': ss([{ local: '127.0.0.1:8000', users: [['uvicorn', 1290, 6]] }]),
});

describe('WatchdogUSec=infinity', () => {
  it('counts as no watchdog: service.no-health-check fires, and the analysis is valid', async () => {
    const a = await analyzeSpec({ files: files('infinity') });
    const f = a.findings.filter((x) => x.rule === 'service.no-health-check');
    expect(f.map((x) => [x.subject, x.params.watchdogSec])).toEqual([['charger-api.service', '0s']]);
    const svc = a.services.find((s) => s.unit === 'charger-api.service')!;
    expect(svc.healthChecks).toEqual([]);
  });

  it('a real WatchdogSec= still counts as supervision', async () => {
    const a = await analyzeSpec({ files: files('30s') });
    expect(a.findings.filter((x) => x.rule === 'service.no-health-check')).toEqual([]);
  });
});
