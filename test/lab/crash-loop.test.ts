// Crashes staged for real on systemd 252 and the host's kernel: a segfault loop that ends in
// start-limit-hit, an OOM kill inside a unit's MemoryMax=, a watchdog timeout, two units on one
// port, and a fault line the lab's journald replays from the ring buffer after the fact. Each case
// collects its own boot (`lab.since`) and asserts the findings, their subjects, counts and times
// against what it staged, and that no finding quotes a line from before the case began (the ring
// buffer is the host's: every lab's journald replays earlier labs' faults, with the host's pids).
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDescribe, withLab, type Lab } from './harness.js';
import { runCli } from '../helpers/cli.js';
import type { Analysis } from '../../src/analysis/schema.js';

// A case may wait for other sessions' labs (one at a time) before its own ~2 s boot.
const CASE_MS = 900_000;

// /proc/loadavg, meminfo and pressure are the host's: thresholds the CI machine cannot trip.
const CONFIG = {
  thresholds: { memoryAvailablePercent: 0, memoryPressureAvg10: 100, loadPerCpu: 1000, diskWarningPercent: 100, diskCriticalPercent: 100 },
};

interface Collected {
  analysis: Analysis;
  dir: string;
  /** the bundle's files, extracted */
  root: string;
  bundle: string;
  config: string;
}

/** Collects the case's own boot inside the lab and analyses the bundle on the host. */
async function collectAndAnalyze(lab: Lab, cleanup: string[]): Promise<Collected> {
  const out = await lab.collect();
  cleanup.push(out.dir);
  const config = join(out.dir, 'config.json');
  writeFileSync(config, JSON.stringify(CONFIG));
  const r = runCli(['analyze', '--json', '--config', config, out.bundle]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const x = join(out.dir, 'x');
  spawnSync('mkdir', ['-p', x]);
  expect(spawnSync('tar', ['xzf', out.bundle, '-C', x]).status).toBe(0);
  const root = join(x, readdirSync(x)[0]!);
  return { analysis: JSON.parse(r.stdout) as Analysis, dir: out.dir, root, bundle: out.bundle, config };
}

const rule = (a: Analysis, id: string) => a.findings.filter((f) => f.rule === id);

/** The evidence of every finding is from this case: nothing dated before its boot (second precision). */
function expectNothingBefore(a: Analysis, since: string): void {
  const floor = Math.floor(Date.parse(since) / 1000) * 1000;
  for (const f of a.findings) {
    for (const e of f.evidence) {
      if (e.time !== null) expect(Date.parse(e.time), `${f.rule} ${f.subject} quotes ${e.source}:${e.line} ${e.time}`).toBeGreaterThanOrEqual(floor);
    }
  }
}

/** journalctl -o json records of a unit inside the lab: what systemd really logged. */
async function unitJournal(lab: Lab, unit: string): Promise<{ ms: number; message: string; fields: Record<string, string> }[]> {
  const r = await lab.run(['journalctl', '-o', 'json', '--no-pager', `UNIT=${unit}`, '+', `_SYSTEMD_UNIT=${unit}`]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>)
    .map((f) => ({ ms: Number(f.__REALTIME_TIMESTAMP) / 1000, message: String(f.MESSAGE), fields: f }));
}

const isoSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

labDescribe('crashes on a real systemd', () => {
  it('a segfault loop ending in start-limit-hit is one crash finding on the unit', async () => {
    const cleanup: string[] = [];
    try {
      await withLab(
        {
          hostname: 'lab-segv',
          files: {
            // Debian's python3 without systemd-coredump: systemd sees code=killed, status=11/SEGV.
            '/etc/systemd/system/charger-ocpp.service':
              "[Unit]\nDescription=Charger OCPP client\n[Service]\nExecStart=/usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)'\nRestart=always\nRestartSec=300ms\n[Install]\nWantedBy=multi-user.target\n",
          },
          wants: [['multi-user.target', 'charger-ocpp.service']],
        },
        async (lab) => {
          await lab.waitFor("journalctl -u charger-ocpp.service | grep -q 'Start request repeated too quickly'", 'start-limit-hit');
          const staged = await unitJournal(lab, 'charger-ocpp.service');
          const segv = staged.filter((r) => r.message === 'charger-ocpp.service: Main process exited, code=killed, status=11/SEGV');
          // StartLimitBurst=5: five runs, five crashes, then systemd gives up.
          expect(segv).toHaveLength(5);
          expect(segv.every((r) => r.fields.EXIT_CODE === 'killed' && r.fields.EXIT_STATUS === '11')).toBe(true);
          const { analysis: a } = await collectAndAnalyze(lab, cleanup);
          expectNothingBefore(a, lab.since);

          const [crash, ...more] = rule(a, 'kernel.segfault');
          expect(more.map((f) => f.subject)).toEqual([]);
          expect(crash).toMatchObject({ subject: 'charger-ocpp.service', severity: 'critical', params: { unit: 'charger-ocpp.service', crashes: 5, comm: 'python3', signals: ['SIGSEGV'], startLimitHit: true } });
          expect(Date.parse(crash!.params.first as string)).toBe(isoSecond(segv[0]!.ms));
          expect(Date.parse(crash!.params.last as string)).toBe(isoSecond(segv[4]!.ms));
          // Evidence: the kernel's fault lines (host pids; the kernel may rate-limit them) and systemd's exits.
          const texts = crash!.evidence.map((e) => e.text);
          expect(texts).toContain('charger-ocpp.service: Main process exited, code=killed, status=11/SEGV');
          expect(texts.some((t) => /^python3\[\d+\]: segfault at 0 /.test(t))).toBe(true);
          const pids = crash!.params.pids as number[];
          expect(pids.length).toBeGreaterThanOrEqual(1);
          expect(pids.length).toBeLessThanOrEqual(5);

          expect(rule(a, 'service.start-limit-hit').map((f) => [f.subject, f.params.startLimitBurst])).toEqual([['charger-ocpp.service', 5]]);
          expect(rule(a, 'service.restart-loop').map((f) => [f.subject, f.params.restarts, f.params.exitStatuses])).toEqual([['charger-ocpp.service', 5, ['killed/11/SEGV']]]);
          // Down from the first crash until collection: systemd gave up.
          expect(a.outage).not.toBeNull();
          expect(Date.parse(a.outage!.start)).toBe(isoSecond(segv[0]!.ms));
          expect(a.outage!.end).toBe(a.collectedAt);
        },
      );
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('an abort() without systemd-coredump, then a restart that holds: one crash, the outage from the abort to the restart', async () => {
    const cleanup: string[] = [];
    try {
      await withLab(
        {
          hostname: 'lab-abort',
          files: {
            // The first run aborts (heap corruption does this through glibc), the restarted one runs on.
            '/usr/local/bin/charger-agent.py':
              "import os, time\nmark = '/var/lib/charger-agent/ran-once'\nif not os.path.exists(mark):\n    os.makedirs(os.path.dirname(mark), exist_ok=True)\n    open(mark, 'w').close()\n    os.abort()\nwhile True:\n    time.sleep(60)\n",
            '/etc/systemd/system/charger-agent.service': '[Unit]\nDescription=Charger agent\n[Service]\nExecStart=/usr/bin/python3 /usr/local/bin/charger-agent.py\nRestart=on-failure\nRestartSec=2\n[Install]\nWantedBy=multi-user.target\n',
          },
          wants: [['multi-user.target', 'charger-agent.service']],
        },
        async (lab) => {
          await lab.waitFor("journalctl -u charger-agent.service | grep -q 'restart counter is at 1' && systemctl is-active -q charger-agent.service", 'the restart');
          const staged = await unitJournal(lab, 'charger-agent.service');
          const abort = staged.find((r) => r.message === 'charger-agent.service: Main process exited, code=killed, status=6/ABRT');
          expect(abort).toBeDefined();
          const started = staged.filter((r) => r.message.startsWith('Started charger-agent.service'));
          expect(started).toHaveLength(2);
          const { analysis: a } = await collectAndAnalyze(lab, cleanup);
          expectNothingBefore(a, lab.since);

          const [crash, ...more] = rule(a, 'kernel.segfault');
          expect(more.map((f) => f.subject)).toEqual([]);
          expect(crash).toMatchObject({ subject: 'charger-agent.service', params: { crashes: 1, kinds: ['fatal-signal'], signals: ['SIGABRT'], startLimitHit: false } });
          expect(crash!.remediation).toContain('Restart=on-failure brings charger-agent.service back');
          expect(rule(a, 'service.start-limit-hit')).toEqual([]);
          // Down from the abort until systemd's restart two seconds later.
          expect(a.outage).not.toBeNull();
          expect(Date.parse(a.outage!.start)).toBe(isoSecond(abort!.ms));
          expect(Date.parse(a.outage!.end)).toBe(isoSecond(started[1]!.ms));
        },
      );
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('a program run by hand in a login session that crashes twice is one finding on the program, not on a unit', async () => {
    const cleanup: string[] = [];
    try {
      await withLab({ hostname: 'lab-hand-crash', users: ['pi'] }, async (lab) => {
        for (let i = 0; i < 2; i++) {
          const r = await lab.run(['runuser', '-l', 'pi', '-c', "python3 -c 'import ctypes; ctypes.string_at(0)'"]);
          expect(r.code).not.toBe(0);
        }
        const { analysis: a } = await collectAndAnalyze(lab, cleanup);
        expectNothingBefore(a, lab.since);
        const [crash, ...more] = rule(a, 'kernel.segfault');
        expect(more.map((f) => f.subject)).toEqual([]);
        // No unit ran it: systemd logged no exit, so the kernel's lines (host pids) are all there is.
        expect(crash).toMatchObject({ params: { unit: null, crashes: 2, comm: 'python3', kinds: ['segfault'], startLimitHit: false } });
        const pids = crash!.params.pids as number[];
        expect(pids).toHaveLength(2);
        expect(crash!.subject).toBe(`python3 (pids ${pids.join(', ')})`);
        expect(crash!.evidence.map((e) => e.text)).toEqual(pids.map((p) => expect.stringMatching(new RegExp(`^python3\\[${p}\\]: segfault at 0 `))));
      });
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('an OOM kill inside a unit\'s MemoryMax= names the unit and the killed pid', async () => {
    const cleanup: string[] = [];
    try {
      await withLab(
        {
          hostname: 'lab-oom',
          files: {
            // Waits for the go file, so the test can read its pid first, then allocates until killed.
            '/usr/local/bin/logger-hog.py': "import os, time\nwhile not os.path.exists('/run/hog-go'):\n    time.sleep(0.05)\nx = []\nwhile True:\n    x.append(bytearray(1 << 20))\n",
            '/etc/systemd/system/charger-logger.service': '[Unit]\nDescription=Charger session logger\n[Service]\nExecStart=/usr/bin/python3 /usr/local/bin/logger-hog.py\nMemoryMax=32M\n[Install]\nWantedBy=multi-user.target\n',
          },
          wants: [['multi-user.target', 'charger-logger.service']],
        },
        async (lab) => {
          await lab.waitFor('systemctl is-active -q charger-logger.service', 'the logger to run');
          // The kernel names the host's pid: read it from the unit's cgroup as the host sees it (v1 or v2).
          const procs = ['/sys/fs/cgroup/systemd/system.slice/charger-logger.service/cgroup.procs', '/sys/fs/cgroup/system.slice/charger-logger.service/cgroup.procs', '/sys/fs/cgroup/unified/system.slice/charger-logger.service/cgroup.procs'];
          const hostPid = Number(
            procs
              .map((p) => {
                try {
                  return readFileSync(p, 'utf8').trim();
                } catch {
                  return '';
                }
              })
              .find((s) => s !== ''),
          );
          expect(hostPid).toBeGreaterThan(0);
          await lab.sh('touch /run/hog-go');
          await lab.waitFor('systemctl is-failed -q charger-logger.service', 'the OOM kill');
          const staged = await unitJournal(lab, 'charger-logger.service');
          const exit = staged.find((r) => r.message === 'charger-logger.service: Main process exited, code=killed, status=9/KILL');
          expect(exit).toBeDefined();
          const { analysis: a } = await collectAndAnalyze(lab, cleanup);
          expectNothingBefore(a, lab.since);

          const [oom, ...more] = rule(a, 'kernel.oom-kill');
          expect(more.map((f) => f.subject)).toEqual([]);
          expect(oom).toMatchObject({
            subject: 'charger-logger.service',
            params: { unit: 'charger-logger.service', kills: 1, pids: [hostPid], comm: 'python3', scope: 'cgroup', memcg: '/system.slice/charger-logger.service' },
          });
          expect(Math.abs(Date.parse(oom!.params.first as string) - isoSecond(exit!.ms))).toBeLessThanOrEqual(1000);
          // Its own MemoryMax= was the limit hit (oom_memcg= is its cgroup): the fix says so.
          expect(oom!.params).toMatchObject({ limitMemcg: '/system.slice/charger-logger.service', ownLimit: true, memoryMax: '32M' });
          expect(oom!.remediation).toContain('charger-logger.service reached its own memory limit (MemoryMax=32M)');
          expect(oom!.remediation).toContain('With Restart=no it stays down after the kill');
          expect(oom!.evidence.map((e) => e.text)).toContainEqual(expect.stringMatching(new RegExp(`^Memory cgroup out of memory: Killed process ${hostPid} \\(python3\\)`)));
          // A SIGKILL is the OOM killer's, not a crash.
          expect(rule(a, 'kernel.segfault')).toEqual([]);
        },
      );
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('a Type=notify program that never sends WATCHDOG=1 is a watchdog timeout, not a crash', async () => {
    const cleanup: string[] = [];
    try {
      await withLab(
        {
          hostname: 'lab-watchdog',
          files: {
            '/usr/local/bin/meter-reader.py':
              "import os, socket, time\naddr = os.environ['NOTIFY_SOCKET']\nif addr.startswith('@'):\n    addr = '\\0' + addr[1:]\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.sendto(b'READY=1', addr)\nwhile True:\n    time.sleep(60)\n",
            '/etc/systemd/system/meter-reader.service': '[Unit]\nDescription=Meter reader\n[Service]\nType=notify\nExecStart=/usr/bin/python3 /usr/local/bin/meter-reader.py\nWatchdogSec=2\n[Install]\nWantedBy=multi-user.target\n',
          },
          wants: [['multi-user.target', 'meter-reader.service']],
        },
        async (lab) => {
          await lab.waitFor("systemctl show -P Result meter-reader.service | grep -qx watchdog", 'the watchdog');
          const staged = await unitJournal(lab, 'meter-reader.service');
          const timeout = staged.find((r) => r.message === 'meter-reader.service: Watchdog timeout (limit 2s)!');
          expect(timeout).toBeDefined();
          const { analysis: a } = await collectAndAnalyze(lab, cleanup);
          expectNothingBefore(a, lab.since);

          expect(rule(a, 'service.watchdog-timeout').map((f) => f.title)).toEqual(['The watchdog of meter-reader.service fired once (WatchdogSec=2s)']);
          expect(rule(a, 'service.watchdog-timeout').map((f) => [f.subject, f.params.timeouts, f.params.watchdogSec, f.params.first])).toEqual([
            ['meter-reader.service', 1, '2s', new Date(isoSecond(timeout!.ms)).toISOString().replace('.000Z', '+00:00')],
          ]);
          // systemd aborted it (SIGABRT, no core here): that is the watchdog's doing.
          expect(staged.some((r) => /Main process exited, code=(killed|dumped), status=6\/ABRT/.test(r.message))).toBe(true);
          expect(rule(a, 'kernel.segfault')).toEqual([]);
        },
      );
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('two units on one port: the port, the unit that holds it and what to do', async () => {
    const cleanup: string[] = [];
    const server = (d: string) => `[Unit]\nDescription=${d}\n[Service]\nExecStart=/usr/bin/python3 -m http.server 8000 --bind 127.0.0.1\nRestart=always\n[Install]\nWantedBy=multi-user.target\n`;
    try {
      await withLab(
        {
          hostname: 'lab-port',
          files: {
            '/etc/systemd/system/charger-api.service': server('Charger API'),
            // The new version, installed beside the old one and started while the old one serves.
            '/etc/systemd/system/charger-api-v2.service': server('Charger API v2').replace('Restart=always\n', ''),
          },
          wants: [['multi-user.target', 'charger-api.service']],
        },
        async (lab) => {
          await lab.waitFor("ss -Hltn 'sport = :8000' | grep -q 127.0.0.1:8000", 'charger-api to listen');
          await lab.run(['systemctl', 'start', 'charger-api-v2.service']);
          await lab.waitFor('systemctl is-failed -q charger-api-v2.service', 'charger-api-v2 to fail');
          const holderPid = Number(await lab.prop('charger-api.service', 'MainPID'));
          expect(holderPid).toBeGreaterThan(0);
          const staged = await unitJournal(lab, 'charger-api-v2.service');
          expect(staged.map((r) => r.message)).toContain('OSError: [Errno 98] Address already in use');
          const { analysis: a, bundle, config } = await collectAndAnalyze(lab, cleanup);
          expectNothingBefore(a, lab.since);

          const [pc, ...more] = rule(a, 'process.port-conflict');
          expect(more.map((f) => f.subject)).toEqual([]);
          expect(pc).toMatchObject({
            subject: '127.0.0.1:8000',
            params: { port: 8000, address: '127.0.0.1', failures: 1, failedUnits: ['charger-api-v2.service'], holderUnit: 'charger-api.service', holderPid },
          });
          expect(pc!.remediation).toContain('sudo systemctl disable --now charger-api-v2.service or sudo systemctl disable --now charger-api.service');
          expect(pc!.remediation).not.toContain('only owner of');
          expect(pc!.evidence.map((e) => e.text)).toContain('OSError: [Errno 98] Address already in use');
          expect(pc!.evidence.map((e) => e.text)).toContainEqual(expect.stringContaining(`127.0.0.1:8000 0.0.0.0:* users:(("python3",pid=${holderPid},`));
          // The report a person reads names the units too, in both languages.
          for (const lang of ['en', 'tr']) {
            const r = runCli(['report', '--lang', lang, '--config', config, bundle]);
            expect(r.code).toBe(0);
            expect(r.stdout).toMatch(/`charger-api-v2\.service`[^\n]*8000[^\n]*`charger-api\.service`/);
          }
        },
      );
    } finally {
      for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    }
  }, CASE_MS);

  it('a fault line the lab\'s journald replays from before its boot is placed at its true time and cited by nothing', async () => {
    const cleanup: string[] = [];
    // A crash in a first lab (under the lab lock, so no other session's lab reads it live) leaves its
    // kernel line in the host's ring buffer, under a name of its own; the next lab's journald, which
    // starts seconds later, as on a real device, replays it with the replay time.
    let crashedAt = 0;
    await withLab({ hostname: 'lab-replay-before' }, async (lab) => {
      await lab.sh('ln -s /usr/bin/python3 /usr/local/bin/replayfault');
      const r = await lab.run(['replayfault', '-c', 'import ctypes; ctypes.string_at(0)']);
      expect(r.code).toBeNull();
      crashedAt = Date.now();
      await new Promise((res) => setTimeout(res, 2500));
    });
    try {
      await withLab(
        {
          hostname: 'lab-replay',
          files: {
            // A crash inside the window too, so the rule is shown to fire where it should.
            '/etc/systemd/system/charger-ocpp.service': "[Unit]\nDescription=Charger OCPP client\n[Service]\nType=oneshot\nExecStart=/usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)'\n[Install]\nWantedBy=multi-user.target\n",
          },
          wants: [['multi-user.target', 'charger-ocpp.service']],
        },
        async (lab) => {
          expect(crashedAt).toBeLessThan(Date.parse(lab.since));
          await lab.waitFor('systemctl is-failed -q charger-ocpp.service', 'the in-window crash');
          const { analysis: a, root } = await collectAndAnalyze(lab, cleanup);
          // The lab's journald replayed the line with the replay time, inside the window: the bundle has it.
          const journal = readFileSync(join(root, 'commands/journal.jsonl'), 'utf8').split('\n').filter((l) => /replayfault\[\d+\]: segfault/.test(l));
          expect(journal.length).toBeGreaterThanOrEqual(1);
          const rec = JSON.parse(journal[journal.length - 1]!) as Record<string, string>;
          const replayedAt = Number(rec.__REALTIME_TIMESTAMP) / 1000;
          expect(replayedAt).toBeGreaterThanOrEqual(Date.parse(lab.since));
          // Its true time is the kernel's boot (realtime − monotonic of the record) + the kernel's own
          // stamp: the kernel's boot, not the lab's (the lab boots no kernel), and before the window.
          const trueMs = replayedAt - Number(rec.__MONOTONIC_TIMESTAMP) / 1000 + Number(rec._SOURCE_MONOTONIC_TIMESTAMP) / 1000;
          expect(trueMs).toBeLessThan(Date.parse(lab.since));
          // dmesg in the bundle prints it at that time too.
          expect(readFileSync(join(root, 'commands/dmesg.txt'), 'utf8')).toMatch(/replayfault\[\d+\]: segfault/);

          expectNothingBefore(a, lab.since);
          const cites = (s: string) => a.findings.filter((f) => f.evidence.some((e) => e.text.includes(s))).map((f) => f.rule);
          expect(cites('replayfault')).toEqual([]);
          expect(a.timeline.filter((t) => JSON.stringify(t).includes('replayfault'))).toEqual([]);
          expect(rule(a, 'kernel.segfault').map((f) => [f.subject, f.params.crashes])).toEqual([['charger-ocpp.service', 1]]);
        },
      );
    } finally {
      for (const x of cleanup) rmSync(x, { recursive: true, force: true });
    }
  }, CASE_MS);
});
