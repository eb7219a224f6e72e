// The fact model: every source combined into one picture of the device.
// Rules read only this; they never open files.
import type { Evidence } from '../analysis/schema.js';
import type { DeviceClock } from '../time.js';
import type { ListenerRecord } from '../parse/ss.js';
import type { UnitDefinition } from '../parse/unit-file.js';
import type { CronEntry } from '../parse/cron.js';
import type { JournalStorageVerdict } from '../parse/journald.js';
import type { SystemdEvent } from '../classify/systemd-events.js';
import type { KernelEvent } from '../classify/kernel-events.js';
import type { ProxyEvent } from '../classify/proxy-events.js';
import type { PortConflictEvent } from '../classify/port-conflict.js';
import type { MemInfo, LoadAvg, Pressure, DfRecord, Uptime, HealthProbe } from '../parse/resources.js';
import type { BootRecord } from '../parse/boots.js';
import type { CoredumpRecord } from '../parse/coredumpctl.js';
import type { HealthPathFact } from './health-paths.js';

/**
 * What a rule can need. Each kind is present when at least one of the
 * sources behind it was read; the provider of each kind (facts/providers/)
 * declares those sources, and facts/missing.ts words why an absent kind is missing.
 */
export const FACT_KINDS = [
  'processes', // ps
  'cgroups', // ps with the cgroup column
  'listeners', // ss
  'unit-config', // unit files or systemctl show
  'unit-state', // list-units or systemctl show
  'logs', // journal, syslog or app logs
  'system-log', // journal or syslog (systemd lifecycle lines)
  'kernel-log', // journal, dmesg or kern.log
  'proxy-log', // an nginx/ngrok log file or proxy lines in the journal
  'memory',
  'load',
  'uptime',
  'cpus',
  'disk',
  'journald',
  'boots',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** A dated line worth quoting: where it is, when it was, what it says. */
export interface Line {
  source: string;
  line: number | null;
  epochMs: number | null;
  text: string;
}

export type ProcessCategory =
  | 'system-service'
  | 'user-service'
  | 'session'
  | 'tmux'
  | 'transient-scope'
  | 'container'
  | 'init'
  | 'slice'
  | 'root-cgroup'
  | 'unknown';

export interface ProcessFact {
  pid: number;
  ppid: number | null;
  user: string;
  program: string;
  args: string;
  cgroup: string | null;
  category: ProcessCategory;
  /** the service or scope the cgroup names (charger.service, session-4.scope) */
  cgroupUnit: string | null;
  startEpochMs: number | null;
  rssKiB: number | null;
  kernelThread: boolean;
  /** "0.0.0.0:8000" of its TCP listening sockets */
  ports: string[];
  listenerLines: Line[];
  psLine: Line;
  exe: string | null;
  cwd: string | null;
  stdout: string | null;
  stderr: string | null;
  procinfoLine: Line | null;
  /** matches a configured server pattern */
  matchesPattern: boolean;
}

export interface ServiceEventFact extends SystemdEvent {
  at: Line;
}

export interface ServiceFact {
  name: string;
  /** fragment path on the device, from the unit file or FragmentPath= */
  fragmentPath: string | null;
  siteLocal: boolean;
  masked: boolean;
  /** merged unit files, when the bundle has them */
  definition: UnitDefinition | null;
  /** systemctl show properties, when the bundle has them */
  props: Record<string, string> | null;
  propsLine: (key: string) => Line | null;
  type: string | null;
  restart: string | null;
  watchdogUs: number | null;
  startLimitBurst: number | null;
  startLimitIntervalUs: number | null;
  user: string | null;
  workingDirectory: string | null;
  execStart: string[];
  execStartLine: Line | null;
  execStartPost: { command: string; line: Line | null }[];
  description: string | null;
  loadState: string | null;
  activeState: string | null;
  subState: string | null;
  result: string | null;
  stateLine: Line | null;
  nRestarts: number | null;
  mainPid: number | null;
  /** system events of this unit inside the window, in time order */
  events: ServiceEventFact[];
  ports: string[];
  processes: number[];
  /** commands of timers, cron jobs and ExecStartPost that probe it */
  probes: ProbeFact[];
}

export interface ProbeFact {
  kind: 'timer' | 'cron' | 'exec-start-post' | 'watchdog';
  via: string;
  command: string;
  line: Line | null;
  /** what matched: the port, the URL or the unit name */
  matched: string;
  /** the script (device path) whose line matched, when the command runs one */
  script?: string;
}

/** A script a timer's service, an ExecStartPost= or a cron job runs, as read from the bundle. */
export interface HealthScriptFact {
  /** device path */
  path: string;
  /** bundle path of the copy; null when it was not copied (a program, missing, unreadable) */
  source: string | null;
  /** what runs it: "api-health.timer → api-health.service", a cron table, a unit's ExecStartPost= */
  via: string;
  kind: 'timer' | 'cron' | 'exec-start-post';
  /** the site's own: run by a site-local unit or a cron job, and itself (and the script that ran it) outside /usr, /bin, /sbin, /lib */
  siteLocal: boolean;
  /** reached through another script (one level deeper) */
  nested: boolean;
  /** the lines that look like probes or restarts (curl, wget, nc, systemctl), else its first command line */
  lines: Line[];
  /** why there is no copy to read */
  unread: string | null;
}

export interface KernelEventFact extends KernelEvent {
  at: Line;
  /** the true time for replayed kernel lines (monotonic + boot) */
  fromMonotonic: boolean;
  /**
   * For a line moved to its printk time: when journald (or rsyslog) read it. A live line on a board
   * up for weeks also looks replayed (the printk clock drifts from the NTP-disciplined one), and its
   * read time is then the true one.
   */
  readMs?: number;
}

export interface ProxyEventFact extends ProxyEvent {
  at: Line;
}

/** One proxy's failed requests in the window, each counted once. */
export interface ProxyRequestCount {
  /** gateway answers (502/503/504) the proxy logged: one line per request */
  answers: number;
  /** distinct upstream failures in its error lines (one per connection, request and second) */
  failures: number;
}

export interface PortConflictFact extends PortConflictEvent {
  at: Line;
  identifier: string | null;
  unit: string | null;
}

/** Error-level lines of one source group, counted in full, quoted in part. */
export interface ErrorGroup {
  /** the unit (journal) or log file that wrote them */
  key: string;
  source: string;
  count: number;
  noiseCount: number;
  undated: number;
  firstMs: number | null;
  lastMs: number | null;
  samples: (Line & { noise: string | null })[];
}

/** Error lines of the sources past the grouping limit: counted, not grouped. */
export interface ErrorGroupsLeftOut {
  lines: number;
  sources: number;
  /** more sources than were counted by name: `sources` is a lower bound */
  sourcesAtLeast: boolean;
  /** how many sources are grouped one by one */
  limit: number;
  /** the first few of those lines, to quote */
  samples: (Line & { noise: string | null })[];
}

export interface TimerFact {
  unit: string;
  activates: string;
  line: Line | null;
}

export interface Facts {
  clock: DeviceClock;
  hostname: string;
  hostInfo: {
    hostname: string | null;
    os: string | null;
    kernel: string | null;
    arch: string | null;
    timezone: string | null;
    utcOffset: string | null;
    cpus: number | null;
    bootId: string | null;
    journalStorage: string | null;
  };
  collectedAtMs: number | null;
  window: { sinceMs: number | null; untilMs: number | null };
  /** fact kinds that are present, and for the absent ones why */
  available: Set<FactKind>;
  missingReason: Partial<Record<FactKind, string>>;

  processes: ProcessFact[];
  /** any process has a systemd cgroup, i.e. a service manager was running */
  hasServiceManager: boolean;
  listeners: ListenerRecord[];
  /** ss could name the owning processes (root) */
  listenersHaveOwners: boolean;

  services: ServiceFact[];
  timers: TimerFact[];
  cron: CronEntry[];

  systemdEvents: ServiceEventFact[];
  kernelEvents: KernelEventFact[];
  coredumps: (CoredumpRecord & { text: string })[];
  proxyEvents: ProxyEventFact[];
  /** total proxy events in the window (proxyEvents may be a bounded sample) */
  proxyEventTotal: number;
  /** epoch ms of every proxy error in the window (for outage episodes) */
  proxyTimes: { proxy: string; ms: number }[];
  /** per proxy, failed requests in the window, each counted once */
  proxyRequests: Map<string, ProxyRequestCount>;
  /** first non-error line of each proxy after a given time: used for recoveredAt */
  proxyOkTimes: { proxy: string; ms: number; at: Line }[];
  portConflicts: PortConflictFact[];
  errorGroups: ErrorGroup[];
  errorGroupsLeftOut: ErrorGroupsLeftOut | null;
  healthProbes: (HealthProbe & { epochMs: number | null })[];

  memory: MemInfo | null;
  load: LoadAvg | null;
  uptime: Uptime | null;
  pressure: Pressure[];
  disks: DfRecord[];
  journalStorage: JournalStorageVerdict | null;
  boots: BootRecord[];
  /** boots seen in the journal (_BOOT_ID) with their first entry */
  journalBoots: { bootId: string; firstMs: number; at: Line }[];
  /** "Linux version" / "Booting Linux" kernel lines */
  kernelBootLines: Line[];

  /** log sources actually read (bundle paths), by kind */
  logSourcesRead: { kernel: string[]; system: string[]; app: string[] };
  /** requests to health-like endpoints seen in access logs (bounded) */
  healthPaths?: HealthPathFact[];
  /** scripts run by timers, cron jobs and ExecStartPost=, read for what they probe */
  healthScripts?: HealthScriptFact[];
  /** device paths of every file the bundle holds a copy of (files/...) */
  deviceFiles?: Set<string>;

  /** format a time for output, in device local time with offset */
  fmt(ms: number | null): string | null;
  /** is this instant inside the window (unknown windows contain everything) */
  inWindow(ms: number | null): boolean;
  /** evidence line in the contract's shape */
  evidence(l: Line): Evidence;
}
