// The timestamp a free-form log line starts with, in the shapes logging
// libraries write by default. Times without an offset are device-local.
import { DeviceClock, deviceLocalToEpoch, monthNumber, parseTimestamp, syslogStampToEpoch } from '../time.js';

export interface LeadingTime {
  /** null when the shape matched but the value is impossible or the year is unknown. */
  epochMs: number | null;
  /** Index just after the stamp (and its closing bracket), where the message part begins. */
  end: number;
}

const ISO_LIKE =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)\]?(?=$|[\s\]|,;:])/;
const SLASHED = /^\[?(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\]?(?=$|\s)/;
const CLF = /^\[?(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]?(?=$|\s)/;
const RFC3164 = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?=$|\s)/;

function plausible(month: number, day: number, h: number, mi: number, s: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

/**
 * Find a timestamp at the very start of `text`: ISO 8601 (with or without
 * offset, `T` or space, `.`/`,` fractions), `YYYY/MM/DD HH:MM:SS`, common log
 * format `10/Dec/2025:01:10:05 +0300`, or RFC 3164 `Dec 10 01:10:05`. RFC 3164
 * has no year: it is resolved against `referenceMs` (collection time) and
 * left null without one.
 */
export function leadingTimestamp(text: string, clock: DeviceClock, referenceMs?: number): LeadingTime | null {
  let m = ISO_LIKE.exec(text);
  if (m) return { epochMs: parseTimestamp(m[1]!, clock), end: m[0].length };

  m = SLASHED.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    const epochMs = plausible(mo, d, h, mi, s)
      ? deviceLocalToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi, second: s, ms }, clock)
      : null;
    return { epochMs, end: m[0].length };
  }

  m = CLF.exec(text);
  if (m) {
    const month = monthNumber(m[2]!);
    const off = m[7]!;
    const iso = month
      ? `${m[3]}-${String(month).padStart(2, '0')}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${off.slice(0, 3)}:${off.slice(3)}`
      : '';
    return { epochMs: iso ? parseTimestamp(iso, clock) : null, end: m[0].length };
  }

  m = RFC3164.exec(text);
  if (m) {
    const month = monthNumber(m[1]!);
    if (month === null) return null;
    const [d, h, mi, s] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
    const epochMs =
      referenceMs !== undefined && plausible(month, d, h, mi, s)
        ? syslogStampToEpoch(month, d, [h, mi, s], clock, referenceMs)
        : null;
    return { epochMs, end: m[0].length };
  }
  return null;
}
