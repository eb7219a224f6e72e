// `systemctl list-timers --all --no-pager`. NEXT/LAST are timestamps with
// spaces ("Wed 2025-12-10 01:15:00 +03"), LEFT/PASSED relative spans with
// spaces ("2min 10s left", "1 day 3h ago"); unset ones print "n/a" (247) or
// "-" (252). Rows are matched as a whole, so padded and collapsed forms both read.
// A masked timer (252) is a row of "-" with an empty ACTIVATES column:
//   "-    -    -    -      systemd-tmpfiles-clean.timer ".
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface TimerRecord extends Origin {
  unit: string;
  /** the unit it starts; '' when the row names none (a masked timer) */
  activates: string;
  /** NEXT as printed, null when n/a */
  next: string | null;
  /** LAST as printed, null when the timer never elapsed */
  last: string | null;
  /** LEFT / PASSED as printed ("2min 10s left", "20s ago"), null when n/a */
  left?: string | null;
  passed?: string | null;
}

const NONE = '(?:n/a|-)';
const STAMP = '(?:[A-Z][a-z]{2} )?\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?: (?:[A-Z]{1,6}|[+-]\\d{2}(?::?\\d{2})?))?';
const ROW = new RegExp(
  `^(${STAMP}|${NONE})\\s+(.+?\\sleft|now|${NONE})\\s+(${STAMP}|${NONE})\\s+(.+?\\sago|now|${NONE})\\s+(\\S+\\.timer)(?:\\s+(\\S+))?$`,
);

const FOOTER = [/^\d+ timers? listed\.?$/, /^Pass --all to see loaded but inactive timers/];

function orNull(v: string): string | null {
  return v === 'n/a' || v === '-' ? null : v;
}

export function parseListTimers(text: string, source: string): ParseResult<TimerRecord> {
  const problems = new ProblemLog();
  const records: TimerRecord[] = [];
  const lines = text.split(/\r?\n/);

  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    const lineNo = i + 1;
    if (trimmed === '') continue;
    if (/^NEXT\s+LEFT\s+LAST\s+PASSED\s+UNIT\s+ACTIVATES$/.test(trimmed)) continue;
    if (FOOTER.some((re) => re.test(trimmed))) continue;
    const m = ROW.exec(trimmed);
    if (!m) {
      problems.add(lineNo, 'not a timer row (expected NEXT LEFT LAST PASSED UNIT ACTIVATES)');
      continue;
    }
    records.push({
      source,
      line: lineNo,
      next: orNull(m[1]!),
      left: orNull(m[2]!),
      last: orNull(m[3]!),
      passed: orNull(m[4]!),
      unit: m[5]!,
      activates: m[6] ?? '',
    });
  }
  return problems.result(records);
}
