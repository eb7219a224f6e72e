// The seed incident for real: an API started by hand with nohup from a login session, behind
// nginx as reverse proxy, is killed; nginx answers 502 until the operator logs in again and
// restarts the API by hand from that second login. charger.service (site-local, no Restart=)
// runs beside it and takes no part.
import { afterAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDescribe, withLab, type Lab } from './harness.js';
import { runCli } from '../helpers/cli.js';

// The host's load, memory and pressure show through the namespace: thresholds it cannot trip.
const CONFIG = JSON.stringify({
  thresholds: { memoryAvailablePercent: 0, memoryPressureAvg10: 100, diskWarningPercent: 100, diskCriticalPercent: 100, loadPerCpu: 1000 },
});

const API = `#!/usr/bin/python3
# Stands in for uvicorn: one health endpoint on 127.0.0.1:8000.
import http.server, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status":"ok"}' if self.path == '/api/health' else b'{"error":"not found"}'
        self.send_response(200 if self.path == '/api/health' else 404)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write('%s - %s\\n' % (self.address_string(), fmt % args))

http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[2]) if len(sys.argv) > 2 else 8000), Handler).serve_forever()
`;

const NGINX_CONF = `user www-data;
worker_processes 1;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;

events {
    worker_connections 64;
}

http {
    access_log /var/log/nginx/access.log;
    server {
        listen 80 default_server;
        server_name _;
        location / {
            proxy_pass http://127.0.0.1:8000;
            proxy_set_header Host $host;
        }
    }
}
`;

const CHARGER_UNIT = `[Unit]
Description=Charger OCPP client

[Service]
ExecStart=/bin/sh -c 'while :; do echo heartbeat; sleep 5; done'

[Install]
WantedBy=multi-user.target
`;

const OK_BEFORE = 5;
const FAILED = 7;
const OK_AFTER = 3;

interface Staged {
  firstPid: number;
  secondPid: number;
  firstScope: string;
  secondScope: string;
  killedAtMs: number;
  restartedAtMs: number;
  since: string;
  statuses: { before: string[]; during: string[]; after: string[] };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The lab's clock, in epoch ms (the same clock its logs are written with). */
async function labNow(lab: Lab): Promise<number> {
  return Math.round(Number((await lab.sh('date +%s.%N')).stdout.trim()) * 1000);
}

/** Starts the API with nohup from a fresh login of pi, as the operator did; its pid. */
async function startByHand(lab: Lab): Promise<number> {
  const r = await lab.run(['runuser', '-l', 'pi', '-c', 'nohup python3 /usr/local/lib/charger-api/server.py --port 8000 >>"$HOME/nohup.out" 2>&1 & echo $!']);
  expect(r.code).toBe(0);
  const pid = Number(r.stdout.trim());
  expect(pid).toBeGreaterThan(1);
  await lab.waitFor('curl -fsS -o /dev/null http://127.0.0.1:8000/api/health', 'the API to answer');
  return pid;
}

async function scopeOf(lab: Lab, pid: number): Promise<string> {
  const cg = (await lab.sh(`cat /proc/${pid}/cgroup`)).stdout;
  const m = /name=systemd:.*\/(session-[^/]+\.scope)$/m.exec(cg) ?? /^0::.*\/(session-[^/]+\.scope)$/m.exec(cg);
  expect(m, cg).not.toBeNull();
  return m![1]!;
}

async function requests(lab: Lab, n: number): Promise<string[]> {
  const r = await lab.sh(`for i in $(seq ${n}); do curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1/api/health; done`);
  return r.stdout.trim().split('\n');
}

labDescribe('lab: the seed incident (hand-started API behind nginx, killed, restarted by hand)', () => {
  it('names the restarted API and its own login, counts failed requests once, and times the outage', async () => {
    const host = mkdtempSync(join(tmpdir(), 'charger-diag-lab-seed-'));
    dirs.push(host);
    const config = join(host, 'config.json');
    writeFileSync(config, CONFIG);
    let staged!: Staged;
    let bundle = '';
    await withLab(
      {
        hostname: 'charger-lab-01',
        users: ['pi'],
        files: {
          '/usr/local/lib/charger-api/server.py': { content: API, mode: 0o755 },
          '/etc/nginx/nginx.conf': NGINX_CONF,
          '/var/log/nginx/access.log': '',
          '/var/log/nginx/error.log': '',
          '/etc/systemd/system/charger.service': CHARGER_UNIT,
          '/etc/charger-diag/lab.json': CONFIG,
        },
        wants: [
          ['multi-user.target', 'nginx.service'],
          ['multi-user.target', 'charger.service'],
        ],
      },
      async (lab) => {
        expect(await lab.prop('nginx.service', 'ActiveState')).toBe('active');
        expect(await lab.prop('charger.service', 'ActiveState')).toBe('active');
        const firstPid = await startByHand(lab);
        const firstScope = await scopeOf(lab, firstPid);
        const before = await requests(lab, OK_BEFORE);
        // Whole-second log stamps: keep the phases in different seconds.
        await lab.sh('sleep 1.1');
        const killedAtMs = await labNow(lab);
        await lab.sh(`kill -9 ${firstPid}`);
        await lab.waitFor('! curl -s -o /dev/null http://127.0.0.1:8000/api/health', 'the API to be gone');
        const during = await requests(lab, FAILED);
        await lab.sh('sleep 1.1');
        const restartedAtMs = await labNow(lab);
        const secondPid = await startByHand(lab);
        const secondScope = await scopeOf(lab, secondPid);
        const after = await requests(lab, OK_AFTER);
        staged = { firstPid, secondPid, firstScope, secondScope, killedAtMs, restartedAtMs, since: lab.since, statuses: { before, during, after } };
        const out = await lab.collect(['--config', '/etc/charger-diag/lab.json']);
        dirs.push(out.dir);
        bundle = out.bundle;
      },
    );
    expect(staged.statuses.before).toEqual(Array(OK_BEFORE).fill('200'));
    expect(staged.statuses.during).toEqual(Array(FAILED).fill('502'));
    expect(staged.statuses.after).toEqual(Array(OK_AFTER).fill('200'));
    expect(staged.firstScope).not.toBe(staged.secondScope);

    const r = runCli(['analyze', bundle, '--json', '--config', config]);
    expect(r.stderr).toBe('');
    const a = JSON.parse(r.stdout) as {
      findings: { rule: string; subject: string; severity: string; params: Record<string, unknown>; evidence: { source: string; line: number | null; time: string | null; text: string }[] }[];
      outage: { start: string; end: string } | null;
    };
    const sinceMs = Date.parse(staged.since);

    // No finding cites a line from before this lab's boot (the kernel ring buffer is the host's).
    for (const f of a.findings) {
      for (const e of f.evidence) {
        if (e.time !== null) expect(Date.parse(e.time), `${f.rule} ${e.source}:${e.line} ${e.text}`).toBeGreaterThanOrEqual(sinceMs - 1000);
      }
    }

    // The server running at collection is the one restarted from the second login, in that login's scope.
    const unmanaged = a.findings.filter((f) => f.rule === 'process.unmanaged');
    expect(unmanaged.map((f) => f.subject)).toEqual([`server.py (pid ${staged.secondPid})`]);
    expect(unmanaged[0]).toMatchObject({ severity: 'critical', params: { pid: staged.secondPid, scope: staged.secondScope, category: 'session', ports: ['127.0.0.1:8000'] } });

    // Each of the M requests answered 502 once, though nginx logged two lines for each.
    const proxy = a.findings.filter((f) => f.rule === 'proxy.upstream-errors');
    expect(proxy.map((f) => f.subject)).toEqual(['nginx']);
    expect(proxy[0]).toMatchObject({
      severity: 'warning',
      params: { upstreams: ['127.0.0.1:8000'], statuses: [502], failedRequests: FAILED, failedRequestsFrom: 'gateway-answers', count: 2 * FAILED },
    });

    // charger.service has no Restart= but never stopped: a standing condition, not a cause.
    expect(a.findings.filter((f) => f.rule === 'service.no-restart').map((f) => [f.subject, f.severity, f.params.exitedInWindow])).toEqual([['charger.service', 'warning', 0]]);
    // The lab's journal starts at its own boot, on a kernel that has run for much longer: no reboot.
    expect(a.findings.map((f) => f.rule)).not.toContain('host.rebooted');
    // Nothing else above info (the host's load and memory show through, hence the config).
    expect(a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.subject}`).sort()).toEqual([
      `process.unmanaged server.py (pid ${staged.secondPid})`,
      'proxy.upstream-errors nginx',
      'service.no-health-check charger.service',
      'service.no-restart charger.service',
    ]);

    expect(a.outage).not.toBeNull();
    const start = Date.parse(a.outage!.start);
    const end = Date.parse(a.outage!.end);
    // Log stamps are whole seconds: the first 502 is logged in the second of the kill or later.
    expect(start).toBeGreaterThanOrEqual(Math.floor(staged.killedAtMs / 1000) * 1000);
    expect(end).toBeLessThanOrEqual(staged.restartedAtMs);
    expect(end).toBeGreaterThanOrEqual(start);

    // The report names the second login, counts requests, and keeps charger.service out of the causes.
    for (const lang of ['en', 'tr']) {
      const rep = runCli(['report', bundle, '--config', config, '--lang', lang]);
      expect(rep.stderr).toBe('');
      expect(rep.stdout).toContain(`(\`${staged.secondScope}\`)`);
      expect(rep.stdout).not.toContain(`(\`${staged.firstScope}\`)`);
    }
    const en = runCli(['report', bundle, '--config', config, '--lang', 'en']).stdout;
    expect(en).toContain(`\`nginx\` could not reach \`127.0.0.1:8000\` ${FAILED} times`);
    expect(en).toMatch(/\*\*Will it recur\? YES\*\*: conditions that caused or prolonged it still stand \(`process\.unmanaged`\)\. Standing beside it, without taking part: `service\.no-restart`, `service\.no-health-check`\./);
  });
});
