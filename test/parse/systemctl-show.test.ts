import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseSystemctlShow, execCommandLines } from '../../src/parse/systemctl-show.js';
import { parseSystemdTimestamp as systemdTimestampToEpoch } from '../../src/time.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseSystemctlShow (systemd 252)', () => {
  const r = parseSystemctlShow(fixture('systemctl-show-252.txt'), 'commands/systemctl-show.txt');
  const by = new Map(r.records.map((u) => [u.unit, u]));

  it('one record per block, named by Id= wherever it appears', () => {
    expect(r.skipped).toBe(0);
    expect(r.records.map((u) => u.unit)).toEqual(['charger.service', 'health-check.service', 'health-check.timer', 'nginx.service']);
    expect(by.get('charger.service')!.line).toBe(1);
    expect(by.get('health-check.timer')!.line).toBe(103);
  });

  it('keeps values with "=" and spaces whole, and each key\'s line', () => {
    const c = by.get('charger.service')!;
    expect(c.props.Restart).toBe('no');
    expect(c.lines.Restart).toBe(3);
    expect(c.props.TimeoutStartUSec).toBe('1min 30s');
    expect(c.props.ActiveEnterTimestamp).toBe('Wed 2025-12-10 00:41:17 +03');
    expect(c.props.DropInPaths).toBe('/etc/systemd/system/charger.service.d/10-env.conf');
    expect(c.lines.Id).toBe(45);
    expect(execCommandLines(c.props.ExecStart!)).toEqual(['/home/basar/env/bin/python /home/basar/charger/ocpp/main.py --url=ws://ocpp.example.net/ws']);
    expect(execCommandLines(c.props.ExecStartEx!)).toHaveLength(1);
    expect(by.get('nginx.service')!.props.UnitFileState).toBe('');
    expect(by.get('health-check.timer')!.props.Unit).toBe('health-check.service');
  });

  it('joins repeated Exec keys so every command is found', () => {
    const h = by.get('health-check.service')!;
    expect(execCommandLines(h.props.ExecStart!)).toEqual([
      '/usr/bin/curl -fsS --max-time 5 http://127.0.0.1:8000/health',
      '/bin/systemctl is-active --quiet charger.service',
    ]);
    expect(h.all!.ExecStart).toHaveLength(2);
    expect(h.lines.ExecStart).toBe(89);
    expect(execCommandLines(h.props.ExecStartPre!)).toEqual(['/usr/bin/test -x /usr/bin/curl']);
  });
});

describe('parseSystemctlShow: damaged input', () => {
  it('skips and counts a block without Id= and lines without =', () => {
    const text = ['Restart=always', 'NRestarts=3', '', 'Id=charger.service', 'garbage', 'Restart=no', '', 'Type=simple'].join('\n');
    const r = parseSystemctlShow(text, 'x');
    expect(r.records.map((u) => u.unit)).toEqual(['charger.service']);
    expect(r.records[0]!.props.Restart).toBe('no');
    expect(r.skipped).toBe(3);
    expect(r.problems.map((p) => p.line)).toEqual([1, 5, 8]);
  });
});

describe('execCommandLines and systemdTimestampToEpoch', () => {
  it('reads a truncated group', () => {
    expect(execCommandLines('{ path=/usr/bin/x ; argv[]=/usr/bin/x --a ; ignore_er')).toEqual(['/usr/bin/x --a']);
    expect(execCommandLines('')).toEqual([]);
  });

  it('reads +03, UTC and zone abbreviations, rejects n/a', () => {
    const clock = { timezone: 'Europe/Istanbul' };
    expect(new Date(systemdTimestampToEpoch('Wed 2025-12-10 01:12:05 +03', clock)!).toISOString()).toBe('2025-12-09T22:12:05.000Z');
    expect(new Date(systemdTimestampToEpoch('Wed 2025-12-10 01:12:05 UTC', clock)!).toISOString()).toBe('2025-12-10T01:12:05.000Z');
    expect(new Date(systemdTimestampToEpoch('Wed 2025-12-10 01:12:05 EET', { timezone: 'Europe/Helsinki' })!).toISOString()).toBe('2025-12-09T23:12:05.000Z');
    expect(systemdTimestampToEpoch('n/a', clock)).toBeNull();
  });
});
