// `journalctl -o json --all` export: one JSON object per line. See
// systemd's JSON export format: values are strings, byte arrays for data that
// is not valid UTF-8, arrays when a field repeats in one entry, and null for
// fields over 4 KiB when --all was not given.
import { streamRecords } from './lines.js';
import { type LogRecord, type ParseProblem } from './types.js';

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
export const JOURNAL_MAX_LINE_BYTES = 8 * 1024 * 1024;

function isByteArray(v: unknown[]): v is number[] {
  return v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);
}

/** A string, or the text of a byte array; undefined for anything else. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && isByteArray(v)) return Buffer.from(v).toString('utf8');
  return undefined;
}

/**
 * Text of one field value; the first value when the field repeats; undefined
 * for null or odd shapes. Two levels at most, never a walk: a hostile line can
 * nest arrays thousands deep.
 */
function fieldText(v: unknown): string | undefined {
  const text = scalarText(v);
  if (text !== undefined || !Array.isArray(v) || v.length === 0) return text;
  // Repeated field: an array whose items are strings or byte arrays.
  return scalarText(v[0]);
}

/**
 * journalctl nests at most three levels (the entry, a repeated field, a byte
 * array); a line nested deeper than this was not written by it, and its
 * values are not walked.
 */
export const JOURNAL_MAX_NESTING = 8;

/** Does v hold objects or arrays more than `levels` deep? Recursion never goes past `levels`. */
function nestedDeeper(v: unknown, levels: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null && nestedDeeper(x, levels - 1)) return true;
    }
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null && nestedDeeper(x, levels - 1)) return true;
  }
  return false;
}

function digits(s: string | undefined): bigint | null {
  return s !== undefined && /^\d{1,20}$/.test(s) ? BigInt(s) : null;
}

function smallInt(s: string | undefined): number | undefined {
  return s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}

/**
 * Every field the record is built from. The fast path finds just these in a
 * line it has validated and hands their values to journalRecordFrom().
 */
export const JOURNAL_RECORD_FIELDS: readonly string[] = [
  '__REALTIME_TIMESTAMP',
  '__CURSOR',
  'MESSAGE',
  'PRIORITY',
  'SYSLOG_IDENTIFIER',
  '_COMM',
  '_PID',
  '_SYSTEMD_UNIT',
  'UNIT',
  'USER_UNIT',
  ...KEPT_FIELDS,
];

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
  if (nestedDeeper(entry, JOURNAL_MAX_NESTING)) return { problem: `JSON nested more than ${JOURNAL_MAX_NESTING} levels deep (journalctl writes at most 3)` };
  const e = entry as Record<string, unknown>;
  return journalRecordFrom((name) => e[name], line, source);
}

/**
 * The record of a journal entry, from each field's JSON value (undefined when
 * absent); a problem when it is not a journal entry at all.
 */
export function journalRecordFrom(value: (name: string) => unknown, line: number, source: string): LogRecord | { problem: string } {
  const get = (name: string) => fieldText(value(name));

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
 * What reading a journal does with one line: nothing for a blank line, else
 * the record or the reason it was skipped. Both readers (this full parse and
 * the fast path in journal-fast.ts) go through here, so they cannot drift.
 */
export function journalLineResult(
  text: string,
  line: number,
  source: string,
  partial: boolean,
): LogRecord | { problem: string } | null {
  if (text.trim() === '') return null;
  const r = parseJournalLine(text, line, source);
  if ('problem' in r && partial) return { problem: `last line cut short (${r.problem})` };
  return r;
}

export const overlongProblem = `line longer than ${JOURNAL_MAX_LINE_BYTES} bytes`;

/**
 * Stream a journal.jsonl; calls onRecord for each record, returns counts.
 * Blank lines are ignored; a cut last line (collection timed out mid-entry)
 * is counted as skipped like any other unreadable line. This is the plain
 * full parse (every line through JSON.parse); journal-fast.ts gives the same
 * result faster and is what the analysis uses unless CHARGER_DIAG_FULL_PARSE=1.
 */
export async function readJournal(
  path: string,
  source: string,
  onRecord: (r: LogRecord) => void,
): Promise<{ records: number; skipped: number; problems: ParseProblem[] }> {
  return streamRecords(
    path,
    (l) => (l.overlong ? { problem: overlongProblem } : journalLineResult(l.text, l.line, source, l.partial === true)),
    onRecord,
    { maxLineBytes: JOURNAL_MAX_LINE_BYTES },
  );
}
