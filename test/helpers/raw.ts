// Raw command outputs in the shapes the collector stores them (docs/bundle-format.md),
// built from a few values, so rule tests read like the incident they model
// while every byte still goes through the real parsers.
//
// Shapes come from real tools: ps/ss/df/meminfo/pressure/ls as procps-ng 4.0.2,
// iproute2 6.1, coreutils 9.1 and Linux 6.1 print them on Debian 12; journal
// entries carry the fields systemd 247/252 set on its own lifecycle messages
// (MESSAGE_IDs from /usr/lib/systemd/catalog/systemd.catalog); systemctl and
// journalctl table layouts as in test/parse/fixtures.
import { journalLine } from './bundle.js';

/** The device's offset in the default manifest (Europe/Istanbul). */
export const OFFSET = '+03:00';
/** "01:10:05" → "2025-12-10T01:10:05+03:00" (device local, as the default window). */
export const at = (hms: string, day = '2025-12-10'): string => `${day}T${hms}${OFFSET}`;

// ---------------------------------------------------------------- journal

/** MESSAGE_IDs of systemd's catalog. */
export const MID = {
  starting: '7d4958e842da4a758f6c1cdc7b36dcc5',
  started: '39f53479d3a045ac8e11786248231fbf',
  startFailed: 'be02cf6855d2428ba40df7e9d022f03d',
  stopping: 'de5b426a63be47a7b6ac3eaac82e2f6f',
  stopped: '9d1aaa27d60140bd96365438aad20286',
  restartScheduled: '5eb03494b6584870a536b337290809b3',
  success: '7ad2d189f7e94e70a38c781354912448',
  failed: 'd9b373ed55a64feb8242e02dbe79a49c',
  processExit: '98e322203f7a4ed290d09fe03c09fe15',
  oom: 'fe6faa94e7774663a0da52717891d8ef',
  coredump: 'fc2e22bc6ee647b6b90729ab34a250b1',
} as const;

export const BOOT_ID = '4d8c2f1e0a9b4c7d8e6f5a4b3c2d1e0f';
/** When the current boot began (a day before the default window). */
export const BOOT_AT = '2025-12-09T08:00:00+03:00';

let seq = 1;

/**
 * One `journalctl -o json` line with a monotonic clock that agrees with the
 * boot (realtime − monotonic = boot start), as a real journal's does.
 */
export function entry(fields: Record<string, string | number | number[]>, time: string, boot: { id: string; at: string } = { id: BOOT_ID, at: BOOT_AT }): string {
  const ms = Date.parse(time);
  const monoUs = (ms - Date.parse(boot.at)) * 1000;
  const i = seq++;
  return journalLine(
    {
      __CURSOR: `s=6f1c0e2b1a7b4f5e9d3c2b1a0f9e8d7c;i=${i.toString(16)};b=${boot.id};m=${monoUs.toString(16)};t=${(ms * 1000).toString(16)};x=${(0x9e3779b9 * i >>> 0).toString(16)}`,
      __MONOTONIC_TIMESTAMP: String(monoUs),
      _BOOT_ID: boot.id,
      _MACHINE_ID: 'e3b4c1d2a5f647389b0c1d2e3f405162',
      ...fields,
    },
    time,
  );
}

const PID1 = {
  _PID: '1',
  _UID: '0',
  _GID: '0',
  _COMM: 'systemd',
  _EXE: '/usr/lib/systemd/systemd',
  _CMDLINE: '/sbin/init splash',
  _CAP_EFFECTIVE: '1ffffffffff',
  _SYSTEMD_CGROUP: '/init.scope',
  _SYSTEMD_UNIT: 'init.scope',
  _SYSTEMD_SLICE: '-.slice',
  _TRANSPORT: 'journal',
  SYSLOG_FACILITY: '3',
  SYSLOG_IDENTIFIER: 'systemd',
  CODE_FILE: 'src/core/unit.c',
};
const INVOCATION = { INVOCATION_ID: '4f1c2a3b5d6e47f8a9b0c1d2e3f40516' };

/** A message PID 1 wrote about `unit` (UNIT= names it, as systemd does). */
export function systemdEntry(unit: string, message: string, time: string, priority: number, extra: Record<string, string> = {}): string {
  return entry({ ...PID1, PRIORITY: String(priority), UNIT: unit, MESSAGE: message, ...extra }, time);
}

export type SystemdVersion = 247 | 252;

/** Job messages name the unit only by Description in 247, "unit - Description" in 252. */
function jobSubject(unit: string, description: string, v: SystemdVersion): string {
  return v === 247 ? description : `${unit} - ${description}`;
}

const job = (type: string, result?: string) => ({ JOB_TYPE: type, JOB_ID: '1234', ...(result ? { JOB_RESULT: result } : {}) });

/** systemd's own lifecycle lines, with the fields and priorities systemd 247/252 give them. */
export const sd = {
  starting: (unit: string, desc: string, time: string, v: SystemdVersion = 252) =>
    systemdEntry(unit, `Starting ${jobSubject(unit, desc, v)}...`, time, 6, { MESSAGE_ID: MID.starting, ...job('start') }),
  started: (unit: string, desc: string, time: string, v: SystemdVersion = 252) =>
    systemdEntry(unit, `Started ${jobSubject(unit, desc, v)}.`, time, 6, { MESSAGE_ID: MID.started, ...job('start', 'done'), ...INVOCATION }),
  stopping: (unit: string, desc: string, time: string, v: SystemdVersion = 252) =>
    systemdEntry(unit, `Stopping ${jobSubject(unit, desc, v)}...`, time, 6, { MESSAGE_ID: MID.stopping, ...job('stop'), ...INVOCATION }),
  stopped: (unit: string, desc: string, time: string, v: SystemdVersion = 252, jobType = 'stop') =>
    systemdEntry(unit, `Stopped ${jobSubject(unit, desc, v)}.`, time, 6, { MESSAGE_ID: MID.stopped, ...job(jobType, 'done'), ...INVOCATION }),
  failedToStart: (unit: string, desc: string, time: string, v: SystemdVersion = 252) =>
    systemdEntry(unit, `Failed to start ${jobSubject(unit, desc, v)}.`, time, 3, { MESSAGE_ID: MID.startFailed, ...job('start', 'failed'), ...INVOCATION }),
  deactivated: (unit: string, time: string, v: SystemdVersion = 252) =>
    systemdEntry(unit, `${unit}: ${v === 247 ? 'Succeeded.' : 'Deactivated successfully.'}`, time, 6, { MESSAGE_ID: MID.success, ...INVOCATION }),
  /** status as the text prints it: "9/KILL", "1/FAILURE", "11/SEGV" */
  mainExited: (unit: string, time: string, code: 'exited' | 'killed' | 'dumped', status: string) =>
    systemdEntry(unit, `${unit}: Main process exited, code=${code}, status=${status}`, time, code === 'exited' ? 5 : 4, {
      MESSAGE_ID: MID.processExit,
      EXIT_CODE: code,
      EXIT_STATUS: status.split('/')[0]!,
      COMMAND: 'ExecStart',
      ...INVOCATION,
    }),
  failed: (unit: string, result: string, time: string) =>
    systemdEntry(unit, `${unit}: Failed with result '${result}'.`, time, 4, { MESSAGE_ID: MID.failed, UNIT_RESULT: result, ...INVOCATION }),
  restartScheduled: (unit: string, n: number, time: string) =>
    systemdEntry(unit, `${unit}: Scheduled restart job, restart counter is at ${n}.`, time, 6, { MESSAGE_ID: MID.restartScheduled, N_RESTARTS: String(n), ...INVOCATION }),
  startLimitHit: (unit: string, time: string) => systemdEntry(unit, `${unit}: Start request repeated too quickly.`, time, 4, INVOCATION),
  watchdog: (unit: string, limit: string, time: string) => systemdEntry(unit, `${unit}: Watchdog timeout (limit ${limit})!`, time, 3, INVOCATION),
  killing: (unit: string, pid: number, comm: string, signal: string, time: string) =>
    systemdEntry(unit, `${unit}: Killing process ${pid} (${comm}) with signal ${signal}.`, time, 5, INVOCATION),
  oomKilled: (unit: string, time: string) =>
    systemdEntry(unit, `${unit}: A process of this unit has been killed by the OOM killer.`, time, 5, { MESSAGE_ID: MID.oom, ...INVOCATION }),
};

/**
 * A kernel ring-buffer line as journald stores it. `replayLagMs` > 0 models a
 * line read at journald start (received that long after the kernel printed it).
 */
export function kernelEntry(message: string, time: string, priority = 6, replayLagMs = 0, boot: { id: string; at: string } = { id: BOOT_ID, at: BOOT_AT }): string {
  const ms = Date.parse(time);
  const monoUs = (ms - Date.parse(boot.at)) * 1000;
  return entry(
    {
      // printk stamps a line a little before journald receives it; a replayed line, by the lag.
      _SOURCE_MONOTONIC_TIMESTAMP: String(replayLagMs > 0 ? monoUs - replayLagMs * 1000 : monoUs - 80),
      _TRANSPORT: 'kernel',
      PRIORITY: String(priority),
      SYSLOG_FACILITY: '0',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: message,
    },
    time,
    boot,
  );
}

export interface AppSender {
  unit: string;
  identifier: string;
  pid: number;
  comm?: string;
  uid?: number;
}

/** A line a service wrote to stdout/stderr (journald's stdout transport). */
export function appEntry(s: AppSender, message: string, time: string, priority = 6): string {
  return entry(
    {
      _PID: String(s.pid),
      _UID: String(s.uid ?? 1000),
      _GID: String(s.uid ?? 1000),
      _COMM: s.comm ?? s.identifier,
      _SYSTEMD_CGROUP: `/system.slice/${s.unit}`,
      _SYSTEMD_UNIT: s.unit,
      _SYSTEMD_SLICE: 'system.slice',
      _SYSTEMD_INVOCATION_ID: '0a1b2c3d4e5f46708192a3b4c5d6e7f8',
      _TRANSPORT: 'stdout',
      _STREAM_ID: '9c1d2e3f4a5b4c6d8e7f9a0b1c2d3e4f',
      PRIORITY: String(priority),
      SYSLOG_FACILITY: '3',
      SYSLOG_IDENTIFIER: s.identifier,
      MESSAGE: message,
    },
    time,
  );
}

/** systemd-coredump's journal entry for a crash (Storage=external). */
export function coredumpEntry(c: { pid: number; comm: string; exe: string; unit: string; uid?: number; signal?: [number, string] }, time: string): string {
  const [signo, signame] = c.signal ?? [11, 'SIGSEGV'];
  const uid = String(c.uid ?? 1000);
  return entry(
    {
      _PID: '1333',
      _UID: '0',
      _GID: '0',
      _COMM: 'systemd-coredum',
      _SYSTEMD_UNIT: `systemd-coredump@0-1332-0.service`,
      _TRANSPORT: 'journal',
      PRIORITY: '2',
      SYSLOG_FACILITY: '3',
      SYSLOG_IDENTIFIER: 'systemd-coredump',
      MESSAGE_ID: MID.coredump,
      COREDUMP_PID: String(c.pid),
      COREDUMP_UID: uid,
      COREDUMP_GID: uid,
      COREDUMP_SIGNAL: String(signo),
      COREDUMP_SIGNAL_NAME: signame,
      COREDUMP_COMM: c.comm,
      COREDUMP_EXE: c.exe,
      COREDUMP_UNIT: c.unit,
      COREDUMP_CGROUP: `/system.slice/${c.unit}`,
      MESSAGE: `Process ${c.pid} (${c.comm}) of user ${uid} dumped core.\n\nModule libc.so.6 from deb glibc-2.36-9+rpt2+deb12u9.arm64\nStack trace of thread ${c.pid}:\n#0  0x0000ffff8f31d0d0 n/a (libc.so.6 + 0x7d0d0)\nELF object binary architecture: AARCH64`,
    },
    time,
  );
}

export const jsonl = (lines: string[]): string => lines.join('\n') + '\n';

// ---------------------------------------------------------------- dmesg

/** `dmesg --time-format=iso`: "2025-12-10T01:09:58,433100+03:00 text". */
export function dmesgLine(time: string, text: string, micros = '000000'): string {
  return `${time.slice(0, 19)},${micros}${time.slice(19)} ${text}`;
}

// ---------------------------------------------------------------- ps

export interface Proc {
  pid: number;
  ppid: number;
  user: string;
  /** device-local "YYYY-MM-DD HH:MM:SS" */
  start: string;
  rss?: number;
  pcpu?: number;
  /** the ps cgroup column as printed ("0::/system.slice/x.service", "-") */
  cgroup: string;
  args: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const COLLECTED_AT = '2025-12-10T01:15:00+03:00';

/** lstart as procps prints it: "Tue Dec  9 09:41:02 2025". */
function lstart(local: string): string {
  const [date, time] = local.split(' ') as [string, string];
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wd = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!;
  return `${wd} ${MONTHS[mo - 1]} ${String(d).padStart(2, ' ')} ${time} ${y}`;
}

/** `ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args` with procps' padding (wider values push right). */
export function ps(rows: Proc[]): string {
  const header =
    '  PID  PPID USER                                              STARTED ELAPSED   RSS %CPU CGROUP' + ' '.repeat(144) + ' COMMAND';
  const collected = Date.parse(COLLECTED_AT);
  const out = [header];
  for (const p of rows) {
    const etimes = Math.round((collected - Date.parse(`${p.start.replace(' ', 'T')}${OFFSET}`)) / 1000);
    out.push(
      [
        String(p.pid).padStart(5),
        String(p.ppid).padStart(5),
        p.user.padEnd(32),
        lstart(p.start),
        String(etimes).padStart(7),
        String(p.rss ?? 0).padStart(5),
        (p.pcpu ?? 0).toFixed(1).padStart(4),
        p.cgroup.padEnd(150),
        p.args,
      ].join(' '),
    );
  }
  return out.join('\n') + '\n';
}

/** The processes every systemd host has: init, kthreadd, a kernel worker, journald, sshd. */
export const SYSTEM_PROCS: Proc[] = [
  { pid: 1, ppid: 0, user: 'root', start: '2025-12-09 08:00:01', rss: 11872, cgroup: '0::/init.scope', args: '/sbin/init splash' },
  { pid: 2, ppid: 0, user: 'root', start: '2025-12-09 08:00:01', cgroup: '-', args: '[kthreadd]' },
  { pid: 412, ppid: 2, user: 'root', start: '2025-12-09 08:00:03', cgroup: '-', args: '[kworker/0:1-events]' },
  { pid: 523, ppid: 1, user: 'root', start: '2025-12-09 08:00:05', rss: 9204, cgroup: '0::/system.slice/systemd-journald.service', args: '/lib/systemd/systemd-journald' },
  { pid: 733, ppid: 1, user: 'root', start: '2025-12-09 08:00:09', rss: 7920, cgroup: '0::/system.slice/ssh.service', args: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' },
];

/** A login shell in session 3 of user basar, parent of hand-started servers. */
export const LOGIN_SHELL: Proc = { pid: 2311, ppid: 2290, user: 'basar', start: '2025-12-09 09:40:17', rss: 3480, cgroup: '0::/user.slice/user-1000.slice/session-3.scope', args: '-bash' };

// ---------------------------------------------------------------- ss

export interface Socket {
  /** "0.0.0.0:8000", "[::]:80", "*:9100" */
  local: string;
  /** [name, pid, fd] as ss prints users:(("name",pid=N,fd=M)) */
  users?: [string, number, number][];
  netid?: 'tcp' | 'udp';
}

/** `ss -ltnup` (iproute2 6.1) as root. */
export function ss(rows: Socket[]): string {
  const out = ['Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess'];
  for (const s of rows) {
    const netid = s.netid ?? 'tcp';
    const i = s.local.lastIndexOf(':');
    const addr = s.local.slice(0, i);
    const port = s.local.slice(i + 1);
    const peer = addr.startsWith('[') ? '[::]' : addr === '*' ? '*' : '0.0.0.0';
    const users = s.users?.length ? 'users:(' + s.users.map(([n, pid, fd]) => `("${n}",pid=${pid},fd=${fd})`).join(',') + ')' : '';
    out.push(
      `${netid.padEnd(5)} ${(netid === 'tcp' ? 'LISTEN' : 'UNCONN').padEnd(6)} 0      ${(netid === 'tcp' ? '4096' : '0').padEnd(6)} ${addr.padStart(13)}:${port.padEnd(5)} ${peer.padStart(12)}:${'*'.padEnd(4)}${users}`,
    );
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- systemctl

export interface ShowService {
  id: string;
  description: string;
  type?: string;
  restart?: string;
  restartUSec?: string;
  watchdogUSec?: string;
  mainPid?: number;
  result?: string;
  nRestarts?: number;
  /** argv of ExecStart */
  execStart: string;
  user?: string;
  workingDirectory?: string;
  activeState?: string;
  subState?: string;
  fragmentPath?: string;
  dropInPaths?: string;
  startLimitBurst?: number;
  startLimitIntervalUSec?: string;
}

/** One `systemctl show --no-pager UNIT` block of a service, as systemd 252 prints it (key order kept). */
export function showService(s: ShowService): string {
  const path = s.execStart.split(' ')[0]!;
  const lines = [
    `Type=${s.type ?? 'simple'}`,
    'ExitType=main',
    `Restart=${s.restart ?? 'no'}`,
    `NotifyAccess=${s.watchdogUSec && s.watchdogUSec !== '0' ? 'main' : 'none'}`,
    `RestartUSec=${s.restartUSec ?? '100ms'}`,
    'TimeoutStartUSec=1min 30s',
    'TimeoutStopUSec=1min 30s',
    'TimeoutAbortUSec=1min 30s',
    'RuntimeMaxUSec=infinity',
    `WatchdogUSec=${s.watchdogUSec ?? '0'}`,
    'WatchdogTimestampMonotonic=0',
    'RootDirectoryStartOnly=no',
    'RemainAfterExit=no',
    'GuessMainPID=yes',
    `MainPID=${s.mainPid ?? 0}`,
    'ControlPID=0',
    `Result=${s.result ?? 'success'}`,
    'ReloadResult=success',
    'CleanResult=success',
    'UID=[not set]',
    'GID=[not set]',
    `NRestarts=${s.nRestarts ?? 0}`,
    'OOMPolicy=stop',
    `ExecMainPID=${s.mainPid ?? 0}`,
    `ExecStart={ path=${path} ; argv[]=${s.execStart} ; ignore_errors=no ; start_time=[Wed 2025-12-10 00:41:17 +03] ; stop_time=[n/a] ; pid=${s.mainPid ?? 0} ; code=(null) ; status=0/0 }`,
    'Slice=system.slice',
    ...(s.user ? [`User=${s.user}`] : []),
    ...(s.workingDirectory ? [`WorkingDirectory=${s.workingDirectory}`] : []),
    `Id=${s.id}`,
    `Names=${s.id}`,
    'Requires=system.slice sysinit.target',
    'WantedBy=multi-user.target',
    `Description=${s.description}`,
    'LoadState=loaded',
    `ActiveState=${s.activeState ?? 'active'}`,
    'FreezerState=running',
    `SubState=${s.subState ?? 'running'}`,
    `FragmentPath=${s.fragmentPath ?? `/etc/systemd/system/${s.id}`}`,
    ...(s.dropInPaths ? [`DropInPaths=${s.dropInPaths}`] : []),
    'UnitFileState=enabled',
    'UnitFilePreset=enabled',
    `StartLimitIntervalUSec=${s.startLimitIntervalUSec ?? '10s'}`,
    `StartLimitBurst=${s.startLimitBurst ?? 5}`,
    'StartLimitAction=none',
  ];
  return lines.join('\n');
}

/** Blocks separated by a blank line, as `systemctl show` prints several units. */
export const showAll = (blocks: string[]): string => blocks.join('\n\n') + '\n';

/** `systemctl list-units --all --no-pager --plain --full` (252): [unit, load, active, sub, description]. */
export function listUnits(rows: [string, string, string, string, string][]): string {
  const w = (i: number, title: string) => Math.max(title.length, ...rows.map((r) => r[i]!.length));
  const widths = [w(0, 'UNIT'), w(1, 'LOAD'), w(2, 'ACTIVE'), w(3, 'SUB')];
  const row = (r: string[]) => r.slice(0, 4).map((c, i) => c.padEnd(widths[i]!)).join(' ') + ' ' + r[4];
  return [
    row(['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'DESCRIPTION']),
    ...rows.map(row),
    '',
    'LOAD   = Reflects whether the unit definition was properly loaded.',
    'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
    'SUB    = The low-level unit activation state, values depend on unit type.',
    '',
    `${rows.length} loaded units listed.`,
    "To show all installed unit files use 'systemctl list-unit-files'.",
    '',
  ].join('\n');
}

/** `journalctl --list-boots --no-pager` (252): [index, bootId, first, last] with times as "Wed 2025-12-10 01:13:07 +03". */
export function listBoots(rows: [number, string, string, string][]): string {
  return (
    ['IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY', ...rows.map(([i, id, f, l]) => `${String(i).padStart(3)} ${id} ${f} ${l}`)].join('\n') +
    '\n'
  );
}

// ---------------------------------------------------------------- resources

/** /proc/meminfo of a 4 GB Raspberry Pi 4 (Linux 6.1), with MemFree/MemAvailable set. */
export function meminfo(kB: { total?: number; free: number; available: number | null }): string {
  const total = kB.total ?? 3880196;
  const rows: [string, number | null][] = [
    ['MemTotal', total],
    ['MemFree', kB.free],
    ['MemAvailable', kB.available],
    ['Buffers', 40212],
    ['Cached', 612480],
    ['SwapCached', 0],
    ['Active', 1622916],
    ['Inactive', 1194600],
    ['Active(anon)', 1410064],
    ['Inactive(anon)', 9832],
    ['Active(file)', 212852],
    ['Inactive(file)', 1184768],
    ['Unevictable', 16],
    ['Mlocked', 16],
    ['SwapTotal', 102396],
    ['SwapFree', 0],
    ['Dirty', 260],
    ['Writeback', 0],
    ['AnonPages', 2164840],
    ['Mapped', 214136],
    ['Shmem', 19124],
  ];
  return (
    rows
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${(k + ':').padEnd(16)}${String(v).padStart(8)} kB`)
      .join('\n') + '\n'
  );
}

/** /proc/pressure/<resource>: "some avg10=… avg60=… avg300=… total=…" then "full …". */
export function pressure(someAvg10: number, fullAvg10 = 0): string {
  const f = (n: number) => n.toFixed(2);
  return `some avg10=${f(someAvg10)} avg60=${f(someAvg10 * 0.8)} avg300=${f(someAvg10 * 0.3)} total=236607137\nfull avg10=${f(fullAvg10)} avg60=0.00 avg300=0.00 total=1048576\n`;
}

export interface DfRow {
  fs: string;
  type: string;
  mount: string;
  /** bytes or inodes */
  size: number;
  used: number;
  /** df's Capacity / IUse% figure, rounded up as df rounds it */
  percent?: number;
}

/** `df -P -T -B1` (bytes) or `df -P -T -i` (inodes), coreutils 9.1. */
export function df(rows: DfRow[], kind: 'bytes' | 'inodes' = 'bytes'): string {
  const cells = rows.map((r) => {
    const avail = r.size - r.used;
    const pct = r.percent ?? (r.size === 0 ? 0 : Math.ceil((r.used * 100) / (r.used + avail)));
    return [r.fs, r.type, String(r.size), String(r.used), String(avail), `${pct}%`, r.mount];
  });
  const head = kind === 'bytes' ? ['Filesystem', 'Type', '1-blocks', 'Used', 'Available', 'Capacity', 'Mounted on'] : ['Filesystem', 'Type', 'Inodes', 'IUsed', 'IFree', 'IUse%', 'Mounted on'];
  const all = [head, ...cells];
  const widths = head.map((_, i) => Math.max(...all.map((c) => c[i]!.length)));
  const fmt = (c: string[]) =>
    c
      .map((v, i) => (i === 6 ? v : i <= 1 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join(' ');
  return all.map(fmt).join('\n') + '\n';
}

// ---------------------------------------------------------------- unit files

/** A site-local unit as an operator writes it: [Unit], [Service] with extra lines, [Install]. */
export function serviceUnit(o: { description: string; execStart: string; user?: string; workingDirectory?: string; service?: string[]; unit?: string[] }): string {
  return [
    '[Unit]',
    `Description=${o.description}`,
    'After=network-online.target',
    'Wants=network-online.target',
    ...(o.unit ?? []),
    '',
    '[Service]',
    ...(o.user ? [`User=${o.user}`] : []),
    ...(o.workingDirectory ? [`WorkingDirectory=${o.workingDirectory}`] : []),
    `ExecStart=${o.execStart}`,
    ...(o.service ?? []),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Line number (1-based) of the first line of `text` that starts with `prefix`. */
export function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starting with ${prefix}`);
  return i + 1;
}
