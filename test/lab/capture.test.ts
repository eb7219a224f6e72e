// charger-diag capture on a real systemd 252: install watches units, each unexpected stop
// gives one capture (rate-limited per unit), an OOM kill and a start-limit-hit are captured,
// a hang the proposed health check sees is captured before the restart, and remove leaves no
// file of charger-diag under /etc/systemd/system while the captures stay. Each case prints
// what it measured (the delay from the failure to the bundle, the capture's CPU time and
// peak memory) for docs/capture.md.
import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_CLI, OK_API_PY, labDescribe, withLab, type Lab } from './harness.js';
import { runCli } from '../helpers/cli.js';
import type { Analysis } from '../../src/analysis/schema.js';

const CASE_MS = 900_000;
const DIR = '/var/lib/charger-diag/captures';
const CONFIG = JSON.stringify({
  thresholds: { memoryAvailablePercent: 0, memoryPressureAvg10: 100, loadPerCpu: 1000, diskWarningPercent: 100, diskCriticalPercent: 100 },
});

// Bundles copied out and analysed on the host, removed after the file.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(lab: Lab, args: string[]) {
  return lab.run(['node', LAB_CLI, ...args], { timeoutMs: 120_000 });
}

/** journalctl records of a unit: epoch ms and message. */
async function journal(lab: Lab, match: string[]): Promise<{ ms: number; message: string }[]> {
  const r = await lab.run(['journalctl', '-o', 'json', '--no-pager', ...match]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>)
    .map((f) => ({ ms: Number(f.__REALTIME_TIMESTAMP) / 1000, message: String(f.MESSAGE) }));
}

async function bundles(lab: Lab): Promise<string[]> {
  const r = await lab.sh(`ls -1 ${DIR} 2>/dev/null | grep '\\.tar\\.gz$' || true`);
  return r.stdout.split('\n').filter(Boolean).sort();
}

/** A bundle copied out and analysed on the host. */
function analyse(lab: Lab, name: string): { analysis: Analysis; report: string; file: string } {
  const host = mkdtempSync(join(tmpdir(), 'charger-diag-lab-capture-'));
  dirs.push(host);
  const file = join(host, name);
  copyFileSync(lab.path(`${DIR}/${name}`), file);
  const config = join(host, 'config.json');
  spawnSync('sh', ['-c', `printf '%s' '${CONFIG}' > ${config}`]);
  const r = runCli(['analyze', '--json', '--config', config, file]);
  expect(r.stderr).toBe('');
  const rep = runCli(['report', '--config', config, file]);
  return { analysis: JSON.parse(r.stdout) as Analysis, report: rep.stdout, file };
}

/** Epoch ms of a lab file's last modification. */
async function mtimeMs(lab: Lab, path: string): Promise<number> {
  return Math.round(Number((await lab.sh(`stat -c %.3Y ${path}`)).stdout.trim()) * 1000);
}

/** "Consumed 1.234s CPU time." systemd logs when a capture unit ends, and the cost `capture collect` prints. */
async function consumedCpu(lab: Lab, unit: string): Promise<string[]> {
  const recs = [...(await journal(lab, [`UNIT=${unit}`])), ...(await journal(lab, [`_SYSTEMD_UNIT=${unit}`]))];
  return recs.map((r) => /Consumed (.+) CPU time|^capture cost: (.+)$/.exec(r.message)).filter((m): m is RegExpExecArray => m !== null).map((m) => m[1] ?? m[2]!);
}

/** Peak memory of all captures so far: the capture slice's high-water mark (cgroup v1 or v2), as the host sees it. */
function capturePeakBytes(): number | null {
  for (const p of [
    '/sys/fs/cgroup/memory/system.slice/system-charger\\x2ddiag\\x2dcapture.slice/memory.max_usage_in_bytes',
    '/sys/fs/cgroup/system.slice/system-charger\\x2ddiag\\x2dcapture.slice/memory.peak',
  ]) {
    const r = spawnSync('cat', [p], { encoding: 'utf8' });
    if (r.status === 0) return Number(r.stdout.trim());
  }
  return null;
}

const CRASHER = `[Unit]
Description=Charger OCPP client
[Service]
ExecStart=/bin/sh -c 'echo connecting; sleep 3; echo lost the central system >&2; exit 3'
Restart=always
RestartSec=1
[Install]
WantedBy=multi-user.target
`;

/** lab.waitFor, and when it times out what the lab's systemd was doing (the journal's end, the triggers). */
async function waitOrShow(lab: Lab, check: string, what: string, timeoutMs: number): Promise<void> {
  try {
    await lab.waitFor(check, what, timeoutMs);
  } catch (e) {
    const r = await lab.run(['bash', '-c', "ls -la /run/charger-diag/triggers; ps -eo pid,ni,stat,wchan:32,etimes,args | grep -v kworker | tail -30; journalctl --no-pager -n 80; timeout 5 systemctl list-units --no-pager --all 'charger*'"], { timeoutMs: 30_000 });
    const pid1 = spawnSync('sh', ['-c', `cat /proc/${lab.pid}/wchan; echo; cat /proc/${lab.pid}/stack; grep State /proc/${lab.pid}/status`], { encoding: 'utf8' }).stdout;
    throw new Error(`${(e as Error).message}\nPID 1: ${pid1}\n${r.stdout}\n${r.stderr}`);
  }
}

/** A drop-in of the test's own that logs what every ExecStopPost= sees (what docs/capture.md reports). */
const PROBE = (u: string) => `[Service]\nExecStopPost=+/bin/sh -c 'echo "${u} SERVICE_RESULT=$$SERVICE_RESULT EXIT_CODE=$$EXIT_CODE EXIT_STATUS=$$EXIT_STATUS" >>/run/probe.log'\n`;

labDescribe('capture on a real systemd', () => {
  it('a crash loop under Restart=always (never failed) gives exactly one capture within 30 s, naming the unit; remove keeps it', async () => {
    await withLab(
      {
        hostname: 'lab-capture',
        files: { '/etc/systemd/system/charger-ocpp.service': CRASHER, '/etc/systemd/system/charger-ocpp.service.d/10-probe.conf': PROBE('charger-ocpp.service') },
        wants: [['multi-user.target', 'charger-ocpp.service']],
      },
      async (lab) => {
        await lab.waitFor('systemctl is-active -q charger-ocpp.service', 'the unit to run');
        const dry = await cli(lab, ['capture', 'install', '--dry-run']);
        expect(dry.stderr).toBe('');
        expect(dry.stdout).toContain('# file /etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf');
        // The dry run wrote nothing.
        expect((await lab.sh('ls /etc/systemd/system/charger-ocpp.service.d')).stdout).toBe('10-probe.conf\n');
        // A file at a path install would write, that install did not write: refused, nothing changed.
        await lab.sh("printf '# mine\\n' >/etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf");
        const refused = await cli(lab, ['capture', 'install']);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe('charger-diag: this machine: /etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf exists and was not written by charger-diag capture install: nothing was changed\n');
        expect((await lab.sh('cat /etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf; ls /usr/local/lib/charger-diag /var/lib/charger-diag 2>&1 || true')).stdout).toMatch(/^# mine\n(ls: cannot access .*No such file or directory\n){2}$/);
        await lab.sh('rm /etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf');
        const inst = await cli(lab, ['capture', 'install']);
        expect(inst.stderr).toBe('');
        expect(inst.code).toBe(0);
        expect(inst.stdout).toContain('watching charger-ocpp.service;');
        // Idempotent: a second install writes the same files and refuses nothing.
        const again = await cli(lab, ['capture', 'install']);
        expect(again.code).toBe(0);
        const installedAt = Date.parse(lab.since);
        await waitOrShow(lab, `ls ${DIR}/*.tar.gz >/dev/null 2>&1`, 'the first capture', 60_000);
        // Let the loop run on: several more crashes inside the interval.
        await waitOrShow(lab, `[ "$(journalctl -u charger-ocpp.service -o cat | grep -c 'Main process exited')" -ge 6 ]`, 'more crashes', 120_000);
        await lab.waitFor("! systemctl is-active -q 'charger-diag-capture@charger-ocpp.service.service'", 'the last capture run to end', 60_000);
        expect(await lab.prop('charger-ocpp.service', 'ActiveState')).not.toBe('failed');
        const names = await bundles(lab);
        expect(names).toHaveLength(1);
        expect(names[0]).toMatch(/^lab-capture-charger-ocpp\.service-\d{8}-\d{6}\.tar\.gz$/);
        const exits = (await journal(lab, ['UNIT=charger-ocpp.service'])).filter((r) => r.message.includes('Main process exited, code=exited, status=3/NOTIMPLEMENTED'));
        const afterInstall = exits.filter((r) => r.ms >= installedAt);
        const first = afterInstall[0]!;
        const bundleMs = await mtimeMs(lab, `${DIR}/${names[0]}`);
        const delay = (bundleMs - first.ms) / 1000;
        expect(delay).toBeLessThan(30);
        const started = (await journal(lab, ['UNIT=charger-diag-capture@charger-ocpp.service.service'])).find((r) => r.message.startsWith('Starting'));
        console.log(`capture: crash loop: first crash ${new Date(first.ms).toISOString()}, capture unit started +${((started!.ms - first.ms) / 1000).toFixed(2)} s, bundle complete +${delay.toFixed(2)} s; CPU ${JSON.stringify(await consumedCpu(lab, 'charger-diag-capture@charger-ocpp.service.service'))}; peak memory ${capturePeakBytes()} B`);

        // The hook never holds up the restart: from each exit to the next start is RestartSec=1 and scheduling.
        const starts = (await journal(lab, ['UNIT=charger-ocpp.service'])).filter((r) => r.message.startsWith('Started '));
        const gaps = afterInstall.map((e) => (starts.find((x) => x.ms > e.ms)?.ms ?? NaN) - e.ms).filter(Number.isFinite);
        console.log(`capture: crash loop: exit to restart ${gaps.map((g) => (g / 1000).toFixed(2)).join(', ')} s (RestartSec=1)`);
        expect(Math.max(...gaps)).toBeLessThan(5000);

        const { analysis: a, report } = analyse(lab, names[0]!);
        expect(a.trigger).toMatchObject({ unit: 'charger-ocpp.service', result: 'exit-code', exitCode: 'exited', exitStatus: '3', hook: 'ExecStopPost' });
        expect(a.trigger!.capturedAfterSeconds).toBeLessThan(30);
        expect(report).toMatch(/captured \d+ s after `charger-ocpp\.service` stopped \(`exit-code`\)/);

        const st = await cli(lab, ['capture', 'status', '--json']);
        const status = JSON.parse(st.stdout);
        expect(status.units).toEqual([expect.objectContaining({ unit: 'charger-ocpp.service', captures: 1 })]);
        expect(status.units[0].rateLimited).toBeGreaterThanOrEqual(afterInstall.length - 2);
        console.log(`capture: status ${st.stdout}`);

        // A stop the operator asks for is no failure: the hook sees SERVICE_RESULT=success and starts
        // nothing. Stopped while it runs (not between a crash and its restart, when no process is left
        // to stop), and the counters read just before: the loop's next crash is 3 s away.
        const stateFile = `${DIR}/.state/charger-ocpp.service`;
        const stopped = await lab.sh(`until systemctl is-active -q charger-ocpp.service; do sleep 0.1; done; cat ${stateFile}; echo ---; systemctl stop charger-ocpp.service; sleep 2; cat ${stateFile}`);
        const [before, after] = stopped.stdout.split('---\n');
        expect(after).toBe(before);
        const probe = (await lab.sh('tail -n 1 /run/probe.log')).stdout.trim();
        console.log(`capture: an operator's stop: ${probe}`);
        expect(probe).toMatch(/^charger-ocpp\.service SERVICE_RESULT=success EXIT_CODE=killed EXIT_STATUS=TERM$/);

        const rm = await cli(lab, ['capture', 'remove']);
        expect(rm.code).toBe(0);
        expect(rm.stdout).toContain(`kept: the captures in ${DIR}`);
        expect((await lab.sh("grep -rl charger-diag /etc/systemd/system || true")).stdout.trim()).toBe('');
        // The device's own drop-in directory and file stay.
        expect((await lab.sh('ls /etc/systemd/system/charger-ocpp.service.d')).stdout).toBe('10-probe.conf\n');
        expect(await bundles(lab)).toEqual(names);
        expect((await lab.sh('ls /usr/local/lib/charger-diag 2>&1 || true')).stdout).toMatch(/No such file/);
      },
    );
  }, CASE_MS);
  it('an OOM kill, a watchdog timeout and a start-limit-hit each give one capture, whichever hooks fire', async () => {
    await withLab(
      {
        hostname: 'lab-capture-kinds',
        files: {
          '/usr/local/bin/logger-hog.py': "import os, time\nwhile not os.path.exists('/run/hog-go'):\n    time.sleep(0.05)\nx = []\nwhile True:\n    x.append(bytearray(1 << 20))\n",
          '/etc/systemd/system/charger-logger.service': '[Unit]\nDescription=Charger session logger\n[Service]\nExecStart=/usr/bin/python3 /usr/local/bin/logger-hog.py\nMemoryMax=32M\n',
          '/usr/local/bin/meter-reader.py':
            "import os, socket, time\naddr = os.environ['NOTIFY_SOCKET']\nif addr.startswith('@'):\n    addr = '\\0' + addr[1:]\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.sendto(b'READY=1', addr)\nwhile True:\n    time.sleep(60)\n",
          '/etc/systemd/system/meter-reader.service': '[Unit]\nDescription=Meter reader\n[Service]\nType=notify\nExecStart=/usr/bin/python3 /usr/local/bin/meter-reader.py\nWatchdogSec=2\n',
          // Exits 0 at once under Restart=always: no ExecStopPost sees a failure, start-limit-hit ends it.
          '/etc/systemd/system/charger-sync.service': '[Unit]\nDescription=Charger sync\n[Service]\nExecStart=/bin/true\nRestart=always\nRestartSec=100ms\n',
          '/etc/systemd/system/charger-logger.service.d/10-probe.conf': PROBE('charger-logger.service'),
          '/etc/systemd/system/meter-reader.service.d/10-probe.conf': PROBE('meter-reader.service'),
          '/etc/systemd/system/charger-sync.service.d/10-probe.conf': PROBE('charger-sync.service'),
          // Five segfaults in a row, then start-limit-hit: ExecStopPost= sees each crash, OnFailure= the end.
          '/etc/systemd/system/charger-segv.service': "[Unit]\nDescription=Charger segfault loop\n[Service]\nExecStart=/usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)'\nRestart=always\nRestartSec=300ms\n",
          '/etc/systemd/system/charger-segv.service.d/10-probe.conf': PROBE('charger-segv.service'),
        },
      },
      async (lab) => {
        const units = ['charger-logger.service', 'meter-reader.service', 'charger-sync.service', 'charger-segv.service'];
        // About 3 MB of journal export, over the 1 MiB cap a quarter of --max-bytes 4M gives each capture.
        await lab.sh("for i in $(seq 3000); do echo \"spam line $i of a chatty logger, padded to be a realistic length for a charger's log line\"; done | systemd-cat -t spam");
        const inst = await cli(lab, ['capture', 'install', '--max-bytes', '4M', ...units.flatMap((u) => ['--unit', u])]);
        expect(inst.stderr).toBe('');
        expect(inst.code).toBe(0);
        await lab.sh('systemctl start charger-logger.service meter-reader.service');
        await lab.sh('touch /run/hog-go');
        await lab.sh('systemctl start charger-sync.service charger-segv.service', { allowFail: true });
        await lab.waitFor(units.map((u) => `systemctl is-failed -q ${u}`).join(' && '), 'all four to fail', 60_000);
        await waitOrShow(lab, `[ "$(ls ${DIR}/*.tar.gz 2>/dev/null | wc -l)" -ge 4 ]`, 'four captures', 90_000);
        await lab.waitFor("! systemctl list-units --no-legend 'charger-diag-capture@*' | grep -q activating", 'the captures to end', 90_000);
        // A moment for a late OnFailure= start: it must not make a second capture.
        await lab.sh('sleep 3');
        const names = await bundles(lab);
        const seen = (await lab.sh('cat /run/probe.log')).stdout;
        const results = Object.fromEntries(await Promise.all(units.map(async (u) => [u, `Result=${await lab.prop(u, 'Result')}`])));
        console.log(`capture: what ExecStopPost saw:\n${seen}capture: Result= afterwards: ${JSON.stringify(results)}`);
        for (const u of units) {
          const own = names.filter((n) => n.startsWith(`lab-capture-kinds-${u}-`));
          expect(own, `${u}: ${names.join(' ')}`).toHaveLength(1);
        }
        const trig = (u: string) => analyse(lab, names.find((n) => n.startsWith(`lab-capture-kinds-${u}-`))!).analysis.trigger;
        // Each capture's journal was cut at its cap and marked so, as collect cuts.
        const first = analyse(lab, names[0]!).analysis;
        expect(first.sources.find((x) => x.id === 'journal')).toMatchObject({ status: 'truncated' });
        expect(trig('charger-logger.service')).toMatchObject({ unit: 'charger-logger.service', result: 'oom-kill', exitCode: 'killed', exitStatus: 'KILL', hook: 'ExecStopPost' });
        expect(trig('meter-reader.service')).toMatchObject({ unit: 'meter-reader.service', result: 'watchdog', hook: 'ExecStopPost' });
        expect(trig('charger-sync.service')).toMatchObject({ unit: 'charger-sync.service', result: 'start-limit-hit', hook: 'OnFailure' });
        // The first segfault is the capture; the four after it and the start-limit-hit add none.
        expect(trig('charger-segv.service')).toMatchObject({ unit: 'charger-segv.service', result: expect.stringMatching(/^(signal|core-dump)$/), exitStatus: 'SEGV', hook: 'ExecStopPost' });
        for (const u of units) console.log(`capture: ${u}: CPU ${JSON.stringify(await consumedCpu(lab, `charger-diag-capture@${u}.service`))}`);
        console.log(`capture: peak memory of the capture slice ${capturePeakBytes()} B`);
        const st = JSON.parse((await cli(lab, ['capture', 'status', '--json'])).stdout);
        expect(st.units.map((x: { unit: string; captures: number }) => [x.unit, x.captures])).toEqual(units.slice().sort().map((u) => [u, 1]));
      },
    );
  }, CASE_MS);
  it('a device without charger-diag installed gets captures from the POSIX collection script, the trigger in its manifest', async () => {
    await withLab(
      {
        hostname: 'lab-capture-sh',
        files: { '/etc/systemd/system/charger-ocpp.service': CRASHER },
        wants: [['multi-user.target', 'charger-ocpp.service']],
      },
      async (lab) => {
        // A node under /tmp is what npx leaves behind: install never records it, so the capture runs the script.
        await lab.sh('cp /usr/bin/node /tmp/node');
        // About 3 MB of journal export: over a 1 MiB cap (a quarter of --max-bytes 4M).
        await lab.sh("for i in $(seq 3000); do echo \"spam line $i of a chatty logger, padded to be a realistic length for a charger's log line\"; done | systemd-cat -t spam");
        const inst = await lab.run(['/tmp/node', LAB_CLI, 'capture', 'install', '--unit', 'charger-ocpp.service', '--max-bytes', '4M'], { timeoutMs: 120_000 });
        expect(inst.stderr).toBe('');
        expect(inst.stdout).toContain('the POSIX collection script');
        expect((await lab.sh('grep -c "^NODE=\'\'$" /usr/local/lib/charger-diag/capture-run')).stdout.trim()).toBe('1');
        await waitOrShow(lab, `ls ${DIR}/*.tar.gz >/dev/null 2>&1`, 'the capture', 90_000);
        await lab.waitFor("! systemctl is-active -q 'charger-diag-capture@charger-ocpp.service.service'", 'the capture run to end', 90_000);
        const names = await bundles(lab);
        expect(names).toHaveLength(1);
        const { analysis: a } = analyse(lab, names[0]!);
        expect(a.trigger).toMatchObject({ unit: 'charger-ocpp.service', result: 'exit-code', exitCode: 'exited', exitStatus: '3', hook: 'ExecStopPost' });
        expect(a.collector?.mode).toBe('script');
        // Cut at the capture's cap and marked so, as collect cuts.
        const journalSource = a.sources.find((x) => x.id === 'journal');
        expect(journalSource?.status).toBe('truncated');
        console.log(`capture: script capture: ${JSON.stringify(a.trigger)}; runner: ${(await journal(lab, ['_SYSTEMD_UNIT=charger-diag-capture@charger-ocpp.service.service'])).map((r) => r.message).filter((m) => /capture|\ds/.test(m)).join(' | ')}`);
        await lab.sh('rm -f /tmp/node');
      },
    );
  }, CASE_MS);
  it('--ssh installs, reports and removes on a device through OpenSSH, as a user with sudo -n', async () => {
    await withLab(
      {
        hostname: 'lab-capture-ssh',
        users: ['pi', 'guest'],
        files: { '/etc/systemd/system/charger-ocpp.service': CRASHER, '/etc/sudoers.d/pi': { content: 'pi ALL=(ALL) NOPASSWD: ALL\n', mode: 0o440 } },
        wants: [['multi-user.target', 'charger-ocpp.service']],
      },
      async (lab) => {
        // An sshd of the lab's own on its loopback, keys only: the device as an operator reaches it.
        await lab.sh(`set -e
mkdir -p /root/t /run/sshd
ssh-keygen -q -t ed25519 -N '' -f /root/t/host_key
ssh-keygen -q -t ed25519 -N '' -f /root/t/key
cp /root/t/key.pub /root/t/authorized_keys
printf 'ListenAddress 127.0.0.1\\nHostKey /root/t/host_key\\nAuthorizedKeysFile /root/t/authorized_keys\\nUsePAM no\\nStrictModes no\\nPasswordAuthentication no\\nPermitRootLogin prohibit-password\\nPidFile /root/t/sshd.pid\\n' >/root/t/sshd_config
usermod -p '*' pi
usermod -p '*' guest
/usr/sbin/sshd -f /root/t/sshd_config -p 2222`);
        const opts = ['-i', '/root/t/key', '-oIdentitiesOnly=yes', '-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null', '-oLogLevel=ERROR'].flatMap((o) => ['--ssh-option', o]);
        const ssh = ['--ssh', 'pi@127.0.0.1:2222', ...opts];
        // Without sudo there is nothing to do: one line, exit 2, nothing written.
        const guest = await cli(lab, ['capture', 'install', '--ssh', 'guest@127.0.0.1:2222', ...opts]);
        expect(guest.code).toBe(2);
        expect(guest.stderr).toMatch(/^charger-diag: --ssh guest@127\.0\.0\.1:2222: capture needs root there: log in as root or allow passwordless sudo \(sudo -n failed: .*\)\n$/);
        expect((await lab.sh('ls /etc/systemd/system/charger-ocpp.service.d 2>&1 || true')).stdout).toMatch(/No such file/);
        const dry = await cli(lab, ['capture', 'install', '--dry-run', ...ssh]);
        expect(dry.stderr).toBe('');
        expect(dry.stdout).toContain('# charger-diag capture install on pi@127.0.0.1:2222 (dry run: nothing is written)\n# watched units: charger-ocpp.service\n');
        const inst = await cli(lab, ['capture', 'install', ...ssh]);
        expect(inst.stderr).toBe('');
        expect(inst.stdout).toContain('wrote /etc/systemd/system/charger-ocpp.service.d/50-charger-diag-capture.conf');
        await lab.waitFor(`ls ${DIR}/*.tar.gz >/dev/null 2>&1`, 'the capture', 90_000);
        await lab.waitFor("! systemctl is-active -q 'charger-diag-capture@charger-ocpp.service.service'", 'the capture run to end', 90_000);
        const st = await cli(lab, ['capture', 'status', ...ssh]);
        expect(st.stderr).toBe('');
        expect(st.stdout).toMatch(/^capture installed on lab-capture-ssh at .*; captures in \/var\/lib\/charger-diag\/captures by the POSIX collection script\n/);
        expect(st.stdout).toMatch(/ {2}charger-ocpp\.service: 1 captured, \d+ rate-limited, 0 skipped for disk space; last capture .* \(exit-code\): \/var\/lib\/charger-diag\/captures\/lab-capture-ssh-charger-ocpp\.service-\d{8}-\d{6}\.tar\.gz\n/);
        const rm = await cli(lab, ['capture', 'remove', ...ssh]);
        expect(rm.stderr).toBe('');
        expect(rm.stdout).toContain('kept: the captures in /var/lib/charger-diag/captures (1 bundles)');
        expect((await lab.sh('grep -rl charger-diag /etc/systemd/system || true')).stdout.trim()).toBe('');
        expect(await bundles(lab)).toHaveLength(1);
        await lab.sh('kill "$(cat /root/t/sshd.pid)"');
      },
    );
  }, CASE_MS);
  it('a hung API (SIGSTOP) that the proposed health check finds is captured before the restart, with its state', async () => {
    const labConfig = JSON.stringify({ ...JSON.parse(CONFIG), healthUrls: [{ unit: 'charger-api.service', url: 'http://127.0.0.1:8000/api/health' }] });
    await withLab(
      {
        hostname: 'lab-capture-hang',
        files: {
          '/usr/local/lib/charger-api/server.py': { content: OK_API_PY, mode: 0o755 },
          '/etc/systemd/system/charger-api.service': '[Unit]\nDescription=Charger API\n[Service]\nExecStart=/usr/bin/python3 /usr/local/lib/charger-api/server.py\nRestart=always\n[Install]\nWantedBy=multi-user.target\n',
          '/etc/charger-diag/lab.json': labConfig,
        },
        wants: [['multi-user.target', 'charger-api.service']],
      },
      async (lab) => {
        await lab.waitFor('curl -fsS -o /dev/null http://127.0.0.1:8000/api/health', 'the API to answer');
        expect((await cli(lab, ['capture', 'install', '--unit', 'charger-api.service'])).code).toBe(0);
        // The health check report proposes for this device, as an operator would apply it.
        const out = await lab.collect(['--config', '/etc/charger-diag/lab.json']);
        dirs.push(out.dir);
        const hostConfig = join(out.dir, 'lab.json');
        spawnSync('sh', ['-c', `printf '%s' '${labConfig}' > ${hostConfig}`]);
        const rep = runCli(['report', '--format', 'json', '--config', hostConfig, out.bundle]);
        const artifacts = (JSON.parse(rep.stdout) as Analysis).artifacts.filter((x) => x.subject === 'charger-api.service' && x.kind.startsWith('health-check-'));
        expect(artifacts.map((x) => x.path)).toEqual(['/etc/systemd/system/charger-api-health.service', '/etc/systemd/system/charger-api-health.timer']);
        for (const x of artifacts) await lab.run(['tee', x.path!], { input: x.content! });
        await lab.sh('systemctl daemon-reload');

        const hungPid = Number(await lab.prop('charger-api.service', 'MainPID'));
        await lab.sh(`kill -STOP ${hungPid}`);
        const checkStarted = Date.now();
        const check = await lab.run(['systemctl', 'start', 'charger-api-health.service'], { timeoutMs: 60_000 });
        expect(check.code).toBe(0);
        const hangMs = (await journal(lab, ['_SYSTEMD_UNIT=charger-api-health.service'])).length;
        console.log(`capture: hang: the health check (curl's 5 s, capture-hang, the restart) took ${((Date.now() - checkStarted) / 1000).toFixed(2)} s; ${hangMs} lines of its own`);
        await lab.waitFor('curl -fsS -o /dev/null http://127.0.0.1:8000/api/health', 'the restarted API to answer');
        const newPid = Number(await lab.prop('charger-api.service', 'MainPID'));
        expect(newPid).not.toBe(hungPid);
        await waitOrShow(lab, `ls ${DIR}/*.tar.gz >/dev/null 2>&1`, 'the hang capture', 60_000);
        await lab.waitFor("! systemctl is-active -q 'charger-diag-capture@charger-api.service.service'", 'the capture run to end', 90_000);
        await lab.sh('sleep 2');
        const names = await bundles(lab);
        expect(names).toHaveLength(1);
        const { analysis: a, file } = analyse(lab, names[0]!);
        expect(a.trigger).toMatchObject({ unit: 'charger-api.service', result: 'hang', hook: 'health-check' });
        // Taken while it hung: the stopped process, its threads and its listening socket, before the restart replaced it.
        const hang = spawnSync('sh', ['-c', `tar -xzOf ${file} --wildcards '*/commands/capture-hang.txt'`], { encoding: 'utf8' }).stdout;
        expect(hang).toContain(`## pid ${hungPid}\n`);
        expect(hang).toMatch(/^State:\s+T \(stopped\)$/m);
        expect(hang).toMatch(new RegExp(`LISTEN .*127\\.0\\.0\\.1:8000 .*pid=${hungPid}`));
        // The restart was asked for (SERVICE_RESULT=success): no second capture, and nothing was rate-limited.
        const st = JSON.parse((await cli(lab, ['capture', 'status', '--json'])).stdout);
        expect(st.units).toEqual([expect.objectContaining({ unit: 'charger-api.service', captures: 1, rateLimited: 0, lastResult: 'hang' })]);
      },
    );
  }, CASE_MS);
});
