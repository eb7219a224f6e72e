// The files the report proposes are real unit files: systemd's own verifier
// accepts them once their programs exist. Works without a running systemd,
// in a temporary root (systemd-analyze verify --root).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Analysis, Artifact } from '../../src/analysis/schema.js';
import { analyzeSpec } from '../helpers/bundle.js';
import { SYSTEM_PROCS, listUnits, ps, showAll, showService } from '../helpers/raw.js';
import { SAMPLES_DIR, analyzeSample } from './render.js';
import { describeWith, need } from '../helpers/needs.js';

const ANALYZE = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const HAVE_SYSTEMD_ANALYZE = ANALYZE.status === 0;

// The targets default dependencies and [Install] sections refer to; a bare root has none.
const TARGETS = ['sysinit', 'basic', 'shutdown', 'network-online', 'multi-user', 'timers', 'time-set', 'time-sync', 'paths', 'sockets'];

function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'cd-verify-'));
  mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  for (const t of TARGETS) writeFileSync(join(root, `usr/lib/systemd/system/${t}.target`), `[Unit]\nDescription=${t}\n`);
  return root;
}

function put(root: string, path: string, content: string, executable = false): void {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  if (executable) chmodSync(p, 0o755);
}

/** The program of every ExecStart= line, created as an executable under the root. */
function createPrograms(root: string, unitText: string): void {
  for (const m of unitText.matchAll(/^ExecStart=[-@:+!]*(\S+)/gm)) put(root, m[1]!, '#!/bin/sh\nexit 0\n', true);
}

function verify(root: string, units: string[]) {
  const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...units], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

// Skipped only outside CI: CI installs systemd (.ci/run) and must run these.
describeWith([need(HAVE_SYSTEMD_ANALYZE, 'no systemd-analyze to verify the generated unit files (apt-get install systemd)')])('systemd-analyze verify accepts the generated files', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  let seed: Analysis;
  beforeAll(async () => {
    seed = await analyzeSample('seed-incident');
  });

  const byKind = (a: Analysis, kind: string): Artifact => a.artifacts.find((x) => x.kind === kind)!;

  it('the unit for the hand-started uvicorn, with its health-check service and timer', () => {
    const root = makeRoot();
    roots.push(root);
    const files = [byKind(seed, 'unit-file'), byKind(seed, 'health-check-service'), byKind(seed, 'health-check-timer')];
    for (const f of files) {
      put(root, f.path, f.content);
      createPrograms(root, f.content);
    }
    const r = verify(root, ['charger-api.service', 'charger-api-health.service', 'charger-api-health.timer']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('fails when the ExecStart program is missing (the check is real)', () => {
    const root = makeRoot();
    roots.push(root);
    const unit = byKind(seed, 'unit-file');
    put(root, unit.path, unit.content);
    const r = verify(root, ['charger-api.service']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/charger-api\.service.*(not executable|No such file)/);
  });

  it('the Restart= drop-in on top of the sample’s own charger.service', () => {
    const root = makeRoot();
    roots.push(root);
    const unitText = readFileSync(join(SAMPLES_DIR, 'seed-incident/files/etc/systemd/system/charger.service'), 'utf8');
    put(root, 'etc/systemd/system/charger.service', unitText);
    createPrograms(root, unitText);
    const dropIn = seed.artifacts.find((x) => x.kind === 'drop-in')!;
    expect(dropIn.path).toBe('/etc/systemd/system/charger.service.d/10-restart.conf');
    put(root, dropIn.path, dropIn.content);
    const r = verify(root, ['charger.service']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('a unit whose working directory is unknown, and a WatchdogSec= drop-in', async () => {
    const a = await analyzeSpec({
      files: {
        'commands/ps.txt': ps([
          ...SYSTEM_PROCS,
          { pid: 4242, ppid: 2311, user: 'basar', start: '2025-12-10 00:41:02', cgroup: '0::/user.slice/user-1000.slice/session-3.scope', args: '/opt/meter/bin/meter-server --listen 0.0.0.0:9000 --label 100%' },
          { pid: 801, ppid: 1, user: 'root', start: '2025-12-09 08:00:12', cgroup: '0::/system.slice/ocpp.service', args: '/usr/bin/ocpp-client' },
        ]),
        'commands/ss-ltnup.txt': `Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\ntcp   LISTEN 0      4096         0.0.0.0:9000      0.0.0.0:*   users:(("meter-server",pid=4242,fd=3))\n`,
        'commands/systemctl-show.txt': showAll([showService({ id: 'ocpp.service', description: 'OCPP client', type: 'notify', execStart: '/usr/bin/ocpp-client', mainPid: 801 })]),
        'commands/systemctl-list-units.txt': listUnits([['ocpp.service', 'loaded', 'active', 'running', 'OCPP client']]),
      },
    });
    const unit = byKind(a, 'unit-file');
    expect(unit.content).toContain('# WorkingDirectory=unknown');
    expect(unit.content).toContain('--label 100%%');
    const watchdog = a.artifacts.find((x) => x.params?.setting === 'watchdog')!;
    const root = makeRoot();
    roots.push(root);
    put(root, unit.path, unit.content);
    createPrograms(root, unit.content);
    put(root, 'etc/systemd/system/ocpp.service', '[Unit]\nDescription=OCPP client\n\n[Service]\nType=notify\nExecStart=/usr/bin/ocpp-client\n\n[Install]\nWantedBy=multi-user.target\n');
    createPrograms(root, 'ExecStart=/usr/bin/ocpp-client');
    put(root, watchdog.path, watchdog.content);
    const name = unit.path.split('/').pop()!;
    const r = verify(root, [name, 'ocpp.service']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});
