// Unit directories as repositories hold them, and copies of the samples to break.
import { afterEach } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serviceUnit } from '../helpers/raw.js';
import { SAMPLES } from '../helpers/bundle.js';

export { SAMPLES };
export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A scratch directory that tests use as the working directory (a "repository root"). */
export function scratch(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'cd-check-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A fresh scratch root per call, each removed after the test that made it: registers its own
 * afterEach, so a test file calls it once at the top and then `repo()` in each test.
 */
export function scratchRepos(): () => string {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });
  return () => {
    const s = scratch();
    cleanups.push(s.cleanup);
    return s.root;
  };
}

/** Write files under root; a value of {link} makes a symbolic link. */
export function writeTree(root: string, files: Record<string, string | { link: string }>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof content === 'string') writeFileSync(p, content);
    else symlinkSync(content.link, p);
  }
}

/** The unit of the 2025-12-10 incident: no Restart=, no health check. */
export const CHARGER_NO_RESTART = serviceUnit({
  description: 'OCPP charger client',
  execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
  user: 'basar',
  workingDirectory: '/home/basar/charger',
});

/** The healthy sample's unit: Type=notify, Restart=always, WatchdogSec=30. */
export const CHARGER_SUPERVISED = serviceUnit({
  description: 'OCPP charger client',
  execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
  user: 'basar',
  workingDirectory: '/home/basar/charger',
  unit: ['StartLimitIntervalSec=300', 'StartLimitBurst=5'],
  service: ['Type=notify', 'Restart=always', 'RestartSec=5', 'WatchdogSec=30'],
});

export const API_UNIT = serviceUnit({
  description: 'Charger dashboard API',
  execStart: '/home/basar/env/bin/uvicorn api.main:app --host 127.0.0.1 --port 8000',
  user: 'basar',
  workingDirectory: '/home/basar/charger',
  service: ['Restart=always', 'RestartSec=5'],
});

export const API_HEALTH_SERVICE = [
  '[Unit]',
  'Description=Probe the charger API and restart it when it does not answer',
  '',
  '[Service]',
  'Type=oneshot',
  "ExecStart=/bin/sh -c 'curl -fsS -m 5 http://127.0.0.1:8000/api/health >/dev/null || systemctl restart charger-api.service'",
  '',
].join('\n');

export const API_HEALTH_TIMER = ['[Unit]', 'Description=Probe the charger API every 30 s', '', '[Timer]', 'OnBootSec=60', 'OnUnitActiveSec=30', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');

/** A copy of a sample bundle (as into/<as>) with its expected.json edited. */
export function copySample(name: string, into: string, edit?: (exp: Record<string, unknown>) => void, as = name): string {
  const dir = join(into, as);
  cpSync(join(SAMPLES, name), dir, { recursive: true });
  if (edit) {
    const file = join(dir, 'expected.json');
    const exp = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(exp);
    writeFileSync(file, `${JSON.stringify(exp, null, 2)}\n`);
  }
  return dir;
}
