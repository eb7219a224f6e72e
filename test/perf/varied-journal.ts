// A journal export that goes through every case the fast path must get
// exactly right: every signal a consumer of LogScanner.add looks for, from
// the senders that write it, and every shape that could fool a test on the
// raw bytes (escapes, repeated and escaped keys, byte arrays, arrays, nulls,
// whitespace, CRLF, broken lines, boots, lines outside the window, case and
// Unicode tricks in names). Lines come from the real-shape builders of
// test/helpers/raw.ts where one exists. Deterministic for a seed.
import { appEntry, at, coredumpEntry, entry, kernelEntry, sd, systemdEntry, BOOT_ID, BOOT_AT, type AppSender } from '../helpers/raw.js';
import { KERNEL_EVENT_WORDS } from '../../src/classify/kernel-events.js';
import { PORT_CONFLICT_WORDS } from '../../src/classify/port-conflict.js';
import { NGINX_EVENT_WORDS, NGROK_EVENT_WORDS } from '../../src/classify/proxy-events.js';
import { ERROR_TEXT_WORDS } from '../../src/classify/log-level.js';
import { HEALTH_REQUEST_WORD, HEALTH_WORDS } from '../../src/facts/health-paths.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARGER: AppSender = { unit: 'charger.service', identifier: '/home/basar/charger/ocpp/main.py', pid: 812, comm: 'python' };
const API: AppSender = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 1204 };
const NGROK: AppSender = { unit: 'ngrok.service', identifier: 'ngrok', pid: 733, uid: 0 };
const NGINX: AppSender = { unit: 'nginx.service', identifier: 'nginx', pid: 640, uid: 33 };
const SSHD: AppSender = { unit: 'ssh.service', identifier: 'sshd', pid: 2210, uid: 0 };
const OTHER_BOOT = { id: '0e5b3c2a1f4d4e6a9b8c7d6e5f4a3b2c', at: '2025-12-10T00:58:00+03:00' };
/** A boot seen only in lines that could be quiet: the fast path must still deliver its first line. */
const QUIET_BOOT = '7a6b5c4d3e2f41a0b9c8d7e6f5a4b3c2';

/** A builder's line with another MESSAGE value (a byte array). */
function withMessage(line: string, message: unknown): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  o.MESSAGE = message;
  return JSON.stringify(o);
}

/** Raw lines, built by hand where the point is a shape no builder makes. */
function custom(fields: string, time: string): string {
  const us = Date.parse(time) * 1000;
  return `{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"${us}","_BOOT_ID":"${BOOT_ID}",${fields}}`;
}

export interface VariedJournal {
  text: string;
  lines: number;
}

/**
 * `count` lines around the default test window (01:00 to 01:15 at +03:00),
 * from 00:55 to 01:20, the last one cut short.
 */
export function variedJournal(seed: number, count: number): VariedJournal {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const start = Date.parse(at('00:55:00'));
  const span = 25 * 60_000;
  const time = (k: number) => new Date(start + Math.floor((span * k) / count) + Math.floor(r() * 900)).toISOString();
  const prio = () => pick([0, 1, 2, 3, 3, 4, 5, 6, 6, 6, 6, 7]);
  const big = (n: number) => 'x'.repeat(n);

  const app = [
    (t: string) => appEntry(CHARGER, `INFO:ocpp.client:Heartbeat accepted, currentTime=${t}`, t, 6),
    (t: string) => appEntry(CHARGER, pick(['ERROR:ocpp.client:Connection lost', 'ERROR:ocpp.client:test_boot_notification failed with MagicMock', 'WARNING:ocpp.client:slow']), t, prio()),
    // stdout lines are judged by their own level word whatever PRIORITY journald gave them (SyslogLevel=info).
    (t: string) =>
      appEntry(
        pick([CHARGER, API]),
        pick(['Traceback (most recent call last):', 'CRITICAL:ocpp.client:meter board not answering', 'FATAL: cannot open /dev/ttyAMA0', 'INFO:ocpp.client:retry after an error', 'INFO: 1 errors\\n2 ok', 'panic: runtime error: index out of range', 'EROR[12-10|01:10:00] session closed', 'INFO:ocpp.client:all fine']),
        t,
        pick([4, 5, 6, 6, 7]),
      ),
    (t: string) => appEntry(API, `INFO:     127.0.0.1:5${Math.floor(r() * 9999)} - "${pick(['GET', 'HEAD', 'POST'])} ${pick(['/api/health', '/health?x=1', '/api/status', '/ping', '/api/items', '/healthz/'])} HTTP/1.1" ${pick([200, 204, 500, 503])} OK`, t, 6),
    (t: string) => appEntry(API, pick(["ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use", 'Error: listen EADDRINUSE: address already in use :::3000', 'nothing wrong, port 8000 in use by us', 'Port 5000 is in use by another program.']), t, prio()),
    (t: string) => appEntry(NGROK, `t=${t} lvl=info msg="join connections" obj=join id=${Math.floor(r() * 1e9)} l=127.0.0.1:8000`, t, 6),
    (t: string) => appEntry(NGROK, pick([`t=${t} lvl=warn msg="failed to open private leg" id=1 privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"`, `t=${t} lvl=info msg=end status=502`, 'ERR_NGROK_8012', `t=${t} lvl=info msg="failed \\x74o open private leg"`, '{"lvl":"info","msg":"fa\\u0069led to open private leg"}', `t=${t} lvl=eror msg="session closed"`]), t, pick([3, 4, 6])),
    (t: string) => appEntry(NGINX, pick(['2025/12/10 01:10:00 [error] 640#640: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.2, upstream: "http://127.0.0.1:8000/api"', '10.0.0.2 - - [10/Dec/2025:01:10:00 +0300] "GET /api HTTP/1.1" 502 150 "-" "curl"', '10.0.0.2 - - [10/Dec/2025:01:10:00 +0300] "GET /api/health HTTP/1.1" 200 2 "-" "curl"', 'worker process started']), t, pick([3, 6])),
    (t: string) => appEntry(SSHD, 'Accepted publickey for basar from 10.0.0.9 port 50022 ssh2', t, 6),
  ];
  const system = [
    (t: string) => sd.starting(pick(['charger.service', 'ngrok.service', 'nginx.service']), 'Some unit', t, pick([247, 252] as const)),
    (t: string) => sd.started('charger.service', 'Charger OCPP client', t, pick([247, 252] as const)),
    (t: string) => sd.mainExited(pick(['charger.service', 'charger-api.service']), t, pick(['exited', 'killed', 'dumped'] as const), pick(['1/FAILURE', '9/KILL', '11/SEGV'])),
    (t: string) => sd.failed('charger.service', pick(['exit-code', 'oom-kill', 'core-dump', 'watchdog']), t),
    (t: string) => sd.restartScheduled('charger.service', Math.floor(r() * 6) + 1, t),
    (t: string) => sd.startLimitHit('charger.service', t),
    (t: string) => sd.watchdog('charger.service', '30s', t),
    (t: string) => sd.oomKilled('charger.service', t),
    (t: string) => sd.deactivated('charger-api.service', t, pick([247, 252] as const)),
    (t: string) => sd.stopped('ngrok.service', 'ngrok tunnel', t),
    (t: string) => systemdEntry('init.scope', pick(['Reloading.', 'Reloading finished in 231 ms.']), t, 6),
    (t: string) => systemdEntry('session-4.scope', 'session-4.scope: Deactivated successfully.', t, 6),
  ];
  const kernel = [
    (t: string) => kernelEntry(pick(['python invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0', 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/charger.service,task_memcg=/system.slice/charger.service,task=python,pid=812,uid=1000', 'Memory cgroup out of memory: Killed process 812 (python) total-vm:1843212kB, anon-rss:1601344kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:3400kB oom_score_adj:0', 'Out of memory: Kill process 812 (python) score 900 or sacrifice child']), t, pick([3, 4, 6])),
    (t: string) => kernelEntry(pick(['python3[4242]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in libc.so.6[7f00+1000]', 'uvicorn[1204]: unhandled exception: DABT (lower EL), ESR 0x92000006, level 2 translation fault in x.so[ffff+1000]', 'traps: node[77] general protection fault ip:55d sp:7ffd error:0', 'traps: app[78] trap divide error ip:55d sp:7ffd error:0']), t, 6),
    (t: string) => kernelEntry(pick(['Linux version 6.1.0-rpi7-rpi-v8 (gcc 12) #1 SMP PREEMPT', 'Booting Linux on physical CPU 0x0000000000 [0x410fd083]']), t, 5, pick([0, 30_000])),
    (t: string) => kernelEntry(pick(['usb 1-1.3: reset high-speed USB device number 4 using xhci_hcd', 'hwmon hwmon1: Undervoltage detected!', 'mmc0: timeout waiting for hardware interrupt.']), t, prio(), pick([0, 0, 5_000])),
    (t: string) => kernelEntry('Booting Linux on physical CPU 0x0', t, 6, 2_000, OTHER_BOOT),
    (t: string) => coredumpEntry({ pid: 812, comm: 'python', exe: '/usr/bin/python3.11', unit: 'charger.service' }, t),
  ];
  const shapes = [
    // byte arrays: not UTF-8, or text that only shows once decoded
    (t: string) => withMessage(appEntry(CHARGER, '', t, 6), [...Buffer.from('meter frame '), 0xff, 0xfe, 0x41]),
    (t: string) => withMessage(appEntry(API, '', t, 6), [...Buffer.from('[Errno 98] Address already in use')]),
    (t: string) => withMessage(appEntry(API, '', t, 6), [...Buffer.from('"GET /api/health HTTP/1.1" 200')]),
    // fields over 4 KiB, and null (over 4 KiB without --all)
    (t: string) => appEntry(CHARGER, `DEBUG:payload ${big(5000)}`, t, 7),
    (t: string) => appEntry(CHARGER, `Traceback (most recent call last):\n  File "x.py", line 1\n${big(4500)}`, t, 3),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","_SYSTEMD_UNIT":"charger.service","MESSAGE":null`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":null,"_COMM":"ngrok","MESSAGE":"t=1 lvl=info msg=x"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":null,"_COMM":null,"_PID":"1","MESSAGE":"Started charger.service - x."`, t),
    // escapes that spell a searched text only once decoded
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"uvicorn","MESSAGE":"bind: address already in\\u0020use"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"uvicorn","MESSAGE":"\\"GET /api/health HTTP\\/1.1\\" 200"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"uvicorn","MESSAGE":"\\u0045ADDRINUSE"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"ngrok","MESSAGE":"t=1 lvl=info msg=\\"failed to open private leg\\\\\\" x"`, t),
    // keys that hide or repeat a field
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"x","PRIORIT\\u0059":"2"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"x","PRIORITY":"2"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"x","SYSLOG_IDENTIFIER":"systemd"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"x","_TRANSPORT":"stdout","_TRANSPORT":"kernel"`, t),
    // names in other cases, or spelt with non-ASCII letters
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"${pick(['NGROK', 'Nginx', 'ngro\u212a', 'ngrok-agent', 'NetworkManager', 'kernel', 'systemd-coredump', 'systemd', ''])}","_SYSTEMD_UNIT":"${pick(['ngrok.service', 'NGINX.service', 'nginx-proxy.service', 'ngro\u212a.service', 'app.service'])}","MESSAGE":"t=1 lvl=info status=502 msg=\\"failed to open private leg\\" upstream"`, t),
    // odd values: numbers, nested objects, arrays of strings, odd priorities and times
    (t: string) => custom(`"PRIORITY":6,"SYSLOG_IDENTIFIER":"python","MESSAGE":"ERROR: plain error text"`, t),
    (t: string) => custom(`"PRIORITY":"${pick(['04', '8', '', '3 ', '6'])}","SYSLOG_IDENTIFIER":"python","MESSAGE":"ERROR:root:failed","X":{"a":[1,{"b":null}]}`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":["first Address already in use","second"],"_TRANSPORT":["stdout","journal"]`, t),
    (t: string) => `{"__REALTIME_TIMESTAMP":"${pick(['0001765317612325131', '17653176123251310000', '', '1765317612325131 ', '9'])}","PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"odd time"}`,
    (t: string) => `{"__CURSOR":"s=9","PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"no time at ${t}"}`,
    // (inside the window, where host.rebooted reports a boot)
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"a line of another boot"`, t).replace(BOOT_ID, Date.parse(t) >= Date.parse(at('01:02:00')) && Date.parse(t) <= Date.parse(at('01:14:00')) ? QUIET_BOOT : OTHER_BOOT.id),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"boot id null","_BOOT_ID":null`, t).replace(`"_BOOT_ID":"${BOOT_ID}",`, ''),
    // whitespace, CRLF, blank lines, broken lines
    (t: string) => JSON.stringify(JSON.parse(appEntry(API, 'spaced out', t, 3)), null, 1).replace(/\n/g, ''),
    (t: string) => `${appEntry(SSHD, 'crlf line Address already in use', t, 6)}\r`,
    () => pick(['', '   ', '\t']),
    (t: string) => pick([appEntry(CHARGER, 'cut', t, 3).slice(0, 90), '[1,2,3]', '42', 'null', '{}', '{"a":"b"}', 'not json at all', '\u0000\u0000\u0000\u0000']),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"raw\ttab"`, t),
    (t: string) => custom(`"PRIORITY":"6","SYSLOG_IDENTIFIER":"python","MESSAGE":"bad escape \\x41"`, t),
    (t: string) => entry({ PRIORITY: '6', SYSLOG_IDENTIFIER: 'python', _TRANSPORT: 'journal', MESSAGE: 'boot clock' }, t, { id: BOOT_ID, at: BOOT_AT }),
  ];
  // Every word the quiet-line filter passes, from the classifiers that look for it, in the
  // senders' lines and in upper case: a word added there is exercised here without more.
  const cased = (w: string) => (r() < 0.5 ? w : w.toUpperCase());
  const words = [
    (t: string) => kernelEntry(`x ${cased(pick(KERNEL_EVENT_WORDS))} y`, t, pick([4, 6]), pick([0, 5_000])),
    (t: string) => appEntry(pick([CHARGER, API, SSHD]), `x ${cased(pick(PORT_CONFLICT_WORDS))} y`, t, 6),
    (t: string) => appEntry(pick([API, NGINX]), `"GET /${cased(pick(HEALTH_WORDS))} ${cased(HEALTH_REQUEST_WORD)}1.1" 200`, t, 6),
    (t: string) => appEntry(pick([CHARGER, API]), `${cased(pick(ERROR_TEXT_WORDS))}: x`, t, 6),
    (t: string) => appEntry(NGINX, `x ${cased(pick(NGINX_EVENT_WORDS))} y`, t, 6),
    (t: string) => appEntry(NGROK, `t=${t} lvl=info msg="${cased(pick(NGROK_EVENT_WORDS))}" status=${pick([200, 502])}`, t, 6),
  ];
  const groups: [number, ((t: string) => string)[]][] = [
    [50, app],
    [12, system],
    [10, kernel],
    [28, shapes],
    [10, words],
  ];
  const total = groups.reduce((s, [w]) => s + w, 0);
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    let x = r() * total;
    let list = groups[0]![1];
    for (const [w, l] of groups) {
      if ((x -= w) < 0) {
        list = l;
        break;
      }
    }
    lines.push(pick(list)(time(k)));
  }
  // The collection was cut mid-entry.
  const last = appEntry(CHARGER, 'ERROR:ocpp.client:the last entry', time(count), 3);
  return { text: `${lines.join('\n')}\n${last.slice(0, Math.floor(last.length / 2))}`, lines: count + 1 };
}
