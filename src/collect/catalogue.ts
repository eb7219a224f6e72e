// The source catalogue (docs/bundle-format.md, canonical sources): what is collected, under which
// bundle path, by which exact command. The local and --root runners read it
// here; the --ssh script (script.ts) is generated from the same entries, so
// the three ways in cannot drift apart.
import type { SourceId } from '../bundle/sources.js';

export const MiB = 1024 * 1024;

export const LIMITS = {
  /** journal export, after redaction */
  journalBytes: 256 * MiB,
  /** any other command's output: far above what they print, a bound for one that runs away */
  commandBytes: 64 * MiB,
  /** each text log, after window filtering and redaction */
  logBytes: 32 * MiB,
  /** what the remote script sends of one log at most (the window is applied here, on arrival) */
  remoteLogBytes: 256 * MiB,
  /** a configuration file (unit, cron, journald.conf, os-release) */
  configFileBytes: 1 * MiB,
  /** unit files and drop-ins copied at most */
  unitFiles: 5000,
  /** a script run by a timer, ExecStartPost= or cron (health-script): text beyond this is not a script */
  scriptBytes: 256 * 1024,
  /** health-check scripts copied at most */
  healthScripts: 200,
  /** --timeout default, seconds */
  timeoutSeconds: 10,
  /** the journal export and log transfers get this many times the timeout */
  longTimeoutFactor: 6,
} as const;

/** Placeholders in argv for the window, filled per runner ("@<epoch>" locally, a shell variable remotely). */
export const SINCE = '\u0000since';
export const UNTIL = '\u0000until';

export interface CommandEntry {
  id: SourceId;
  /** bundle-relative output path */
  path: string;
  argv: string[];
  /** argv when reading a mounted disk; absent: the source is live-only (`unavailable` with --root) */
  rootArgv?: (root: string) => string[];
  /** tried when argv fails outright (busybox ps has no -o cgroup) */
  fallbackArgv?: string[];
  /** keep stderr in the output, as `cmd 2>&1` would */
  mergeStderr?: boolean;
  /** journal export: longer timeout, cap, JSON-aware redaction */
  journal?: boolean;
}

const journalDir = (root: string) => `${root.replace(/\/+$/, '')}/var/log/journal`;

export const PS_ARGV = ['ps', '-eo', 'pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args'];

/** Commands in collection order. unit-props and crontabs depend on others' output and are built in the runners. */
export const COMMANDS: CommandEntry[] = [
  { id: 'ps', path: 'commands/ps.txt', argv: PS_ARGV, fallbackArgv: ['ps', 'auxww'] },
  { id: 'listeners', path: 'commands/ss-ltnup.txt', argv: ['ss', '-ltnup'] },
  { id: 'units', path: 'commands/systemctl-list-units.txt', argv: ['systemctl', 'list-units', '--all', '--no-pager', '--plain', '--full'] },
  {
    id: 'unit-files-state',
    path: 'commands/systemctl-list-unit-files.txt',
    argv: ['systemctl', 'list-unit-files', '--no-pager', '--plain'],
    // systemctl reads enablement from the files alone with --root, no running systemd needed.
    rootArgv: (root) => ['systemctl', `--root=${root}`, 'list-unit-files', '--no-pager', '--plain'],
  },
  { id: 'timers', path: 'commands/systemctl-list-timers.txt', argv: ['systemctl', 'list-timers', '--all', '--no-pager'] },
  {
    id: 'journal',
    path: 'commands/journal.jsonl',
    argv: ['journalctl', '-o', 'json', '--all', '--no-pager', '--since', SINCE, '--until', UNTIL],
    rootArgv: (root) => ['journalctl', '-D', journalDir(root), '--utc', '-o', 'json', '--all', '--no-pager', '--since', SINCE, '--until', UNTIL],
    journal: true,
  },
  {
    id: 'boots',
    path: 'commands/journal-boots.txt',
    argv: ['journalctl', '--list-boots', '--no-pager'],
    rootArgv: (root) => ['journalctl', '-D', journalDir(root), '--utc', '--list-boots', '--no-pager'],
  },
  { id: 'dmesg', path: 'commands/dmesg.txt', argv: ['dmesg', '--time-format=iso'] },
  {
    id: 'coredumps',
    path: 'commands/coredumpctl.txt',
    argv: ['coredumpctl', 'list', '--no-pager', '--since', SINCE, '--until', UNTIL],
    rootArgv: (root) => ['coredumpctl', '-D', journalDir(root), 'list', '--no-pager', '--since', SINCE, '--until', UNTIL],
  },
  { id: 'disk', path: 'commands/df.txt', argv: ['df', '-P', '-T', '-B1'] },
  { id: 'disk', path: 'commands/df-inodes.txt', argv: ['df', '-P', '-T', '-i'] },
  { id: 'os', path: 'commands/uname.txt', argv: ['uname', '-a'] },
  {
    id: 'journald',
    path: 'commands/journal-dirs.txt',
    argv: ['ls', '-ld', '/var/log/journal', '/run/log/journal'],
    // The listing must name the device's paths; the runner strips the root prefix from the output.
    rootArgv: (root) => ['ls', '-ld', `${root.replace(/\/+$/, '')}/var/log/journal`, `${root.replace(/\/+$/, '')}/run/log/journal`],
    mergeStderr: true,
  },
];

export function unitPropsArgv(units: string[]): string[] {
  return ['systemctl', 'show', '--no-pager', ...units];
}
export const UNIT_PROPS_COMMAND = 'systemctl show --no-pager UNIT...';

export function crontabArgv(user: string): string[] {
  return ['crontab', '-l', '-u', user];
}

/** Live /proc snapshots: files/proc/... */
export const PROC_FILES: { id: SourceId; path: string }[] = [
  { id: 'memory', path: '/proc/meminfo' },
  { id: 'load', path: '/proc/loadavg' },
  { id: 'load', path: '/proc/uptime' },
  { id: 'load', path: '/proc/pressure/cpu' },
  { id: 'load', path: '/proc/pressure/memory' },
  { id: 'load', path: '/proc/pressure/io' },
];

/** Unit search path, in systemd's priority order. /lib and /usr/lib are one directory on merged-/usr systems. */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
export const UNIT_FILE = /^[^/]+\.(?:service|timer|socket)$/;
export const DROP_IN_DIR = /^[^/]+\.(?:service|timer|socket)\.d$/;

export const JOURNALD_DIRS = ['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd'];

export const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];

export const CRON_FILES = { crontab: '/etc/crontab', dir: '/etc/cron.d', spool: '/var/spool/cron/crontabs' };

export const SYSLOG_FILES = ['syslog', 'kern.log', 'messages', 'daemon.log'].flatMap((n) => [`/var/log/${n}`, `/var/log/${n}.1`]);

export const NGINX_LOG_DIR = '/var/log/nginx';
export const NGINX_LOG = /^[^/]+\.log(?:\.1)?$/;

export const LIVE_ONLY = 'live-only source: not available from a mounted disk (--root)';
