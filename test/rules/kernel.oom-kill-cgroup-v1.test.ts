// A kernel OOM kill inside a unit's MemoryMax= on a cgroup v1 hybrid hierarchy, as the lab staged it
// (test/lab/crash-loop.test.ts): systemd 252 applies MemoryMax= as memory.limit_in_bytes, the kernel
// names the memcg (task_memcg=/system.slice/charger-logger.service), and systemd, which reads no
// memory.events on v1, reports only "code=killed, status=9/KILL" and result 'signal' (on v2 it says
// 'oom-kill'). The records are the real ones from the lab's journal.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../helpers/bundle.js';
import { describeFinding } from '../../src/report/findings.js';
import { Translator } from '../../src/report/i18n.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const rule = (a: Analysis, id: string) => a.findings.filter((f) => f.rule === id);

const JOURNAL = readFileSync(join(__dirname, '../fixtures/lab/oom-cgroup-v1/journal.jsonl'), 'utf8');
const LAB = {
  host: { hostname: 'lab-explore', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.18.44-fc-v1300', arch: 'x86_64', timezone: 'Etc/UTC', utcOffset: '+00:00', cpus: 2 },
  collectedAt: '2026-12-06T21:22:25+00:00',
  window: { since: '2026-12-06T21:22:17+00:00', until: '2026-12-06T21:22:25+00:00' },
};

describe('kernel.oom-kill on a cgroup v1 hybrid hierarchy', () => {
  it('names the unit from task_memcg though systemd says only "signal"', async () => {
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': JOURNAL } });
    const [f, ...rest] = rule(a, 'kernel.oom-kill');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subject: 'charger-logger.service',
      params: { unit: 'charger-logger.service', kills: 1, pids: [18967], comm: 'python3', memcg: '/system.slice/charger-logger.service', scope: 'cgroup', first: '2026-12-06T21:22:21+00:00' },
    });
    expect(f!.evidence.map((e) => e.text)).toEqual([
      expect.stringMatching(/^oom-kill:constraint=CONSTRAINT_MEMCG,.*,task_memcg=\/system\.slice\/charger-logger\.service,task=python3,pid=18967,uid=0$/),
      expect.stringMatching(/^Memory cgroup out of memory: Killed process 18967 \(python3\) /),
    ]);
    // Its own limit was hit: "cap it with MemoryMax=" would be advice it already follows.
    expect(f!.params).toMatchObject({ limitMemcg: '/system.slice/charger-logger.service', ownLimit: true });
    expect(f!.remediation).toContain('charger-logger.service reached its own memory limit');
    expect(f!.remediation).not.toContain('cap the greedy unit');
    for (const lang of ['en', 'tr'] as const) expect(describeFinding(new Translator(lang), f!).fix).toContain('`charger-logger.service`');
    expect(describeFinding(new Translator('en'), f!).fix).toMatch(/reached its own memory limit \(`MemoryMax=`\)/);
    // The SIGKILL of the OOM killer is not a crash.
    expect(rule(a, 'kernel.segfault')).toEqual([]);
  });

  it('stays quiet when the kill is before the window', async () => {
    const a = await analyzeSpec({ manifest: { ...LAB, window: { since: '2026-12-06T21:22:22+00:00', until: LAB.window.until } }, files: { 'commands/journal.jsonl': JOURNAL } });
    expect(rule(a, 'kernel.oom-kill')).toEqual([]);
  });
});
