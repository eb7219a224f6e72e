import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseCron } from '../../src/parse/cron.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseCron: /etc/crontab and /etc/cron.d (user field)', () => {
  it('reads Debian 12\'s /etc/crontab: tabs, env lines and the comment block', () => {
    const r = parseCron(fixture('etc-crontab-debian12.txt'), 'files/etc/crontab', { hasUserField: true });
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(4);
    expect(r.records[0]).toEqual({
      source: 'files/etc/crontab', line: 18, schedule: '17 * * * *', user: 'root',
      command: 'cd / && run-parts --report /etc/cron.hourly',
    });
    expect(r.records[2]!.schedule).toBe('47 6 * * 7');
    expect(r.records[2]!.command).toBe('test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }');
  });

  it('reads /etc/cron.d/e2scrub_all (commands with VAR=value inside)', () => {
    const r = parseCron(fixture('cron.d-e2scrub_all.txt'), 'files/etc/cron.d/e2scrub_all', { hasUserField: true });
    expect(r.records.map((e) => [e.schedule, e.user, e.line])).toEqual([
      ['30 3 * * 0', 'root', 1],
      ['10 3 * * *', 'root', 2],
    ]);
    expect(r.records[1]!.command).toBe('test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r');
  });

  it('reads @nicknames with a user', () => {
    const r = parseCron('@reboot   basar  /home/basar/charger/start.sh\n@hourly root /usr/local/bin/check\n', 'x', { hasUserField: true });
    expect(r.records.map((e) => [e.schedule, e.user, e.command])).toEqual([
      ['@reboot', 'basar', '/home/basar/charger/start.sh'],
      ['@hourly', 'root', '/usr/local/bin/check'],
    ]);
  });
});

describe('parseCron: crontab -l -u USER (no user field)', () => {
  it('reads a user crontab as `crontab -l` prints it', () => {
    const r = parseCron(fixture('crontab-basar.txt'), 'commands/crontab-basar.txt', { hasUserField: false, user: 'basar' });
    expect(r.skipped).toBe(0);
    expect(r.records.map((e) => [e.schedule, e.user, e.line])).toEqual([
      ['*/5 * * * *', 'basar', 4],
      ['@reboot', 'basar', 5],
      ['0 3 * * 1-5', 'basar', 6],
    ]);
    expect(r.records[0]!.command).toBe('curl -fsS --max-time 5 http://127.0.0.1:8000/health || systemctl --user restart charger-api');
    expect(r.records[1]!.command).toContain('nohup /home/basar/env/bin/uvicorn api.main:app');
  });

  it('"no crontab for basar" means no entries, not a problem', () => {
    expect(parseCron('no crontab for basar\n', 'x', { hasUserField: false, user: 'basar' })).toEqual({ records: [], skipped: 0, problems: [] });
  });

  it('user is null when the caller does not know it', () => {
    expect(parseCron('0 * * * * /bin/true\n', 'x', { hasUserField: false }).records[0]!.user).toBeNull();
  });
});

describe('parseCron: damaged input', () => {
  it('counts bad schedules, truncated lines and missing commands', () => {
    const text = [
      'SHELL=/bin/sh',
      '*/5 * * * * root /usr/local/bin/probe',
      '*/5 * * *',
      '61x * * * * root /bin/true',
      '@fortnightly root /bin/true',
      '0 4 * * * root',
      '0 5 * * * root /bin/ok',
    ].join('\n');
    const r = parseCron(text, 'x', { hasUserField: true });
    expect(r.records.map((e) => e.line)).toEqual([2, 7]);
    expect(r.skipped).toBe(4);
    expect(r.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
  });
});
