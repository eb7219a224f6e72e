import { describe, it, expect } from 'vitest';
import { classifyProxy } from '../../src/classify/proxy-events.js';
import { parseAppLogText } from '../../src/parse/app-log.js';
import { parseJournalLine } from '../../src/parse/journal.js';
import type { LogRecord } from '../../src/parse/types.js';

const clock = { timezone: 'Europe/Istanbul' };
const r = (text: string, identifier?: string, extra: Partial<LogRecord> = {}): LogRecord => ({
  source: 'files/x.log',
  line: 1,
  epochMs: null,
  text,
  ...(identifier ? { identifier } : {}),
  ...extra,
});

describe('classifyProxy: nginx', () => {
  // Real nginx 1.22.1 error.log lines (see test/parse/app-log.test.ts for how they were made).
  it('connection refused → upstream-refused with the upstream address', () => {
    const line = '2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.10, server: charger.example, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger.example"';
    expect(classifyProxy(r(line, 'nginx'))).toEqual({ proxy: 'nginx', kind: 'upstream-refused', upstream: '127.0.0.1:8000', about: '*31 192.0.2.10 GET /api/status HTTP/1.1' });
  });

  it('upstream timed out → upstream-timeout', () => {
    const line = '2025/12/10 01:10:06 [error] 812#812: *33 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: charger.example, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:8002/slow", host: "127.0.0.1"';
    expect(classifyProxy(r(line, 'nginx'))).toEqual({ proxy: 'nginx', kind: 'upstream-timeout', upstream: '127.0.0.1:8002', about: '*33 127.0.0.1 GET /slow HTTP/1.1' });
  });

  it('no live upstreams and premature close → upstream-error', () => {
    const a = '2025/12/10 01:10:07 [error] 812#812: *35 no live upstreams while connecting to upstream, client: 127.0.0.1, server: charger.example, request: "GET /pool HTTP/1.1", upstream: "http://pool/pool", host: "127.0.0.1"';
    expect(classifyProxy(r(a, 'nginx'))).toEqual({ proxy: 'nginx', kind: 'upstream-error', upstream: 'pool', about: '*35 127.0.0.1 GET /pool HTTP/1.1' });
    const b = '2025/12/10 01:10:08 [error] 812#812: *36 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: charger.example, request: "GET /api/status HTTP/1.1", upstream: "http://unix:/run/charger-api.sock:/api/status", host: "127.0.0.1"';
    expect(classifyProxy(r(b, 'nginx'))).toEqual({ proxy: 'nginx', kind: 'upstream-error', upstream: 'unix:/run/charger-api.sock', about: '*36 127.0.0.1 GET /api/status HTTP/1.1' });
  });

  it('access lines with 502/503/504 → http-5xx; 200 and 500 do not fire', () => {
    const mk = (s: number) => `192.0.2.10 - - [10/Dec/2025:01:10:05 +0300] "GET /api/status HTTP/1.1" ${s} 157 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
    expect(classifyProxy(r(mk(502), 'nginx'))).toEqual({ proxy: 'nginx', kind: 'http-5xx', status: 502 });
    expect(classifyProxy(r(mk(504), 'nginx'))?.status).toBe(504);
    expect(classifyProxy(r(mk(200), 'nginx'))).toBeNull();
    expect(classifyProxy(r(mk(500), 'nginx'))).toBeNull();
    // a 200 whose size happens to be 502 bytes
    expect(classifyProxy(r('192.0.2.10 - - [10/Dec/2025:01:10:05 +0300] "GET /api/502 HTTP/1.1" 200 502 "-" "-"', 'nginx'))).toBeNull();
  });

  it('ignores nginx warnings about buffering and its own bind failures', () => {
    expect(classifyProxy(r('2025/12/10 01:13:01 [warn] 812#812: *40 an upstream response is buffered to a temporary file /var/lib/nginx/proxy/1/00/0000000001 while reading upstream', 'nginx'))).toBeNull();
    expect(classifyProxy(r('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)', 'nginx'))).toBeNull();
  });

  it('works on every record of a parsed nginx file', () => {
    const text = `2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.10, server: charger.example, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger.example"
2025/12/10 01:13:01 [notice] 812#812: signal process started
`;
    const recs = parseAppLogText(text, '/var/log/nginx/error.log', 'files/var/log/nginx/error.log', clock).records;
    expect(recs.map((x) => classifyProxy(x)?.kind ?? null)).toEqual(['upstream-refused', null]);
  });
});

describe('classifyProxy: ngrok', () => {
  it('failed to open private leg with connection refused → upstream-refused at the dialled address', () => {
    const l = 't=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=2f7c9e1a privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"';
    expect(classifyProxy(r(l, 'ngrok'))).toEqual({ proxy: 'ngrok', kind: 'upstream-refused', upstream: '127.0.0.1:8000', about: 'id 2f7c9e1a' });
  });

  it('reads the older error wording and IPv6 loopback', () => {
    const old = 't=2015-05-26T17:31:10-0400 lvl=warn msg="failed to open private leg" id=aeb31b2e868b typ=proxy privaddr=127.9.195.129:25565 err="dial tcp 127.9.195.129:25565: connection refused"';
    expect(classifyProxy(r(old, 'ngrok'))).toEqual({ proxy: 'ngrok', kind: 'upstream-refused', upstream: '127.9.195.129:25565', about: 'id aeb31b2e868b' });
    const v6 = 't=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=1 privaddr=localhost:8000 err="dial tcp [::1]:8000: connect: connection refused"';
    expect(classifyProxy(r(v6, 'ngrok'))?.upstream).toBe('[::1]:8000');
  });

  it('i/o timeout → upstream-timeout; other dial errors → upstream-error (falls back to privaddr)', () => {
    const t = 't=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=1 privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: i/o timeout"';
    expect(classifyProxy(r(t, 'ngrok'))?.kind).toBe('upstream-timeout');
    const e = 't=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=1 privaddr=api.local:8000 err="dial tcp: lookup api.local: no such host"';
    expect(classifyProxy(r(e, 'ngrok'))).toEqual({ proxy: 'ngrok', kind: 'upstream-error', upstream: 'api.local:8000', about: 'id 1' });
  });

  it('reads log_format: json lines', () => {
    const l = '{"err":"dial tcp 127.0.0.1:8000: connect: connection refused","id":"2f7c9e1a","lvl":"warn","msg":"failed to open private leg","privaddr":"localhost:8000","t":"2025-12-10T01:10:00.123+03:00"}';
    expect(classifyProxy(r(l, 'ngrok'))).toEqual({ proxy: 'ngrok', kind: 'upstream-refused', upstream: '127.0.0.1:8000', about: 'id 2f7c9e1a' });
  });

  it('ERR_NGROK_8012 and http logs with status=502 fire', () => {
    expect(classifyProxy(r('t=2025-12-10T01:10:00+0300 lvl=info msg="upstream error" code=ERR_NGROK_8012', 'ngrok'))?.kind).toBe('upstream-error');
    const req = 't=2025-12-10T01:10:00+0300 lvl=info msg="http request" obj=http method=GET uri=/api/status status=502';
    expect(classifyProxy(r(req, 'ngrok'))).toEqual({ proxy: 'ngrok', kind: 'http-5xx', status: 502 });
    expect(classifyProxy(r(req.replace('502', '200'), 'ngrok'))).toBeNull();
  });

  it('does not fire on the debug dial line (the warn line follows) nor on routine lines', () => {
    expect(classifyProxy(r('t=2025-12-10T01:10:00+0300 lvl=dbug msg="dial private connection" id=2f7c9e1a typ=proxy addr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"', 'ngrok'))).toBeNull();
    expect(classifyProxy(r('t=2025-12-10T01:10:00+0300 lvl=info msg="join connections" obj=join id=be501436fe1e l=127.0.0.1:8000 r=203.0.113.7:51234', 'ngrok'))).toBeNull();
  });

  it('works on journal lines of ngrok.service', () => {
    const entry = JSON.stringify({
      __REALTIME_TIMESTAMP: '1765318200000000',
      _SYSTEMD_UNIT: 'ngrok.service',
      SYSLOG_IDENTIFIER: 'ngrok',
      PRIORITY: '6',
      MESSAGE: 't=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=2f7c9e1a privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"',
    });
    const rec = parseJournalLine(entry, 7, 'commands/journal.jsonl');
    if ('problem' in rec) throw new Error(rec.problem);
    expect(classifyProxy(rec)).toEqual({ proxy: 'ngrok', kind: 'upstream-refused', upstream: '127.0.0.1:8000', about: 'id 2f7c9e1a' });
  });
});

describe('classifyProxy: other programs', () => {
  it("does not fire on an app's own line that mentions 502 or proxy phrases", () => {
    expect(classifyProxy(r('ERROR:    upstream returned 502 Bad Gateway', 'uvicorn'))).toBeNull();
    expect(classifyProxy(r('192.0.2.10 - - [10/Dec/2025:01:10:05 +0300] "GET / HTTP/1.1" 502 157 "-" "-"', 'charger'))).toBeNull();
    expect(classifyProxy(r('warn: failed to open private leg (copied from ngrok docs)', 'python3'))).toBeNull();
    expect(classifyProxy(r('connect() failed (111: Connection refused) while connecting to upstream'))).toBeNull();
  });

  it('accepts the proxy unit when the identifier is missing', () => {
    const l = '2025/12/10 01:10:05 [error] 812#812: *31 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.10, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8000/", host: "x"';
    expect(classifyProxy(r(l, undefined, { unit: 'nginx.service' }))?.kind).toBe('upstream-refused');
    expect(classifyProxy(r(l, undefined, { unit: 'charger.service' }))).toBeNull();
  });
});
