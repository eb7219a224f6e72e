import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeSpec } from '../helpers/bundle.js';
import { appEntry, at, jsonl } from '../helpers/raw.js';
import { analyzeSample } from '../report/render.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/proxy-upstream-errors/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'proxy.upstream-errors');

const leg = (hms: string, id: string) =>
  `t=2025-12-10T${hms}+0300 lvl=warn msg="failed to open private leg" id=${id} privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"`;
const join = (hms: string, id: string) => `t=2025-12-10T${hms}+0300 lvl=info msg="join connections" obj=join id=${id} l=127.0.0.1:8000 r=203.0.113.7:51234`;

const NGROK_LOG = [
  't=2025-12-10T00:41:20+0300 lvl=info msg="started tunnel" obj=tunnels name=api addr=http://localhost:8000 url=https://charger-01.ngrok.app',
  join('01:09:40', '2b7d1a0e5c3f'),
  leg('01:10:05', '6d3f7a1b2c4e'),
  leg('01:10:41', '8a1f2e3d4c5b'),
  leg('01:12:02', '0c9d8e7f6a5b'),
  join('01:12:30', '1e2d3c4b5a69'),
  '',
].join('\n');

const access = (hms: string, status: number, path = '/api/status', bytes = 157) =>
  `203.0.113.7 - - [10/Dec/2025:${hms} +0300] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"`;
const refused = (hms: string, conn: number) =>
  `2025/12/10 ${hms} [error] 1023#1023: *${conn} connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: charger.example.com, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger.example.com"`;

describe('proxy.upstream-errors fires', () => {
  it('on ngrok\'s "failed to open private leg … connection refused" (logfmt), first to last', async () => {
    const a = await analyzeSpec({ files: { 'files/var/log/ngrok.log': NGROK_LOG } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subject: 'ngrok',
      params: {
        proxy: 'ngrok',
        upstreams: ['127.0.0.1:8000'],
        kinds: ['upstream-refused'],
        count: 3,
        first: '2025-12-10T01:10:05+03:00',
        last: '2025-12-10T01:12:02+03:00',
        sources: ['files/var/log/ngrok.log'],
      },
    });
    expect(f!.evidence).toEqual([
      { source: 'files/var/log/ngrok.log', line: 3, time: '2025-12-10T01:10:05+03:00', text: leg('01:10:05', '6d3f7a1b2c4e') },
      { source: 'files/var/log/ngrok.log', line: 4, time: '2025-12-10T01:10:41+03:00', text: leg('01:10:41', '8a1f2e3d4c5b') },
      { source: 'files/var/log/ngrok.log', line: 5, time: '2025-12-10T01:12:02+03:00', text: leg('01:12:02', '0c9d8e7f6a5b') },
    ]);
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:10:05+03:00', end: '2025-12-10T01:12:02+03:00', basis: ['proxy.upstream-errors'], recoveredAt: '2025-12-10T01:12:30+03:00' });
  });

  it('on ngrok\'s JSON log format (--log-format json)', async () => {
    const line = JSON.stringify({
      addr: 'http://localhost:8000',
      err: 'dial tcp 127.0.0.1:8000: connect: connection refused',
      id: '6d3f7a1b2c4e',
      lvl: 'warn',
      msg: 'failed to open private leg',
      obj: 'tunnels.session',
      privaddr: 'localhost:8000',
      t: '2025-12-10T01:10:05.312847193+03:00',
    });
    const a = await analyzeSpec({ files: { 'files/var/log/ngrok.log': line + '\n' } });
    expect(findings(a)[0]).toMatchObject({ subject: 'ngrok', params: { upstreams: ['127.0.0.1:8000'], kinds: ['upstream-refused'], first: '2025-12-10T01:10:05+03:00' } });
  });

  it('on ngrok lines in the journal (ngrok.service)', async () => {
    const ngrok = { unit: 'ngrok.service', identifier: 'ngrok', pid: 1200, uid: 998 };
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([appEntry(ngrok, leg('01:10:05', '6d3f7a1b2c4e'), at('01:10:05'))]) } });
    expect(findings(a)[0]).toMatchObject({ subject: 'ngrok', params: { count: 1, upstreams: ['127.0.0.1:8000'], sources: ['commands/journal.jsonl'] } });
    expect(findings(a)[0]!.evidence[0]).toMatchObject({ source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:10:05+03:00' });
  });

  it('on nginx error.log "connect() failed (111: Connection refused)" and access.log 502/504', async () => {
    const error = [refused('01:10:05', 1234), '2025/12/10 01:10:07 [warn] 1023#1023: *1236 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream', ''].join('\n');
    const accessLog = [access('01:09:59', 200), access('01:10:05', 502), access('01:10:40', 504, '/api/sessions', 167), access('01:12:31', 200), ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/error.log': error, 'files/var/log/nginx/access.log': accessLog } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subject: 'nginx',
      params: { upstreams: ['127.0.0.1:8000'], kinds: ['http-5xx', 'upstream-refused'], statuses: [502, 504], count: 3, failedRequests: 2, failedRequestsFrom: 'gateway-answers', first: '2025-12-10T01:10:05+03:00', last: '2025-12-10T01:10:40+03:00' },
    });
    expect(f!.params.sources).toEqual(['files/var/log/nginx/access.log', 'files/var/log/nginx/error.log']);
    expect(f!.evidence).toContainEqual({ source: 'files/var/log/nginx/error.log', line: 1, time: '2025-12-10T01:10:05+03:00', text: refused('01:10:05', 1234) });
    expect(f!.evidence).toContainEqual({ source: 'files/var/log/nginx/access.log', line: 3, time: '2025-12-10T01:10:40+03:00', text: access('01:10:40', 504, '/api/sessions', 167) });
  });
});

// Real nginx logs of the seed-incident lab: 7 requests answered 502, each also logged in error.log.
const labLog = (name: string) => readFileSync(new URL(`../fixtures/lab/seed-incident/${name}`, import.meta.url), 'utf8');
// The lab's manifest: its window, and its clock (UTC) that error.log's zoneless times are read in.
const LAB_WINDOW = JSON.parse(labLog('manifest.json')) as Record<string, unknown>;

describe('proxy.upstream-errors counts each failed request once', () => {
  it('7 requests answered 502 with 7 error.log lines about them are 7 failed requests, not 14 (real nginx output)', async () => {
    const a = await analyzeSpec({ manifest: LAB_WINDOW, files: { 'files/var/log/nginx/access.log': labLog('nginx-access.log'), 'files/var/log/nginx/error.log': labLog('nginx-error.log') } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    // count keeps its meaning (the proxy's lines); the requests are a count of their own.
    expect(f!.params).toMatchObject({ count: 14, failedRequests: 7, failedRequestsFrom: 'gateway-answers', statuses: [502], upstreams: ['127.0.0.1:8000'] });
    expect(f!.title).toBe('nginx could not reach 127.0.0.1:8000 7 times, from 2026-12-06 21:15:41+00:00 to 2026-12-06 21:15:41+00:00');
  });

  it('without an access log, counts distinct upstream failures from error.log and says so', async () => {
    const a = await analyzeSpec({ manifest: LAB_WINDOW, files: { 'files/var/log/nginx/error.log': labLog('nginx-error.log') } });
    expect(findings(a)[0]!.params).toMatchObject({ count: 7, failedRequests: 7, failedRequestsFrom: 'upstream-failures' });
  });

  it('one request tried on two upstream addresses ("localhost": ::1 and 127.0.0.1) is one failure', async () => {
    const twice = (hms: string, conn: number) =>
      ['[::1]:8000', '127.0.0.1:8000'].map(
        (addr) =>
          `2025/12/10 ${hms} [error] 1023#1023: *${conn} connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: _, request: "GET /api/status HTTP/1.1", upstream: "http://${addr}/api/status", host: "charger.local"`,
      );
    const error = [...twice('01:10:05', 1234), ...twice('01:10:07', 1240), ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/error.log': error } });
    expect(findings(a)[0]!.params).toMatchObject({ count: 4, failedRequests: 2, failedRequestsFrom: 'upstream-failures', upstreams: ['127.0.0.1:8000', '[::1]:8000'] });
  });

  it('samples/cgroup-oom: 3 requests answered 502 are 3, not 6', async () => {
    const a = await analyzeSample('cgroup-oom');
    expect(findings(a)[0]!.params).toMatchObject({ count: 6, failedRequests: 3, failedRequestsFrom: 'gateway-answers' });
  });
});

describe('proxy.upstream-errors reads nginx timeouts', () => {
  it('on "upstream timed out (110: Connection timed out)"', async () => {
    const line =
      '2025/12/10 01:11:00 [error] 1023#1023: *1290 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: charger.example.com, request: "POST /api/sessions HTTP/1.1", upstream: "http://127.0.0.1:8000/api/sessions", host: "charger.example.com"';
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/error.log': line + '\n' } });
    expect(findings(a)[0]).toMatchObject({ subject: 'nginx', params: { kinds: ['upstream-timeout'], upstreams: ['127.0.0.1:8000'], count: 1 } });
    expect(findings(a)[0]!.evidence).toEqual([{ source: 'files/var/log/nginx/error.log', line: 1, time: '2025-12-10T01:11:00+03:00', text: line }]);
  });
});

describe('proxy.upstream-errors stays quiet', () => {
  it('on access lines with 200s and a 500 (the application answered)', async () => {
    const accessLog = [access('01:09:59', 200), access('01:10:05', 500, '/api/status', 21), access('01:10:06', 404, '/favicon.ico', 153), access('01:10:07', 200), ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/access.log': accessLog } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('proxy.upstream-errors');
    expect(a.outage).toBeNull();
  });

  it('on ngrok errors before the window', async () => {
    const a = await analyzeSpec({ files: { 'files/var/log/ngrok.log': [leg('00:30:05', 'aa'), leg('00:31:05', 'bb'), ''].join('\n') } });
    expect(findings(a)).toEqual([]);
  });

  it('on an application that logs the number 502 itself', async () => {
    const api = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 1877 };
    const a = await analyzeSpec({
      files: {
        'commands/journal.jsonl': jsonl([appEntry(api, 'INFO:     127.0.0.1:51234 - "GET /api/upstream-check HTTP/1.1" 502 Bad Gateway', at('01:10:05'))]),
        'files/var/log/nginx/access.log': access('01:10:05', 200) + '\n',
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('counts a cut access line as skipped', async () => {
    const accessLog = [access('01:10:05', 200), '203.0.113.7 - - [10/Dec/2025:01:10:06 +0300] "GET /api/sta', ''].join('\n');
    const a = await analyzeSpec({ files: { 'files/var/log/nginx/access.log': accessLog } });
    expect(a.sources.find((s) => s.path === 'files/var/log/nginx/access.log')).toMatchObject({ records: 1, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, without any nginx or ngrok log', async () => {
    const a = await analyzeSpec({ files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(a.skipped.find((s) => s.rule === 'proxy.upstream-errors')?.reason).toMatch(/no nginx or ngrok log/);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'the application answered (200s, a 500, a 404)',
      bundle: { files: { 'files/var/log/nginx/access.log': [access('01:09:59', 200), access('01:10:05', 500, '/api/status', 21), access('01:10:06', 404, '/favicon.ico', 153), ''].join('\n') } },
    },
  ],
  invalid: [
    {
      name: 'ngrok refused legs',
      bundle: { files: { 'files/var/log/ngrok.log': NGROK_LOG } },
      findings: [{ subject: 'ngrok', severity: 'warning', params: { upstreams: ['127.0.0.1:8000'], kinds: ['upstream-refused'], count: 3 } }],
    },
    {
      name: 'nginx 502/504 answers only (no upstream named)',
      bundle: { files: { 'files/var/log/nginx/access.log': [access('01:10:05', 502), access('01:10:40', 504, '/api/sessions', 167), ''].join('\n') } },
      findings: [{ subject: 'nginx', params: { upstreams: [], statuses: [502, 504], failedRequestsFrom: 'gateway-answers' } }],
    },
  ],
});
