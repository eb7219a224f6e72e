// The source catalogue (docs/bundle-format.md, canonical sources): what is
// collected, in which order, under which bundle path, by which exact command
// or from which device files. It is the one declaration of a source: the local
// and --root runner (collect/local.ts) walks it, the POSIX script of --ssh and
// --print-script (collect/script.ts) is generated from it, and the bundle
// reader (bundle/sources.ts) derives each source's canonical paths from it.

export type SourceId =
  | 'ps'
  | 'listeners'
  | 'procinfo'
  | 'units'
  | 'unit-files-state'
  | 'unit-props'
  | 'timers'
  | 'unit-files'
  | 'journal'
  | 'boots'
  | 'dmesg'
  | 'coredumps'
  | 'syslog'
  | 'memory'
  | 'load'
  | 'disk'
  | 'os'
  | 'journald'
  | 'cron'
  | 'app-log'
  | 'health'
  | 'health-script'
  /** a hung process's state, saved by `charger-diag capture`'s hang hook before the restart (not a catalogue step) */
  | 'capture-hang';

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
  /**
   * A later step reads this output (the script keeps it as $T/<as>; the local
   * runner reads it back from the bundle). okOnly: only when the command succeeded.
   */
  keptFor?: { as: string; okOnly?: boolean };
}

/** A step of the catalogue: a command, or device files and derived outputs gathered by the runners' own code. */
export type CatalogueEntry =
  | ({ kind: 'command' } & CommandEntry)
  /** exe, cwd, stdout and stderr of listeners and of processes outside services (needs ps and ss before it) */
  | { kind: 'procinfo'; id: 'procinfo'; path: string; command: string }
  /** systemctl show of every listed service and timer (needs list-units right before it) */
  | { kind: 'unit-props'; id: 'unit-props'; path: string; command: string }
  /** unit files and drop-ins of the unit search path */
  | { kind: 'unit-files'; id: 'unit-files'; dirs: string[] }
  /** text logs of a syslog daemon, windowed; one missing record when none exists */
  | { kind: 'syslog'; id: 'syslog'; files: string[] }
  /** live /proc snapshots, copied as files/<path> */
  | { kind: 'proc-files'; label: string; files: { id: SourceId; path: string }[] }
  /** the first of these that exists */
  | { kind: 'first-file'; id: SourceId; label: string; files: string[] }
  /** journald.conf and its drop-ins under each directory */
  | { kind: 'journald-config'; id: 'journald'; dirs: string[] }
  /** system crontab, /etc/cron.d and each user's crontab */
  | { kind: 'cron'; id: 'cron'; crontab: string; dir: string; spool: string }
  /** the scripts behind health checks (collect/scripts.ts) */
  | { kind: 'health-script'; id: 'health-script'; crontab: string; cronDir: string }
  /** application logs: --log, nginx's, units' StandardOutput=file:, processes' stdout files */
  | { kind: 'app-log'; id: 'app-log'; nginxDir: string }
  /** the --health-url probes, from the device */
  | { kind: 'health'; id: 'health'; path: string };

const journalDir = (root: string) => `${root.replace(/\/+$/, '')}/var/log/journal`;

const PS_ARGV = ['ps', '-eo', 'pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args'];

export function unitPropsArgv(units: string[]): string[] {
  return ['systemctl', 'show', '--no-pager', ...units];
}
const UNIT_PROPS_COMMAND = 'systemctl show --no-pager UNIT...';
const PROCINFO_COMMAND = 'readlink /proc/PID/{exe,cwd,fd/1,fd/2}';

export function crontabArgv(user: string): string[] {
  return ['crontab', '-l', '-u', user];
}
/** Where `crontab -l -u USER` goes in the bundle. */
export function crontabPath(user: string): string {
  return `commands/crontab-${user}.txt`;
}
export const CRONTAB_PATH = /^commands\/crontab-[^/]+\.txt$/;

/** Live /proc snapshots: files/proc/... */
const PROC_FILES: { id: SourceId; path: string }[] = [
  { id: 'memory', path: '/proc/meminfo' },
  { id: 'load', path: '/proc/loadavg' },
  { id: 'load', path: '/proc/uptime' },
  { id: 'load', path: '/proc/pressure/cpu' },
  { id: 'load', path: '/proc/pressure/memory' },
  { id: 'load', path: '/proc/pressure/io' },
];

/** Unit search path, in systemd's priority order. /lib and /usr/lib are one directory on merged-/usr systems. */
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
export const UNIT_FILE = /^[^/]+\.(?:service|timer|socket)$/;
export const DROP_IN_DIR = /^[^/]+\.(?:service|timer|socket)\.d$/;

const JOURNALD_DIRS = ['/etc/systemd', '/run/systemd', '/usr/local/lib/systemd', '/usr/lib/systemd'];

export const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];

const CRON_FILES = { crontab: '/etc/crontab', dir: '/etc/cron.d', spool: '/var/spool/cron/crontabs' };

const SYSLOG_FILES = ['syslog', 'kern.log', 'messages', 'daemon.log'].flatMap((n) => [`/var/log/${n}`, `/var/log/${n}.1`]);
/** The record when no syslog file exists: the same words from every runner. */
export const SYSLOG_MISSING = `none of ${SYSLOG_FILES.filter((p) => !p.endsWith('.1')).join(', ')} exists (no syslog daemon such as rsyslog writes them)`;

const NGINX_LOG_DIR = '/var/log/nginx';
export const NGINX_LOG = /^[^/]+\.log(?:\.1)?$/;

export const LIVE_ONLY = 'live-only source: not available from a mounted disk (--root)';

/** Every step, in collection order. */
export const CATALOGUE: CatalogueEntry[] = [
  { kind: 'command', id: 'ps', path: 'commands/ps.txt', argv: PS_ARGV, fallbackArgv: ['ps', 'auxww'] },
  { kind: 'command', id: 'listeners', path: 'commands/ss-ltnup.txt', argv: ['ss', '-ltnup'], keptFor: { as: 'ss' } },
  { kind: 'procinfo', id: 'procinfo', path: 'commands/procinfo.json', command: PROCINFO_COMMAND },
  {
    kind: 'command',
    id: 'units',
    path: 'commands/systemctl-list-units.txt',
    argv: ['systemctl', 'list-units', '--all', '--no-pager', '--plain', '--full'],
    keptFor: { as: 'units', okOnly: true },
  },
  { kind: 'unit-props', id: 'unit-props', path: 'commands/systemctl-show.txt', command: UNIT_PROPS_COMMAND },
  {
    kind: 'command',
    id: 'unit-files-state',
    path: 'commands/systemctl-list-unit-files.txt',
    argv: ['systemctl', 'list-unit-files', '--no-pager', '--plain'],
    // systemctl reads enablement from the files alone with --root, no running systemd needed.
    rootArgv: (root) => ['systemctl', `--root=${root}`, 'list-unit-files', '--no-pager', '--plain'],
  },
  { kind: 'command', id: 'timers', path: 'commands/systemctl-list-timers.txt', argv: ['systemctl', 'list-timers', '--all', '--no-pager'] },
  { kind: 'unit-files', id: 'unit-files', dirs: UNIT_DIRS },
  {
    kind: 'command',
    id: 'journal',
    path: 'commands/journal.jsonl',
    argv: ['journalctl', '-o', 'json', '--all', '--no-pager', '--since', SINCE, '--until', UNTIL],
    rootArgv: (root) => ['journalctl', '-D', journalDir(root), '--utc', '-o', 'json', '--all', '--no-pager', '--since', SINCE, '--until', UNTIL],
    journal: true,
  },
  {
    kind: 'command',
    id: 'boots',
    path: 'commands/journal-boots.txt',
    argv: ['journalctl', '--list-boots', '--no-pager'],
    rootArgv: (root) => ['journalctl', '-D', journalDir(root), '--utc', '--list-boots', '--no-pager'],
  },
  { kind: 'command', id: 'dmesg', path: 'commands/dmesg.txt', argv: ['dmesg', '--time-format=iso'] },
  {
    kind: 'command',
    id: 'coredumps',
    path: 'commands/coredumpctl.txt',
    argv: ['coredumpctl', 'list', '--no-pager', '--since', SINCE, '--until', UNTIL],
    rootArgv: (root) => ['coredumpctl', '-D', journalDir(root), 'list', '--no-pager', '--since', SINCE, '--until', UNTIL],
  },
  { kind: 'command', id: 'disk', path: 'commands/df.txt', argv: ['df', '-P', '-T', '-B1'] },
  { kind: 'command', id: 'disk', path: 'commands/df-inodes.txt', argv: ['df', '-P', '-T', '-i'] },
  { kind: 'command', id: 'os', path: 'commands/uname.txt', argv: ['uname', '-a'] },
  {
    kind: 'command',
    id: 'journald',
    path: 'commands/journal-dirs.txt',
    argv: ['ls', '-ld', '/var/log/journal', '/run/log/journal'],
    // The listing must name the device's paths; the runner strips the root prefix from the output.
    rootArgv: (root) => ['ls', '-ld', `${root.replace(/\/+$/, '')}/var/log/journal`, `${root.replace(/\/+$/, '')}/run/log/journal`],
    mergeStderr: true,
  },
  { kind: 'syslog', id: 'syslog', files: SYSLOG_FILES },
  { kind: 'proc-files', label: '/proc', files: PROC_FILES },
  { kind: 'first-file', id: 'os', label: 'os-release', files: OS_RELEASE },
  { kind: 'journald-config', id: 'journald', dirs: JOURNALD_DIRS },
  { kind: 'cron', id: 'cron', crontab: CRON_FILES.crontab, dir: CRON_FILES.dir, spool: CRON_FILES.spool },
  { kind: 'health-script', id: 'health-script', crontab: CRON_FILES.crontab, cronDir: CRON_FILES.dir },
  { kind: 'app-log', id: 'app-log', nginxDir: NGINX_LOG_DIR },
  { kind: 'health', id: 'health', path: 'commands/health-probes.json' },
];

/** The catalogue's one step of this kind (procinfo, health, ...). */
export function entryOf<K extends CatalogueEntry['kind']>(kind: K): Extract<CatalogueEntry, { kind: K }> {
  const e = CATALOGUE.find((x) => x.kind === kind);
  if (!e) throw new Error(`the source catalogue has no ${kind} step`);
  return e as Extract<CatalogueEntry, { kind: K }>;
}

/** The output path of the catalogue's command of this source (the first, when it has several). */
export function commandPathOf(id: SourceId): string {
  const e = CATALOGUE.find((x) => x.kind === 'command' && x.id === id);
  if (!e || e.kind !== 'command') throw new Error(`the source catalogue runs no command for ${id}`);
  return e.path;
}

/** The source ids a step records. */
export function idsOf(entry: CatalogueEntry): SourceId[] {
  return entry.kind === 'proc-files' ? [...new Set(entry.files.map((f) => f.id))] : [entry.id];
}

/** Every source id the catalogue collects. */
export const SOURCE_IDS: readonly SourceId[] = [...new Set(CATALOGUE.flatMap(idsOf))];

/** Bundle files of fixed name: commands/<name> and the fixed device files, with their source. */
export function fixedPaths(): Map<string, SourceId> {
  const out = new Map<string, SourceId>();
  for (const e of CATALOGUE) {
    switch (e.kind) {
      case 'command':
      case 'procinfo':
      case 'unit-props':
      case 'health':
        out.set(e.path, e.id);
        break;
      case 'proc-files':
        for (const f of e.files) out.set(`files${f.path}`, f.id);
        break;
      case 'first-file':
        for (const f of e.files) out.set(`files${f}`, e.id);
        break;
      case 'cron':
        out.set(`files${e.crontab}`, e.id);
        break;
      default:
        break;
    }
  }
  return out;
}
