import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, kernelEntry, meminfo, sd, serviceUnit } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/service-no-memory-limit/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === rule.id);

const unit = (execStart: string, service: string[] = []) => serviceUnit({ description: 'Charger', user: 'basar', execStart, service });
const CHARGER = 'files/etc/systemd/system/charger.service';
const API = 'files/etc/systemd/system/charger-api.service';
const OCPP = unit('/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', ['Restart=always']);
const UVICORN = unit('/home/basar/env/bin/uvicorn api.main:app --port 8000', ['Restart=always']);

// Linux 6.1 on a Raspberry Pi 4: the whole system ran out (CONSTRAINT_NONE, global_oom) and the
// kernel killed the OCPP client, the biggest process; systemd saw its unit's oom-kill.
const GLOBAL_CONSTRAINT =
  'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python3,pid=812,uid=1000';
const GLOBAL_KILLED = 'Out of memory: Killed process 812 (python3) total-vm:3623316kB, anon-rss:3371508kB, file-rss:1920kB, shmem-rss:0kB, UID:1000 pgtables:6812kB oom_score_adj:0';
const GLOBAL_OOM = jsonl([
  kernelEntry('python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0', at('01:09:58'), 4),
  kernelEntry(GLOBAL_CONSTRAINT, at('01:09:58'), 6),
  kernelEntry(GLOBAL_KILLED, at('01:09:58'), 3),
  sd.oomKilled('charger.service', at('01:09:58')),
  sd.failed('charger.service', 'oom-kill', at('01:09:58')),
]);

// The API reached its own MemoryMax=256M: a cgroup OOM kill, the device still had memory.
const CGROUP_OOM = jsonl([
  kernelEntry(
    'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/charger-api.service,task_memcg=/system.slice/charger-api.service,task=uvicorn,pid=901,uid=1000',
    at('01:09:58'),
    6,
  ),
  kernelEntry('Memory cgroup out of memory: Killed process 901 (uvicorn) total-vm:412000kB, anon-rss:262144kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:600kB oom_score_adj:0', at('01:09:58'), 3),
]);

// 4 GiB of memory: half is 2048 MiB, already a multiple of 64 MiB.
const MEM = meminfo({ total: 4 * 1024 * 1024, free: 120000, available: 2000000 });

describe('service.no-memory-limit', () => {
  it('names every unlimited site-local service after a global OOM kill, the victim marked, with half the memory proposed', async () => {
    const a = await analyzeSpec({ files: { [CHARGER]: OCPP, [API]: UVICORN, 'files/proc/meminfo': MEM, 'commands/journal.jsonl': GLOBAL_OOM } });
    const byUnit = Object.fromEntries(findings(a).map((f) => [f.subject, f]));
    expect(Object.keys(byUnit).sort()).toEqual(['charger-api.service', 'charger.service']);
    expect(byUnit['charger.service']).toMatchObject({
      severity: 'warning',
      params: { memoryMax: 'MemoryMax=infinity', oomKills: 1, firstOom: '2025-12-10T01:09:58+03:00', victim: true, totalBytes: 4 * 1024 ** 3, proposedMax: '2048M' },
    });
    expect(byUnit['charger-api.service']!.params).toMatchObject({ victim: false, proposedMax: '2048M' });
    // The kill that shows the device ran out is quoted, from the journal line that says so.
    expect(byUnit['charger.service']!.evidence.map((e) => e.text)).toEqual(expect.arrayContaining([GLOBAL_CONSTRAINT, GLOBAL_KILLED]));
    expect(byUnit['charger.service']!.remediation).toContain('MemoryMax=2048M');
    expect(byUnit['charger.service']!.remediation).toContain('/etc/systemd/system/charger.service.d/20-memory.conf');
  });

  it('counts it as a standing condition: the report says the outage is likely to recur', async () => {
    const a = await analyzeSpec({ files: { [CHARGER]: OCPP, 'files/proc/meminfo': MEM, 'commands/journal.jsonl': GLOBAL_OOM } });
    expect(a.recurrence.because).toContain(rule.id);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'no OOM kill in the window', bundle: { files: { [CHARGER]: OCPP, 'files/proc/meminfo': MEM } } },
    {
      name: 'a cgroup OOM kill (the API reached its own limit; the device still had memory)',
      bundle: { files: { [CHARGER]: OCPP, [API]: unit('/home/basar/env/bin/uvicorn api.main:app', ['Restart=always', 'MemoryMax=256M']), 'commands/journal.jsonl': CGROUP_OOM } },
    },
    {
      name: 'a global OOM kill, but the service caps itself in a drop-in (cgroup v1 MemoryLimit= counts too)',
      bundle: {
        files: {
          [CHARGER]: OCPP,
          'files/etc/systemd/system/charger.service.d/20-memory.conf': '[Service]\nMemoryLimit=1G\n',
          'commands/journal.jsonl': GLOBAL_OOM,
        },
      },
    },
    { name: 'a global OOM kill and a vendor unit without a limit', bundle: { files: { 'files/lib/systemd/system/charger.service': OCPP, 'commands/journal.jsonl': GLOBAL_OOM } } },
    {
      name: 'a global OOM kill and a oneshot (meant to exit)',
      bundle: { files: { [CHARGER]: unit('/usr/local/bin/charger-setup', ['Type=oneshot']), 'commands/journal.jsonl': GLOBAL_OOM } },
    },
  ],
  invalid: [
    {
      name: 'a global OOM kill of an unlimited service',
      bundle: { files: { [CHARGER]: OCPP, 'files/proc/meminfo': MEM, 'commands/journal.jsonl': GLOBAL_OOM } },
      findings: [{ subject: 'charger.service', severity: 'warning', params: { victim: true, proposedMax: '2048M', aboveProposed: false } }],
    },
    {
      name: 'MemoryMax=infinity set by hand counts as no limit; without /proc/meminfo no value is proposed',
      bundle: { files: { [API]: unit('/home/basar/env/bin/uvicorn api.main:app', ['MemoryMax=infinity']), 'commands/journal.jsonl': GLOBAL_OOM } },
      findings: [{ subject: 'charger-api.service', params: { victim: false, proposedMax: null, totalBytes: null, currentBytes: null } }],
    },
  ],
});
