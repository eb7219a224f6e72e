// Cron tables: /etc/crontab and /etc/cron.d/* (with a user field) and
// `crontab -l -u USER` output (without). Environment lines (PATH=..., MAILTO=...)
// and comments are part of the format, not problems.
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface CronEntry extends Origin {
  /** "*\/5 * * * *" (fields joined by one space) or "@reboot" */
  schedule: string;
  user: string | null;
  command: string;
}

const NICKNAMES = new Set(['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
// A time field: numbers, ranges, steps, lists, three-letter names (jan, mon) and '*'.
const ATOM = '(?:\\*|(?:\\d{1,2}|[A-Za-z]{3})(?:-(?:\\d{1,2}|[A-Za-z]{3}))?)(?:/\\d+)?';
const FIELD = new RegExp(`^${ATOM}(?:,${ATOM})*$`);
const ENV_LINE = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*|"[^"]*"|'[^']*')\s*=/;
// What `crontab -l` prints (on stdout or stderr, depending on the version) when the user has none.
const NO_CRONTAB = /^no crontab for \S+$/;

/** Split off `count` whitespace-separated words; the rest keeps its own spacing. */
function words(line: string, count: number): { words: string[]; rest: string } | null {
  const out: string[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while (out.length < count && (m = re.exec(line)) !== null) out.push(m[0]);
  if (out.length < count) return null;
  return { words: out, rest: line.slice(re.lastIndex).trim() };
}

export function parseCron(
  text: string,
  source: string,
  opts: { hasUserField: boolean; user?: string },
): ParseResult<CronEntry> {
  const problems = new ProblemLog();
  const records: CronEntry[] = [];
  const lines = text.split(/\r?\n/);

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (NO_CRONTAB.test(trimmed)) continue;
    if (ENV_LINE.test(trimmed) && !trimmed.startsWith('@')) continue;

    const nickname = trimmed.startsWith('@');
    const timeFields = nickname ? 1 : 5;
    const split = words(trimmed, timeFields + (opts.hasUserField ? 1 : 0));
    if (!split) {
      problems.add(lineNo, 'truncated cron line: fewer fields than the schedule needs');
      continue;
    }
    const schedule = split.words.slice(0, timeFields);
    if (nickname ? !NICKNAMES.has(schedule[0]!) : !schedule.every((f) => FIELD.test(f))) {
      problems.add(lineNo, `not a cron schedule: "${schedule.join(' ')}"`);
      continue;
    }
    if (split.rest === '') {
      problems.add(lineNo, 'cron line without a command');
      continue;
    }
    records.push({
      source,
      line: lineNo,
      schedule: schedule.join(' '),
      user: opts.hasUserField ? split.words[timeFields]! : opts.user ?? null,
      command: split.rest,
    });
  }
  return problems.result(records);
}
