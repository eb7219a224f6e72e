// The capture runner (the sh program the capture unit runs) against stand-ins for systemctl,
// journalctl, df and node in a temporary directory: one capture per unit per interval with
// the rest counted, a start by OnFailure= for a stop already handled makes nothing, retention
// keeps --keep and --max-bytes, and a nearly full disk gets no capture.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookScript, runnerScript } from '../../src/capture/scripts.js';
import { DEFAULTS, type CaptureSettings } from '../../src/capture/settings.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cd-capture-run-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function settings(over: Partial<CaptureSettings> = {}): CaptureSettings {
  return { dir: join(root, 'captures'), ...DEFAULTS, captureCapBytes: 1 << 20, ...over };
}

function exe(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}`);
  chmodSync(path, 0o755);
}

/**
 * The runner with its parameter block pointed into the temporary root: triggers, the lock and
 * the PATH (stand-ins first). `node` writes the bundle it is asked for and logs the trigger.
 */
function setup(s: CaptureSettings, opts: { freePercent?: number; show?: Record<string, string>; journal?: string } = {}): (unit: string) => { code: number | null; out: string } {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(root, 'run/triggers'), { recursive: true });
  exe(join(bin, 'node'), `# fake node: CLI capture collect --trigger F --out O ...\nwhile [ $# -gt 0 ]; do case "$1" in --trigger) t=$2 ;; --out) o=$2 ;; esac; shift; done\ncat "$t" >>"${root}/collected.log"\necho --- >>"${root}/collected.log"\nprintf 'bundle' >"$o"\n`);
  const free = opts.freePercent ?? 50;
  exe(join(bin, 'df'), `echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'\necho "/dev/x 1000 ${1000 - free * 10} ${free * 10} ${100 - free}% /"\n`);
  const show = opts.show ?? {};
  exe(join(bin, 'systemctl'), `# systemctl show -P PROP [--timestamp=unix] UNIT\n[ "$1" = show ] || exit 0\ncase "$3" in\n${Object.entries(show).map(([k, v]) => `  ${k}) echo '${v}' ;;`).join('\n')}\n  *) echo '' ;;\nesac\n`);
  exe(join(bin, 'journalctl'), `printf '%s' '${opts.journal ?? ''}'\n`);
  writeFileSync(join(root, 'cli.js'), '');
  const text = runnerScript(s, { node: join(bin, 'node'), cli: join(root, 'cli.js') })
    .replace(/^RUN=.*$/m, `RUN=${root}/run`)
    .replace(/^TRIGGERS=.*$/m, `TRIGGERS=${root}/run/triggers`)
    .replace(/^HANG=.*$/m, `HANG=${root}/run/hang`)
    .replace(/^PATH=.*$/m, `PATH=${bin}:/usr/bin:/bin`);
  writeFileSync(join(root, 'capture-run'), text);
  return (unit) => {
    const r = spawnSync('sh', [join(root, 'capture-run'), unit], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout + r.stderr };
  };
}

function trigger(unit: string, time: number, result = 'exit-code', extra = ''): void {
  const key = unit.replace(/[^A-Za-z0-9:_.@-]/g, '_');
  writeFileSync(join(root, 'run/triggers', `${key}.${time}.${Math.floor(Math.random() * 1e6)}`), `unit=${unit}\nresult=${result}\nexit_code=exited\nexit_status=3\ntime=${time}\nhook=ExecStopPost\n${extra}`);
}

function state(s: CaptureSettings, unit: string): Record<string, string> {
  const text = readFileSync(join(s.dir, '.state', unit), 'utf8');
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const bundlesIn = (s: CaptureSettings) => readdirSync(s.dir).filter((n) => n.endsWith('.tar.gz')).sort();
const collectedTriggers = () => (existsSync(join(root, 'collected.log')) ? readFileSync(join(root, 'collected.log'), 'utf8').split('---\n').filter(Boolean) : []);
const now = () => Math.floor(Date.now() / 1000);

describe('capture runner', () => {
  it('captures the first of several pending stops and counts the others; a stop inside --min-interval is counted, a later one captured', () => {
    const s = settings({ minIntervalSec: 600 });
    const run = setup(s);
    const t = now();
    trigger('charger.service', t - 10);
    trigger('charger.service', t - 5);
    trigger('charger.service', t - 1);
    expect(run('charger.service').code).toBe(0);
    expect(bundlesIn(s)).toHaveLength(1);
    expect(collectedTriggers()).toHaveLength(1);
    expect(collectedTriggers()[0]).toContain(`time=${t - 10}\n`);
    expect(state(s, 'charger.service')).toMatchObject({ captures: '1', limited: '2', last_capture: String(t - 10), last_result: 'exit-code' });
    expect(readdirSync(join(root, 'run/triggers'))).toEqual([]);

    trigger('charger.service', t + 100);
    run('charger.service');
    expect(bundlesIn(s)).toHaveLength(1);
    expect(state(s, 'charger.service')).toMatchObject({ captures: '1', limited: '3' });

    trigger('charger.service', t + 600);
    run('charger.service');
    expect(collectedTriggers()).toHaveLength(2);
    expect(state(s, 'charger.service')).toMatchObject({ captures: '2', limited: '3', last_capture: String(t + 600) });
  });

  it('passes the hang state to the capture, and removes it with the record once captured or counted', () => {
    const s = settings();
    const run = setup(s);
    mkdirSync(join(root, 'run/hang'), { recursive: true });
    const t = now();
    for (const at of [t, t + 5]) {
      writeFileSync(join(root, 'run/hang', `api.service.${at}.txt`), 'State: T (stopped)\n');
      trigger('api.service', at, 'hang', `detail=${root}/run/hang/api.service.${at}.txt\n`);
    }
    run('api.service');
    expect(collectedTriggers()).toEqual([expect.stringContaining(`result=hang\n`)]);
    expect(collectedTriggers()[0]).toContain(`detail=${root}/run/hang/api.service.${t}.txt\n`);
    expect(readdirSync(join(root, 'run/hang'))).toEqual([]);
    expect(state(s, 'api.service')).toMatchObject({ captures: '1', limited: '1', last_result: 'hang' });
  });

  it('keeps units apart: another unit in the same second is captured on its own', () => {
    const s = settings();
    const run = setup(s);
    const t = now();
    trigger('a.service', t);
    trigger('b.service', t);
    run('a.service');
    expect(collectedTriggers().map((x) => /unit=(.*)/.exec(x)![1])).toEqual(['a.service']);
    run('b.service');
    expect(collectedTriggers().map((x) => /unit=(.*)/.exec(x)![1])).toEqual(['a.service', 'b.service']);
  });

  it('a start by OnFailure= for a stop ExecStopPost= already handled makes no capture and counts nothing', () => {
    const s = settings();
    const t = now();
    const run = setup(s, { show: { ExecMainExitTimestamp: `@${t}` } });
    trigger('charger.service', t);
    run('charger.service');
    const before = state(s, 'charger.service');
    run('charger.service');
    expect(state(s, 'charger.service')).toEqual(before);
    expect(collectedTriggers()).toHaveLength(1);
  });

  it('a start by OnFailure= with no record is a start-limit-hit when the journal says so', () => {
    const s = settings();
    const t = now();
    const run = setup(s, {
      show: { ExecMainExitTimestamp: `@${t - 1}`, StateChangeTimestamp: `@${t}`, Result: 'start-limit-hit', ExecMainCode: '1', ExecMainStatus: '0' },
      journal: 'charger-sync.service: Start request repeated too quickly.\n',
    });
    run('charger-sync.service');
    expect(collectedTriggers()).toHaveLength(1);
    expect(collectedTriggers()[0]).toBe(`unit=charger-sync.service\nresult=start-limit-hit\nexit_code=exited\nexit_status=0\ntime=${t}\nhook=OnFailure\n`);
  });

  it('an OOM kill systemd saw as SIGKILL is named oom-kill from the kernel line of its cgroup', () => {
    const s = settings();
    const t = now();
    const run = setup(s, { journal: 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/charger-logger.service,task_memcg=/system.slice/charger-logger.service,task=python3,pid=7,uid=0\n' });
    writeFileSync(join(root, 'run/triggers', `charger-logger.service.${t}.1`), `unit=charger-logger.service\nresult=signal\nexit_code=killed\nexit_status=KILL\ntime=${t}\nhook=ExecStopPost\n`);
    run('charger-logger.service');
    expect(collectedTriggers()[0]).toContain('systemd_result=signal\nresult=oom-kill\n');
    expect(state(s, 'charger-logger.service').last_result).toBe('oom-kill');
  });

  it('keeps at most --keep bundles, oldest removed first, with their reports', () => {
    const s = settings({ keep: 2 });
    const run = setup(s);
    mkdirSync(s.dir, { recursive: true });
    const old = now() - 3600;
    for (const [i, n] of ['h-x.service-1', 'h-x.service-2', 'h-x.service-3'].entries()) {
      writeFileSync(join(s.dir, `${n}.tar.gz`), 'x');
      writeFileSync(join(s.dir, `${n}.report.md`), 'r');
      utimesSync(join(s.dir, `${n}.tar.gz`), old + i, old + i);
    }
    trigger('charger.service', now());
    run('charger.service');
    const left = bundlesIn(s);
    expect(left).toHaveLength(2);
    expect(left).toContain('h-x.service-3.tar.gz');
    expect(existsSync(join(s.dir, 'h-x.service-1.report.md'))).toBe(false);
  });

  it('keeps the captures under --max-bytes, oldest removed first', () => {
    const s = settings({ maxBytes: 2500 });
    const run = setup(s);
    mkdirSync(s.dir, { recursive: true });
    const old = now() - 3600;
    for (const i of [1, 2, 3]) {
      writeFileSync(join(s.dir, `h-x.service-${i}.tar.gz`), 'x'.repeat(1000));
      utimesSync(join(s.dir, `h-x.service-${i}.tar.gz`), old + i, old + i);
    }
    trigger('charger.service', now());
    run('charger.service');
    // The new bundle (6 bytes) and the two newest old ones fit in 2500 bytes.
    const left = bundlesIn(s);
    expect(left).toHaveLength(3);
    expect(left).toEqual(expect.arrayContaining(['h-x.service-2.tar.gz', 'h-x.service-3.tar.gz', expect.stringMatching(/-charger\.service-\d{8}-\d{6}\.tar\.gz$/)]));
  });

  it('starts no capture when the file system holding DIR has less than 10 % free', () => {
    const s = settings();
    const run = setup(s, { freePercent: 5 });
    trigger('charger.service', now());
    const r = run('charger.service');
    expect(r.out).toContain('less than 10 % free');
    expect(collectedTriggers()).toEqual([]);
    expect(state(s, 'charger.service')).toMatchObject({ captures: '0', skipped_disk: '1' });
  });

  it('leaves the trigger record of another unit whose name shares the prefix; started with nothing to go by, it says so', () => {
    const s = settings();
    const run = setup(s);
    const t = now();
    const foreign = join(root, 'run/triggers', `a.service.${t}.1`);
    writeFileSync(foreign, `unit=a.service.${t}.service\nresult=exit-code\ntime=${t}\n`);
    run('a.service');
    expect(existsSync(foreign)).toBe(true);
    expect(collectedTriggers()).toEqual([expect.stringMatching(/^unit=a\.service\nresult=unknown\n[^]*hook=OnFailure\n$/)]);
  });
});

describe('capture hook', () => {
  /** The hook with its trigger directory in the temporary root and a systemctl that logs its arguments. */
  function hook(env: Record<string, string>): { code: number | null; records: string[]; systemctl: string } {
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    exe(join(bin, 'systemctl'), `echo "$*" >>"${root}/systemctl.log"\n`);
    const text = hookScript().replace(/^TRIGGERS=.*$/m, `TRIGGERS=${root}/triggers`);
    writeFileSync(join(root, 'capture-hook'), text);
    const r = spawnSync('sh', [join(root, 'capture-hook'), 'charger.service'], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, ...env } });
    const dir = join(root, 'triggers');
    const records = existsSync(dir) ? readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8')) : [];
    const log = join(root, 'systemctl.log');
    return { code: r.status, records, systemctl: existsSync(log) ? readFileSync(log, 'utf8') : '' };
  }

  it('writes a trigger record and starts the capture without waiting for a failure', () => {
    const r = hook({ SERVICE_RESULT: 'exit-code', EXIT_CODE: 'exited', EXIT_STATUS: '3' });
    expect(r.code).toBe(0);
    expect(r.records).toEqual([expect.stringMatching(/^unit=charger\.service\nresult=exit-code\nexit_code=exited\nexit_status=3\ntime=\d+\nhook=ExecStopPost\n$/)]);
    expect(r.systemctl).toBe('start --no-block charger-diag-capture@charger.service.service\n');
  });

  it('does nothing for a stop the operator asked for', () => {
    const r = hook({ SERVICE_RESULT: 'success', EXIT_CODE: 'killed', EXIT_STATUS: 'TERM' });
    expect(r.code).toBe(0);
    expect(r.records).toEqual([]);
    expect(r.systemctl).toBe('');
  });
});
