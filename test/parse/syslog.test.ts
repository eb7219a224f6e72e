import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSyslogLine, readSyslog } from '../../src/parse/syslog.js';
import type { LogRecord } from '../../src/parse/types.js';

const CLOCK = { timezone: 'Europe/Istanbul' };
const COLLECTED = Date.parse('2025-12-10T01:15:00+03:00');
const SRC = 'files/var/log/syslog';

function parse(text: string, ref = COLLECTED) {
  return parseSyslogLine(text, 7, SRC, CLOCK, ref);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'syslog-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSyslogLine, RFC 3164 (rsyslog traditional format)', () => {
  it('reads a systemd line with prog[pid] tag', () => {
    expect(parse('Dec 10 01:09:58 charger-01 systemd[1]: charger.service: Main process exited, code=killed, status=9/KILL')).toEqual({
      source: SRC,
      line: 7,
      epochMs: Date.parse('2025-12-10T01:09:58+03:00'),
      identifier: 'systemd',
      pid: 1,
      text: 'charger.service: Main process exited, code=killed, status=9/KILL',
    });
  });

  it('reads a space-padded day and a tag without pid', () => {
    const r = parse('Dec  1 08:00:01 charger-01 rsyslogd: [origin software="rsyslogd" swVersion="8.2102.0" x-pid="412" x-info="https://www.rsyslog.com"] rsyslogd was HUPed');
    expect(r).toMatchObject({
      epochMs: Date.parse('2025-12-01T08:00:01+03:00'),
      identifier: 'rsyslogd',
      text: '[origin software="rsyslogd" swVersion="8.2102.0" x-pid="412" x-info="https://www.rsyslog.com"] rsyslogd was HUPed',
    });
    expect('pid' in r).toBe(false);
  });

  it('strips the kernel [uptime] prefix into uptimeSeconds', () => {
    const r = parse('Dec 10 01:09:58 charger-01 kernel: [61798.432918] python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0');
    expect(r).toMatchObject({
      identifier: 'kernel',
      uptimeSeconds: 61798.432918,
      text: 'python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
    });
    const boot = parse('Dec 10 01:13:05 charger-01 kernel: [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]');
    expect(boot).toMatchObject({ uptimeSeconds: 0, text: 'Booting Linux on physical CPU 0x0000000000 [0x410fd083]' });
  });

  it('does not strip a bracket prefix from non-kernel programs', () => {
    const r = parse('Dec 10 01:10:00 charger-01 ocpp[812]: [12.5] retry');
    expect(r).toMatchObject({ identifier: 'ocpp', pid: 812, text: '[12.5] retry' });
    expect('uptimeSeconds' in r).toBe(false);
  });

  it('puts a December stamp read in January into the previous year', () => {
    const r = parse('Dec 31 23:59:00 charger-01 CRON[1234]: (root) CMD (/usr/local/bin/healthcheck.sh)', Date.parse('2026-01-02T09:00:00+03:00'));
    expect(r).toMatchObject({ epochMs: Date.parse('2025-12-31T23:59:00+03:00'), identifier: 'CRON', pid: 1234 });
  });

  it('reads busybox syslogd lines with facility.level', () => {
    expect(parse('Dec 10 01:10:00 charger-01 daemon.err ocpp[812]: connection lost')).toMatchObject({
      priority: 3,
      identifier: 'ocpp',
      pid: 812,
      text: 'connection lost',
    });
  });

  it('keeps a line without a tag as text without identifier', () => {
    const r = parse('Dec 10 01:10:00 charger-01 -- MARK --');
    expect(r).toMatchObject({ text: '-- MARK --' });
    expect('identifier' in r).toBe(false);
  });

  it('rejects impossible dates', () => {
    expect(parse('Dec 32 01:10:00 charger-01 systemd[1]: Reloading.')).toEqual({ problem: 'invalid date in timestamp' });
    expect(parse('Foo 10 01:10:00 charger-01 systemd[1]: Reloading.')).toEqual({ problem: 'invalid date in timestamp' });
  });
});

describe('parseSyslogLine, rsyslog high-precision ISO 8601', () => {
  it('reads the stamp with fraction and offset', () => {
    const r = parse(
      '2025-12-10T01:09:58.433187+03:00 charger-01 kernel: [61798.433012] Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0',
    );
    expect(r).toMatchObject({
      epochMs: Date.parse('2025-12-10T01:09:58.433+03:00'),
      identifier: 'kernel',
      uptimeSeconds: 61798.433012,
    });
    expect((r as LogRecord).text.startsWith('Out of memory: Killed process 812 (python3)')).toBe(true);
  });

  it('reads a systemd 252 line', () => {
    expect(parse('2025-12-10T01:10:03.850211+03:00 charger-01 systemd[1]: Started charger.service - Charger OCPP client.')).toMatchObject({
      epochMs: Date.parse('2025-12-10T01:10:03.850+03:00'),
      identifier: 'systemd',
      pid: 1,
      text: 'Started charger.service - Charger OCPP client.',
    });
  });

  it('reads a UTC stamp', () => {
    expect(parse('2025-12-09T22:10:00Z charger-01 nginx: ok')).toMatchObject({ epochMs: Date.parse('2025-12-09T22:10:00Z') });
  });
});

describe('readSyslog', () => {
  it('streams a file, counting lines without a stamp as skipped', async () => {
    const p = join(dir, 'syslog');
    writeFileSync(
      p,
      [
        'Dec 10 01:09:58 charger-01 kernel: [61798.432918] python3 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
        'Dec 10 01:10:03 charger-01 systemd[1]: charger.service: Scheduled restart job, restart counter is at 3.',
        'Traceback (most recent call last):',
        '  File "/home/basar/ocpp/main.py", line 12, in <module>',
        '',
        'Dec 10 01:10:04 charger-01 python3[1290]: Connecting to wss://csms.example.com/ocpp/CP01',
        'Dec 10 01:10:0', // cut mid-stamp by the copy cap
      ].join('\n'),
    );
    const got: LogRecord[] = [];
    const res = await readSyslog(p, SRC, CLOCK, COLLECTED, (r) => got.push(r));
    expect(res.records).toBe(3);
    expect(got.map((r) => r.line)).toEqual([1, 2, 6]);
    expect(res.skipped).toBe(3);
    expect(res.problems).toEqual([
      { line: 3, reason: 'no syslog timestamp' },
      { line: 4, reason: 'no syslog timestamp' },
      { line: 7, reason: 'no syslog timestamp' },
    ]);
  });
});
