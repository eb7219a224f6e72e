// The collection window (docs/cli.md): absolute, device-local and relative
// times, --around/--window, the default last hour, and one-line errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTimeArg, resolveWindow, systemdTimeArg, windowSpec } from '../../src/collect/window.js';
import { InputError } from '../../src/errors.js';
import { UsageError } from '../../src/usage.js';

const NOW = Date.parse('2025-12-10T01:15:00+03:00');
const istanbul = { timezone: 'Europe/Istanbul' };
const iso = (ms: number) => new Date(ms).toISOString();

describe('collection window', () => {
  it('defaults to the hour before now', () => {
    const w = resolveWindow(windowSpec({}), NOW, istanbul);
    expect(iso(w.sinceMs)).toBe('2025-12-09T21:15:00.000Z');
    expect(iso(w.untilMs)).toBe('2025-12-09T22:15:00.000Z');
  });

  it('reads relative times against the device clock: --since -15m', () => {
    const w = resolveWindow(windowSpec({ since: '-15m' }), NOW, istanbul);
    expect(w.untilMs - w.sinceMs).toBe(15 * 60_000);
    expect(w.untilMs).toBe(NOW);
    expect(resolveWindow(windowSpec({ since: '-1h30m', until: '-30m' }), NOW, istanbul).sinceMs).toBe(NOW - 90 * 60_000);
  });

  it('reads a time without offset as device local time, in the device zone (DST-aware)', () => {
    const w = resolveWindow(windowSpec({ since: '2025-12-10 01:00', until: '2025-12-10T01:15:00' }), NOW, istanbul);
    expect(iso(w.sinceMs)).toBe('2025-12-09T22:00:00.000Z');
    expect(iso(w.untilMs)).toBe('2025-12-09T22:15:00.000Z');
    // Berlin is +02:00 in July, +01:00 in December.
    const summer = resolveWindow(windowSpec({ since: '2025-07-01 12:00', until: '2025-07-01 13:00' }), NOW, { timezone: 'Europe/Berlin' });
    expect(iso(summer.sinceMs)).toBe('2025-07-01T10:00:00.000Z');
  });

  it('takes an explicit offset as given, whatever the device zone', () => {
    const w = resolveWindow(windowSpec({ since: '2025-12-10T01:00:00+03:00', until: '2025-12-09T22:15:00Z' }), NOW, { timezone: 'America/New_York' });
    expect(iso(w.sinceMs)).toBe('2025-12-09T22:00:00.000Z');
    expect(iso(w.untilMs)).toBe('2025-12-09T22:15:00.000Z');
  });

  it('--around T --window D is T-D to T+D; --window defaults to 30m', () => {
    const w = resolveWindow(windowSpec({ around: '2025-12-10 01:10', window: '5m' }), NOW, istanbul);
    expect(iso(w.sinceMs)).toBe('2025-12-09T22:05:00.000Z');
    expect(iso(w.untilMs)).toBe('2025-12-09T22:15:00.000Z');
    const d = resolveWindow(windowSpec({ around: '-1h' }), NOW, istanbul);
    expect(d.untilMs - d.sinceMs).toBe(60 * 60_000);
  });

  it('refuses typos, bad combinations and an empty window with one line naming the flag', () => {
    const bad = (f: Parameters<typeof windowSpec>[0], re: RegExp) => {
      expect(() => resolveWindow(windowSpec(f), NOW, istanbul)).toThrow(InputError);
      expect(() => resolveWindow(windowSpec(f), NOW, istanbul)).toThrow(re);
    };
    bad({ since: 'last week' }, /--since last week: not a valid time \(ISO 8601, .*today, yesterday, now or -30m\)/);
    expect(() => windowSpec({ window: '5m' })).toThrow(UsageError);
    bad({ since: '-15q' }, /--since -15q: not a relative time/);
    bad({ since: '2025-13-10 01:00' }, /--since 2025-13-10 01:00/);
    bad({ window: '5m' }, /--window needs --around/);
    bad({ around: '-1h', since: '-2h' }, /--around cannot be combined/);
    bad({ around: '-1h', window: 'long' }, /--window long: not a duration/);
    bad({ since: '-10m', until: '-20m' }, /the window is empty/);
  });

  it('reads a date alone as midnight of that day on the device, as journalctl does (not UTC)', () => {
    const w = resolveWindow(windowSpec({ since: '2025-12-10', until: '2030-01-01' }), NOW, istanbul);
    expect(iso(w.sinceMs)).toBe('2025-12-09T21:00:00.000Z');
    expect(iso(w.untilMs)).toBe('2029-12-31T21:00:00.000Z');
    expect(parseTimeArg('2030-01-01', '--since')).toEqual({ kind: 'local', text: '2030-01-01 00:00:00' });
    expect(() => parseTimeArg('2030-13-01', '--since')).toThrow(/--since 2030-13-01: not a valid time/);
  });

  it('reads today, yesterday and tomorrow as midnight of the device\'s day, in its zone; now is now', () => {
    // 01:15 in Istanbul is still the 9th in UTC: the device's zone decides which day "today" is.
    const ist = resolveWindow(windowSpec({ since: 'yesterday', until: 'today' }), NOW, istanbul);
    expect(iso(ist.sinceMs)).toBe('2025-12-08T21:00:00.000Z');
    expect(iso(ist.untilMs)).toBe('2025-12-09T21:00:00.000Z');
    const utc = resolveWindow(windowSpec({ since: 'today', until: 'now' }), NOW, { timezone: 'UTC' });
    expect(iso(utc.sinceMs)).toBe('2025-12-09T00:00:00.000Z');
    expect(utc.untilMs).toBe(NOW);
    expect(iso(resolveWindow(windowSpec({ since: 'today', until: 'Tomorrow' }), NOW, istanbul).untilMs)).toBe('2025-12-10T21:00:00.000Z');
    // Across a month and a DST change: Berlin's 2025-10-26 has 25 hours.
    const oct = resolveWindow(windowSpec({ since: 'yesterday', until: 'today' }), Date.parse('2025-10-27T00:30:00+01:00'), { timezone: 'Europe/Berlin' });
    expect(iso(oct.sinceMs)).toBe('2025-10-25T22:00:00.000Z');
    expect(iso(oct.untilMs)).toBe('2025-10-26T23:00:00.000Z');
    expect(parseTimeArg('yesterday', '--since')).toEqual({ kind: 'day', days: -1 });
  });

  it('over --ssh the device resolves today/yesterday with its own date and zone (the script\'s when())', () => {
    const body = readFileSync(join(__dirname, '../../src/collect/script/body.sh'), 'utf8');
    const when = /^when\(\) \{[\s\S]*?^\}$/m.exec(body)![0];
    const run = (tz: string, now: number, kind: string, value: string) => {
      const r = spawnSync('sh', ['-c', `${when}\nNOW=${now}\nwhen "$1" "$2" 0`, 'sh', kind, value], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
      expect(r.status, r.stderr).toBe(0);
      return Number(r.stdout.trim()) * 1000;
    };
    const now = NOW / 1000;
    expect(iso(run('Europe/Istanbul', now, 'day', '0'))).toBe('2025-12-09T21:00:00.000Z');
    expect(iso(run('Europe/Istanbul', now, 'day', '-1'))).toBe('2025-12-08T21:00:00.000Z');
    expect(iso(run('UTC', now, 'day', '0'))).toBe('2025-12-09T00:00:00.000Z');
    const oct = Date.parse('2025-10-27T00:30:00+01:00') / 1000;
    expect(iso(run('Europe/Berlin', oct, 'day', '-1'))).toBe('2025-10-25T22:00:00.000Z');
    expect(iso(run('Europe/Berlin', oct, 'day', '1'))).toBe('2025-10-27T23:00:00.000Z');
  });

  it('keeps a local time as text for the device to read (over --ssh)', () => {
    expect(parseTimeArg('2025-12-10T01:00', '--since')).toEqual({ kind: 'local', text: '2025-12-10 01:00:00' });
    expect(parseTimeArg('-2h', '--since')).toEqual({ kind: 'relative', deltaMs: -7_200_000 });
    expect(parseTimeArg('2025-12-10 01:00:00+0300', '--since')).toEqual({ kind: 'absolute', epochMs: Date.parse('2025-12-09T22:00:00Z') });
  });

  it('gives journalctl whole seconds, rounded outward', () => {
    expect(systemdTimeArg(1_765_317_600_500, 'since')).toBe('@1765317600');
    expect(systemdTimeArg(1_765_317_600_500, 'until')).toBe('@1765317601');
  });
});
