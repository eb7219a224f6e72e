// `journalctl -o json --all` export: one JSON object per line. See
// systemd's JSON export format: values are strings, byte arrays for data that
// is not valid UTF-8, arrays when a field repeats in one entry, and null for
// fields over 4 KiB when --all was not given.
import { readLines } from './lines.js';
import { ProblemLog, type LogRecord, type ParseProblem } from './types.js';

type FieldName = keyof NonNullable<LogRecord['fields']>;

const KEPT_FIELDS: readonly FieldName[] = [
  'MESSAGE_ID',
  'UNIT_RESULT',
  'EXIT_CODE',
  'EXIT_STATUS',
  'N_RESTARTS',
  '_TRANSPORT',
  '_SYSTEMD_CGROUP',
  '_BOOT_ID',
  '_SOURCE_MONOTONIC_TIMESTAMP',
  '__MONOTONIC_TIMESTAMP',
  'COREDUMP_UNIT',
  'COREDUMP_SIGNAL_NAME',
  'COREDUMP_COMM',
  'COREDUMP_PID',
];

/**
 * Journal lines are long (an entry with a stack trace easily passes 10 KiB),
 * and a core stored in the journal (Storage=journal) is a byte array of
 * megabytes; the cap only keeps memory bounded, such lines are skipped.
 */
const JOURNAL_MAX_LINE_BYTES = 8 * 1024 * 1024;

function isByteArray(v: unknown[]): v is number[] {
  return v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);
}

/** Text of one field value; the first value when the field repeats; undefined for null or odd shapes. */
function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    if (isByteArray(v)) return Buffer.from(v).toString('utf8');
    // Repeated field: an array whose items are strings or byte arrays.
    return fieldText(v[0]);
  }
  return undefined;
}

function digits(s: string | undefined): bigint | null {
  return s !== undefined && /^\d{1,20}$/.test(s) ? BigInt(s) : null;
}

function smallInt(s: string | undefined): number | undefined {
  return s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}

/** Parse one line; returns the record, or a reason string when the line is unreadable. */
export function parseJournalLine(text: string, line: number, source: string): LogRecord | { problem: string } {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return { problem: text.trimStart().startsWith('{') ? 'truncated or invalid JSON' : 'not a JSON object' };
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    return { problem: 'not a JSON object' };
  }
  const e = entry as Record<string, unknown>;
  const get = (name: string) => fieldText(e[name]);

  const realtime = digits(get('__REALTIME_TIMESTAMP'));
  if (realtime === null && get('__CURSOR') === undefined && get('MESSAGE') === undefined) {
    // A JSON object, but nothing a journal entry always has.
    return { problem: 'not a journal entry (no __REALTIME_TIMESTAMP, __CURSOR or MESSAGE)' };
  }

  const rec: LogRecord = {
    source,
    line,
    // The receive time, as journalctl shows it. For kernel lines replayed at journald start this is
    // the replay time; the true time (boot + _SOURCE_MONOTONIC_TIMESTAMP) is left to the facts stage,
    // which has every entry of the boot, from the fields kept below.
    epochMs: realtime === null ? null : Number(realtime / 1000n),
    // null MESSAGE (over 4 KiB, exported without --all) is kept as an empty text rather than dropped.
    text: get('MESSAGE') ?? '',
  };

  const priority = smallInt(get('PRIORITY'));
  if (priority !== undefined && priority <= 7) rec.priority = priority;
  const identifier = get('SYSLOG_IDENTIFIER') ?? get('_COMM');
  if (identifier) rec.identifier = identifier;
  const pid = smallInt(get('_PID'));
  if (pid !== undefined) rec.pid = pid;
  const unit = get('_SYSTEMD_UNIT');
  if (unit) rec.unit = unit;
  const about = get('UNIT') ?? get('USER_UNIT');
  if (about) rec.aboutUnit = about;

  let fields: LogRecord['fields'];
  for (const name of KEPT_FIELDS) {
    const v = get(name);
    if (v !== undefined) (fields ??= {})[name] = v;
  }
  if (fields) rec.fields = fields;
  return rec;
}

/**
 * Stream a journal.jsonl; calls onRecord for each record, returns counts.
 * Blank lines are ignored; a cut last line (collection timed out mid-entry)
 * is counted as skipped like any other unreadable line.
 */
export async function readJournal(
  path: string,
  source: string,
  onRecord: (r: LogRecord) => void,
): Promise<{ records: number; skipped: number; problems: ParseProblem[] }> {
  const log = new ProblemLog();
  let records = 0;
  for await (const l of readLines(path, { maxLineBytes: JOURNAL_MAX_LINE_BYTES })) {
    if (l.overlong) {
      log.add(l.line, `line longer than ${JOURNAL_MAX_LINE_BYTES} bytes`);
      continue;
    }
    if (l.text.trim() === '') continue;
    const r = parseJournalLine(l.text, l.line, source);
    if ('problem' in r) {
      log.add(l.line, l.partial ? `last line cut short (${r.problem})` : r.problem);
      continue;
    }
    records++;
    onRecord(r);
  }
  return { records, skipped: log.skipped, problems: log.problems };
}
