import { describe, it, expect } from 'vitest';
import { formatDeviceTime, parseTimestamp, parseDuration, syslogStampToEpoch, deviceOffsetAt, zoneOffsetMinutes } from '../src/time.js';

describe('device time', () => {
  const berlin = { timezone: 'Europe/Berlin' };
  const istanbul = { timezone: 'Europe/Istanbul', utcOffset: '+03:00' };

  it('formats with the offset in force at the instant, across a DST change', () => {
    expect(formatDeviceTime(Date.UTC(2025, 2, 30, 0, 59, 59), berlin)).toBe('2025-03-30T01:59:59+01:00');
    expect(formatDeviceTime(Date.UTC(2025, 2, 30, 1, 0, 0), berlin)).toBe('2025-03-30T03:00:00+02:00');
    expect(formatDeviceTime(Date.UTC(2025, 9, 26, 0, 59, 59), berlin)).toBe('2025-10-26T02:59:59+02:00');
    expect(formatDeviceTime(Date.UTC(2025, 9, 26, 1, 0, 0), berlin)).toBe('2025-10-26T02:00:00+01:00');
    expect(formatDeviceTime(Date.UTC(2025, 11, 9, 22, 10, 0), istanbul)).toBe('2025-12-10T01:10:00+03:00');
  });

  it("a zone's offset at an instant: half and three-quarter hours, half-hour DST, the southern summer, zone history", () => {
    const at = (iso: string) => Date.parse(iso);
    const cases: [string, string, number][] = [
      ['America/New_York', '2025-03-09T06:59:59Z', -300],
      ['America/New_York', '2025-03-09T07:00:00Z', -240],
      ['America/St_Johns', '2025-01-15T12:00:00Z', -210],
      ['America/St_Johns', '2025-07-15T12:00:00Z', -150],
      ['Asia/Kathmandu', '2025-06-01T00:00:00Z', 345],
      ['Australia/Lord_Howe', '2025-01-15T00:00:00Z', 660],
      ['Australia/Lord_Howe', '2025-07-15T00:00:00Z', 630],
      ['Pacific/Chatham', '2025-01-15T00:00:00Z', 825],
      ['Pacific/Chatham', '2025-07-15T00:00:00Z', 765],
      ['America/Sao_Paulo', '2018-01-15T12:00:00Z', -120],
      ['America/Sao_Paulo', '2025-01-15T12:00:00Z', -180],
      // Turkey kept summer time (+03) from 2016 on; before, its winter was +02.
      ['Europe/Istanbul', '2015-12-01T00:00:00Z', 120],
      ['Europe/Istanbul', '2025-12-01T00:00:00Z', 180],
      ['UTC', '2025-06-01T00:00:00Z', 0],
    ];
    for (const [zone, iso, minutes] of cases) expect([zone, iso, zoneOffsetMinutes(at(iso), zone)]).toEqual([zone, iso, minutes]);
    // A millisecond before a change belongs to the old offset.
    expect(zoneOffsetMinutes(at('2025-03-09T06:59:59.999Z'), 'America/New_York')).toBe(-300);
    expect(() => zoneOffsetMinutes(0, 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
    // An unknown zone falls back to the clock's fixed offset.
    expect(deviceOffsetAt(0, { timezone: 'Mars/Olympus_Mons', utcOffset: '+05:30' })).toBe(330);
  });

  it('stays right when many lookups fall in one quarter hour and the next', () => {
    const base = Date.UTC(2025, 2, 30, 0, 50);
    const offsets = Array.from({ length: 1200 }, (_, i) => deviceOffsetAt(base + i * 1000, berlin));
    expect(offsets.slice(0, 600).every((o) => o === 60)).toBe(true);
    expect(offsets.slice(600).every((o) => o === 120)).toBe(true);
  });

  it('reads times without an offset as device local time, with an offset as given', () => {
    expect(parseTimestamp('2025-12-10 01:10:00', istanbul)).toBe(Date.UTC(2025, 11, 9, 22, 10));
    expect(parseTimestamp('2025-12-10T01:10:00+03:00', berlin)).toBe(Date.UTC(2025, 11, 9, 22, 10));
    expect(parseTimestamp('2025-12-10T01:10:00.5Z', berlin)).toBe(Date.UTC(2025, 11, 10, 1, 10, 0, 500));
    expect(parseTimestamp('2025-13-10 01:10', berlin)).toBeNull();
    expect(parseTimestamp('yesterday', berlin)).toBeNull();
  });

  it('falls back to the fixed offset when the zone is unknown', () => {
    expect(formatDeviceTime(Date.UTC(2025, 11, 9, 22, 10), { timezone: 'Mars/Olympus', utcOffset: '+03:00' })).toBe('2025-12-10T01:10:00+03:00');
  });

  it('gives RFC 3164 stamps the year that puts them before the collection', () => {
    const jan = Date.UTC(2026, 0, 2, 10);
    expect(new Date(syslogStampToEpoch(12, 31, [23, 0, 0], { utcOffset: '+00:00' }, jan)).getUTCFullYear()).toBe(2025);
    expect(new Date(syslogStampToEpoch(1, 2, [9, 0, 0], { utcOffset: '+00:00' }, jan)).getUTCFullYear()).toBe(2026);
  });

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5 parsecs')).toBeNull();
  });
});
