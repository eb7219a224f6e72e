// A healthy device, booted inside the window on a kernel that has run much longer, with a
// health check a timer starts as a oneshot and a masked timer (the lab masks
// systemd-tmpfiles-clean.timer). What it shows on real output:
// - `journalctl --list-boots` begins inside the window, /proc/uptime says the kernel started long
//   before it: no reboot is reported, and the journal's own clock agrees;
// - `systemctl list-timers --all` prints the masked timer as a row of "-" with an empty ACTIVATES
//   column: it is read, not skipped;
// - the oneshot health check is not listed as a server with Restart=no.
import { afterAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OK_API_PY, labDescribe, withLab } from './harness.js';
import { runCli } from '../helpers/cli.js';

const CONFIG = JSON.stringify({
  thresholds: { memoryAvailablePercent: 0, memoryPressureAvg10: 100, diskWarningPercent: 100, diskCriticalPercent: 100, loadPerCpu: 1000 },
});

const API_UNIT = `[Unit]
Description=Charger HTTP API

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/charger-api/server.py
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
`;

const HEALTH_SERVICE = `[Unit]
Description=Charger API health check

[Service]
Type=oneshot
ExecStart=/usr/bin/curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8000/api/health
`;

const HEALTH_TIMER = `[Unit]
Description=Charger API health check every 2 s

[Timer]
OnActiveSec=1s
OnUnitActiveSec=2s
AccuracySec=100ms

[Install]
WantedBy=timers.target
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

labDescribe('lab: a boot of the service manager is not a reboot; masked timers and oneshot health checks', () => {
  it('reports no reboot, reads the masked timer row, and keeps the oneshot health check out of the servers', async () => {
    const host = mkdtempSync(join(tmpdir(), 'charger-diag-lab-timers-'));
    dirs.push(host);
    const config = join(host, 'config.json');
    writeFileSync(config, CONFIG);
    let bundle = '';
    let since = '';
    let kernelUpSeconds = 0;
    let listTimers = '';
    await withLab(
      {
        hostname: 'charger-lab-07',
        files: {
          '/usr/local/lib/charger-api/server.py': { content: OK_API_PY, mode: 0o755 },
          '/etc/systemd/system/charger-api.service': API_UNIT,
          '/etc/systemd/system/charger-api-health.service': HEALTH_SERVICE,
          '/etc/systemd/system/charger-api-health.timer': HEALTH_TIMER,
          '/etc/charger-diag/lab.json': CONFIG,
        },
        wants: [
          ['multi-user.target', 'charger-api.service'],
          ['timers.target', 'charger-api-health.timer'],
        ],
      },
      async (lab) => {
        since = lab.since;
        await lab.waitFor('curl -fsS -o /dev/null http://127.0.0.1:8000/api/health', 'the API to answer');
        // Two passes of the health check, so its runs are in the journal.
        await lab.waitFor(
          `[ "$(journalctl -u charger-api-health.service -o cat --no-pager | grep -c '^Finished charger-api-health.service')" -ge 2 ]`,
          'two runs of the health check',
        );
        expect(await lab.prop('systemd-tmpfiles-clean.timer', 'LoadState')).toBe('masked');
        listTimers = (await lab.run(['systemctl', 'list-timers', '--all', '--no-pager'])).stdout;
        kernelUpSeconds = Number((await lab.sh('cut -d" " -f1 /proc/uptime')).stdout.trim());
        const out = await lab.collect(['--config', '/etc/charger-diag/lab.json']);
        dirs.push(out.dir);
        bundle = out.bundle;
      },
    );
    // What the lab is: a journal and boot list that begin at its boot, a kernel up for longer.
    const sinceMs = Date.parse(since);
    expect(listTimers).toMatch(/^-\s+-\s+-\s+-\s+systemd-tmpfiles-clean\.timer\s*$/m);

    const r = runCli(['analyze', bundle, '--json', '--config', config]);
    expect(r.stderr).toBe('');
    const a = JSON.parse(r.stdout) as {
      findings: { rule: string; subject: string; severity: string; evidence: { source: string; line: number | null; time: string | null; text: string }[] }[];
      recurrence: { likely: boolean; because: string[] };
      services: { name: string; unit: string | null; restart: string | null; healthChecks: string[] }[];
      sources: { id: string; path: string | null; records: number | null; skippedRecords: number }[];
      collectedAt: string;
    };
    const uptimeSince = Date.parse(a.collectedAt) - kernelUpSeconds * 1000;
    // The premise: the kernel has run since well before this lab booted (any machine that got as
    // far as running the lab has been up for more than a minute).
    expect(uptimeSince).toBeLessThan(sinceMs - 60_000);
    expect(a.findings.map((f) => f.rule)).not.toContain('host.rebooted');
    for (const f of a.findings) {
      for (const e of f.evidence) if (e.time !== null) expect(Date.parse(e.time), `${f.rule} ${e.source}:${e.line}`).toBeGreaterThanOrEqual(sinceMs - 1000);
    }

    // The masked timer's row is read: nothing of list-timers is skipped.
    const timers = a.sources.find((s) => s.id === 'timers')!;
    expect(timers).toMatchObject({ skippedRecords: 0 });
    expect(timers.records).toBe(listTimers.split('\n').filter((l) => /\.timer\b/.test(l)).length);

    // The API is a server with its health check; the oneshot that checks it is not a server.
    expect(a.services.map((s) => s.name)).not.toContain('charger-api-health');
    const api = a.services.find((s) => s.unit === 'charger-api.service')!;
    expect(api.restart).toBe('always');
    expect(api.healthChecks.join('\n')).toContain('charger-api-health.timer → charger-api-health.service');

    // A healthy device: nothing above info, nothing standing.
    expect(a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.subject}`)).toEqual([]);
    expect(a.recurrence).toEqual({ likely: false, because: [] });
    const md = runCli(['report', bundle, '--config', config, '--lang', 'en']).stdout;
    expect(md).not.toContain('`charger-api-health`');
  });
});
