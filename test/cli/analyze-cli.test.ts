// The CLI as a user meets it: exit codes, one-line errors, redaction of what it prints.
// In process (callCli), but for one run each of `analyze` and `rules` as their own process.
import { afterEach, describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../helpers/bundle.js';
import { callCli, expectOneLineError, runCli } from '../helpers/cli.js';
import { RULES } from '../../src/rules/index.js';

const run = (args: string[]) => callCli(args);

// Bundles made by hand for one test, removed after it.
const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cd-cli-'));
  made.push(d);
  return d;
};


describe('charger-diag analyze: bad input exits 2 with one line naming the file', () => {
  it('a missing path (the built CLI, in a process of its own)', () => {
    expectOneLineError(runCli(['analyze', '/nonexistent/bundle-x']), /\/nonexistent\/bundle-x/);
  });

  it('a broken manifest', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'manifest.json'), '{ "format": "charger-diag-bundle", "formatVersion": 1,\n  oops }');
    expectOneLineError(await run(['analyze', dir]), /manifest\.json: not valid JSON/);
  });

  it('an unknown format version', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'charger-diag-bundle', formatVersion: 2 }));
    expectOneLineError(await run(['analyze', dir]), /manifest\.json: .*formatVersion 2/);
  });

  it('a directory that is not a bundle', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'commands'));
    expectOneLineError(await run(['analyze', dir]), /not a charger-diag bundle/);
  });

  it('an invalid config and an unknown rule id in it', async () => {
    const { dir, cleanup } = writeBundle({ files: {} });
    const cfg = join(scratch(), `cfg-${process.pid}.json`);
    writeFileSync(cfg, JSON.stringify({ thresholds: { diskWarningPercnt: 80 } }));
    expectOneLineError(await run(['analyze', dir, '--config', cfg]), /cfg-\d+\.json: invalid field thresholds/);
    writeFileSync(cfg, JSON.stringify({ rules: { 'service.no-restrat': { enabled: false } } }));
    expectOneLineError(await run(['analyze', dir, '--config', cfg]), /unknown rule id "service.no-restrat"/);
    cleanup();
  });

  it('bad usage', async () => {
    const r = await run(['analyze', '--fail-on', 'fatal', 'x']);
    expect(r.code).toBe(2);
  });
});

describe('charger-diag analyze on a bundle', () => {
  const ps = [
    '  PID  PPID USER                             STARTED ELAPSED   RSS %CPU CGROUP                                         COMMAND',
    '    1     0 root                             Mon Dec  1 08:00:01 2025 792899 11234  0.0 0::/init.scope                                 /sbin/init',
    '  812     1 basar                            Mon Dec  1 08:00:09 2025 792891 40212  0.3 0::/system.slice/charger.service               /home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
    '165162 165100 basar                          Wed Dec 10 01:12:02 2025     178 61240  1.2 0::/user.slice/user-1000.slice/session-4.scope /home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000 --api-key=s3cr3tT0kenValue',
  ].join('\n');
  const ss = [
    'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
    'tcp   LISTEN 0      2048         0.0.0.0:8000      0.0.0.0:*    users:(("uvicorn",pid=165162,fd=6))',
  ].join('\n');

  it('--fail-on critical exits 1 on a critical finding, 0 with --fail-on unset; output is redacted', async () => {
    const { dir, cleanup } = writeBundle({ files: { 'commands/ps.txt': ps + '\n', 'commands/ss-ltnup.txt': ss + '\n' } });
    const plain = await run(['analyze', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('process.unmanaged');
    expect(plain.stdout).toContain('uvicorn (pid 165162)');
    const json = await run(['analyze', dir, '--json']);
    expect(json.code).toBe(0);
    const a = JSON.parse(json.stdout);
    expect(a.formatVersion).toBe(1);
    expect(a.findings.find((f: { rule: string }) => f.rule === 'process.unmanaged').severity).toBe('critical');
    // The secret is on the quoted ps line and in params.command: both must be redacted.
    expect(json.stdout).toContain('--api-key=[redacted');
    expect(json.stdout).not.toContain('s3cr3tT0kenValue');
    expect(plain.stdout).not.toContain('s3cr3tT0kenValue');
    expect((await run(['analyze', dir, '--fail-on', 'critical'])).code).toBe(1);
    cleanup();
  });

  it('rules lists every registered id, in catalogue order (the built CLI)', () => {
    const r = runCli(['rules', '--json']);
    expect(r.code).toBe(0);
    const ids = JSON.parse(r.stdout).map((x: { id: string }) => x.id);
    expect(ids).toEqual(RULES.map((x) => x.id));
    expect(ids).toContain('process.unmanaged');
    expect(ids).toContain('log.errors');
  });
});
