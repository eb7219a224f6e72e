// The paths a health-check command runs, picked by charger-diag's collector
// (src/parse/script-refs.ts) and by the collection script's awk (script/body.sh's
// paths.awk, run by --ssh and --print-script on the device): the same
// commands must give the same paths, under the system awk and busybox awk.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScript } from '../../src/collect/script.js';
import { healthScriptCommands, firstLevelPaths } from '../../src/collect/scripts.js';
import { binaryKind, commandPaths, scriptPaths } from '../../src/parse/script-refs.js';
import { tempDir } from './helpers.js';

const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));

function pathsAwk(): string {
  const script = renderScript({
    boundary: '@@x',
    timeoutMs: 10_000,
    window: { since: { base: { kind: 'relative', deltaMs: -3600_000 }, shiftMs: 0 }, until: { base: { kind: 'relative', deltaMs: 0 }, shiftMs: 0 } },
    units: [],
    logs: [],
    healthUrls: [],
    redact: true,
  } as Parameters<typeof renderScript>[0]);
  const start = script.indexOf(`cat >"$T/paths.awk" <<'AWK'\n`);
  const body = script.slice(start).split('\n').slice(1);
  return body.slice(0, body.indexOf('AWK')).join('\n') + '\n';
}

const COMMANDS = [
  '/usr/local/bin/api-health.sh',
  "/bin/sh -c 'curl -fsS http://127.0.0.1:8000/api/health || systemctl restart api.service'",
  "/bin/bash -ec '/opt/check/run.sh --quick && /usr/local/sbin/notify'",
  'sh /usr/local/bin/check.sh',
  '/usr/bin/env bash /home/pi/bin/watch.sh --port 8000',
  '/usr/bin/python3 -u /opt/app/health.py',
  'python3 -c "import sys; sys.exit(0)"',
  'python3 -m app.health',
  'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )',
  'test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron',
  'timeout 10 /usr/local/bin/probe >/dev/null 2>&1',
  'exec nice -n 5 /srv/tool',
  'busybox sh /root/x.sh',
  'A=1 B=2 /usr/local/bin/with-env',
  '/usr/local/bin/$NAME.sh',
  'curl -fsS http://127.0.0.1:8000/health',
  'echo $(/usr/local/bin/inner) `/usr/local/bin/tick`',
  'if /usr/local/bin/ok; then /usr/local/bin/yes; else /usr/local/bin/no; fi',
  '/dev/null',
  'conffile="/etc/e2scrub.conf"',
  'exec 3>${StateDir}/daily_lock',
  '\t. /etc/default/locale',
  'source /opt/lib/common.sh',
  'sleep 0.5 && /usr/local/bin/after-sleep',
];

describe('health-check script paths', () => {
  it('picks the programs and scripts in command position, never plain arguments', () => {
    expect(commandPaths(COMMANDS[0]!)).toEqual(['/usr/local/bin/api-health.sh']);
    expect(commandPaths(COMMANDS[1]!)).toEqual([]);
    expect(commandPaths(COMMANDS[2]!)).toEqual(['/opt/check/run.sh', '/usr/local/sbin/notify']);
    expect(commandPaths(COMMANDS[3]!)).toEqual(['/usr/local/bin/check.sh']);
    expect(commandPaths(COMMANDS[4]!)).toEqual(['/home/pi/bin/watch.sh']);
    expect(commandPaths(COMMANDS[5]!)).toEqual(['/opt/app/health.py']);
    expect(commandPaths(COMMANDS[6]!)).toEqual([]);
    expect(commandPaths(COMMANDS[7]!)).toEqual([]);
    expect(commandPaths(COMMANDS[8]!)).toEqual([]);
    expect(commandPaths(COMMANDS[9]!)).toEqual(['/usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron']);
    expect(commandPaths(COMMANDS[10]!)).toEqual(['/usr/local/bin/probe']);
    expect(commandPaths(COMMANDS[14]!)).toEqual([]);
    expect(commandPaths(COMMANDS[16]!)).toEqual(['/usr/local/bin/inner', '/usr/local/bin/tick']);
    expect(commandPaths(COMMANDS[17]!)).toEqual(['/usr/local/bin/ok', '/usr/local/bin/yes', '/usr/local/bin/no']);
    expect(commandPaths(COMMANDS[18]!)).toEqual([]);
    expect(commandPaths(COMMANDS[19]!)).toEqual([]);
    expect(commandPaths(COMMANDS[20]!)).toEqual([]);
    expect(commandPaths(COMMANDS[21]!)).toEqual(['/etc/default/locale']);
    expect(commandPaths(COMMANDS[22]!)).toEqual(['/opt/lib/common.sh']);
    expect(commandPaths(COMMANDS[23]!)).toEqual(['/usr/local/bin/after-sleep']);
  });

  const SCRIPTS = [
    '#!/bin/bash\n# /usr/local/bin/not-this\ncurl -f http://x || /usr/local/bin/alert # /usr/local/bin/nor-this\n',
    '#!/usr/bin/env -S bash -e\n/usr/local/bin/from-env-bash\n',
    '/usr/local/bin/no-shebang\n',
    '#!/usr/bin/perl\nfor my $d ($x =~ /(.+)/g) { system("/usr/local/bin/from-perl") }\n',
    '#!/usr/bin/python3\nimport os\n',
  ];

  it('reads a shell script without its comments, and no script of another language', () => {
    expect(SCRIPTS.map(scriptPaths)).toEqual([['/usr/local/bin/alert'], ['/usr/local/bin/from-env-bash'], ['/usr/local/bin/no-shebang'], [], []]);
  });

  it('tells a program from a text', () => {
    expect(binaryKind(Buffer.from('\x7fELF\x02\x01\x01\x00'))).toBe('ELF executable');
    expect(binaryKind(Buffer.from('ab\x00cd'))).toBe('binary data (NUL bytes)');
    expect(binaryKind(Buffer.from('#!/bin/sh\necho ok\n'))).toBeNull();
  });

  const awks: [string, string[]][] = [['awk', ['awk']], ...(busybox ? ([['busybox awk', [busybox, 'awk']]] as [string, string[]][]) : [])];
  for (const [name, argv] of awks) {
    it(`the collection script's awk picks the same paths (${name})`, () => {
      const dir = tempDir('cd-paths-');
      try {
        const prog = join(dir, 'paths.awk');
        writeFileSync(prog, pathsAwk());
        const awk = (mode: string, input: string, extra: string[] = []) => {
          const r = spawnSync(argv[0]!, [...argv.slice(1), '-v', `mode=${mode}`, ...extra, '-f', prog], { input, encoding: 'utf8' });
          expect(r.stderr).toBe('');
          return r.stdout.split('\n').filter(Boolean);
        };
        // Scripts: every command above as one line of a script.
        expect(awk('script', COMMANDS.join('\n') + '\n# /usr/local/bin/comment\n')).toEqual(COMMANDS.flatMap(commandPaths));
        for (const text of SCRIPTS) expect(awk('script', text), text).toEqual(scriptPaths(text));

        // Unit files: a timer (with and without Unit=), its service with a drop-in, an ExecStartPost= elsewhere.
        const units: Record<string, string> = {
          'etc/systemd/system/api-health.timer': '[Timer]\nOnUnitActiveSec=30\n',
          'etc/systemd/system/api-health.service': '[Service]\nType=oneshot\nExecStart=/usr/local/bin/api-health.sh\n',
          'etc/systemd/system/api-health.service.d/override.conf': '[Service]\nExecStart=\nExecStart=-/usr/local/bin/api-health2.sh\n',
          'etc/systemd/system/other.timer': '[Timer]\nUnit=probe.service\nOnCalendar=hourly\n',
          'etc/systemd/system/probe.service': '[Service]\nExecStart=/bin/sh /opt/probe.sh\n',
          'etc/systemd/system/api.service': '[Service]\nExecStart=/usr/local/bin/not-timed\nExecStartPost=/usr/local/bin/post.sh\n',
        };
        const list: string[] = [];
        const inputs: { devicePath: string; text: string }[] = [];
        for (const [rel, text] of Object.entries(units)) {
          const p = join(dir, rel);
          mkdirSync(join(p, '..'), { recursive: true });
          writeFileSync(p, text);
          list.push(p);
          inputs.push({ devicePath: `/${rel}`, text });
        }
        const fromTs = firstLevelPaths(healthScriptCommands(inputs, []));
        expect(fromTs).toEqual(['/opt/probe.sh', '/usr/local/bin/api-health.sh', '/usr/local/bin/api-health2.sh', '/usr/local/bin/post.sh']);
        expect([...new Set(awk('units', list.join('\n') + '\n'))].sort()).toEqual(fromTs);

        // Cron tables, with and without a user field.
        const crontab = 'SHELL=/bin/sh\nPATH=/usr/bin\n# m h dom mon dow user command\n*/5 * * * * root /usr/local/bin/cron-check.sh >/dev/null 2>&1\n@reboot root sh /opt/boot.sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\nnot a cron line\n';
        const user = '*/1 * * * * /home/pi/check.sh % stdin text\nno crontab for pi\n';
        const tsCron = firstLevelPaths(healthScriptCommands([], [{ path: 'files/etc/crontab', text: crontab, hasUserField: true }, { path: 'commands/crontab-pi.txt', text: user, hasUserField: false }]));
        expect(tsCron).toEqual(['/home/pi/check.sh', '/opt/boot.sh', '/usr/local/bin/cron-check.sh']);
        expect([...awk('cron', crontab, ['-v', 'user=1']), ...awk('cron', user, ['-v', 'user=0'])].sort()).toEqual(tsCron);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
