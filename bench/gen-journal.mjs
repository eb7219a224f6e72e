// A realistic `journalctl -o json --all` export of a heavily logging charger,
// at any size, deterministic for a given seed, written in large blocks.
//
// The mix is what the analysis has to wade through on a real device, not one
// needle in a haystack: an OCPP client logging through the native journal
// protocol (CODE_* fields), a uvicorn API on stdout (access lines, health
// probes), an ngrok tunnel in logfmt, sshd/cron/NetworkManager chatter, kernel
// lines, systemd's own lifecycle lines every few hundred entries, errors
// (priority <= 3) from several units at about 1.5% of lines, MESSAGEs given as
// byte arrays (not valid UTF-8), fields over 4 KiB (tracebacks, payload dumps),
// and a few incidents spread through the file: OOM kills, segfaults with
// systemd-coredump, an outage with ngrok failing to reach its upstream, a
// reboot with replayed kernel lines, a port conflict.
import { openSync, writeSync, closeSync } from 'node:fs';

/** Bumped whenever the output changes, so the bench regenerates its inputs. */
export const GENERATOR_VERSION = 1;

/**
 * The mixes: `realistic` as described above; `error-heavy`, the same senders with
 * eight times the error lines (about one line in ten) and tracebacks and payload
 * dumps three times as long and four times as frequent.
 */
export const MIXES = {
  realistic: { errors: 1, long: 1, longEvery: 1 },
  'error-heavy': { errors: 8, long: 3, longEvery: 4 },
};

/** mulberry32: small, fast, good enough to vary a log. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(rand() * 16) | 0];
  return s;
};

const MACHINE_ID = '5c1f0e8a2b6d4f39a7c0d2e4b8f61a93';
const SEQNUM_ID = 'c3f92ee0b4f64f44bea07ccd72203442';
const MID = {
  starting: '7d4958e842da4a758f6c1cdc7b36dcc5',
  started: '39f53479d3a045ac8e11786248231fbf',
  stopping: 'de5b426a63be47a7b6ac3eaac82e2f6f',
  stopped: '9d1aaa27d60140bd96365438aad20286',
  success: '7ad2d189f7e94e70a38c781354912448',
  failed: 'd9b373ed55a64feb8242e02dbe79a49c',
  processExit: '98e322203f7a4ed290d09fe03c09fe15',
  restartScheduled: '5eb03494b6584870a536b337290809b3',
  oom: 'fe6faa94e7774663a0da52717891d8ef',
  coredump: 'fc2e22bc6ee647b6b90729ab34a250b1',
};

/** JSON string literal, as journalctl escapes it. */
const q = (s) => JSON.stringify(s);

function fieldsJson(fields) {
  let out = '';
  for (const k in fields) {
    const v = fields[k];
    if (v === undefined) continue;
    out += `,${q(k)}:${v === null ? 'null' : Array.isArray(v) ? `[${v.join(',')}]` : q(String(v))}`;
  }
  return out;
}

const TRACEBACK_FRAMES = [
  ['/home/basar/env/lib/python3.11/site-packages/websockets/legacy/protocol.py', 'recv', 'await asyncio.wait('],
  ['/home/basar/env/lib/python3.11/site-packages/websockets/legacy/protocol.py', 'ensure_open', 'raise self.connection_closed_exc()'],
  ['/home/basar/env/lib/python3.11/site-packages/ocpp/charge_point.py', 'start', 'message = await self._connection.recv()'],
  ['/home/basar/charger/ocpp/client.py', 'run', 'await asyncio.gather(cp.start(), heartbeat_loop(cp))'],
  ['/usr/lib/python3.11/asyncio/tasks.py', '__step', 'result = coro.throw(exc)'],
  ['/usr/lib/python3.11/asyncio/base_events.py', 'run_until_complete', 'return future.result()'],
];

function traceback(rand, minBytes) {
  let s = 'Traceback (most recent call last):\n';
  while (s.length < minBytes) {
    const [file, fn, code] = TRACEBACK_FRAMES[(rand() * TRACEBACK_FRAMES.length) | 0];
    s += `  File "${file}", line ${(rand() * 900 + 20) | 0}, in ${fn}\n    ${code}\n`;
  }
  return s + 'websockets.exceptions.ConnectionClosedError: no close frame received or sent';
}

/**
 * Write `targetBytes` (approximately: whole lines) of journal to `path`.
 * Returns what was written, for the manifest: first and last timestamps (ms),
 * line count, bytes.
 */
export function generateJournal(path, targetBytes, { seed = 42, startMs = Date.parse('2025-12-07T00:00:00+03:00'), spanMs = 3 * 86400_000, mix = 'realistic' } = {}) {
  const m = MIXES[mix];
  if (!m) throw new Error(`unknown journal mix ${mix}`);
  const rand = rng(seed);
  const pick = (arr) => arr[(rand() * arr.length) | 0];
  // Average line is ~900 bytes: spread the lines evenly over the span.
  const expectedLines = Math.max(100, Math.round(targetBytes / 900));
  const stepUs = Math.max(1, Math.floor((spanMs * 1000) / expectedLines));

  let boots = [{ id: hex(rand, 32), atUs: (startMs - 36 * 3600_000) * 1000 }];
  let bootIx = 0;
  let seq = 0x6f0000;
  let nowUs = startMs * 1000;
  let pidBase = 800;
  let chargerPid = 812;
  let apiPid = 1204;

  const head = (timeUs, boot) => {
    const mono = timeUs - boot.atUs;
    seq++;
    return (
      `{"__CURSOR":"s=${SEQNUM_ID};i=${seq.toString(16)};b=${boot.id};m=${mono.toString(16)};t=${timeUs.toString(16)};x=${((seq * 0x9e3779b1) >>> 0).toString(16)}${((seq * 0x85ebca6b) >>> 0).toString(16)}"` +
      `,"__REALTIME_TIMESTAMP":"${timeUs}","__MONOTONIC_TIMESTAMP":"${mono}","_BOOT_ID":"${boot.id}"`
    );
  };

  const common = { _MACHINE_ID: MACHINE_ID, _HOSTNAME: 'charger-01', _RUNTIME_SCOPE: 'system' };
  const unitFields = (unit, comm, exe, cmdline, pid, uid = 1000) => ({
    _PID: pid,
    _UID: uid,
    _GID: uid,
    _COMM: comm,
    _EXE: exe,
    _CMDLINE: cmdline,
    _CAP_EFFECTIVE: uid === 0 ? '1ffffffffff' : '0',
    _SELINUX_CONTEXT: 'unconfined\n',
    _SYSTEMD_CGROUP: `/system.slice/${unit}`,
    _SYSTEMD_UNIT: unit,
    _SYSTEMD_SLICE: 'system.slice',
    _SYSTEMD_INVOCATION_ID: '068106069e2c48909a12ce192e875fec',
    ...common,
  });

  const charger = (message, priority, extra = {}) => ({
    PRIORITY: priority,
    SYSLOG_FACILITY: 3,
    SYSLOG_IDENTIFIER: '/home/basar/charger/ocpp/main.py',
    CODE_FILE: '/home/basar/charger/ocpp/client.py',
    CODE_LINE: (rand() * 300) | 0,
    CODE_FUNC: pick(['heartbeat_loop', 'on_meter_values', 'send_status', 'run']),
    LOGGER: 'ocpp.client',
    THREAD_NAME: 'MainThread',
    PROCESS_NAME: 'MainProcess',
    _TRANSPORT: 'journal',
    ...unitFields('charger.service', 'python', '/usr/bin/python3.11', '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', chargerPid),
    _SOURCE_REALTIME_TIMESTAMP: nowUs - ((rand() * 900) | 0),
    ...extra,
    MESSAGE: message,
  });
  const stdout = (unit, ident, comm, exe, cmdline, pid, message, priority, uid = 1000) => ({
    PRIORITY: priority,
    SYSLOG_FACILITY: 3,
    SYSLOG_IDENTIFIER: ident,
    _TRANSPORT: 'stdout',
    _STREAM_ID: '9c1d2e3f4a5b4c6d8e7f9a0b1c2d3e4f',
    ...unitFields(unit, comm, exe, cmdline, pid, uid),
    MESSAGE: message,
  });
  const api = (message, priority) =>
    stdout('charger-api.service', 'uvicorn', 'uvicorn', '/usr/bin/python3.11', '/home/basar/env/bin/python /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000', apiPid, message, priority);
  const ngrok = (message, priority) =>
    stdout('ngrok.service', 'ngrok', 'ngrok', '/usr/local/bin/ngrok', '/usr/local/bin/ngrok start --all --config /etc/ngrok.yml --log stdout', 733, message, priority, 0);
  const syslogSender = (unit, ident, comm, exe, pid, message, priority, uid = 0) => ({
    PRIORITY: priority,
    SYSLOG_FACILITY: 4,
    SYSLOG_IDENTIFIER: ident,
    SYSLOG_PID: pid,
    SYSLOG_TIMESTAMP: 'Dec  9 22:00:00 ',
    _TRANSPORT: 'syslog',
    ...unitFields(unit, comm, exe, exe, pid, uid),
    MESSAGE: message,
  });
  const pid1 = (unit, message, priority, extra = {}) => ({
    PRIORITY: priority,
    SYSLOG_FACILITY: 3,
    SYSLOG_IDENTIFIER: 'systemd',
    CODE_FILE: 'src/core/unit.c',
    CODE_LINE: 5700 + ((rand() * 200) | 0),
    CODE_FUNC: 'unit_log_success',
    UNIT: unit,
    ...extra,
    _TRANSPORT: 'journal',
    _PID: 1,
    _UID: 0,
    _GID: 0,
    _COMM: 'systemd',
    _EXE: '/usr/lib/systemd/systemd',
    _CMDLINE: '/sbin/init splash',
    _CAP_EFFECTIVE: '1ffffffffff',
    _SELINUX_CONTEXT: 'unconfined\n',
    _SYSTEMD_CGROUP: '/init.scope',
    _SYSTEMD_UNIT: 'init.scope',
    _SYSTEMD_SLICE: '-.slice',
    ...common,
    MESSAGE: message,
  });
  const kernel = (message, priority, sourceMonoUs) => ({
    _SOURCE_MONOTONIC_TIMESTAMP: sourceMonoUs,
    _TRANSPORT: 'kernel',
    PRIORITY: priority,
    SYSLOG_FACILITY: 0,
    SYSLOG_IDENTIFIER: 'kernel',
    ...common,
    MESSAGE: message,
  });

  // ------------------------------------------------------------------ everyday lines
  const isoOf = (us) => new Date(Math.floor(us / 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
  const daily = [
    // OCPP client: heartbeats and meter values, the bulk of the log.
    [30, () => charger(`INFO:ocpp.client:Heartbeat accepted, currentTime=${isoOf(nowUs)}`, 6, { CODE_ARGS: `('${isoOf(nowUs)}',)` })],
    [22, () => charger(`INFO:ocpp.client:MeterValues connector=1 transactionId=${(rand() * 90000) | 0} Energy.Active.Import.Register=${(rand() * 1e6).toFixed(1)}Wh Power.Active.Import=${(rand() * 11000).toFixed(0)}W Current.Import=${(rand() * 16).toFixed(2)}A Voltage=${(228 + rand() * 6).toFixed(1)}V`, 6)],
    [6, () => charger(`DEBUG:ocpp.client:send [2,"${hex(rand, 8)}-${hex(rand, 4)}","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"${pick(['Available', 'Preparing', 'Charging', 'SuspendedEV', 'Finishing'])}"}]`, 7)],
    [3, () => charger(`WARNING:ocpp.client:Slow response from central system: ${(rand() * 4 + 1).toFixed(2)}s for MeterValues`, 4)],
    // uvicorn API: access lines, including the health probes.
    [14, () => api(`INFO:     127.0.0.1:${40000 + ((rand() * 20000) | 0)} - "GET /api/${pick(['status', 'health', 'connectors/1', 'sessions?limit=20', 'config'])} HTTP/1.1" 200 OK`, 6)],
    [2, () => api(`INFO:     127.0.0.1:${40000 + ((rand() * 20000) | 0)} - "POST /api/connectors/1/${pick(['start', 'stop', 'unlock'])} HTTP/1.1" 202 Accepted`, 6)],
    // ngrok tunnel, logfmt on stdout.
    [6, () => ngrok(`t=${isoOf(nowUs)} lvl=info msg="join connections" obj=join id=${hex(rand, 12)} l=127.0.0.1:8000 r=${(rand() * 223 + 1) | 0}.${(rand() * 255) | 0}.${(rand() * 255) | 0}.${(rand() * 255) | 0}:${(rand() * 60000 + 1024) | 0}`, 6)],
    [1, () => ngrok(`t=${isoOf(nowUs)} lvl=dbug msg="heartbeat received" obj=tunnels.session mtime=${(rand() * 120) | 0}ms`, 7)],
    // System chatter.
    [3, () => syslogSender('ssh.service', 'sshd', 'sshd', '/usr/sbin/sshd', pidBase + ((rand() * 5000) | 0), `Accepted publickey for basar from 10.0.${(rand() * 255) | 0}.${(rand() * 255) | 0} port ${(rand() * 60000) | 0} ssh2: ED25519 SHA256:${hex(rand, 43)}`, 6)],
    [3, () => syslogSender('cron.service', 'CRON', 'cron', '/usr/sbin/cron', pidBase + ((rand() * 5000) | 0), 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 6)],
    [2, () => syslogSender('NetworkManager.service', 'NetworkManager', 'NetworkManager', '/usr/sbin/NetworkManager', 512, `<info>  [${(nowUs / 1e6).toFixed(4)}] dhcp4 (wlan0): state changed new lease, address=192.168.1.${(rand() * 200 + 20) | 0}`, 6)],
    [1, () => syslogSender('wpa_supplicant.service', 'wpa_supplicant', 'wpa_supplicant', '/usr/sbin/wpa_supplicant', 498, `wlan0: CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-${(rand() * 40 + 40) | 0} noise=9999 txrate=${(rand() * 72000) | 0}`, 6)],
    [1, () => kernel(`brcmfmac: brcmf_cfg80211_get_tx_power: power_setting ${(rand() * 40) | 0}`, 6, nowUs - boots[bootIx].atUs - 50)],
    [1, () => kernel(pick(['hwmon hwmon1: Undervoltage detected!', 'hwmon hwmon1: Voltage normalised', 'usb 1-1.3: reset high-speed USB device number 4 using xhci_hcd']), 4, nowUs - boots[bootIx].atUs - 50)],
    // Errors from several units, about 1.5% of lines in all.
    [0.45 * m.errors, () => charger('ERROR:ocpp.client:Connection to central system lost: code = 1006 (connection closed abnormally [internal]), no reason', 3)],
    [0.2 * m.errors, () => api(`ERROR:    Exception in ASGI application`, 3)],
    [0.25 * m.errors, () => syslogSender('ssh.service', 'sshd', 'sshd', '/usr/sbin/sshd', pidBase + ((rand() * 5000) | 0), `error: kex_exchange_identification: Connection closed by remote host`, 3)],
    [0.2 * m.errors, () => kernel('mmc0: timeout waiting for hardware interrupt.', 3, nowUs - boots[bootIx].atUs - 50)],
    [0.15 * m.errors * m.longEvery, () => charger(traceback(rand, (4200 + ((rand() * 3000) | 0)) * m.long), 3)],
    [0.15 * m.errors, () => syslogSender('NetworkManager.service', 'NetworkManager', 'NetworkManager', '/usr/sbin/NetworkManager', 512, '<error> [1765300000.1234] dhcp4 (wlan0): error -113 dispatching events', 3)],
    [0.1 * m.errors, () => api('Mock OCPP backend not reachable (pytest fixture mock_central_system left running)', 3)],
    // Fields over 4 KiB that are not errors: a payload dump.
    [0.3 * m.longEvery, () => charger(`DEBUG:ocpp.client:GetConfiguration.conf ${JSON.stringify({ configurationKey: Array.from({ length: 60 * m.long }, (_, i) => ({ key: `Key${i}`, readonly: i % 3 === 0, value: hex(rand, 40) })) })}`, 7)],
    // Not valid UTF-8: journalctl prints the MESSAGE as an array of bytes.
    [0.4, () => charger([...Buffer.from('meter frame: '), 0xff, 0xfe, ...Buffer.from(hex(rand, 24)), 0xc3], 6)],
  ];
  const totalWeight = daily.reduce((s, [w]) => s + w, 0);
  const pickDaily = () => {
    let x = rand() * totalWeight;
    for (const [w, f] of daily) if ((x -= w) < 0) return f();
    return daily[0][1]();
  };

  // systemd lifecycle lines every few hundred entries.
  const lifecycle = [
    () => {
      const s = 100 + ((rand() * 900) | 0);
      return [pid1(`session-${s}.scope`, `Started session-${s}.scope - Session ${s} of User basar.`, 6, { MESSAGE_ID: MID.started, JOB_TYPE: 'start', JOB_RESULT: 'done' })];
    },
    () => [
      pid1('apt-daily.service', 'Starting apt-daily.service - Daily apt download activities...', 6, { MESSAGE_ID: MID.starting, JOB_TYPE: 'start' }),
      pid1('apt-daily.service', 'apt-daily.service: Deactivated successfully.', 6, { MESSAGE_ID: MID.success }),
      pid1('apt-daily.service', 'Finished apt-daily.service - Daily apt download activities.', 6, { MESSAGE_ID: MID.started, JOB_TYPE: 'start', JOB_RESULT: 'done' }),
    ],
    () => [
      pid1('systemd-tmpfiles-clean.service', 'Starting systemd-tmpfiles-clean.service - Cleanup of Temporary Directories...', 6, { MESSAGE_ID: MID.starting }),
      pid1('systemd-tmpfiles-clean.service', 'systemd-tmpfiles-clean.service: Deactivated successfully.', 6, { MESSAGE_ID: MID.success }),
    ],
    () => [pid1('logrotate.service', 'logrotate.service: Deactivated successfully.', 6, { MESSAGE_ID: MID.success })],
  ];

  // ------------------------------------------------------------------ incidents
  const incidents = [
    // OOM kill of the OCPP client, then systemd restarts it.
    (t) => {
      const monoUs = t - boots[bootIx].atUs;
      const victim = chargerPid;
      chargerPid = pidBase += 37;
      return [
        kernel(`python invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`, 4, monoUs - 300),
        kernel(`oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/charger.service,task=python,pid=${victim},uid=1000`, 6, monoUs - 200),
        kernel(`Out of memory: Killed process ${victim} (python) total-vm:1843212kB, anon-rss:1601344kB, file-rss:2048kB, shmem-rss:0kB, UID:1000 pgtables:3400kB oom_score_adj:0`, 3, monoUs - 100),
        pid1('charger.service', 'charger.service: A process of this unit has been killed by the OOM killer.', 5, { MESSAGE_ID: MID.oom }),
        pid1('charger.service', 'charger.service: Main process exited, code=killed, status=9/KILL', 4, { MESSAGE_ID: MID.processExit, EXIT_CODE: 'killed', EXIT_STATUS: '9' }),
        pid1('charger.service', "charger.service: Failed with result 'oom-kill'.", 4, { MESSAGE_ID: MID.failed, UNIT_RESULT: 'oom-kill' }),
        pid1('charger.service', 'charger.service: Scheduled restart job, restart counter is at 1.', 6, { MESSAGE_ID: MID.restartScheduled, N_RESTARTS: '1' }),
        pid1('charger.service', 'Started charger.service - Charger OCPP client.', 6, { MESSAGE_ID: MID.started, JOB_TYPE: 'start', JOB_RESULT: 'done' }),
      ];
    },
    // A segfault in the API's native extension, with systemd-coredump.
    (t) => {
      const monoUs = t - boots[bootIx].atUs;
      const victim = apiPid;
      apiPid = pidBase += 41;
      return [
        kernel(`uvicorn[${victim}]: unhandled exception: DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in _pydantic_core.cpython-311-aarch64-linux-gnu.so[ffff8b240000+1f4000]`, 6, monoUs - 100),
        {
          PRIORITY: 2,
          SYSLOG_FACILITY: 3,
          SYSLOG_IDENTIFIER: 'systemd-coredump',
          MESSAGE_ID: MID.coredump,
          COREDUMP_PID: victim,
          COREDUMP_UID: 1000,
          COREDUMP_SIGNAL: 11,
          COREDUMP_SIGNAL_NAME: 'SIGSEGV',
          COREDUMP_COMM: 'uvicorn',
          COREDUMP_EXE: '/usr/bin/python3.11',
          COREDUMP_UNIT: 'charger-api.service',
          _TRANSPORT: 'journal',
          ...unitFields('systemd-coredump@0-1332-0.service', 'systemd-coredum', '/usr/lib/systemd/systemd-coredump', '/usr/lib/systemd/systemd-coredump', 1333, 0),
          MESSAGE: `Process ${victim} (uvicorn) of user 1000 dumped core.\n\nModule libc.so.6 from deb glibc-2.36-9+rpt2+deb12u9.arm64\nStack trace of thread ${victim}:\n#0  0x0000ffff8f31d0d0 n/a (libc.so.6 + 0x7d0d0)\nELF object binary architecture: AARCH64`,
        },
        pid1('charger-api.service', 'charger-api.service: Main process exited, code=dumped, status=11/SEGV', 4, { MESSAGE_ID: MID.processExit, EXIT_CODE: 'dumped', EXIT_STATUS: '11' }),
        pid1('charger-api.service', "charger-api.service: Failed with result 'core-dump'.", 4, { MESSAGE_ID: MID.failed, UNIT_RESULT: 'core-dump' }),
        pid1('charger-api.service', 'charger-api.service: Scheduled restart job, restart counter is at 1.', 6, { MESSAGE_ID: MID.restartScheduled, N_RESTARTS: '1' }),
        pid1('charger-api.service', 'Started charger-api.service - Charger API.', 6, { MESSAGE_ID: MID.started, JOB_TYPE: 'start', JOB_RESULT: 'done' }),
      ];
    },
    // Two minutes of ngrok failing to reach the API.
    (t) => {
      const out = [];
      for (let i = 0; i < 24; i++) {
        out.push(
          ngrok(`t=${isoOf(t + i * 5e6)} lvl=warn msg="failed to open private leg" id=${hex(rand, 12)} privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"`, 4),
        );
      }
      return out;
    },
    // A port conflict when a hand-started copy of the API holds the port.
    () => [
      api("ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use", 3),
      pid1('charger-api.service', 'charger-api.service: Main process exited, code=exited, status=1/FAILURE', 5, { MESSAGE_ID: MID.processExit, EXIT_CODE: 'exited', EXIT_STATUS: '1' }),
      pid1('charger-api.service', "charger-api.service: Failed with result 'exit-code'.", 4, { MESSAGE_ID: MID.failed, UNIT_RESULT: 'exit-code' }),
    ],
  ];

  // A reboot two thirds through: a new boot id, kernel lines replayed at journald start.
  const reboot = (t) => {
    const boot = { id: hex(rand, 32), atUs: t - 9_000_000 };
    boots.push(boot);
    bootIx = boots.length - 1;
    const replay = (msg, p, atMonoUs) => kernel(msg, p, atMonoUs);
    return [
      replay('Booting Linux on physical CPU 0x0000000000 [0x410fd083]', 6, 0),
      replay('Linux version 6.1.0-rpi7-rpi-v8 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT Debian 1:6.1.63-1+rpt1 (2023-11-24)', 5, 0),
      replay('Machine model: Raspberry Pi 4 Model B Rev 1.5', 6, 0),
      replay('Memory: 3844232K/4050944K available (11776K kernel code, 2106K rwdata, 3688K rodata, 4160K init, 1079K bss, 141176K reserved, 65536K cma-reserved)', 6, 1),
      pid1('systemd-journald.service', 'Journal started', 6, { MESSAGE_ID: 'f77379a8490b408bbe5f6940505a777b' }),
    ];
  };

  const fd = openSync(path, 'w');
  const BLOCK = 4 * 1024 * 1024;
  let block = [];
  let blockBytes = 0;
  let written = 0;
  let lines = 0;
  const firstUs = nowUs;
  const emit = (fields) => {
    const line = `${head(nowUs, boots[bootIx])}${fieldsJson(fields)}}\n`;
    block.push(line);
    blockBytes += line.length;
    lines++;
    if (blockBytes >= BLOCK) flush();
  };
  const flush = () => {
    const buf = Buffer.from(block.join(''));
    writeSync(fd, buf);
    written += buf.length;
    block = [];
    blockBytes = 0;
  };

  // Incidents at fixed fractions of the file, so every size has all of them.
  const plan = [
    [0.12, incidents[0]],
    [0.3, incidents[1]],
    [0.45, incidents[2]],
    [0.5, incidents[0]],
    [0.66, reboot],
    [0.67, incidents[3]],
    [0.8, incidents[1]],
    [0.93, incidents[0]],
  ];
  let next = 0;
  let untilSystemd = 150 + ((rand() * 300) | 0);
  while (written + blockBytes < targetBytes) {
    const fraction = (written + blockBytes) / targetBytes;
    if (next < plan.length && fraction >= plan[next][0]) {
      const t = nowUs;
      for (const f of plan[next][1](t)) {
        emit(f);
        nowUs += 1000 + ((rand() * 5000) | 0);
      }
      next++;
      continue;
    }
    if (--untilSystemd <= 0) {
      for (const f of pick(lifecycle)()) emit(f);
      untilSystemd = 150 + ((rand() * 300) | 0);
    } else {
      emit(pickDaily());
    }
    nowUs += 1 + ((rand() * 2 * stepUs) | 0);
  }
  flush();
  closeSync(fd);
  return { lines, bytes: written, firstMs: Math.floor(firstUs / 1000), lastMs: Math.floor(nowUs / 1000) };
}
