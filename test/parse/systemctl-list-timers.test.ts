import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseListTimers } from '../../src/parse/systemctl-list-timers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseListTimers', () => {
  it('systemd 252 --all: timestamps and spans with spaces, "-" when unset', () => {
    const r = parseListTimers(fixture('systemctl-list-timers-252.txt'), 'commands/systemctl-list-timers.txt');
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(5);
    expect(r.records[0]).toEqual({
      source: 'commands/systemctl-list-timers.txt', line: 2,
      unit: 'health-check.timer', activates: 'health-check.service',
      next: 'Wed 2025-12-10 01:15:00 +03', left: '2min 10s left',
      last: 'Wed 2025-12-10 01:14:30 +03', passed: '20s ago',
    });
    expect(r.records[2]).toMatchObject({ unit: 'apt-daily.timer', left: '18h left', passed: '4h 16min ago' });
    expect(r.records[3]).toMatchObject({ unit: 'fstrim.timer', left: '4 days left', passed: '1 day 1h ago' });
    expect(r.records[4]).toMatchObject({ unit: 'charger-report.timer', activates: 'charger-report.service', next: null, last: null });
  });

  it('systemd 247: "n/a", zone abbreviations, the "Pass --all" footer', () => {
    const r = parseListTimers(fixture('systemctl-list-timers-247.txt'), 'x');
    expect(r.skipped).toBe(0);
    expect(r.records).toEqual([
      expect.objectContaining({ unit: 'health-check.timer', next: 'Wed 2025-12-10 01:15:00 EET', last: null, line: 2 }),
      expect.objectContaining({ unit: 'charger-report.timer', next: null, last: 'Tue 2025-12-09 06:12:01 EET', passed: '19h ago', line: 3 }),
    ]);
  });

  it('reads rows with collapsed whitespace (pasted by hand)', () => {
    const r = parseListTimers('Wed 2025-12-10 01:15:00 +03 2min 10s left Wed 2025-12-10 01:14:30 +03 20s ago health-check.timer health-check.service', 'x');
    expect(r.records[0]).toMatchObject({ unit: 'health-check.timer', activates: 'health-check.service', next: 'Wed 2025-12-10 01:15:00 +03' });
  });

  it('systemd 252 --all: a masked timer, all "-" and an empty ACTIVATES column (real output)', () => {
    // The lab masks systemd-tmpfiles-clean.timer; this is its list-timers, byte for byte.
    const text = readFileSync(new URL('../fixtures/lab/seed-incident/systemctl-list-timers.txt', import.meta.url), 'utf8');
    const r = parseListTimers(text, 'commands/systemctl-list-timers.txt');
    expect(r.skipped).toBe(0);
    expect(r.records).toEqual([
      { source: 'commands/systemctl-list-timers.txt', line: 2, unit: 'systemd-tmpfiles-clean.timer', activates: '', next: null, left: null, last: null, passed: null },
    ]);
  });

  it('counts truncated rows', () => {
    const lines = fixture('systemctl-list-timers-252.txt').split('\n');
    const text = [lines[0], lines[1], lines[2]!.slice(0, 60), lines[3]].join('\n');
    const r = parseListTimers(text, 'x');
    expect(r.records.map((t) => t.unit)).toEqual(['health-check.timer', 'apt-daily.timer']);
    expect(r.skipped).toBe(1);
    expect(r.problems[0]!.line).toBe(3);
  });
});
