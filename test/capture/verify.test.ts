// The units and drop-ins `capture install` writes pass systemd's own verifier, and the shell
// programs it writes pass shellcheck as POSIX sh (dash and busybox ash run them on devices).
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureSettings } from '../../src/capture/settings.js';
import { installPlan } from '../../src/capture/plan.js';
import { hangScript, hookScript, runnerScript } from '../../src/capture/scripts.js';

const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
const HAVE_SHELLCHECK = spawnSync('shellcheck', ['--version']).status === 0;
const TARGETS = ['sysinit', 'basic', 'shutdown', 'multi-user'];

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function put(root: string, path: string, content: string, mode = 0o644): void {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  chmodSync(p, mode);
}

describe.skipIf(!HAVE_SYSTEMD_ANALYZE && !process.env.CI)('systemd-analyze verify accepts what capture install writes', () => {
  it('the drop-in on a watched unit, and the capture unit of that unit', () => {
    const root = mkdtempSync(join(tmpdir(), 'cd-capture-verify-'));
    roots.push(root);
    for (const t of TARGETS) put(root, `usr/lib/systemd/system/${t}.target`, `[Unit]\nDescription=${t}\n`);
    put(root, 'usr/local/bin/charger', '#!/bin/sh\nexit 0\n', 0o755);
    put(root, 'etc/systemd/system/charger.service', '[Unit]\nDescription=Charger\n[Service]\nExecStart=/usr/local/bin/charger\nRestart=always\n[Install]\nWantedBy=multi-user.target\n');
    const plan = installPlan({ units: ['charger.service'], settings: captureSettings({}), collector: { node: '/usr/bin/node', cli: '/opt/cli.js' }, collectScript: null, now: new Date() });
    for (const f of plan.files) put(root, f.path.slice(1), f.content, f.mode);
    const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, 'charger.service', 'charger-diag-capture@charger.service.service'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
    // The verifier reads the drop-in: a broken one is reported (this test can fail).
    put(root, 'etc/systemd/system/charger.service.d/50-charger-diag-capture.conf', '[Service]\nExecStopPost=relative/hook\n');
    const bad = spawnSync('systemd-analyze', ['verify', `--root=${root}`, 'charger.service'], { encoding: 'utf8' });
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/ExecStopPost|relative/);
  });
});

describe.skipIf(!HAVE_SHELLCHECK && !process.env.CI)('shellcheck accepts the capture programs', () => {
  const s = captureSettings({});
  it.each([
    ['capture-hook', hookScript()],
    ['capture-run (Node)', runnerScript(s, { node: '/usr/bin/node', cli: '/opt/charger-diag/dist/cli.js' })],
    ['capture-run (script)', runnerScript(s, { node: null, cli: null })],
    ['capture-hang', hangScript()],
  ])('%s', (_name, text) => {
    for (const shell of ['sh', 'dash']) {
      const r = spawnSync('shellcheck', ['-s', shell, '-'], { input: text, encoding: 'utf8' });
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
