// A healthy device whose health check is a script run by a timer, the most common way people
// write one: api.service (a small python3 HTTP server with /api/health, Restart=always) is
// checked by api-health.timer -> api-health.service -> /usr/local/bin/api-health.sh, which curls
// the health URL and runs `systemctl restart api.service` when it does not answer. The timer
// fires for real before the collection. charger-diag must find that check through the script
// (and quote its line), report nothing above info, call recurrence not likely, and never propose
// a file the device already has. A variant whose script probes something else must get
// service.no-health-check with the script quoted as read and not a check, and a proposed
// health-check unit that does not take the existing api-health.service's name.
//
// The same device collected the four ways in (live, --root from the host, the printed script,
// --ssh) must give the same health-check scripts.
import { afterEach, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_CLI, REPO, labDescribe, withLab, type Lab, type LabCase } from './harness.js';
import { runCli } from '../helpers/cli.js';
import { extract, filesUnder, manifestOf, sourcesOf } from '../collect/helpers.js';
import type { Analysis } from '../../src/analysis/schema.js';

const CLI = join(REPO, 'dist/cli.js');

const SERVER = `import http.server

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/api/health"
        body = b'{"status": "ok"}\\n' if ok else b'{"error": "not found"}\\n'
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print(fmt % args, flush=True)

http.server.ThreadingHTTPServer(("127.0.0.1", 8000), Handler).serve_forever()
`;

const API_UNIT = `[Unit]
Description=Charger API
After=network.target

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/api/server.py
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
`;

const HEALTH_SERVICE = `[Unit]
Description=API health check

[Service]
Type=oneshot
ExecStart=/usr/local/bin/api-health.sh
`;

const HEALTH_TIMER = `[Unit]
Description=API health check every 5 s

[Timer]
OnBootSec=1
OnUnitActiveSec=5
AccuracySec=1

[Install]
WantedBy=timers.target
`;

const CHECKS_API = `#!/bin/sh
# Restart the API when its health URL does not answer.
if ! curl -fsS --max-time 5 http://127.0.0.1:8000/api/health >/dev/null; then
  echo "api did not answer, restarting it"
  systemctl restart api.service
fi
`;

const CHECKS_OTHER = `#!/bin/sh
# Keep the cache warm: it answers on 9000.
curl -fsS --max-time 5 http://127.0.0.1:9000/warm >/dev/null || echo "cache not warm"
`;

function device(script: string): LabCase {
  return {
    hostname: 'lab-healthy',
    files: {
      '/usr/local/lib/api/server.py': SERVER,
      '/etc/systemd/system/api.service': API_UNIT,
      '/etc/systemd/system/api-health.service': HEALTH_SERVICE,
      '/etc/systemd/system/api-health.timer': HEALTH_TIMER,
      '/usr/local/bin/api-health.sh': { content: script, mode: 0o755 },
    },
    wants: [
      ['multi-user.target', 'api.service'],
      ['timers.target', 'api-health.timer'],
    ],
  };
}

// /proc/loadavg, meminfo and pressure are the host's: thresholds the CI machine cannot trip.
const CONFIG = { thresholds: { memoryAvailablePercent: 0, memoryPressureAvg10: 100, loadPerCpu: 1000, diskWarningPercent: 100, diskCriticalPercent: 100 } };

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function hostDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function upAndChecked(lab: Lab): Promise<void> {
  await lab.waitFor('curl -fsS --max-time 2 http://127.0.0.1:8000/api/health', 'the API to answer');
  // The timer fired and its service ran the script to the end at least once, successfully.
  await lab.waitFor(
    'test "$(systemctl show -P ExecMainExitTimestampMonotonic api-health.service)" -gt 0 && test "$(systemctl show -P Result api-health.service)" = success',
    'api-health.service to have run',
  );
}

function analyse(bundle: string): { analysis: Analysis; files: Set<string>; dir: string } {
  const dir = hostDir('cd-lab-health-');
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify(CONFIG));
  const r = runCli(['analyze', bundle, '--json', '--config', config]);
  expect(r.stderr).toBe('');
  const x = extract(bundle);
  cleanups.push(x.cleanup);
  const files = new Set(filesUnder(x.dir).filter((f) => f.startsWith('files/')).map((f) => f.slice('files'.length)));
  return { analysis: JSON.parse(r.stdout) as Analysis, files, dir: x.dir };
}

/** What a bundle holds of source health-script: each copy with its text, each record without one. */
function healthScripts(bundleDir: string): string[] {
  return sourcesOf(manifestOf(bundleDir), 'health-script')
    .map((s) => (s.path ? `${s.path} ${s.status} ${createHash('sha256').update(readFileSync(join(bundleDir, s.path))).digest('hex')}` : `${s.command} ${s.status} ${s.error ?? ''}`))
    .sort();
}

labDescribe('a healthy device whose health check is a script run by a timer', () => {
  it('finds the check through the script, reports nothing above info, and the four ways in collect the same scripts', async () => {
    await withLab(device(CHECKS_API), async (lab) => {
      await upAndChecked(lab);
      const live = await lab.collect(['--no-report']);
      cleanups.push(() => rmSync(live.dir, { recursive: true, force: true }));
      const { analysis, files, dir: liveDir } = analyse(live.bundle);

      // The kernel ring buffer is the host's: a crash of any other program on this machine while the
      // lab ran (another test's, outside this lab) is in the window too. Only what this device ran counts.
      const ours = new Set(['python3', 'curl', 'sh', 'systemctl', 'systemd', 'node']);
      const foreign = (f: Analysis['findings'][number]) =>
        f.rule.startsWith('kernel.') && f.params.unit == null && typeof f.params.comm === 'string' && !ours.has(f.params.comm);
      const above = analysis.findings.filter((f) => f.severity !== 'info' && !foreign(f));
      expect(above.map((f) => `${f.rule} ${f.subject}`)).toEqual([]);
      expect(analysis.recurrence).toEqual({ likely: false, because: [] });
      // No finding quotes a line from before this lab booted (the kernel ring buffer is the host's).
      const since = Date.parse(lab.since);
      for (const f of analysis.findings) for (const e of f.evidence) if (e.time) expect(Date.parse(e.time), `${f.rule}: ${e.text}`).toBeGreaterThanOrEqual(since - 1000);

      const api = analysis.services.find((s) => s.unit === 'api.service')!;
      expect(api.restart).toBe('always');
      expect(api.healthChecks.join('\n')).toMatch(/timer api-health\.timer → api-health\.service → \/usr\/local\/bin\/api-health\.sh: .*curl -fsS --max-time 5 http:\/\/127\.0\.0\.1:8000\/api\/health.* \(files\/usr\/local\/bin\/api-health\.sh:3\)/);
      expect(api.healthChecks.join('\n')).toMatch(/systemctl restart api\.service \(files\/usr\/local\/bin\/api-health\.sh:5\)/);
      expect(api.healthCheckEvidence).toContainEqual(expect.objectContaining({ source: 'files/usr/local/bin/api-health.sh', line: 3 }));
      expect(readFileSync(join(liveDir, 'files/usr/local/bin/api-health.sh'), 'utf8')).toBe(CHECKS_API);
      // The check unit itself is a oneshot, not a server without a health check.
      expect(analysis.findings.filter((f) => f.rule === 'service.no-health-check')).toEqual([]);
      for (const a of analysis.artifacts) expect(files.has(a.path), a.path).toBe(false);

      // --root from the host, the printed script and --ssh give the same scripts.
      const expected = healthScripts(liveDir);
      expect(expected.some((l) => l.startsWith('files/usr/local/bin/api-health.sh ok '))).toBe(true);

      const rootOut = hostDir('cd-lab-root-');
      const root = spawnSync(process.execPath, [CLI, 'collect', '--root', lab.path(''), '--since', lab.since, '--no-report', '--out', `${rootOut}/`], { encoding: 'utf8' });
      expect(root.status, root.stderr).toBe(0);
      const rootX = extract(root.stdout.trim());
      cleanups.push(rootX.cleanup);
      expect(healthScripts(rootX.dir)).toEqual(expected);

      await lab.sh(`node ${LAB_CLI} collect --print-script --since ${lab.since} > /root/collect.sh && sh /root/collect.sh --tar > /root/script.tar.gz 2>/root/script.err`);
      const scriptCopy = join(hostDir('cd-lab-script-'), 'script.tar.gz');
      copyFileSync(lab.path('/root/script.tar.gz'), scriptCopy);
      const scriptX = extract(scriptCopy);
      cleanups.push(scriptX.cleanup);
      expect(healthScripts(scriptX.dir)).toEqual(expected);

      // --ssh: the catalogue goes over `ssh -T ... 'sh -s'` and comes back framed (ssh.ts). The
      // transport here is a stand-in `ssh` that runs the remote command on the device itself; the
      // OpenSSH transport has its own tests (test/collect/ssh.test.ts).
      await lab.sh(
        `printf '%s\\n' '#!/bin/sh' '# stand-in ssh for the lab: runs the remote command (its last argument) here' 'for a; do last=$a; done' 'exec sh -c "$last"' > /usr/local/bin/ssh && chmod 755 /usr/local/bin/ssh && mkdir -p /root/ssh-out`,
      );
      const ssh = await lab.run(['node', LAB_CLI, 'collect', '--ssh', 'root@device', '--since', lab.since, '--no-report', '--out', '/root/ssh-out/']);
      expect(ssh.code, ssh.stderr).toBe(0);
      const sshCopy = join(hostDir('cd-lab-ssh-'), 'ssh.tar.gz');
      copyFileSync(lab.path(ssh.stdout.trim()), sshCopy);
      const sshX = extract(sshCopy);
      cleanups.push(sshX.cleanup);
      expect(healthScripts(sshX.dir)).toEqual(expected);
    });
  }, 600_000);

  it('a script that probes something else is read, quoted, and not taken for a check; the proposed check takes a free name', async () => {
    await withLab(device(CHECKS_OTHER), async (lab) => {
      await lab.waitFor('curl -fsS --max-time 2 http://127.0.0.1:8000/api/health', 'the API to answer');
      await lab.waitFor('test "$(systemctl show -P ExecMainExitTimestampMonotonic api-health.service)" -gt 0', 'api-health.service to have run');
      const live = await lab.collect(['--no-report', '--health-url', 'http://127.0.0.1:8000/api/health']);
      cleanups.push(() => rmSync(live.dir, { recursive: true, force: true }));
      const { analysis, files } = analyse(live.bundle);

      const f = analysis.findings.find((x) => x.rule === 'service.no-health-check' && x.subject === 'api.service');
      expect(f, JSON.stringify(analysis.findings.map((x) => `${x.rule} ${x.subject}`))).toBeDefined();
      expect(f!.severity).toBe('warning');
      expect(f!.params.scriptsRead).toEqual([{ path: '/usr/local/bin/api-health.sh', via: 'api-health.timer → api-health.service', source: 'files/usr/local/bin/api-health.sh', unread: null }]);
      expect(f!.evidence).toContainEqual(expect.objectContaining({ source: 'files/usr/local/bin/api-health.sh', line: 3, text: expect.stringContaining('127.0.0.1:9000/warm') }));
      expect(analysis.recurrence.likely).toBe(true);

      const health = analysis.artifacts.filter((a) => a.for === 'service.no-health-check');
      expect(health.map((a) => a.path).sort()).toEqual(['/etc/systemd/system/api-health-check.service', '/etc/systemd/system/api-health-check.timer']);
      expect(health[0]!.params?.exists).toEqual({ path: '/etc/systemd/system/api-health.service', instead: 'renamed' });
      for (const a of analysis.artifacts) expect(files.has(a.path), a.path).toBe(false);
      const steps = health.flatMap((a) => a.steps ?? []).map((s) => s.command).join('\n');
      expect(steps).not.toMatch(/tee \/etc\/systemd\/system\/api-health\.(service|timer)\b/);

      // Both languages say why the name differs, and what the script was.
      for (const [lang, said, read] of [
        ['en', /api-health\.service`? exists on the device already/, /Read `\/usr\/local\/bin\/api-health\.sh`/],
        ['tr', /api-health\.service`? cihazda zaten var/, /`\/usr\/local\/bin\/api-health\.sh` okundu/],
      ] as const) {
        const r = runCli(['report', live.bundle, '--lang', lang]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(said);
        expect(r.stdout).toMatch(read);
        expect(r.stdout).toContain('api-health-check.timer');
      }
    });
  }, 300_000);
});
