// `collect --since -60m` on a real systemd, with redaction on and off (the redaction budget in docs/redaction.md: it may cost
// at most 15% of it). Boots the test suite's real-systemd lab (test/lab/run.sh: the machine's own
// systemd in namespaces of its own, over in-memory overlays; it needs root), fills its journal with
// an hour's worth of a busy charger's lines, a few of them carrying secrets, then runs the
// collection inside it in turns with and without --no-redact, then with its report next to the
// bench's sos run when sos is installed. Prints figures; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sosArgv } from './sos.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN = join(ROOT, 'test', 'lab', 'run.sh');
const ENV = ['env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];

/** Why the lab cannot run here, or null. */
export function labCollectUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const p of ['/lib/systemd/systemd', '/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/flock']) if (!existsSync(p)) return `needs ${p}`;
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The lines a busy charger logs in an hour: OCPP traffic, API access, now and then a secret. */
function journalScript(lines) {
  return `
awk -v n=${lines} 'BEGIN {
  for (i = 0; i < n; i++) {
    r = i % 100
    if (r == 0) print "connecting to csms user: cp01 password: Pw" i "x"
    else if (r == 1) print "[2,\\"" i "\\",\\"ChangeConfiguration\\",{\\"key\\":\\"AuthorizationKey\\",\\"value\\":\\"0A1B2C" i "\\"}]"
    else if (r == 2) print "GET /api/status 200 Authorization: Bearer 9f8e7d6c5b4a3928" i
    else if (r < 40) print "[2,\\"" i "\\",\\"MeterValues\\",{\\"connectorId\\":1,\\"meterValue\\":[{\\"timestamp\\":\\"2026-12-06T10:00:00Z\\",\\"sampledValue\\":[{\\"value\\":\\"" i * 7 "\\",\\"measurand\\":\\"Energy.Active.Import.Register\\"}]}]}]"
    else if (r < 90) print "INFO:     127.0.0.1:" 30000 + r " - \\"GET /api/health HTTP/1.1\\" 200 OK"
    else print "heartbeat sent, interval=300 seq=" i
  }
}' | systemd-cat -t ocpp`;
}

/**
 * Boots a lab, fills its journal with `lines` lines, and measures `runs` collections each way with
 * `measure(cmd, argv)` (the bench's own: wall, CPU and peak RSS of the command and its children).
 */
export async function labCollectCost({ runs, lines, cliInLab, measure, median }) {
  const stage = mkdtempSync(join(tmpdir(), 'charger-diag-lab-bench-'));
  for (const f of ['users', 'mask', 'wants']) writeFileSync(join(stage, f), '\n');
  writeFileSync(join(stage, 'hostname'), 'lab-bench\n');
  const wrapper = spawn('bash', [RUN, stage, ROOT], { stdio: ['pipe', 'pipe', 'inherit'] });
  wrapper.stdin.on('error', () => {});
  let out = '';
  wrapper.stdout.on('data', (d) => (out += d));
  try {
    // The wrapper prints `lab <PID 1> <state>` once the lab's systemd has settled (or gave up).
    let ready = null;
    for (let i = 0; i < 12_000 && !ready; i++) {
      ready = /^lab (\d+) (\S+)$/m.exec(out);
      if (!ready && wrapper.exitCode === null) await sleep(100);
      else if (!ready) break;
    }
    if (!ready || ready[1] === '0') throw new Error('the lab did not start (another lab held the lock for 20 minutes?)');
    const pid = Number(ready[1]);
    const inLab = (argv) => ['-t', String(pid), '-m', '-p', '-n', '-u', '--', ...ENV, ...argv];
    const fill = spawnSync('nsenter', inLab(['bash', '-c', journalScript(lines)]), { encoding: 'utf8', timeout: 600_000 });
    if (fill.status !== 0) throw new Error(`filling the lab's journal failed: ${fill.stderr}`);
    // journald takes the lines asynchronously: wait until they are all in.
    for (let i = 0; i < 600; i++) {
      const n = spawnSync('nsenter', inLab(['bash', '-c', 'journalctl -t ocpp -o cat --no-pager | wc -l']), { encoding: 'utf8' });
      if (Number(n.stdout.trim()) >= lines) break;
      await sleep(200);
    }
    // The sos run of the bench's third row, here on a real systemd with a busy journal: on the
    // bench's machine no systemd runs, so sos's systemd and logs plugins find little to do there.
    const sosHere = spawnSync('nsenter', inLab(['sos', 'report', '--help']), { stdio: 'ignore' }).status === 0;
    const modes = ['off', 'on', 'report', ...(sosHere ? ['sos'] : [])];
    const result = Object.fromEntries(modes.map((m) => [m, []]));
    const bytes = {};
    for (let i = 0; i < runs; i++) {
      for (const mode of modes) {
        const dir = `/tmp/bench-${mode}-${i}`;
        if (mode === 'sos') {
          spawnSync('nsenter', inLab(['mkdir', '-p', dir]));
          result.sos.push(measure('nsenter', inLab(['sos', ...sosArgv(dir)])));
          const size = spawnSync('nsenter', inLab(['bash', '-c', `stat -c %s ${dir}/sosreport-*.tar.*`]), { encoding: 'utf8' });
          bytes.sos = Number(size.stdout.trim().split('\n')[0]);
          spawnSync('nsenter', inLab(['rm', '-rf', dir]));
          continue;
        }
        const extra = mode === 'off' ? ['--no-redact', '--no-report'] : mode === 'on' ? ['--no-report'] : [];
        result[mode].push(measure('nsenter', inLab(['node', cliInLab, 'collect', '--since', '-60m', '--out', `${dir}.tar.gz`, ...extra])));
        const size = spawnSync('nsenter', inLab(['stat', '-c', '%s', `${dir}.tar.gz`]), { encoding: 'utf8' });
        bytes[mode] = Number(size.stdout.trim());
        spawnSync('nsenter', inLab(['rm', '-f', `${dir}.tar.gz`, `${dir}.report.md`]));
      }
    }
    const s = (mode, key) => median(result[mode].map((r) => r[key]));
    const figures = (mode) => ({
      seconds: s(mode, 'seconds'),
      cpu: result[mode].every((r) => r.cpu !== null) ? s(mode, 'cpu') : null,
      rssMb: Math.max(...result[mode].map((r) => r.rssMb ?? 0)),
    });
    return { lines, off: figures('off'), on: figures('on'), report: figures('report'), sos: sosHere ? figures('sos') : null, bytes };
  } finally {
    wrapper.stdin.end();
    await new Promise((r) => (wrapper.exitCode !== null ? r() : wrapper.once('exit', r)));
    rmSync(stage, { recursive: true, force: true });
  }
}
