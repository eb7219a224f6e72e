import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifySystemd, type SystemdEvent } from '../../src/classify/systemd-events.js';
import { parseJournalLine } from '../../src/parse/journal.js';
import { parseSyslogLine } from '../../src/parse/syslog.js';
import { splitLines } from '../../src/parse/lines.js';
import type { LogRecord } from '../../src/parse/types.js';

const FIX = join(import.meta.dirname, '..', 'parse', 'fixtures');

function journal(name: string): LogRecord[] {
  return splitLines(readFileSync(join(FIX, name), 'utf8')).map(({ line, text }) => {
    const r = parseJournalLine(text, line, 'commands/journal.jsonl');
    if ('problem' in r) throw new Error(`fixture line ${line}: ${r.problem}`);
    return r;
  });
}

function events(records: LogRecord[]): [number, SystemdEvent][] {
  return records.flatMap((r) => {
    const ev = classifySystemd(r);
    return ev ? [[r.line, ev] as [number, SystemdEvent]] : [];
  });
}

const SYSLOG_CLOCK = { timezone: 'Europe/Istanbul' };
const COLLECTED = Date.parse('2025-12-10T01:15:00+03:00');
function syslog(text: string): SystemdEvent | null {
  const r = parseSyslogLine(text, 1, 'files/var/log/syslog', SYSLOG_CLOCK, COLLECTED);
  if ('problem' in r) throw new Error(r.problem);
  return classifySystemd(r);
}

describe('classifySystemd on a systemd 252 journal', () => {
  it('finds every lifecycle event, from the structured fields, and nothing else', () => {
    expect(events(journal('journal-252.jsonl'))).toEqual([
      [6, { kind: 'oom-kill', unit: 'charger.service' }],
      [7, { kind: 'main-exited', unit: 'charger.service', exitCode: 'killed', exitStatus: '9/KILL' }],
      [8, { kind: 'failed', unit: 'charger.service', result: 'oom-kill' }],
      [10, { kind: 'restart-scheduled', unit: 'charger.service', nRestarts: 3 }],
      [11, { kind: 'stopped', unit: 'charger.service' }],
      [12, { kind: 'starting', unit: 'charger.service' }],
      [13, { kind: 'started', unit: 'charger.service' }],
      [18, { kind: 'main-exited', unit: 'charger.service', exitCode: 'dumped', exitStatus: '11/SEGV' }],
      [19, { kind: 'failed', unit: 'charger.service', result: 'core-dump' }],
      [20, { kind: 'restart-scheduled', unit: 'charger.service', nRestarts: 5 }],
      [21, { kind: 'start-limit-hit', unit: 'charger.service' }],
      [22, { kind: 'failed', unit: 'charger.service', result: 'start-limit-hit' }],
      [23, { kind: 'failed-to-start', unit: 'charger.service', result: 'failed' }],
      [24, { kind: 'watchdog', unit: 'charger-api.service' }],
      [26, { kind: 'failed', unit: 'charger-api.service', result: 'watchdog' }],
      [27, { kind: 'started', unit: 'ngrok.service' }],
      [29, { kind: 'started', unit: 'session-3.scope' }],
      [30, { kind: 'reloading', unit: 'init.scope' }],
      [31, { kind: 'reloading', unit: 'nginx.service' }],
      [32, { kind: 'reloaded', unit: 'nginx.service' }],
      [33, { kind: 'stopping', unit: 'charger-api.service' }],
      [34, { kind: 'deactivated', unit: 'charger-api.service' }],
      [35, { kind: 'stopped', unit: 'charger-api.service' }],
      [36, { kind: 'main-exited', unit: 'charger-api.service', exitCode: 'exited', exitStatus: '1/FAILURE' }],
    ]);
  });
});

describe('classifySystemd on a systemd 247 journal', () => {
  it('names the unit from UNIT= where the text has only the Description', () => {
    expect(events(journal('journal-247.jsonl'))).toEqual([
      [3, { kind: 'main-exited', unit: 'charger.service', exitCode: 'killed', exitStatus: '9/KILL' }],
      [4, { kind: 'failed', unit: 'charger.service', result: 'signal' }],
      [5, { kind: 'restart-scheduled', unit: 'charger.service', nRestarts: 1 }],
      [6, { kind: 'stopped', unit: 'charger.service' }],
      [7, { kind: 'starting', unit: 'charger.service' }],
      [8, { kind: 'started', unit: 'charger.service' }],
      [9, { kind: 'deactivated', unit: 'charger.service' }],
      [10, { kind: 'failed-to-start', unit: 'charger.service', result: 'failed' }],
      [11, { kind: 'started', unit: 'session-3.scope' }],
      // line 12, "Condition check resulted in … being skipped.", carries the start-done MESSAGE_ID but is no start
    ]);
  });
});

describe('classifySystemd on syslog lines (systemd[1]: …)', () => {
  const S = 'Dec 10 01:10:00 charger-01 systemd[1]: ';
  it('reads the unit-prefixed forms', () => {
    expect(syslog(`${S}charger.service: Main process exited, code=exited, status=1/FAILURE`)).toEqual({
      kind: 'main-exited', unit: 'charger.service', exitCode: 'exited', exitStatus: '1/FAILURE',
    });
    expect(syslog(`${S}charger.service: Main process exited, code=dumped, status=11/SEGV`)).toEqual({
      kind: 'main-exited', unit: 'charger.service', exitCode: 'dumped', exitStatus: '11/SEGV',
    });
    expect(syslog(`${S}charger@2.service: Main process exited, code=killed, status=9/KILL`)).toEqual({
      kind: 'main-exited', unit: 'charger@2.service', exitCode: 'killed', exitStatus: '9/KILL',
    });
    for (const result of ['exit-code', 'oom-kill', 'start-limit-hit', 'watchdog', 'core-dump', 'signal', 'timeout']) {
      expect(syslog(`${S}charger.service: Failed with result '${result}'.`)).toEqual({ kind: 'failed', unit: 'charger.service', result });
    }
    expect(syslog(`${S}charger.service: Scheduled restart job, restart counter is at 3.`)).toEqual({
      kind: 'restart-scheduled', unit: 'charger.service', nRestarts: 3,
    });
    expect(syslog(`${S}charger.service: Start request repeated too quickly.`)).toEqual({ kind: 'start-limit-hit', unit: 'charger.service' });
    expect(syslog(`${S}charger.service: Watchdog timeout (limit 30s)!`)).toEqual({ kind: 'watchdog', unit: 'charger.service' });
    expect(syslog(`${S}charger.service: A process of this unit has been killed by the OOM killer.`)).toEqual({ kind: 'oom-kill', unit: 'charger.service' });
    expect(syslog(`${S}charger.service: Deactivated successfully.`)).toEqual({ kind: 'deactivated', unit: 'charger.service' });
    expect(syslog(`${S}charger.service: Succeeded.`)).toEqual({ kind: 'deactivated', unit: 'charger.service' });
  });

  it('reads 252 job texts, which name the unit', () => {
    expect(syslog(`${S}Starting charger.service - Charger OCPP client...`)).toEqual({ kind: 'starting', unit: 'charger.service' });
    expect(syslog(`${S}Started charger.service - Charger OCPP client.`)).toEqual({ kind: 'started', unit: 'charger.service' });
    expect(syslog(`${S}Started charger-api.service.`)).toEqual({ kind: 'started', unit: 'charger-api.service' });
    expect(syslog(`${S}Stopping charger.service - Charger OCPP client...`)).toEqual({ kind: 'stopping', unit: 'charger.service' });
    expect(syslog(`${S}Stopped charger.service - Charger OCPP client.`)).toEqual({ kind: 'stopped', unit: 'charger.service' });
    expect(syslog(`${S}Failed to start charger.service - Charger.`)).toEqual({ kind: 'failed-to-start', unit: 'charger.service', result: 'failed' });
    expect(syslog(`${S}Dependency failed for charger.service - Charger OCPP client.`)).toEqual({
      kind: 'failed-to-start', unit: 'charger.service', result: 'dependency',
    });
    expect(syslog(`${S}Timed out starting charger.service - Charger OCPP client.`)).toEqual({
      kind: 'failed-to-start', unit: 'charger.service', result: 'timeout',
    });
    expect(syslog(`${S}Reloaded nginx.service - A high performance web server and a reverse proxy server.`)).toEqual({ kind: 'reloaded', unit: 'nginx.service' });
    expect(syslog(`${S}Started session-3.scope - Session 3 of User basar.`)).toEqual({ kind: 'started', unit: 'session-3.scope' });
    expect(syslog(`${S}Reloading.`)).toEqual({ kind: 'reloading', unit: 'init.scope' });
  });

  it('reads the user manager (systemd[pid]) the same way', () => {
    expect(syslog('Dec 10 01:11:50 charger-01 systemd[1201]: Started ngrok.service - ngrok tunnel.')).toEqual({ kind: 'started', unit: 'ngrok.service' });
    // A user manager's own daemon-reload: which user@ unit is unknown from syslog alone.
    expect(syslog('Dec 10 01:11:50 charger-01 systemd[1201]: Reloading.')).toBeNull();
  });

  it('returns null for 247 job texts, whose unit only the journal field names', () => {
    expect(syslog(`${S}Started Charger OCPP client.`)).toBeNull();
    expect(syslog(`${S}Starting Charger OCPP client...`)).toBeNull();
    expect(syslog(`${S}Failed to start Charger OCPP client.`)).toBeNull();
    expect(syslog(`${S}Started Session 3 of user basar.`)).toBeNull();
  });

  it('ignores look-alikes and other systemd messages', () => {
    expect(syslog('Dec 10 01:12:00 charger-01 systemd-logind[402]: New session 3 of user basar.')).toBeNull();
    expect(syslog('Dec 10 01:12:00 charger-01 python3[1290]: Started charger.service - fake.')).toBeNull();
    expect(syslog("Dec 10 01:12:00 charger-01 ocpp[812]: charger.service: Failed with result 'exit-code'.")).toBeNull();
    expect(syslog(`${S}charger.service: Consumed 14min 3.512s CPU time.`)).toBeNull();
    expect(syslog(`${S}charger.service: Control process exited, code=exited, status=1/FAILURE`)).toBeNull();
    expect(syslog(`${S}charger.service: Killing process 1401 (uvicorn) with signal SIGABRT.`)).toBeNull();
    expect(syslog(`${S}Startup finished in 3.412s (kernel) + 9.200s (userspace) = 12.612s.`)).toBeNull();
    expect(syslog(`${S}Started Daily apt upgrade and clean activities.`)).toBeNull();
    expect(syslog(`${S}charger.service: Failed to schedule restart job: Transaction for charger.service/restart is destructive.`)).toBeNull();
  });
});

describe('classifySystemd, structured fields', () => {
  const base: LogRecord = { source: 'commands/journal.jsonl', line: 1, epochMs: 0, text: '', identifier: 'systemd', pid: 1, unit: 'init.scope' };

  it('prefers UNIT_RESULT and N_RESTARTS over the text', () => {
    expect(
      classifySystemd({ ...base, aboutUnit: 'charger.service', text: "charger.service: Failed with result 'exit-code'.", fields: { MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c', UNIT_RESULT: 'exit-code' } }),
    ).toEqual({ kind: 'failed', unit: 'charger.service', result: 'exit-code' });
    expect(
      classifySystemd({ ...base, aboutUnit: 'charger.service', text: '', fields: { MESSAGE_ID: '5eb03494b6584870a536b337290809b3', N_RESTARTS: '7' } }),
    ).toEqual({ kind: 'restart-scheduled', unit: 'charger.service', nRestarts: 7 });
  });

  it('keeps the numeric EXIT_STATUS when the text disagrees with it', () => {
    expect(
      classifySystemd({
        ...base,
        aboutUnit: 'charger.service',
        text: 'charger.service: Main process exited, code=exited, status=2/INVALIDARGUMENT',
        fields: { MESSAGE_ID: '98e322203f7a4ed290d09fe03c09fe15', EXIT_CODE: 'exited', EXIT_STATUS: '3' },
      }),
    ).toEqual({ kind: 'main-exited', unit: 'charger.service', exitCode: 'exited', exitStatus: '3' });
  });

  it('accepts a pid 1 record without identifier, and rejects other senders', () => {
    expect(classifySystemd({ source: 's', line: 1, epochMs: null, text: 'Started charger.service - Charger.', pid: 1 })).toEqual({ kind: 'started', unit: 'charger.service' });
    expect(classifySystemd({ ...base, identifier: 'charger', text: 'Started charger.service - Charger.' })).toBeNull();
  });
});
