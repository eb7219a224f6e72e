import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseListUnits } from '../../src/parse/systemctl-list-units.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseListUnits: systemctl list-units --all --no-pager --plain --full (252)', () => {
  const r = parseListUnits(fixture('systemctl-list-units-252.txt'), 'commands/systemctl-list-units.txt');

  it('reads every row and ignores the legend and the summary', () => {
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(16);
    expect(r.records.at(-1)!.unit).toBe('apt-daily.timer');
  });

  it('keeps descriptions with spaces and the row line', () => {
    const charger = r.records.find((u) => u.unit === 'charger.service')!;
    expect(charger).toEqual({
      source: 'commands/systemctl-list-units.txt', line: 5, unit: 'charger.service',
      load: 'loaded', active: 'failed', sub: 'failed', description: 'Charger OCPP client',
    });
    expect(r.records.find((u) => u.unit === 'proc-sys-fs-binfmt_misc.automount')!.description)
      .toBe('Arbitrary Executable File Formats File System Automount Point');
    expect(r.records.find((u) => u.unit === '-.mount')!.sub).toBe('mounted');
  });

  it('reads not-found rows', () => {
    expect(r.records.find((u) => u.unit === 'nginx.service')).toMatchObject({ load: 'not-found', active: 'inactive', sub: 'dead' });
  });
});

describe('parseListUnits: non-plain form with a JOB column', () => {
  const r = parseListUnits(fixture('systemctl-list-units-job-bullets.txt'), 'x');

  it('strips the ● bullet and reads the JOB column by position', () => {
    expect(r.skipped).toBe(0);
    expect(r.records.map((u) => u.unit)).toEqual(['charger.service', 'cron.service', 'nginx.service', 'ngrok.service']);
    expect(r.records[0]).toMatchObject({ active: 'activating', sub: 'auto-restart', job: 'start', description: 'Charger OCPP client' });
    expect(r.records[1]!.description).toBe('Regular background program processing daemon');
    expect(r.records[1]!.job).toBeUndefined();
    expect(r.records[2]).toMatchObject({ unit: 'nginx.service', load: 'not-found', description: 'nginx.service' });
  });
});

describe('parseListUnits: LC_ALL=C bullet', () => {
  it('strips the "*" systemctl prints instead of ● without a UTF-8 locale', () => {
    const text = fixture('systemctl-list-units-job-bullets.txt').replace('● nginx.service', '* nginx.service');
    const r = parseListUnits(text, 'x');
    expect(r.skipped).toBe(0);
    expect(r.records[2]).toMatchObject({ unit: 'nginx.service', load: 'not-found', line: 4 });
  });
});

describe('parseListUnits: damaged input', () => {
  it('counts rows that are not units, keeps the rest', () => {
    const lines = fixture('systemctl-list-units-252.txt').split('\n');
    const text = [...lines.slice(0, 4), 'charger.service loaded', 'Failed to connect to bus: No such file or directory', ...lines.slice(6)].join('\n');
    const r = parseListUnits(text, 'x');
    expect(r.skipped).toBe(2);
    expect(r.problems.map((p) => p.line)).toEqual([5, 6]);
    expect(r.records).toHaveLength(14);
  });

  it('reads a header-less paste by words', () => {
    const r = parseListUnits('charger.service loaded failed failed Charger OCPP client\n', 'x');
    expect(r.records[0]).toMatchObject({ unit: 'charger.service', sub: 'failed', description: 'Charger OCPP client', line: 1 });
  });
});
