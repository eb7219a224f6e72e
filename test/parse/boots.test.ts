import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBoots } from '../../src/parse/boots.js';
import { parseSystemdTimestamp } from '../../src/time.js';

const FIX = join(import.meta.dirname, 'fixtures');
const SRC = 'commands/journal-boots.txt';
const BOOT_A = '0b1c7f5e3c7c4b0c9b6e3a1d2f4e5a6b';
const BOOT_B = '5f2e8a1c9d7b4e3fa6c1b2d3e4f50617';

describe('parseBoots, systemd 252', () => {
  it('reads the table with a numeric zone (Europe/Istanbul prints "+03")', () => {
    // The clock is deliberately wrong: a numeric zone must not need it.
    const res = parseBoots(readFileSync(join(FIX, 'boots-252.txt'), 'utf8'), SRC, { timezone: 'America/New_York' });
    expect(res.skipped).toBe(0);
    expect(res.records).toEqual([
      {
        source: SRC,
        line: 2,
        index: -1,
        bootId: BOOT_A,
        firstEpochMs: Date.parse('2025-12-09T08:00:09+03:00'),
        lastEpochMs: Date.parse('2025-12-10T01:12:11+03:00'),
        firstText: 'Tue 2025-12-09 08:00:09 +03',
        lastText: 'Wed 2025-12-10 01:12:11 +03',
      },
      {
        source: SRC,
        line: 3,
        index: 0,
        bootId: BOOT_B,
        firstEpochMs: Date.parse('2025-12-10T01:13:07+03:00'),
        lastEpochMs: Date.parse('2025-12-10T01:13:07+03:00'),
        firstText: 'Wed 2025-12-10 01:13:07 +03',
        lastText: 'Wed 2025-12-10 01:13:07 +03',
      },
    ]);
  });

  it('resolves a named zone abbreviation through the device clock', () => {
    const text = readFileSync(join(FIX, 'boots-252-eet.txt'), 'utf8');
    const res = parseBoots(text, SRC, { timezone: 'Europe/Helsinki' });
    expect(res.records[0]!.firstText).toBe('Tue 2025-12-09 07:00:09 EET');
    expect(res.records[0]!.firstEpochMs).toBe(Date.parse('2025-12-09T08:00:09+03:00'));
    expect(res.records[1]!.lastEpochMs).toBe(Date.parse('2025-12-10T01:13:07+03:00'));
  });
});

describe('parseBoots, systemd 247', () => {
  it('reads rows without header, first and last joined by an em dash', () => {
    const text = [
      `-2 3c4d5e6f708192a3b4c5d6e7f8091a2b Mon 2025-12-08 07:59:58 +03—Tue 2025-12-09 07:58:00 +03`,
      `-1 ${BOOT_A} Tue 2025-12-09 08:00:09 +03—Wed 2025-12-10 01:12:11 +03`,
      ` 0 ${BOOT_B} Tue 2025-12-09 22:13:07 UTC—Tue 2025-12-09 22:13:07 UTC`,
    ].join('\n');
    const res = parseBoots(text, SRC, { timezone: 'Europe/Istanbul' });
    expect(res.skipped).toBe(0);
    expect(res.records.map((r) => [r.line, r.index, r.bootId.slice(0, 4)])).toEqual([
      [1, -2, '3c4d'],
      [2, -1, '0b1c'],
      [3, 0, '5f2e'],
    ]);
    expect(res.records[1]!.lastEpochMs).toBe(Date.parse('2025-12-10T01:12:11+03:00'));
    expect(res.records[2]!.firstEpochMs).toBe(Date.parse('2025-12-09T22:13:07Z'));
  });
});

describe('parseBoots, bad input', () => {
  it('counts unreadable rows', () => {
    const text = [
      'IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY',
      ` -1 ${BOOT_A} Tue 2025-12-09 08:00:09 +03 Wed 2025-12-10 01:12:11 +03`,
      ` -1 ${BOOT_A.slice(0, 20)} Tue 2025-12-09 08:00:09 +03`,
      `  0 ${BOOT_B} Wed 2025-12-10 01:13:07 +03 Wed 2025-12`,
      'No journal files were found.',
    ].join('\n');
    const res = parseBoots(text, SRC, {});
    expect(res.records).toHaveLength(1);
    expect(res.skipped).toBe(3);
    expect(res.problems).toEqual([
      { line: 3, reason: 'not a boot list row' },
      { line: 4, reason: 'unreadable first/last entry times' },
      { line: 5, reason: 'not a boot list row' },
    ]);
  });
});

describe('parseSystemdTimestamp', () => {
  it('handles numeric zones, UTC, and names through the clock', () => {
    expect(parseSystemdTimestamp('Wed 2025-12-10 01:11:21 +03', {})).toBe(Date.parse('2025-12-09T22:11:21Z'));
    expect(parseSystemdTimestamp('Wed 2025-12-10 01:11:21 +0530', {})).toBe(Date.parse('2025-12-10T01:11:21+05:30'));
    expect(parseSystemdTimestamp('Tue 2025-12-09 19:11:21 -03', {})).toBe(Date.parse('2025-12-09T22:11:21Z'));
    expect(parseSystemdTimestamp('Tue 2025-12-09 22:11:21 UTC', { timezone: 'Europe/Istanbul' })).toBe(Date.parse('2025-12-09T22:11:21Z'));
    expect(parseSystemdTimestamp('Wed 2025-07-09 01:11:21 EEST', { timezone: 'Europe/Helsinki' })).toBe(Date.parse('2025-07-09T01:11:21+03:00'));
    expect(parseSystemdTimestamp('Wed 2025-12-10 01:11:21 CET', { utcOffset: '+01:00' })).toBe(Date.parse('2025-12-10T01:11:21+01:00'));
    expect(parseSystemdTimestamp('2025-12-10 01:11', {})).toBeNull();
    expect(parseSystemdTimestamp('Wed 2025-12-40 01:11:21 +03', {})).toBeNull();
  });
});
