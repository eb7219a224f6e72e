import { describe, it, expect } from 'vitest';
import {
  createAppLogParser,
  detectAppLogFormat,
  nginxAccessStatus,
  parseAppLogLine,
  parseAppLogText,
} from '../../src/parse/app-log.js';
import type { LogRecord } from '../../src/parse/types.js';

const clock = { timezone: 'Europe/Istanbul', utcOffset: '+03:00' };
const at = (iso: string) => Date.parse(iso);

function rec(r: LogRecord | { problem: string }): LogRecord {
  if ('problem' in r) throw new Error(`expected a record, got problem: ${r.problem}`);
  return r;
}

// Captured from nginx 1.22.1 (Debian 12) proxying to a port nobody listened on,
// a socket that never answered (proxy_read_timeout 1s) and an upstream group of
// two dead servers; dates, ports and names set to the incident's.
const NGINX_ACCESS = `192.0.2.10 - - [10/Dec/2025:01:10:05 +0300] "GET /api/status HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Linux x86_64)"
127.0.0.1 - - [10/Dec/2025:01:10:06 +0300] "GET /slow HTTP/1.1" 504 167 "-" "curl/7.88.1"
127.0.0.1 - - [10/Dec/2025:01:12:30 +0300] "GET /api/health HTTP/1.1" 200 2 "-" "curl/7.88.1"
`;
const NGINX_ERROR = `2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.10, server: charger.example, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger.example"
2025/12/10 01:10:06 [error] 812#812: *33 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: charger.example, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:8002/slow", host: "127.0.0.1"
2025/12/10 01:10:07 [error] 812#812: *35 no live upstreams while connecting to upstream, client: 127.0.0.1, server: charger.example, request: "GET /pool HTTP/1.1", upstream: "http://pool/pool", host: "127.0.0.1"
2025/12/10 01:13:00 [emerg] 9197#9197: bind() to 0.0.0.0:80 failed (98: Address already in use)
2025/12/10 01:13:01 [warn] 812#812: *40 an upstream response is buffered to a temporary file /var/lib/nginx/proxy/1/00/0000000001 while reading upstream
`;

// uvicorn 0.54 with its default logging, stdout and stderr to nohup.out (not a TTY, so no colours).
const UVICORN_NOHUP = `INFO:     Started server process [165162]
INFO:     Waiting for application startup.
INFO:     Application startup complete.
INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)
INFO:     127.0.0.1:43122 - "GET /api/health HTTP/1.1" 200 OK
ERROR:    Exception in ASGI application
Traceback (most recent call last):
  File "/home/basar/env/lib/python3.11/site-packages/uvicorn/protocols/http/h11_impl.py", line 411, in run_asgi
    result = await app(  # type: ignore[func-returns-value]
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/home/basar/env/lib/python3.11/site-packages/uvicorn/middleware/proxy_headers.py", line 63, in __call__
    return await self.app(scope, receive, send)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/home/basar/charger/api/main.py", line 11, in app
    raise RuntimeError("OCPP client not connected")
RuntimeError: OCPP client not connected
INFO:     127.0.0.1:43130 - "GET /api/status HTTP/1.1" 500 Internal Server Error
INFO:     Started server process [165201]
INFO:     Waiting for application startup.
INFO:     Application startup complete.
ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use
INFO:     Waiting for application shutdown.
INFO:     Application shutdown complete.
`;

// gunicorn 26.2 started while the port was held (its real retry loop).
const GUNICORN = `[2025-12-10 01:10:00 +0300] [1234] [INFO] Starting gunicorn 26.2.0
[2025-12-10 01:10:00 +0300] [1234] [ERROR] Connection in use: ('0.0.0.0', 8000)
[2025-12-10 01:10:00 +0300] [1234] [ERROR] connection to ('0.0.0.0', 8000) failed: [Errno 98] Address already in use
[2025-12-10 01:10:05 +0300] [1234] [ERROR] Can't connect to ('0.0.0.0', 8000)
[2025-12-10 01:11:00 +0300] [1240] [INFO] Booting worker with pid: 1240
`;

// Python logging's two common formats, as python3.11 printed them, with logger.exception().
const PY_LOGGING = `2025-12-10 01:09:58,412 ERROR api.main: OCPP websocket closed: code=1006
2025-12-10 01:09:58,413 ERROR api.main: status handler failed
Traceback (most recent call last):
  File "/home/basar/charger/api/main.py", line 8, in status
KeyError: 'connector'
2025-12-10 01:09:59,001 - api.main - WARNING - retrying connection to central system in 5 s
2025-12-10 01:10:04,730 - api.main - CRITICAL - giving up
`;

// ngrok agent v3 logfmt (log: /home/basar/ngrok.log), as in ngrok's issue reports.
const NGROK_LOGFMT = `t=2025-12-10T01:09:30+0300 lvl=info msg="started tunnel" obj=tunnels name=command_line addr=http://localhost:8000 url=https://charger.ngrok.app
t=2025-12-10T01:10:00+0300 lvl=dbug msg="dial private connection" id=2f7c9e1a typ=proxy addr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"
t=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=2f7c9e1a typ=proxy privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"
t=2025-12-10T01:10:00+0300 lvl=info msg="join connections" obj=join id=be501436fe1e l=127.0.0.1:8000 r=203.0.113.7:51234
t=2025-12-10T01:10:02+0300 lvl=eror msg="session closed, starting reconnect loop" obj=tunnels.session err="read EOF from remote peer"
t=2025-12-10T01:10:03+0300 lvl=crit msg="command failed" err="authentication failed"
`;

describe('detectAppLogFormat', () => {
  it('goes by the nginx path when the file is empty', () => {
    expect(detectAppLogFormat('/var/log/nginx/error.log', [])).toBe('nginx-error');
    expect(detectAppLogFormat('/var/log/nginx/access.log', [])).toBe('nginx-access');
    expect(detectAppLogFormat('/home/basar/ngrok.log', [])).toBe('ngrok');
    expect(detectAppLogFormat('/home/basar/app.log', [])).toBe('generic');
  });

  it('recognises each format from content, whatever the file is called', () => {
    expect(detectAppLogFormat('/home/basar/nohup.out', UVICORN_NOHUP.split('\n'))).toBe('uvicorn');
    expect(detectAppLogFormat('/home/basar/nohup.out', GUNICORN.split('\n'))).toBe('gunicorn');
    expect(detectAppLogFormat('/var/log/tunnel.log', NGROK_LOGFMT.split('\n'))).toBe('ngrok');
    expect(detectAppLogFormat('/srv/logs/proxy.log', NGINX_ACCESS.split('\n'))).toBe('nginx-access');
    expect(detectAppLogFormat('/srv/logs/proxy-err.log', NGINX_ERROR.split('\n'))).toBe('nginx-error');
    expect(detectAppLogFormat('/home/basar/api.log', PY_LOGGING.split('\n'))).toBe('generic');
  });

  it('lets clear content override a misleading path', () => {
    // an access log written to a file named error.log
    expect(detectAppLogFormat('/var/log/nginx/error.log', NGINX_ACCESS.split('\n'))).toBe('nginx-access');
  });

  it('looks at non-empty lines only', () => {
    expect(detectAppLogFormat('/home/basar/nohup.out', ['', '   ', 'INFO:     Started server process [1]'])).toBe('uvicorn');
  });
});

describe('nginx access log', () => {
  it('reads time and keeps the whole line; status via nginxAccessStatus', () => {
    const lines = NGINX_ACCESS.trim().split('\n');
    const r = rec(parseAppLogLine('nginx-access', lines[0]!, 1, 'files/var/log/nginx/access.log', clock));
    expect(r.epochMs).toBe(at('2025-12-10T01:10:05+03:00'));
    expect(r.identifier).toBe('nginx');
    expect(r.text).toBe(lines[0]);
    expect(r.line).toBe(1);
    expect(nginxAccessStatus(lines[0]!)).toBe(502);
    expect(nginxAccessStatus(lines[1]!)).toBe(504);
    expect(nginxAccessStatus(lines[2]!)).toBe(200);
  });

  it('returns null status for lines that are not access lines', () => {
    expect(nginxAccessStatus('2025/12/10 01:10:05 [error] 812#812: *31 connect() failed')).toBeNull();
    expect(nginxAccessStatus('ERROR: upstream returned 502')).toBeNull();
  });

  it('handles escaped quotes in the request', () => {
    const l = '198.51.100.4 - - [10/Dec/2025:01:10:09 +0300] "GET /?q=\\x22a\\x22 \\"x\\" HTTP/1.1" 503 0 "-" "-"';
    expect(nginxAccessStatus(l)).toBe(503);
  });

  it('counts a truncated line and NUL garbage as problems', () => {
    const text =
      NGINX_ACCESS +
      '192.0.2.10 - - [10/Dec/2025:01:10:09 +0300] "GET /api/sta\n' +
      '\u0000\u0000\u0000\u0000\n';
    const res = parseAppLogText(text, '/var/log/nginx/access.log', 'files/var/log/nginx/access.log', clock);
    expect(res.format).toBe('nginx-access');
    expect(res.records).toHaveLength(3);
    expect(res.skipped).toBe(2);
    expect(res.problems.map((p) => p.line)).toEqual([4, 5]);
    expect(res.problems[1]!.reason).toMatch(/NUL/);
  });
});

describe('nginx error log', () => {
  it('reads device-local time, level as priority and the pid', () => {
    const lines = NGINX_ERROR.trim().split('\n');
    const r = rec(parseAppLogLine('nginx-error', lines[0]!, 1, 'files/var/log/nginx/error.log', clock));
    expect(r.epochMs).toBe(at('2025-12-10T01:10:05+03:00'));
    expect(r.priority).toBe(3);
    expect(r.pid).toBe(812);
    expect(r.identifier).toBe('nginx');
    expect(rec(parseAppLogLine('nginx-error', lines[3]!, 4, 's', clock)).priority).toBe(0);
    expect(rec(parseAppLogLine('nginx-error', lines[4]!, 5, 's', clock)).priority).toBe(4);
  });

  it('applies the device zone, not UTC, to a stamp without offset', () => {
    const r = rec(parseAppLogLine('nginx-error', NGINX_ERROR.split('\n')[0]!, 1, 's', { utcOffset: '+00:00' }));
    expect(r.epochMs).toBe(at('2025-12-10T01:10:05Z'));
  });

  it('reports a cut line as truncated and a foreign line as not nginx', () => {
    expect(parseAppLogLine('nginx-error', '2025/12/10 01:1', 9, 's', clock)).toEqual({ problem: 'truncated nginx error log line' });
    expect(parseAppLogLine('nginx-error', 'hello world', 10, 's', clock)).toEqual({ problem: 'not an nginx error log line' });
    const res = parseAppLogText(NGINX_ERROR + '2025/12/10 01:1\n', '/var/log/nginx/error.log', 's', clock);
    expect(res.records).toHaveLength(5);
    expect(res.skipped).toBe(1);
    expect(res.problems).toEqual([{ line: 6, reason: 'truncated nginx error log line' }]);
  });
});

describe('uvicorn (nohup.out)', () => {
  const res = parseAppLogText(UVICORN_NOHUP, '/home/basar/nohup.out', 'files/home/basar/nohup.out', clock);

  it('keeps every line as a record with no time, level as priority', () => {
    expect(res.format).toBe('uvicorn');
    expect(res.skipped).toBe(0);
    expect(res.records).toHaveLength(UVICORN_NOHUP.trim().split('\n').length);
    expect(res.records.every((r) => r.epochMs === null && r.identifier === 'uvicorn')).toBe(true);
    expect(res.records[0]!.priority).toBe(6);
    expect(res.records[5]!.priority).toBe(3);
  });

  it('gives the traceback the priority of "Exception in ASGI application"', () => {
    const tb = res.records.filter((r) => r.line >= 7 && r.line <= 16);
    expect(tb[0]!.text).toBe('Traceback (most recent call last):');
    expect(tb.map((r) => r.priority)).toEqual(Array(10).fill(3));
    expect(tb[tb.length - 1]!.text).toBe('RuntimeError: OCPP client not connected');
    // the access line after the traceback is a new INFO record again
    expect(res.records.find((r) => r.line === 17)!.priority).toBe(6);
  });

  it('attributes lines to the server process that printed them', () => {
    expect(res.records.find((r) => r.line === 5)!.pid).toBe(165162);
    const bind = res.records.find((r) => r.text.includes('[Errno 98]'))!;
    expect(bind.pid).toBe(165201);
    expect(bind.priority).toBe(3);
  });

  it('stateless parsing leaves continuation lines without priority', () => {
    const r = rec(parseAppLogLine('uvicorn', '  File "/home/basar/charger/api/main.py", line 11, in app', 9, 's', clock));
    expect(r.priority).toBeUndefined();
    expect(r.epochMs).toBeNull();
  });

  it('reads python logging lines mixed into the same file, with their traceback', () => {
    const r = parseAppLogText(UVICORN_NOHUP.split('\n').slice(0, 4).join('\n') + '\n' + PY_LOGGING, '/home/basar/nohup.out', 's', clock);
    expect(r.format).toBe('uvicorn');
    const first = r.records[4]!;
    expect(first.epochMs).toBe(at('2025-12-10T01:09:58.412+03:00'));
    expect(first.priority).toBe(3);
    const keyError = r.records.find((x) => x.text === "KeyError: 'connector'")!;
    expect(keyError.priority).toBe(3);
    expect(keyError.epochMs).toBe(at('2025-12-10T01:09:58.413+03:00'));
    const warn = r.records.find((x) => x.text.includes('retrying'))!;
    expect(warn.priority).toBe(4);
    expect(r.records.find((x) => x.text.includes('giving up'))!.priority).toBe(2);
  });

  it('treats a traceback after an INFO line as its own error block', () => {
    const text = `INFO:     Started server process [700]
Traceback (most recent call last):
  File "/home/basar/charger/ocpp/main.py", line 3, in <module>
ModuleNotFoundError: No module named 'websockets'
`;
    const r = parseAppLogText(text, '/home/basar/nohup.out', 's', clock);
    expect(r.records.map((x) => x.priority)).toEqual([6, 3, 3, 3]);
  });

  it('skips blank lines quietly but counts NUL garbage', () => {
    const r = parseAppLogText('INFO:     Started server process [1]\n\n\u0000\u0000junk\nINFO:     Application startup complete.\n', '/x/nohup.out', 's', clock);
    expect(r.records).toHaveLength(2);
    expect(r.skipped).toBe(1);
    expect(r.problems[0]!.line).toBe(3);
  });

  it('strips ANSI colours that uvicorn prints when forced', () => {
    const r = rec(parseAppLogLine('uvicorn', '\x1b[31mERROR\x1b[0m:    Exception in ASGI application', 1, 's', clock));
    expect(r.priority).toBe(3);
    expect(r.text).toBe('ERROR:    Exception in ASGI application');
  });
});

describe('gunicorn', () => {
  it('reads time with offset, pid and level', () => {
    const res = parseAppLogText(GUNICORN, '/var/log/gunicorn/error.log', 'files/var/log/gunicorn/error.log', clock);
    expect(res.format).toBe('gunicorn');
    expect(res.skipped).toBe(0);
    const [start, inUse, , , boot] = res.records;
    expect(start!.epochMs).toBe(at('2025-12-10T01:10:00+03:00'));
    expect(start!.priority).toBe(6);
    expect(inUse!.priority).toBe(3);
    expect(inUse!.pid).toBe(1234);
    expect(boot!.pid).toBe(1240);
    expect(boot!.identifier).toBe('gunicorn');
  });

  it('keeps worker tracebacks under the ERROR line and counts a cut header', () => {
    const text = `[2025-12-10 01:10:00 +0300] [1240] [ERROR] Exception in worker process
Traceback (most recent call last):
  File "/home/basar/env/lib/python3.11/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker
    worker.init_process()
OSError: [Errno 24] Too many open files
[2025-12-10 01:1
`;
    const res = parseAppLogText(text, '/var/log/gunicorn/error.log', 's', clock);
    expect(res.records).toHaveLength(5);
    expect(res.records.map((r) => r.priority)).toEqual([3, 3, 3, 3, 3]);
    expect(res.records[4]!.epochMs).toBe(at('2025-12-10T01:10:00+03:00'));
    expect(res.skipped).toBe(1);
    expect(res.problems[0]).toEqual({ line: 6, reason: 'truncated gunicorn log line' });
  });
});

describe('ngrok', () => {
  it('reads logfmt time and ngrok level words (eror, crit, dbug)', () => {
    const res = parseAppLogText(NGROK_LOGFMT, '/home/basar/ngrok.log', 'files/home/basar/ngrok.log', clock);
    expect(res.format).toBe('ngrok');
    expect(res.skipped).toBe(0);
    expect(res.records.map((r) => r.priority)).toEqual([6, 7, 4, 6, 3, 2]);
    expect(res.records[2]!.epochMs).toBe(at('2025-12-10T01:10:00+03:00'));
    expect(res.records.every((r) => r.identifier === 'ngrok')).toBe(true);
  });

  it('reads log_format: json lines', () => {
    const l = '{"err":"dial tcp 127.0.0.1:8000: connect: connection refused","id":"2f7c9e1a","lvl":"warn","msg":"failed to open private leg","privaddr":"localhost:8000","t":"2025-12-10T01:10:00.123+03:00","typ":"proxy"}';
    const r = rec(parseAppLogLine('ngrok', l, 1, 's', clock));
    expect(r.epochMs).toBe(at('2025-12-10T01:10:00.123+03:00'));
    expect(r.priority).toBe(4);
  });

  it('reads the v2 terminal format, with the year from the collection time', () => {
    const l = 'EROR[12-10|01:10:02] failed to reconnect session              obj=csess id=9ebccd2e08fe err="dial tcp: lookup tunnel.us.ngrok.com: no such host"';
    const withRef = rec(parseAppLogLine('ngrok', l, 1, 's', clock, { referenceMs: at('2025-12-10T01:15:00+03:00') }));
    expect(withRef.priority).toBe(3);
    expect(withRef.epochMs).toBe(at('2025-12-10T01:10:02+03:00'));
    expect(rec(parseAppLogLine('ngrok', l, 1, 's', clock)).epochMs).toBeNull();
  });

  it('keeps plain stderr lines and counts broken JSON and bad times', () => {
    const text = `ERROR:  authentication failed: Your account is limited to 1 simultaneous ngrok agent session.
{"lvl":"warn","msg":"failed to open priv
t=yesterday lvl=info msg="x"
`;
    const res = parseAppLogText(text, '/home/basar/ngrok.log', 's', clock);
    expect(res.records).toHaveLength(1);
    expect(res.records[0]!.priority).toBe(3);
    expect(res.skipped).toBe(2);
    expect(res.problems.map((p) => p.line)).toEqual([2, 3]);
  });
});

describe('generic', () => {
  it('reads ISO 8601, comma milliseconds and level words; identifier is the file name', () => {
    const res = parseAppLogText(PY_LOGGING, '/home/basar/charger/api.log', 'files/home/basar/charger/api.log', clock);
    expect(res.format).toBe('generic');
    expect(res.records[0]!.identifier).toBe('api.log');
    expect(res.records[0]!.epochMs).toBe(at('2025-12-10T01:09:58.412+03:00'));
    expect(res.records.map((r) => r.priority)).toEqual([3, 3, 3, 3, 3, 4, 2]);
  });

  it('reads ISO with offset, Z, and RFC 3164 with a reference time', () => {
    const a = rec(parseAppLogLine('generic', '2025-12-10T01:10:00+03:00 [WARN] charge point offline', 1, 'x/ocpp.log', clock));
    expect(a.epochMs).toBe(at('2025-12-09T22:10:00Z'));
    expect(a.priority).toBe(4);
    const b = rec(parseAppLogLine('generic', '2025-12-09T22:10:00.5Z level=error msg="ws closed"', 2, 'x/ocpp.log', clock));
    expect(b.epochMs).toBe(at('2025-12-09T22:10:00.500Z'));
    expect(b.priority).toBe(3);
    const c = rec(parseAppLogLine('generic', 'Dec 10 01:10:00 FATAL cannot open /dev/ttyAMA0', 3, 'x/ocpp.log', clock, { referenceMs: at('2026-01-02T00:00:00Z') }));
    expect(c.epochMs).toBe(at('2025-12-10T01:10:00+03:00'));
    expect(c.priority).toBe(2);
  });

  it('does not take a level word from inside the message', () => {
    const r = rec(parseAppLogLine('generic', '2025-12-10 01:10:00,001 charger.meter: reading meter register 12 of 40, no ERROR bit set in the status word of the meter', 1, 'x/a.log', clock));
    expect(r.priority).toBeUndefined();
  });

  it('keeps lines without a timestamp as undated records', () => {
    const r = rec(parseAppLogLine('generic', 'charger: connected to central system', 4, 'x/a.log', clock));
    expect(r.epochMs).toBeNull();
    expect(r.priority).toBeUndefined();
    expect(r.line).toBe(4);
  });

  it('counts an empty line handed to the stateless parser', () => {
    expect(parseAppLogLine('generic', '', 5, 'x', clock)).toEqual({ problem: 'empty line' });
    expect(createAppLogParser('generic', 'x', clock)('', 5)).toBeNull();
  });
});
