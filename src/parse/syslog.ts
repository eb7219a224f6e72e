// Text logs written by rsyslog/syslog-ng/busybox: /var/log/syslog, kern.log,
// messages, daemon.log. Two stamp forms:
//   RFC 3164:        "Dec 10 01:10:00 charger-01 systemd[1]: Started ..." (day space-padded: "Dec  1")
//   rsyslog precise: "2025-12-10T01:10:00.123456+03:00 charger-01 kernel: [12345.678901] Out of memory: ..."
// A line without a stamp (a multi-line message that escaped #012 escaping, or
// garbage) is counted as skipped rather than glued to the previous record:
// the previous record has already been handed on by then, and syslog daemons
// split multi-line messages into stamped lines themselves.
import { monthNumber, parseTimestamp, syslogStampToEpoch, type DeviceClock } from '../time.js';
import { streamRecords } from './lines.js';
import { type LogRecord, type ParseProblem } from './types.js';

const RFC3164_RE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ?(.*)$/;
const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (\S+) ?(.*)$/;
// busybox syslogd (without -S) puts "facility.level" before the tag.
const FACILITY_RE =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\.(emerg|alert|crit|err|warn|warning|notice|info|debug) /;
const LEVELS: Record<string, number> = {
  emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, warning: 4, notice: 5, info: 6, debug: 7,
};
// "prog[pid]: msg" or "prog: msg". The colon must end the token, so a message
// that merely starts with a URL ("https://...") is not mistaken for a tag.
const TAG_RE = /^([^\s[\]:]+)(?:\[(\d+)\])?:(?: (.*))?$/;
const UPTIME_RE = /^\[\s*(\d+\.\d+)\] ?/;

export function parseSyslogLine(
  text: string,
  line: number,
  source: string,
  clock: DeviceClock,
  referenceMs: number,
): LogRecord | { problem: string } {
  let epochMs: number | null;
  let rest: string;
  const iso = ISO_RE.exec(text);
  if (iso) {
    epochMs = parseTimestamp(iso[1]!, clock);
    if (epochMs === null) return { problem: 'invalid date in timestamp' };
    rest = iso[3]!;
  } else {
    const m = RFC3164_RE.exec(text);
    if (!m) return { problem: 'no syslog timestamp' };
    const month = monthNumber(m[1]!);
    const day = Number(m[2]);
    const hms: [number, number, number] = [Number(m[3]), Number(m[4]), Number(m[5])];
    if (month === null || day < 1 || day > 31 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60) {
      return { problem: 'invalid date in timestamp' };
    }
    epochMs = syslogStampToEpoch(month, day, hms, clock, referenceMs);
    rest = m[7]!;
  }

  const rec: LogRecord = { source, line, epochMs, text: rest };
  const fac = FACILITY_RE.exec(rest);
  if (fac) {
    rec.priority = LEVELS[fac[1]!]!;
    rest = rest.slice(fac[0].length);
    rec.text = rest;
  }
  const tag = TAG_RE.exec(rest);
  if (tag) {
    rec.identifier = tag[1]!;
    if (tag[2] !== undefined) rec.pid = Number(tag[2]);
    rec.text = tag[3] ?? '';
  }
  if (rec.identifier === 'kernel') {
    // The [uptime] prefix is the kernel's own time; the stamp may be the replay time at daemon start.
    const up = UPTIME_RE.exec(rec.text);
    if (up) {
      rec.uptimeSeconds = Number(up[1]);
      rec.text = rec.text.slice(up[0].length);
    }
  }
  return rec;
}

/**
 * Stream a syslog-style file. Blank lines are ignored; an overlong line is
 * parsed from its first 1 MiB (the stamp and tag are at the start); a cut last
 * line is parsed as far as it goes.
 */
export async function readSyslog(
  path: string,
  source: string,
  clock: DeviceClock,
  referenceMs: number,
  onRecord: (r: LogRecord) => void,
): Promise<{ records: number; skipped: number; problems: ParseProblem[] }> {
  return streamRecords(
    path,
    (l) => (l.text.trim() === '' ? null : parseSyslogLine(l.text, l.line, source, clock, referenceMs)),
    onRecord,
  );
}
