import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJournalLine, readJournal } from '../../src/parse/journal.js';
import type { LogRecord } from '../../src/parse/types.js';

// Fixtures are `journalctl -o json --all` output of a real journal written by
// systemd-journal-remote (see fixtures/make-journal-fixtures.py).
const FIX = join(import.meta.dirname, 'fixtures');
const SRC = 'commands/journal.jsonl';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(path: string) {
  const records: LogRecord[] = [];
  const res = await readJournal(path, SRC, (r) => records.push(r));
  return { ...res, list: records };
}

describe('readJournal on systemd 252 export', () => {
  it('reads every entry with its line number', async () => {
    const { records, skipped, problems, list } = await read(join(FIX, 'journal-252.jsonl'));
    expect(records).toBe(38);
    expect(skipped).toBe(0);
    expect(problems).toEqual([]);
    expect(list.map((r) => r.line)).toEqual(Array.from({ length: 38 }, (_, i) => i + 1));
    expect(list.every((r) => r.source === SRC)).toBe(true);
  });

  it('maps a systemd lifecycle entry: identifier, pid, unit, aboutUnit, priority, fields', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    const failed = list[7]!;
    expect(failed).toMatchObject({
      line: 8,
      epochMs: 1765318198612,
      text: "charger.service: Failed with result 'oom-kill'.",
      identifier: 'systemd',
      pid: 1,
      unit: 'init.scope',
      aboutUnit: 'charger.service',
      priority: 4,
    });
    expect(failed.fields).toMatchObject({
      MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c',
      UNIT_RESULT: 'oom-kill',
      _TRANSPORT: 'journal',
      _SYSTEMD_CGROUP: '/init.scope',
      _BOOT_ID: '0b1c7f5e3c7c4b0c9b6e3a1d2f4e5a6b',
      __MONOTONIC_TIMESTAMP: '61798612000',
    });
    const exited = list[6]!;
    expect(exited.fields).toMatchObject({ EXIT_CODE: 'killed', EXIT_STATUS: '9' });
    expect(list[9]!.fields?.N_RESTARTS).toBe('3');
  });

  it('keeps kernel entries with the receive time and the monotonic fields for replay correction', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    const replayed = list[0]!;
    expect(replayed).toMatchObject({
      identifier: 'kernel',
      priority: 6,
      text: 'Booting Linux on physical CPU 0x0000000000 [0x410fd083]',
      epochMs: 1765256409800,
    });
    expect(replayed.pid).toBeUndefined();
    expect(replayed.unit).toBeUndefined();
    expect(replayed.fields).toMatchObject({ _TRANSPORT: 'kernel', _SOURCE_MONOTONIC_TIMESTAMP: '0', __MONOTONIC_TIMESTAMP: '9800000' });
    expect(replayed.timeFromMonotonic).toBeUndefined();
    expect(list[4]!.text).toBe(
      'Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0',
    );
    expect(list[4]!.priority).toBe(3);
  });

  it('decodes a MESSAGE given as bytes (not valid UTF-8) with replacement characters', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    const r = list[13]!;
    expect(r.text).toBe('Connecting to wss://csms.example.com/ocpp/CP01 \uFFFD\uFFFD');
    expect(r).toMatchObject({ identifier: 'python3', pid: 1290, unit: 'charger.service', priority: 6 });
    expect(r.aboutUnit).toBeUndefined();
    expect(r.fields?._TRANSPORT).toBe('stdout');
  });

  it('takes the first value of a repeated field', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    expect(list[14]).toMatchObject({ text: 'BootNotification rejected', identifier: 'ocpp', priority: 3 });
  });

  it('keeps multi-line coredump messages and the COREDUMP_* fields', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    const r = list[16]!;
    expect(r.identifier).toBe('systemd-coredump');
    expect(r.text.split('\n')[0]).toBe('Process 1290 (python3) of user 1000 dumped core.');
    expect(r.text).toContain('#0  0x0000ffff8f31d0d0 n/a (libc.so.6 + 0x7d0d0)');
    expect(r.fields).toMatchObject({
      MESSAGE_ID: 'fc2e22bc6ee647b6b90729ab34a250b1',
      COREDUMP_UNIT: 'charger.service',
      COREDUMP_SIGNAL_NAME: 'SIGSEGV',
      COREDUMP_COMM: 'python3',
      COREDUMP_PID: '1290',
    });
    expect(r.priority).toBe(2);
  });

  it('takes aboutUnit from USER_UNIT for the user manager', async () => {
    const { list } = await read(join(FIX, 'journal-252.jsonl'));
    expect(list[26]).toMatchObject({
      identifier: 'systemd',
      pid: 1201,
      unit: 'user@1000.service',
      aboutUnit: 'ngrok.service',
      text: 'Started ngrok.service - ngrok tunnel.',
    });
  });

  it('reads the systemd 247 text forms', async () => {
    const { records, skipped, list } = await read(join(FIX, 'journal-247.jsonl'));
    expect(records).toBe(12);
    expect(skipped).toBe(0);
    expect(list[7]).toMatchObject({ text: 'Started Charger OCPP client.', aboutUnit: 'charger.service', identifier: 'systemd' });
    expect(list[8]!.text).toBe('charger.service: Succeeded.');
  });

  it('keeps an entry whose oversized MESSAGE was exported as null (no --all)', async () => {
    const { records, skipped, list } = await read(join(FIX, 'journal-null-field.jsonl'));
    expect(records).toBe(1);
    expect(skipped).toBe(0);
    expect(list[0]).toMatchObject({ text: '', priority: 3, unit: 'charger.service', epochMs: 1765318205000 });
  });
});

describe('readJournal on damaged input', () => {
  it('counts a cut last line as skipped and keeps the rest', async () => {
    const full = readFileSync(join(FIX, 'journal-252.jsonl'), 'utf8');
    const cut = full.slice(0, full.length - 120); // the collection stopped mid-entry
    const p = join(dir, 'cut.jsonl');
    writeFileSync(p, cut);
    const { records, skipped, problems } = await read(p);
    expect(records).toBe(37);
    expect(skipped).toBe(1);
    expect(problems).toEqual([{ line: 38, reason: 'last line cut short (truncated or invalid JSON)' }]);
  });

  it('counts garbage lines with their line numbers and ignores blank lines', async () => {
    const lines = readFileSync(join(FIX, 'journal-247.jsonl'), 'utf8').trimEnd().split('\n');
    const p = join(dir, 'garbage.jsonl');
    writeFileSync(
      p,
      [lines[0], 'journalctl: Failed to open file: Permission denied', '', lines[1], '[1,2,3]', '{"foo":"bar"}', lines[2], '{"MESSAGE":"x"'].join('\n') + '\n',
    );
    const { records, skipped, problems, list } = await read(p);
    expect(records).toBe(3);
    expect(list.map((r) => r.line)).toEqual([1, 4, 7]);
    expect(skipped).toBe(4);
    expect(problems).toEqual([
      { line: 2, reason: 'not a JSON object' },
      { line: 5, reason: 'not a JSON object' },
      { line: 6, reason: 'not a journal entry (no __REALTIME_TIMESTAMP, __CURSOR or MESSAGE)' },
      { line: 8, reason: 'truncated or invalid JSON' },
    ]);
  });
});

describe('parseJournalLine', () => {
  it('turns odd values into absent fields rather than failing', () => {
    const r = parseJournalLine(
      '{"__REALTIME_TIMESTAMP":"abc","MESSAGE":"hi","PRIORITY":"12","_PID":"x","UNIT":null,"SYSLOG_IDENTIFIER":[],"_COMM":"python3"}',
      5,
      SRC,
    );
    expect(r).toEqual({ source: SRC, line: 5, epochMs: null, text: 'hi', identifier: 'python3' });
  });

  it('decodes byte arrays inside a repeated field', () => {
    const r = parseJournalLine('{"__REALTIME_TIMESTAMP":"1765318204200000","MESSAGE":[[72,105,255],"second"]}', 1, SRC);
    expect(r).toMatchObject({ text: 'Hi\uFFFD', epochMs: 1765318204200 });
  });

  it('reports a problem for JSON that is not an object', () => {
    expect(parseJournalLine('null', 1, SRC)).toEqual({ problem: 'not a JSON object' });
    expect(parseJournalLine('"MESSAGE"', 1, SRC)).toEqual({ problem: 'not a JSON object' });
  });
});
