import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { LOGIN_SHELL, SYSTEM_PROCS, at, df, jsonl, kernelEntry, meminfo, ps, sd, serviceUnit, ss } from '../helpers/raw.js';

const DESC = 'Charger OCPP client';
const EXEC = '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py';
const HEALTHY_UNIT = serviceUnit({ description: DESC, execStart: EXEC, service: ['Type=notify', 'Restart=always', 'RestartSec=5', 'WatchdogSec=30'] });
const BARE_UNIT = serviceUnit({ description: DESC, execStart: EXEC });
const ROOT_40 = df([{ fs: '/dev/root', type: 'ext4', mount: '/', size: 31154671616, used: 12461868646, percent: 40 }]);
const ROOT_95 = df([{ fs: '/dev/root', type: 'ext4', mount: '/', size: 31154671616, used: 29596938035, percent: 95 }]);
const UVICORN = '/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000';

describe('recurrence', () => {
  it('is unlikely, with nothing behind it, for a healthy bundle', async () => {
    const a = await analyzeSpec({
      files: {
        'files/etc/systemd/system/charger.service': HEALTHY_UNIT,
        'files/proc/meminfo': meminfo({ free: 1200000, available: 2900000 }),
        'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n',
        'commands/df.txt': ROOT_40,
        'commands/ps.txt': ps([...SYSTEM_PROCS, { pid: 901, ppid: 1, user: 'basar', start: '2025-12-10 00:41:17', cgroup: '0::/system.slice/charger.service', args: EXEC }]),
        'commands/journal.jsonl': jsonl([sd.started('charger.service', DESC, at('00:41:17'))]),
      },
    });
    expect(a.recurrence).toEqual({ likely: false, because: [] });
    expect(a.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('is likely while a standing condition remains, listing them in catalogue order', async () => {
    const a = await analyzeSpec({
      files: {
        'files/etc/systemd/system/charger.service': BARE_UNIT,
        'commands/df.txt': ROOT_95,
        'commands/ps.txt': ps([...SYSTEM_PROCS, LOGIN_SHELL, { pid: 165162, ppid: 2311, user: 'basar', start: '2025-12-09 09:41:02', cgroup: '0::/user.slice/user-1000.slice/session-3.scope', args: UVICORN }]),
        'commands/ss-ltnup.txt': ss([{ local: '0.0.0.0:8000', users: [['uvicorn', 165162, 7]] }]),
      },
    });
    expect(a.recurrence).toEqual({ likely: true, because: ['process.unmanaged', 'service.no-restart', 'service.no-health-check', 'resource.disk'] });
  });

  it('is not made likely by events alone (a crash or an OOM kill that is over)', async () => {
    // The unit caps its memory: without MemoryMax= a global OOM kill leaves service.no-memory-limit standing.
    const capped = serviceUnit({ description: DESC, execStart: EXEC, service: ['Type=notify', 'Restart=always', 'RestartSec=5', 'WatchdogSec=30', 'MemoryMax=1G'] });
    const journal = jsonl([
      kernelEntry('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000', at('01:09:58')),
      kernelEntry('Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0', at('01:09:58'), 3),
      sd.failed('charger.service', 'oom-kill', at('01:09:58')),
      sd.restartScheduled('charger.service', 1, at('01:10:03')),
      sd.started('charger.service', DESC, at('01:10:03')),
    ]);
    const a = await analyzeSpec({ files: { 'files/etc/systemd/system/charger.service': capped, 'commands/journal.jsonl': journal } });
    expect(a.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['kernel.oom-kill', 'service.failed']));
    expect(a.recurrence).toEqual({ likely: false, because: [] });
    // The same kill with the unit uncapped: its missing limit is what stays.
    const b = await analyzeSpec({ files: { 'files/etc/systemd/system/charger.service': HEALTHY_UNIT, 'commands/journal.jsonl': journal } });
    expect(b.recurrence).toEqual({ likely: true, because: ['service.no-memory-limit'] });
  });

  it('leaves out a standing rule the configuration disabled', async () => {
    const a = await analyzeSpec(
      { files: { 'files/etc/systemd/system/charger.service': BARE_UNIT } },
      { rules: { 'service.no-health-check': { enabled: false } } },
    );
    expect(a.recurrence).toEqual({ likely: true, because: ['service.no-restart'] });
    expect(a.skipped).toContainEqual({ rule: 'service.no-health-check', reason: 'disabled in the configuration' });
  });
});
