import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseListUnitFiles } from '../../src/parse/systemctl-list-unit-files.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseListUnitFiles', () => {
  it('systemd 252: STATE and VENDOR PRESET, "-" preset is null', () => {
    const r = parseListUnitFiles(fixture('systemctl-list-unit-files-252.txt'), 'commands/systemctl-list-unit-files.txt');
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(15);
    expect(r.records.find((u) => u.unit === 'charger.service')).toEqual({
      source: 'commands/systemctl-list-unit-files.txt', line: 5, unit: 'charger.service', state: 'enabled', preset: 'enabled',
    });
    expect(r.records.find((u) => u.unit === 'charger-api.service')).toMatchObject({ state: 'disabled', preset: 'enabled' });
    expect(r.records.find((u) => u.unit === 'rpi-display-backlight.service')!.state).toBe('masked');
    expect(r.records.find((u) => u.unit === '-.mount')).toMatchObject({ state: 'generated', preset: null });
    expect(r.records.find((u) => u.unit === 'getty@.service')!.state).toBe('enabled');
  });

  it('systemd 247: no preset column', () => {
    const r = parseListUnitFiles(fixture('systemctl-list-unit-files-247.txt'), 'x');
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(6);
    expect(r.records.every((u) => u.preset === null)).toBe(true);
    expect(r.records[3]).toMatchObject({ unit: 'charger.service', state: 'enabled', line: 5 });
  });

  it('counts unreadable rows', () => {
    const text = [
      'UNIT FILE                              STATE           VENDOR PRESET',
      'charger.service                        enabled         enabled',
      'charger-api.service',
      'System has not been booted with systemd as init system (PID 1). Can\'t operate.',
      'ngrok.service                          enabled         enabled',
      '',
      '3 unit files listed.',
    ].join('\n');
    const r = parseListUnitFiles(text, 'x');
    expect(r.records.map((u) => u.unit)).toEqual(['charger.service', 'ngrok.service']);
    expect(r.skipped).toBe(2);
    expect(r.problems.map((p) => p.line)).toEqual([3, 4]);
  });
});
