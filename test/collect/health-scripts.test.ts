// collect --root on a device disk that has health checks written as scripts: a timer's script
// (with a token in it), a script it runs by absolute path (one level deeper), a cron job's script,
// a program (ELF), a missing script and one over the size cap. The scripts land under
// files/<absolute path>, listed as source health-script, redacted; programs and missing files are
// recorded without a copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extract, filesContaining, manifestOf, sourcesOf, tempDir } from './helpers.js';
import { callCli } from '../helpers/cli.js';
import type { Manifest } from '../../src/bundle/manifest.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789SECRET';

describe('collect --root: health-check scripts', () => {
  let work: string;
  let dir: string;
  let manifest: Manifest;
  let cleanup = () => {};

  beforeAll(async () => {
    work = tempDir('cd-hscripts-');
    const root = join(work, 'disk');
    const put = (p: string, text: string | Buffer) => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    };
    put('etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
    put('etc/systemd/system/api-health.timer', '[Timer]\nOnUnitActiveSec=30\n');
    put('etc/systemd/system/api-health.service', '[Service]\nType=oneshot\nExecStart=/bin/sh /usr/local/bin/api-health.sh\n');
    put('etc/systemd/system/api.service', '[Service]\nExecStart=/usr/bin/python3 /srv/api.py\nExecStartPost=/opt/bin/healthd --wait\nRestart=always\n');
    put('etc/systemd/system/gone.timer', '[Timer]\nOnCalendar=hourly\n');
    put('etc/systemd/system/gone.service', '[Service]\nExecStart=/usr/local/bin/gone.sh\n');
    put('etc/cron.d/big', '*/5 * * * * root /usr/local/bin/big.sh\n');
    put('usr/local/bin/api-health.sh', `#!/bin/sh\ncurl -fsS -H "Authorization: Bearer ${TOKEN}" http://127.0.0.1:8000/api/health || /usr/local/bin/restart-api.sh\n`);
    put('usr/local/bin/restart-api.sh', '#!/bin/sh\nsystemctl restart api.service\n/usr/local/bin/too-deep.sh\n');
    put('usr/local/bin/too-deep.sh', '#!/bin/sh\ntrue\n');
    put('usr/local/bin/big.sh', `#!/bin/sh\n${'# filler line\n'.repeat(30_000)}`);
    mkdirSync(join(root, 'opt/bin'), { recursive: true });
    copyFileSync('/bin/true', join(root, 'opt/bin/healthd'));
    const out = join(work, 'out');
    mkdirSync(out);
    const r = await callCli(['collect', '--root', root, '--since', '2025-12-10T00:00:00Z', '--until', '2025-12-10T01:00:00Z', '--no-report', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    ({ dir, cleanup } = extract(r.stdout.trim()));
    manifest = manifestOf(dir);
  }, 120_000);

  afterAll(() => {
    cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('copies the scripts, one level deeper at most, and records what it could not copy', () => {
    const records = sourcesOf(manifest, 'health-script').map((s) => `${s.path ?? s.command} ${s.status}${s.error ? ` ${s.error}` : ''}`).sort();
    expect(records).toEqual([
      'copy of /opt/bin/healthd unavailable /opt/bin/healthd: ELF executable, recorded and not copied',
      'copy of /usr/local/bin/gone.sh missing /usr/local/bin/gone.sh: no such file',
      'files/usr/local/bin/api-health.sh ok',
      'files/usr/local/bin/big.sh truncated only the first 256 KiB were copied',
      'files/usr/local/bin/restart-api.sh ok',
    ]);
    expect(readFileSync(join(dir, 'files/usr/local/bin/big.sh')).length).toBe(256 * 1024);
    expect(readFileSync(join(dir, 'files/usr/local/bin/restart-api.sh'), 'utf8')).toBe('#!/bin/sh\nsystemctl restart api.service\n/usr/local/bin/too-deep.sh\n');
  });

  it('redacts a script like every other copy', () => {
    expect(filesContaining(dir, TOKEN)).toEqual([]);
    expect(readFileSync(join(dir, 'files/usr/local/bin/api-health.sh'), 'utf8')).toContain('[redacted:');
  });

  it('the analysis finds the check of api.service through the script it runs one level deeper (no port is known from a disk)', async () => {
    const r = await callCli(['analyze', dir, '--json']);
    const a = JSON.parse(r.stdout) as { findings: { rule: string; subject: string }[]; services: { unit: string | null; healthChecks: string[] }[] };
    expect(a.findings.filter((f) => f.rule === 'service.no-health-check').map((f) => f.subject)).toEqual([]);
    expect(a.services.find((s) => s.unit === 'api.service')!.healthChecks.join('\n')).toContain(
      'timer api-health.timer → api-health.service → /usr/local/bin/api-health.sh → /usr/local/bin/restart-api.sh: systemctl restart api.service (files/usr/local/bin/restart-api.sh:2)',
    );
  });
});
