// What `capture install` writes and prints, as pure functions: the settings it accepts, the
// trigger records it reads, the services it picks by default, the files and the record, the
// dry run, and the install and remove scripts (which touch only what the record lists).
import { describe, expect, it } from 'vitest';
import { captureSettings, parseSize } from '../../src/capture/settings.js';
import { parseTrigger, describeTrigger } from '../../src/capture/trigger.js';
import { selectCandidates, parseQuery } from '../../src/capture/query.js';
import { describePlan, describeRemove, installPlan, installScript, parseRecord, removeScript } from '../../src/capture/plan.js';
import { captureStatus, statusText } from '../../src/capture/status.js';
import { runCli, expectOneLineError } from '../helpers/cli.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const NODE = { node: '/usr/bin/node', cli: '/usr/lib/node_modules/charger-diag/dist/cli.js' };

describe('capture settings', () => {
  it('has the documented defaults', () => {
    expect(captureSettings({})).toEqual({
      dir: '/var/lib/charger-diag/captures',
      keep: 20,
      maxBytes: 200 * 1048576,
      minIntervalSec: 600,
      windowSec: 1800,
      captureCapBytes: 50 * 1048576,
      minFreePercent: 10,
      timeLimitSec: 300,
    });
  });

  it('reads sizes and durations', () => {
    expect(parseSize('200M')).toBe(200 * 1048576);
    expect(parseSize('1G')).toBe(1073741824);
    expect(parseSize('512KiB')).toBe(524288);
    expect(parseSize('12 MB')).toBe(12 * 1048576);
    expect(parseSize('lots')).toBeNull();
    expect(captureSettings({ minInterval: '90s', window: '1h', keep: '3', maxBytes: '64M', dir: '/data/captures/' })).toMatchObject({ minIntervalSec: 90, windowSec: 3600, keep: 3, maxBytes: 64 * 1048576, captureCapBytes: 16 * 1048576, dir: '/data/captures' });
  });

  it.each([
    [{ keep: '0' }, /--keep 0: expected a whole number/],
    [{ maxBytes: '1M' }, /--max-bytes 1M: expected a size of at least 4M/],
    [{ minInterval: 'soon' }, /--min-interval soon: expected a duration/],
    [{ window: '5s' }, /--window 5s: expected a duration between 60 s/],
    [{ dir: 'captures' }, /--dir captures: expected an absolute path/],
    [{ dir: '/tmp/captures' }, /--dir \/tmp\/captures: captures must survive a reboot/],
    [{ dir: "/var/lib/x'; rm -rf /" }, /expected an absolute path of letters/],
  ])('refuses %o', (flags, message) => {
    expect(() => captureSettings(flags)).toThrow(message);
  });
});

describe('trigger records', () => {
  const utc = { utcOffset: '+00:00' };
  it('reads what the hook writes', () => {
    const t = parseTrigger('unit=charger.service\nresult=exit-code\nexit_code=exited\nexit_status=3\ntime=1796558400\nhook=ExecStopPost\n', utc);
    expect(t).toEqual({ unit: 'charger.service', result: 'exit-code', exitCode: 'exited', exitStatus: '3', time: '2026-12-06T12:00:00+00:00', hook: 'ExecStopPost', epochMs: 1796558400000, detail: null });
    expect(describeTrigger(t!)).toBe('exit-code, exited 3');
  });

  it('takes the runner\'s later word for the result, and keeps what systemd said', () => {
    const t = parseTrigger('unit=a.service\nresult=signal\nexit_code=killed\nexit_status=KILL\ntime=1796558400\nsystemd_result=signal\nresult=oom-kill\n', utc);
    expect(t).toMatchObject({ result: 'oom-kill', systemdResult: 'signal', exitStatus: 'KILL' });
  });

  it('refuses a record without unit, result or time, and values no hook writes', () => {
    expect(parseTrigger('result=exit-code\ntime=1\n', utc)).toBeNull();
    expect(parseTrigger('unit=a.service\ntime=1\n', utc)).toBeNull();
    expect(parseTrigger('unit=a.service\nresult=x\ntime=soon\n', utc)).toBeNull();
    expect(parseTrigger('unit=a.service; rm -rf /\nresult=x\ntime=1\n', utc)).toBeNull();
    // A detail file outside the hang directory is not read.
    expect(parseTrigger('unit=a.service\nresult=hang\ntime=1\ndetail=/etc/shadow\n', utc)!.detail).toBeNull();
    expect(parseTrigger('unit=a.service\nresult=hang\ntime=1\ndetail=/run/charger-diag/hang/a.service.1.txt\n', utc)!.detail).toBe('/run/charger-diag/hang/a.service.1.txt');
  });
});

// systemctl show -p Id,Type,FragmentPath,LoadState as systemd 252 prints it (properties in its own order).
const SHOW = `Type=simple
Id=charger.service
LoadState=loaded
FragmentPath=/etc/systemd/system/charger.service

Type=oneshot
Id=charger-setup.service
LoadState=loaded
FragmentPath=/etc/systemd/system/charger-setup.service

Type=simple
Id=cron.service
LoadState=loaded
FragmentPath=/lib/systemd/system/cron.service

Type=notify
Id=meter.service
LoadState=loaded
FragmentPath=/usr/local/lib/systemd/system/meter.service

Type=simple
Id=run-u12.service
LoadState=loaded
FragmentPath=/run/systemd/transient/run-u12.service

Type=simple
Id=masked.service
LoadState=masked
FragmentPath=

Type=oneshot
Id=charger-diag-capture@charger.service.service
LoadState=loaded
FragmentPath=/etc/systemd/system/charger-diag-capture@.service
`;

describe('the services capture watches by default', () => {
  it('are the site-local long-running ones: not vendor, oneshot, transient, masked or its own', () => {
    const { candidates, known } = selectCandidates(SHOW);
    expect(candidates.map((c) => c.unit)).toEqual(['charger.service', 'meter.service']);
    expect([...known].sort()).toEqual(['charger-diag-capture@charger.service.service', 'charger-setup.service', 'charger.service', 'cron.service', 'meter.service', 'run-u12.service']);
  });

  it('are read from the query output with the record, the bundles and the disk', () => {
    const b = '@@charger-diag-x';
    const plan = installPlan({ units: ['charger.service'], settings: captureSettings({}), collector: NODE, collectScript: null, now: NOW });
    const out = [`${b} host`, 'pi-01', `${b} record`, plan.record, `${b} dir`, '/var/lib/charger-diag/captures', `${b} units`, SHOW, `${b} node`, '/usr/bin/node', `${b} cli`, '', `${b} states`, 'unit=charger.service\ncaptures=1\nlimited=4\nlast_capture=1796558400', `${b} next`, `${b} bundles`, '2048 1796558410 /var/lib/charger-diag/captures/pi-01-charger.service-20261206-120010.tar.gz', '300 1796558410 /var/lib/charger-diag/captures/pi-01-charger.service-20261206-120010.report.md', `${b} df`, '1000000 900000', `${b} end`, ''].join('\n');
    const q = parseQuery(out, b);
    expect(q.record?.units).toEqual(['charger.service']);
    expect(q.hostname).toBe('pi-01');
    expect(q.states).toEqual([{ unit: 'charger.service', captures: '1', limited: '4', last_capture: '1796558400' }]);
    expect(q.bundles).toHaveLength(1);
    expect(q.reports).toHaveLength(1);
    expect(q.df).toEqual({ size: 1000000, avail: 900000 });
    expect(q.cli).toBeNull();
    // Status: the watched unit's counters, the service added since install and not watched, the disk.
    const st = captureStatus(q);
    expect(st).toMatchObject({ host: 'pi-01', installed: true, collector: 'node', unwatched: ['meter.service'], disk: { bundles: 1, bytes: 2348, fileSystemFreePercent: 90 } });
    expect(st.units).toEqual([{ unit: 'charger.service', captures: 1, rateLimited: 4, skippedForDisk: 0, lastCapture: '2026-12-06T12:00:00.000Z', lastResult: null, lastBundle: null, lastBundlePresent: false }]);
    expect(statusText(st, ['charger.service'])).toContain('not watched (site-local services added since install; capture install --unit adds them): meter.service\n');
  });
});

describe('the install plan', () => {
  const s = captureSettings({});
  const plan = installPlan({ units: ['charger.service', 'meter.service'], settings: s, collector: NODE, collectScript: null, now: NOW });

  it('writes the hook, the runner, the hang capture, the template and one drop-in per unit, and records them', () => {
    expect(plan.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['/usr/local/lib/charger-diag/capture-hook', '755'],
      ['/usr/local/lib/charger-diag/capture-run', '755'],
      ['/usr/local/lib/charger-diag/capture-hang', '755'],
      ['/etc/systemd/system/charger-diag-capture@.service', '644'],
      ['/etc/systemd/system/charger.service.d/50-charger-diag-capture.conf', '644'],
      ['/etc/systemd/system/meter.service.d/50-charger-diag-capture.conf', '644'],
    ]);
    const dropIn = plan.files[4]!.content;
    expect(dropIn).toContain('\nOnFailure=charger-diag-capture@%n.service\n');
    expect(dropIn).toContain('\nExecStopPost=+/usr/local/lib/charger-diag/capture-hook %n\n');
    const template = plan.files[3]!.content;
    for (const line of ['Type=oneshot', 'ExecStart=/usr/local/lib/charger-diag/capture-run %i', 'Nice=19', 'IOSchedulingClass=idle', 'TimeoutStartSec=300']) expect(template).toContain(`\n${line}\n`);
    const runner = plan.files[1]!.content;
    expect(runner).toContain("\nNODE=/usr/bin/node\nCLI=/usr/lib/node_modules/charger-diag/dist/cli.js\n");
    expect(runner).toContain('\nMIN_INTERVAL=600\nMIN_FREE=10\n');
    const record = parseRecord(plan.record)!;
    expect(record.files).toEqual(plan.files.map((f) => f.path));
    expect(record.dirs).toEqual(['/usr/local/lib/charger-diag', '/etc/systemd/system/charger.service.d', '/etc/systemd/system/meter.service.d']);
    expect(record.installedAt).toBe('2026-12-06T12:00:00.000Z');
  });

  it('writes the collection script only for a device without charger-diag', () => {
    const p = installPlan({ units: ['charger.service'], settings: s, collector: { node: null, cli: null }, collectScript: '#!/bin/sh\necho collect\n', now: NOW });
    expect(p.files.map((f) => f.path)).toContain('/usr/local/lib/charger-diag/collect.sh');
    expect(p.files.find((f) => f.path.endsWith('capture-run'))!.content).toContain("\nNODE=''\nCLI=''\n");
  });

  it('prints every file with its content and every command in the dry run', () => {
    const text = describePlan(plan, null, 'this machine');
    for (const f of plan.files) {
      expect(text).toContain(`# file ${f.path} (mode ${f.mode.toString(8)})\n${f.content}`);
    }
    expect(text).toContain('# file /var/lib/charger-diag/capture-install.json (mode 644)');
    expect(text).toMatch(/# commands\nsystemctl daemon-reload\n$/);
  });

  it('refuses files it did not write, replaces its own and removes what it no longer needs', () => {
    const previous = parseRecord(installPlan({ units: ['charger.service', 'old.service'], settings: s, collector: NODE, collectScript: null, now: NOW }).record)!;
    const script = installScript(plan, previous);
    // Only meter.service's drop-in is new: it alone must not exist yet.
    expect(script).toContain("for f in /etc/systemd/system/meter.service.d/50-charger-diag-capture.conf; do");
    expect(script).toContain('rm -f /etc/systemd/system/old.service.d/50-charger-diag-capture.conf');
    expect(script).toContain('rmdir /etc/systemd/system/old.service.d 2>/dev/null || true');
    expect(script).toMatch(/systemctl daemon-reload \|\| exit 1\n/);
    expect(describePlan(plan, previous, 'pi')).toContain('# removed: written by the previous install, no longer needed\nrm -f /etc/systemd/system/old.service.d/50-charger-diag-capture.conf');
  });

  it('removes exactly the recorded files, then their empty directories, and keeps the captures', () => {
    const record = parseRecord(plan.record)!;
    const script = removeScript(record);
    const removed = [...script.matchAll(/rm -f (\S+) &&/g)].map((m) => m[1]);
    expect(removed).toEqual([...record.files, '/var/lib/charger-diag/capture-install.json']);
    expect(script).not.toContain('captures');
    expect(describeRemove(record, 'pi')).toContain('# kept: the captures in /var/lib/charger-diag/captures');
  });
});

describe('capture on the command line', () => {
  it('refuses bad options with one line and exit 2', () => {
    expectOneLineError(runCli(['capture', 'install', '--keep', 'many', '--dry-run']), /^charger-diag: --keep many: expected a whole number between 1 and 1000$/);
    expectOneLineError(runCli(['capture', 'install', '--unit', 'not a unit', '--dry-run']), /--unit not a unit: not a service name/);
    expectOneLineError(runCli(['capture', 'status', '--ssh-option', '-v']), /--ssh-option needs --ssh or --hosts/);
    expectOneLineError(runCli(['capture', 'install', '--ssh', 'bad host name', '--dry-run']), /--ssh bad host name: expected \[USER@\]HOST\[:PORT\]/);
  });
});
