// `journalctl --list-boots --no-pager`.
// systemd 252+ prints a header and two timestamp columns:
//   IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY
//    -1 0b1c7f5e3c7c4b0c9b6e3a1d2f4e5a6b Tue 2025-12-09 08:00:09 +03 Wed 2025-12-10 01:12:11 +03
// systemd 247 prints no header and joins the two times with an em dash:
//   -1 0b1c7f5e3c7c4b0c9b6e3a1d2f4e5a6b Tue 2025-12-09 08:00:09 +03—Wed 2025-12-10 01:12:11 +03
import { parseSystemdTimestamp, type DeviceClock } from '../time.js';
import { splitLines } from './lines.js';
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface BootRecord extends Origin {
  index: number;
  bootId: string;
  firstEpochMs: number | null;
  lastEpochMs: number | null;
  firstText: string;
  lastText: string;
}

// What systemd's format_timestamp() prints: weekday, date, time, zone. The
// zone is strftime's %Z: an abbreviation ("EET", "UTC") or, for zones that
// have none (Europe/Istanbul), a numeric "+03".
const STAMP = String.raw`(?:[A-Z][a-z]{2} )?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?: (?:[A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?))?`;

const HEADER_RE = /^\s*IDX\s+BOOT ID\b/;
const ROW_RE = /^\s*(-?\d+)\s+([0-9a-f]{32})\s+(.*?)\s*$/;
const TIMES_RE = new RegExp(`^(${STAMP}|n/a)\\s*(?:—|\\s)\\s*(${STAMP}|n/a)$`);

export function parseBoots(text: string, source: string, clock: DeviceClock): ParseResult<BootRecord> {
  const log = new ProblemLog();
  const records: BootRecord[] = [];
  for (const { line, text: t } of splitLines(text)) {
    if (t.trim() === '' || HEADER_RE.test(t)) continue;
    const row = ROW_RE.exec(t);
    if (!row) {
      log.add(line, 'not a boot list row');
      continue;
    }
    const times = TIMES_RE.exec(row[3]!);
    if (!times) {
      log.add(line, 'unreadable first/last entry times');
      continue;
    }
    const firstText = times[1]!;
    const lastText = times[2]!;
    records.push({
      source,
      line,
      index: Number(row[1]),
      bootId: row[2]!,
      firstEpochMs: parseSystemdTimestamp(firstText, clock),
      lastEpochMs: parseSystemdTimestamp(lastText, clock),
      firstText,
      lastText,
    });
  }
  return log.result(records);
}
