// `dmesg --time-format=iso` (util-linux): "2025-12-10T01:10:03,123456+03:00 text".
// The fraction is separated by a comma and the offset is always printed, so
// no device clock is needed. dmesg computes these stamps itself from boot time
// plus the record's monotonic time, so kernel replay does not skew them.
// Plain `dmesg` output ("[12345.678901] text") is accepted too, without a time.
import { parseTimestamp } from '../time.js';
import { splitLines } from './lines.js';
import { ProblemLog, type LogRecord, type ParseResult } from './types.js';

const ISO_LINE_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2},\d{1,9}[+-]\d{2}:\d{2})(?: (.*))?$/;
const UPTIME_LINE_RE = /^\[\s*(\d+\.\d+)\](?: (.*))?$/;

export function parseDmesg(text: string, source: string): ParseResult<LogRecord> {
  const log = new ProblemLog();
  const records: LogRecord[] = [];
  const lines = text.split('\n');
  for (const { line, text: t } of splitLines(text)) {
    if (t === '') continue;
    const iso = ISO_LINE_RE.exec(t);
    if (iso) {
      const epochMs = parseTimestamp(iso[1]!, {});
      if (epochMs === null) {
        log.add(line, 'invalid date in timestamp');
        continue;
      }
      // Leading spaces are the kernel's own indentation (memory maps, env dumps): keep them.
      records.push({ source, line, epochMs, text: iso[2] ?? '', identifier: 'kernel' });
      continue;
    }
    // util-linux prints the further lines of a multi-line record (an OOM report's Mem-Info, a memory
    // cgroup's stats) under its text, indented by the stamp's width and without a stamp of their own.
    const last = records[records.length - 1];
    if (last && /^\s/.test(t) && last.line + (last.text.split('\n').length - 1) === line - 1) {
      const width = (ISO_LINE_RE.exec(lines[last.line - 1] ?? '')?.[1]?.length ?? -1) + 1;
      last.text += '\n' + (width > 0 && t.slice(0, width).trim() === '' ? t.slice(width) : t.trimStart());
      continue;
    }
    const up = UPTIME_LINE_RE.exec(t);
    if (up) {
      records.push({ source, line, epochMs: null, text: up[2] ?? '', identifier: 'kernel', uptimeSeconds: Number(up[1]) });
      continue;
    }
    log.add(line, 'no dmesg timestamp');
  }
  return log.result(records);
}
