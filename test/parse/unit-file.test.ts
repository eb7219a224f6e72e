import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { loadUnitFiles, isSiteLocalPath, dropinDirNames, type UnitFileInput } from '../../src/parse/unit-file.js';
import { describeWith, need } from '../helpers/needs.js';

const file = (devicePath: string, text: string): UnitFileInput => ({ devicePath, bundlePath: `files${devicePath}`, text });

// charger.service as it was found on the device (no Restart=, a health probe as ExecStartPost=).
const chargerUnit = `[Unit]
Description=Charger OCPP client
After=network-online.target
Wants=network-online.target

[Service]
User=basar
WorkingDirectory=/home/basar/charger
ExecStart=/home/basar/env/bin/python \\
    /home/basar/charger/ocpp/main.py
ExecStartPost=/usr/bin/curl -fsS http://127.0.0.1:8000/health
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
`;

describe('loadUnitFiles: one service, systemd defaults', () => {
  const r = loadUnitFiles([file('/etc/systemd/system/charger.service', chargerUnit)]);
  const u = r.units[0]!;

  it('reads the fragment with line numbers and raw text', () => {
    expect(r.skipped).toBe(0);
    expect(r.units.map((x) => x.name)).toEqual(['charger.service']);
    expect(u.fragment).toEqual({ devicePath: '/etc/systemd/system/charger.service', bundlePath: 'files/etc/systemd/system/charger.service' });
    expect(u.masked).toBe(false);
    const exec = u.get('Service', 'ExecStart')!;
    expect(exec).toMatchObject({
      section: 'Service', key: 'ExecStart', line: 9, endLine: 10,
      value: '/home/basar/env/bin/python      /home/basar/charger/ocpp/main.py',
      source: 'files/etc/systemd/system/charger.service', devicePath: '/etc/systemd/system/charger.service',
    });
    expect(exec.text).toBe('ExecStart=/home/basar/env/bin/python \\\n    /home/basar/charger/ocpp/main.py');
    expect(u.get('Service', 'Environment')!.line).toBe(12);
  });

  it('applies systemd defaults where nothing is set', () => {
    expect(u.effective).toMatchObject({
      type: 'simple', restart: 'no', restartSec: 100_000, watchdogSec: 0, startLimitBurst: 5,
      startLimitIntervalSec: 10_000_000, notifyAccess: 'none', user: 'basar', group: null,
      workingDirectory: '/home/basar/charger', description: 'Charger OCPP client', wantedBy: ['multi-user.target'],
      remainAfterExit: false,
    });
    expect(u.effective.execStart).toHaveLength(1);
    expect(u.effective.execStartPost.map((d) => d.value)).toEqual(['/usr/bin/curl -fsS http://127.0.0.1:8000/health']);
  });

  it('keys are case-sensitive: restart=always is not Restart=', () => {
    const r2 = loadUnitFiles([file('/etc/systemd/system/x.service', '[Service]\nExecStart=/bin/x\nrestart=always\n')]);
    expect(r2.units[0]!.effective.restart).toBe('no');
    expect(r2.units[0]!.get('Service', 'restart')!.value).toBe('always');
  });
});

describe('loadUnitFiles: drop-ins', () => {
  const restartDropin = '[Service]\nRestart=always\nRestartSec=5\n';
  const resetDropin = '# replace the command, drop the probe\n[Service]\nExecStart=\nExecStart=/home/basar/env/bin/python -m ocpp.main\nExecStartPost=\n';

  it('merges drop-ins after the fragment; empty assignments reset lists', () => {
    const r = loadUnitFiles([
      file('/etc/systemd/system/charger.service', chargerUnit),
      file('/etc/systemd/system/charger.service.d/20-cmd.conf', resetDropin),
      file('/etc/systemd/system/charger.service.d/10-restart.conf', restartDropin),
    ]);
    const u = r.units[0]!;
    expect(u.dropins.map((d) => d.devicePath)).toEqual([
      '/etc/systemd/system/charger.service.d/10-restart.conf',
      '/etc/systemd/system/charger.service.d/20-cmd.conf',
    ]);
    expect(u.effective.restart).toBe('always');
    expect(u.effective.restartSec).toBe(5_000_000);
    expect(u.get('Service', 'Restart')).toMatchObject({ line: 2, source: 'files/etc/systemd/system/charger.service.d/10-restart.conf', text: 'Restart=always' });
    expect(u.effective.execStart.map((d) => [d.value, d.line])).toEqual([['/home/basar/env/bin/python -m ocpp.main', 4]]);
    expect(u.effective.execStartPost).toEqual([]);
    expect(u.getAll('Service', 'ExecStartPost')).toEqual([]);
    expect(u.directives.filter((d) => d.key === 'ExecStart')).toHaveLength(1);
    expect(u.resets!.map((d) => [d.key, d.line])).toEqual([['ExecStart', 3], ['ExecStartPost', 5]]);
    expect(u.notes).toBeUndefined();
  });

  it('a second ExecStart= without a reset is noted: systemd refuses such a simple service', () => {
    const r = loadUnitFiles([
      file('/etc/systemd/system/charger.service', chargerUnit),
      file('/etc/systemd/system/charger.service.d/override.conf', '[Service]\nExecStart=/usr/bin/other\n'),
    ]);
    expect(r.units[0]!.effective.execStart).toHaveLength(2);
    expect(r.units[0]!.notes![0]).toMatchObject({ line: 2, source: 'files/etc/systemd/system/charger.service.d/override.conf' });
  });

  it('a drop-in for a unit whose fragment is not in the bundle still makes a unit', () => {
    const r = loadUnitFiles([file('/etc/systemd/system/nginx.service.d/override.conf', '[Service]\nRestart=on-failure\n')]);
    expect(r.units.map((u) => [u.name, u.fragment, u.effective.restart])).toEqual([['nginx.service', null, 'on-failure']]);
  });

  it('invalid values of typed settings are ignored, the previous value stays', () => {
    const r = loadUnitFiles([
      file('/etc/systemd/system/charger.service', chargerUnit.replace('User=basar', 'User=basar\nRestart=on-failure\nRestartSec=3')),
      file('/etc/systemd/system/charger.service.d/50-typo.conf', '[Service]\nRestart=allways\nRestartSec=\n'),
    ]);
    const u = r.units[0]!;
    expect(u.effective.restart).toBe('on-failure');
    expect(u.effective.restartSec).toBe(3_000_000);
    expect(u.get('Service', 'Restart')!.source).toBe('files/etc/systemd/system/charger.service');
    expect(u.notes!.map((n) => n.line)).toEqual([2, 3]);
  });
});

describe('loadUnitFiles: search path priority and masking', () => {
  const vendor = '[Unit]\nDescription=Vendor ngrok\n[Service]\nExecStart=/usr/bin/ngrok start --all\nRestart=on-failure\n';

  it('/etc overrides /usr/lib; /lib and /usr/lib are one directory', () => {
    const r = loadUnitFiles([
      file('/lib/systemd/system/ngrok.service', vendor),
      file('/usr/lib/systemd/system/ngrok.service', vendor),
      file('/lib/systemd/system/ngrok.service.d/10-a.conf', '[Service]\nRestartSec=2\n'),
      file('/usr/lib/systemd/system/ngrok.service.d/10-a.conf', '[Service]\nRestartSec=2\n'),
      file('/etc/systemd/system/ngrok.service', '[Service]\nExecStart=/usr/local/bin/ngrok start tunnel\n'),
    ]);
    expect(r.skipped).toBe(0);
    const u = r.units[0]!;
    expect(u.fragment!.devicePath).toBe('/etc/systemd/system/ngrok.service');
    expect(u.effective.restart).toBe('no');
    expect(u.dropins.map((d) => d.devicePath)).toEqual(['/usr/lib/systemd/system/ngrok.service.d/10-a.conf']);
    expect(u.effective.restartSec).toBe(2_000_000);
  });

  it('a file copied from both /lib and /usr/lib counts its problems once', () => {
    const broken = '[Service]\nExecStart=/bin/x\nnot an assignment\n';
    const r = loadUnitFiles([file('/lib/systemd/system/b.service', broken), file('/usr/lib/systemd/system/b.service', broken)]);
    expect(r.skipped).toBe(1);
    expect(r.problems).toEqual([{ source: 'files/usr/lib/systemd/system/b.service', line: 3, reason: "missing '=', line ignored" }]);
    expect(r.units[0]!.fragment!.devicePath).toBe('/usr/lib/systemd/system/b.service');
  });

  it('an empty fragment (a /dev/null link) masks the unit and its drop-ins', () => {
    const r = loadUnitFiles([
      file('/lib/systemd/system/ngrok.service', vendor),
      file('/etc/systemd/system/ngrok.service', '\n'),
      file('/etc/systemd/system/ngrok.service.d/10-a.conf', '[Service]\nRestart=always\n'),
    ]);
    const u = r.units[0]!;
    expect(u.masked).toBe(true);
    expect(u.directives).toEqual([]);
    expect(u.dropins).toEqual([]);
    expect(u.effective.restart).toBe('no');
  });

  it('/run/systemd/system sits between /etc and /usr/local/lib', () => {
    const r = loadUnitFiles([
      file('/usr/local/lib/systemd/system/a.service', '[Service]\nExecStart=/bin/local\n'),
      file('/run/systemd/system/a.service', '[Service]\nExecStart=/bin/run\n'),
    ]);
    expect(r.units[0]!.effective.execStart[0]!.value).toBe('/bin/run');
  });
});

describe('loadUnitFiles: templates, instances, prefix and type drop-ins', () => {
  const files = [
    file('/usr/lib/systemd/system/charger-api@.service', '[Service]\nExecStart=/opt/api/run --port %i\n'),
    file('/etc/systemd/system/service.d/10-x.conf', '[Service]\nRestartSec=1\n'),
    file('/usr/lib/systemd/system/charger-api@.service.d/10-x.conf', '[Service]\nRestartSec=2\n'),
    file('/etc/systemd/system/charger-.service.d/20-y.conf', '[Service]\nRestart=on-failure\n'),
    file('/run/systemd/system/charger-api.service.d/20-y.conf', '[Service]\nRestart=always\n'),
    file('/etc/systemd/system/charger-@.service.d/30-z.conf', '[Service]\nUser=api\n'),
    file('/etc/systemd/system/charger-@8000.service.d/31-z.conf', '[Service]\nGroup=api\n'),
    file('/etc/systemd/system/multi-user.target.wants/charger-api@8000.service', '[Service]\nExecStart=/opt/api/run --port %i\n'),
  ];
  const r = loadUnitFiles(files);

  it('lists the template and the enabled instance, not prefix directories or wants links', () => {
    expect(r.skipped).toBe(0);
    expect(r.units.map((u) => u.name)).toEqual(['charger-api.service', 'charger-api@.service', 'charger-api@8000.service']);
  });

  // Matches `systemd-analyze verify --root` on 252 (see the cross-check below).
  it('an instance takes the template fragment and the template, prefix and type drop-ins', () => {
    const u = r.units.find((x) => x.name === 'charger-api@8000.service')!;
    expect(u.fragment!.devicePath).toBe('/usr/lib/systemd/system/charger-api@.service');
    expect(u.dropins.map((d) => d.devicePath)).toEqual([
      '/usr/lib/systemd/system/charger-api@.service.d/10-x.conf',
      '/etc/systemd/system/charger-.service.d/20-y.conf',
      '/etc/systemd/system/charger-@.service.d/30-z.conf',
      '/etc/systemd/system/charger-@8000.service.d/31-z.conf',
    ]);
    expect(u.effective).toMatchObject({ restartSec: 2_000_000, restart: 'on-failure', user: 'api', group: 'api' });
  });

  it('resolve() builds any instance on demand', () => {
    const u = r.resolve!('charger-api@9000.service')!;
    expect(u.fragment!.devicePath).toBe('/usr/lib/systemd/system/charger-api@.service');
    expect(u.effective.user).toBe('api');
    expect(u.effective.group).toBeNull();
    expect(r.resolve!('nothing.service')).toBeNull();
  });

  it('dropinDirNames follows dropin.c', () => {
    expect(dropinDirNames('foo-bar-baz.service')).toEqual(['foo-bar-baz.service', 'foo-bar-.service', 'foo-.service']);
    expect(dropinDirNames('charger-api@1.service')).toEqual([
      'charger-api@1.service', 'charger-api@.service', 'charger-.service', 'charger-@1.service', 'charger-@.service',
    ]);
  });
});

describe('loadUnitFiles: effective settings', () => {
  const one = (text: string, name = 'x.service') => loadUnitFiles([file(`/etc/systemd/system/${name}`, text)]).units[0]!;

  it('WatchdogSec= or Type=notify make NotifyAccess main; explicit values win otherwise', () => {
    expect(one('[Service]\nExecStart=/bin/x\nWatchdogSec=30\n').effective).toMatchObject({ watchdogSec: 30_000_000, notifyAccess: 'main' });
    expect(one('[Service]\nType=notify\nExecStart=/bin/x\n').effective.notifyAccess).toBe('main');
    expect(one('[Service]\nType=notify\nExecStart=/bin/x\nNotifyAccess=all\n').effective.notifyAccess).toBe('all');
    expect(one('[Service]\nExecStart=/bin/x\nWatchdogSec=infinity\n').effective).toMatchObject({ watchdogSec: 0, notifyAccess: 'none' });
  });

  it('Type defaults: oneshot without ExecStart, dbus with BusName', () => {
    expect(one('[Service]\nExecStop=/bin/true\n').effective.type).toBe('oneshot');
    expect(one('[Service]\nBusName=org.example.X\nExecStart=/bin/x\n').effective.type).toBe('dbus');
    expect(one('[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/a\nExecStart=/bin/b\n').effective).toMatchObject({ type: 'oneshot', remainAfterExit: true });
  });

  it('start limits from [Unit], or the legacy [Service] names', () => {
    expect(one('[Unit]\nStartLimitIntervalSec=60\nStartLimitBurst=3\n[Service]\nExecStart=/bin/x\n').effective).toMatchObject({ startLimitBurst: 3, startLimitIntervalSec: 60_000_000 });
    expect(one('[Service]\nExecStart=/bin/x\nStartLimitInterval=5min\nStartLimitBurst=10\n').effective).toMatchObject({ startLimitBurst: 10, startLimitIntervalSec: 300_000_000 });
    expect(one('[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/x\n').effective.startLimitIntervalSec).toBe(0);
  });

  it('timers and sockets are loaded and readable through get()', () => {
    const r = loadUnitFiles([
      file('/etc/systemd/system/health-check.timer', '[Unit]\nDescription=Probe every 30s\n[Timer]\nOnBootSec=1min\nOnUnitActiveSec=30s\nUnit=health-check.service\n[Install]\nWantedBy=timers.target\n'),
      file('/etc/systemd/system/api.socket', '[Socket]\nListenStream=127.0.0.1:8000\n'),
    ]);
    const timer = r.units.find((u) => u.name === 'health-check.timer')!;
    expect(timer.get('Timer', 'Unit')!.value).toBe('health-check.service');
    expect(timer.get('Timer', 'OnUnitActiveSec')!.line).toBe(5);
    expect(timer.effective.wantedBy).toEqual(['timers.target']);
    expect(r.units.find((u) => u.name === 'api.socket')!.get('Socket', 'ListenStream')!.value).toBe('127.0.0.1:8000');
  });
});

describe('loadUnitFiles: syntax as config_parse() reads it', () => {
  it('comments (also inside a continuation), ; comments, whitespace around =', () => {
    const text = '; vendor note\n[Service]\n  # indented comment\nExecStart=/bin/prog \\\n# comment inside\n  --flag\n  Restart  =  always  \n';
    const u = loadUnitFiles([file('/etc/systemd/system/x.service', text)]).units[0]!;
    // The backslash becomes a space; the space before it stays.
    expect(u.get('Service', 'ExecStart')!.value).toBe('/bin/prog    --flag');
    expect(u.get('Service', 'ExecStart')!.endLine).toBe(6);
    expect(u.effective.restart).toBe('always');
    expect(u.get('Service', 'Restart')!.line).toBe(7);
  });

  it('counts lines outside a section, without =, broken headers, and files that are not units', () => {
    const text = 'Restart=always\n[Service]\nExecStart=/bin/x\njust some words\n=novalue\n[Install\nWantedBy=multi-user.target\n';
    const r = loadUnitFiles([
      file('/etc/systemd/system/x.service', text),
      file('/etc/systemd/system/x.service.bak', '[Service]\n'),
      file('/etc/systemd/system/README', 'notes'),
      file('/etc/systemd/system/multi-user.target.d/override.conf', '[Unit]\nAfter=x.service\n'),
      file('/etc/systemd/system/bad name.service', '[Service]\n'),
    ]);
    expect(r.problems.map((p) => [p.source, p.line])).toEqual([
      ['files/etc/systemd/system/x.service.bak', 0],
      ['files/etc/systemd/system/README', 0],
      ['files/etc/systemd/system/multi-user.target.d/override.conf', 0],
      ['files/etc/systemd/system/bad name.service', 0],
      ['files/etc/systemd/system/x.service', 1],
      ['files/etc/systemd/system/x.service', 4],
      ['files/etc/systemd/system/x.service', 5],
      ['files/etc/systemd/system/x.service', 6],
      ['files/etc/systemd/system/x.service', 7],
    ]);
    expect(r.skipped).toBe(9);
    const u = r.units[0]!;
    expect(u.effective.restart).toBe('no');
    expect(u.effective.execStart).toHaveLength(1);
    expect(u.effective.wantedBy).toEqual([]);
  });

  it('a repository directory outside the search path still loads (charger-diag check deploy/systemd/)', () => {
    const r = loadUnitFiles([
      file('deploy/systemd/charger.service', chargerUnit),
      file('deploy/systemd/charger.service.d/10-restart.conf', '[Service]\nRestart=always\n'),
    ]);
    expect(r.units[0]!.effective.restart).toBe('always');
    expect(isSiteLocalPath(r.units[0]!.fragment!.devicePath)).toBe(true);
  });
});

describe('isSiteLocalPath', () => {
  it('admin directories and anything outside /lib and /usr/lib; not vendor or generator output', () => {
    expect(isSiteLocalPath('/etc/systemd/system/charger.service')).toBe(true);
    expect(isSiteLocalPath('/usr/local/lib/systemd/system/charger.service')).toBe(true);
    expect(isSiteLocalPath('/run/systemd/system/charger.service')).toBe(true);
    expect(isSiteLocalPath('/home/basar/charger/charger.service')).toBe(true);
    expect(isSiteLocalPath('/lib/systemd/system/cron.service')).toBe(false);
    expect(isSiteLocalPath('/usr/lib/systemd/system/cron.service')).toBe(false);
    expect(isSiteLocalPath('/run/systemd/generator/boot-firmware.mount')).toBe(false);
    expect(isSiteLocalPath('/run/systemd/generator.late/nginx.service')).toBe(false);
  });
});

// Cross-check the merge order against systemd itself: each file carries an
// unknown key, and `systemd-analyze verify --root` warns about them in the
// order it parses the files. Skipped where systemd-analyze is not installed.
const hasAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;

describeWith([need(hasAnalyze, 'no systemd-analyze to compare with (apt-get install systemd)')])('loadUnitFiles agrees with systemd-analyze verify --root', () => {
  const tree: [string, string][] = [
    ['/usr/lib/systemd/system/charger-api.service', '[Service]\nExecStart=/bin/true\n'],
    ['/etc/systemd/system/service.d/50-all.conf', '[Service]\n'],
    ['/etc/systemd/system/charger-.service.d/20-prefix.conf', '[Service]\n'],
    ['/etc/systemd/system/charger-api.service.d/10-a.conf', '[Service]\n'],
    ['/usr/lib/systemd/system/charger-api.service.d/10-a.conf', '[Service]\n'],
    ['/run/systemd/system/charger-api.service.d/05-run.conf', '[Service]\n'],
    ['/usr/lib/systemd/system/charger-api.service.d/99-last.conf', '[Service]\n'],
    ['/usr/lib/systemd/system/worker@.service', '[Service]\nExecStart=/bin/true\n'],
    ['/etc/systemd/system/service.d/10-x.conf', '[Service]\n'],
    ['/usr/lib/systemd/system/worker@.service.d/10-x.conf', '[Service]\n'],
    ['/etc/systemd/system/worker@.service.d/20-t.conf', '[Service]\n'],
    ['/etc/systemd/system/worker@7.service.d/30-i.conf', '[Service]\n'],
  ];
  const marker = (path: string) => `Mark${path.replace(/[^A-Za-z0-9]/g, '_')}`;
  const inputs = tree.map(([p, t]) => file(p, `${t}${marker(p)}=1\n`));

  function systemdOrder(unit: string): string[] {
    const root = mkdtempSync(join(tmpdir(), 'charger-diag-units-'));
    try {
      for (const f of inputs) {
        mkdirSync(join(root, dirname(f.devicePath)), { recursive: true });
        writeFileSync(join(root, f.devicePath), f.text);
      }
      const res = spawnSync('systemd-analyze', ['verify', `--root=${root}`, unit], { encoding: 'utf8' });
      const out = `${res.stdout}${res.stderr}`;
      return [...out.matchAll(/Unknown key '?(Mark\w+)'?/g)].map((m) => m[1]!);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  for (const unit of ['charger-api.service', 'worker@7.service']) {
    it(`same files in the same order for ${unit}`, () => {
      const expected = systemdOrder(unit);
      // systemd-analyze did not run usefully here (e.g. sandboxed): nothing to compare.
      if (expected.length === 0) return;
      expect(expected).toHaveLength(unit === 'worker@7.service' ? 5 : 7);
      const u = loadUnitFiles(inputs).resolve!(unit)!;
      const ours = [u.fragment!, ...u.dropins].map((f) => marker(f.devicePath));
      expect(ours).toEqual(expected);
    });
  }

  it('has a systemd-analyze that reports unknown keys', () => {
    expect(execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' })).toMatch(/systemd \d+/);
  });
});
