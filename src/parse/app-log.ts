// Application and proxy log files (nginx, ngrok, uvicorn, gunicorn, anything
// else with a leading timestamp) turned into LogRecords, so the classifiers
// that run over the journal run over these too. `text` is the whole line (ANSI
// colours removed): evidence quotes what the file says.
import { DeviceClock, syslogStampToEpoch } from '../time.js';
import { LogRecord, ParseResult, ProblemLog } from './types.js';
import { parseLogfmt } from './logfmt.js';
import { findLevel, levelPriority } from './level-words.js';
import { leadingTimestamp } from './leading-timestamp.js';
import { isContinuationLine, isTracebackStart } from './traceback.js';
import { basename } from 'node:path/posix';

export { parseLogfmt } from './logfmt.js';

export type AppLogFormat = 'nginx-access' | 'nginx-error' | 'ngrok' | 'uvicorn' | 'gunicorn' | 'generic';

export interface AppLogOptions {
  /** Collection time: gives RFC 3164 and ngrok terminal stamps (no year) their year. */
  referenceMs?: number;
}

type LineResult = LogRecord | { problem: string };

// nginx "combined": $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ...
const NGINX_ACCESS =
  /^(\S+) \S+ (\S+) \[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?=$|\s)/;
const NGINX_ERROR =
  /^(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[(emerg|alert|crit|error|warn|notice|info|debug)\] (\d+)#\d+: (.*)$/;
const NGINX_ERROR_PREFIX = /^\d{4}\/\d{2}\//;
const GUNICORN =
  /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: [+-]\d{4})?)\] \[(\d+)\] \[([A-Z]+)\] (.*)$/;
const GUNICORN_PREFIX = /^\[\d{4}-\d{2}-/;
// uvicorn's default formatter: "%(levelprefix)s %(message)s", level padded to 9 columns.
const UVICORN_PREFIX = /^(CRITICAL|ERROR|WARNING|INFO|DEBUG|TRACE):\s+(.*)$/;
const UVICORN_PID = /\b(?:Started|Finished) server process \[(\d+)\]/;
// log15 terminal format used by ngrok v2 with --log stdout: "EROR[03-10|07:16:48] msg  k=v".
const NGROK_TERM = /^(CRIT|EROR|WARN|INFO|DBUG)\[(\d{2})-(\d{2})\|(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\] ?(.*)$/;
const NGROK_LOGFMT = /^t=\S+ .*\blvl=/;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

const NGINX_LEVELS: Record<string, number> = { emerg: 0, alert: 1, crit: 2, error: 3, warn: 4, notice: 5, info: 6, debug: 7 };

const SNIFFERS: [Exclude<AppLogFormat, 'generic'>, RegExp][] = [
  ['nginx-access', NGINX_ACCESS],
  ['nginx-error', NGINX_ERROR],
  ['ngrok', /^(?:t=\S+ .*\blvl=|\{.*"lvl"\s*:|(?:CRIT|EROR|WARN|INFO|DBUG)\[\d{2}-\d{2}\|)/],
  ['gunicorn', GUNICORN],
  ['uvicorn', UVICORN_PREFIX],
];

function pathHint(devicePath: string): AppLogFormat | null {
  const lower = devicePath.toLowerCase();
  const base = basename(lower);
  if (lower.includes('nginx')) {
    if (base.includes('error')) return 'nginx-error';
    if (base.includes('access')) return 'nginx-access';
  }
  if (base.includes('ngrok')) return 'ngrok';
  if (base.includes('gunicorn')) return 'gunicorn';
  if (base.includes('uvicorn')) return 'uvicorn';
  return null;
}

/**
 * Guess the format from the device path and the first non-empty lines. The
 * content decides when it clearly matches a known format better than the path
 * does (a file called app.log can hold gunicorn output); otherwise the path's
 * hint wins; otherwise 'generic'.
 */
export function detectAppLogFormat(devicePath: string, firstLines: string[]): AppLogFormat {
  const lines = firstLines.map((l) => l.replace(ANSI, '').replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, 50);
  const scores = new Map<AppLogFormat, number>();
  for (const l of lines) {
    for (const [format, re] of SNIFFERS) {
      if (re.test(l)) scores.set(format, (scores.get(format) ?? 0) + 1);
    }
  }
  const hint = pathHint(devicePath);
  let best: AppLogFormat | null = null;
  let bestScore = 0;
  for (const [format] of SNIFFERS) {
    const s = scores.get(format) ?? 0;
    if (s > bestScore) {
      best = format;
      bestScore = s;
    }
  }
  if (best && (hint === null || bestScore > (scores.get(hint) ?? 0))) return best;
  return hint ?? 'generic';
}

/** The HTTP status of an nginx combined-format access line, or null when the line is not one. */
export function nginxAccessStatus(text: string): number | null {
  const m = NGINX_ACCESS.exec(text.replace(ANSI, ''));
  return m ? Number(m[5]) : null;
}

function clean(text: string): string {
  return text.replace(/\r$/, '').replace(ANSI, '');
}

function binaryProblem(text: string): string | null {
  // Power loss on SD cards leaves runs of NUL bytes in files that were being appended.
  if (text.includes('\u0000')) return 'binary data (NUL bytes) instead of text';
  return null;
}

function record(
  text: string,
  line: number,
  source: string,
  identifier: string,
  epochMs: number | null,
  priority?: number,
  pid?: number,
): LogRecord {
  const r: LogRecord = { source, line, epochMs, text, identifier };
  if (priority !== undefined) r.priority = priority;
  if (pid !== undefined && Number.isFinite(pid)) r.pid = pid;
  return r;
}

function parseNginxAccess(text: string, line: number, source: string, clock: DeviceClock): LineResult {
  const m = NGINX_ACCESS.exec(text);
  if (!m) return { problem: 'not an nginx combined access log line (truncated or another log_format)' };
  const t = leadingTimestamp(`[${m[3]}]`, clock);
  if (!t || t.epochMs === null) return { problem: `unreadable time [${m[3]}]` };
  return record(text, line, source, 'nginx', t.epochMs);
}

function parseNginxError(text: string, line: number, source: string, clock: DeviceClock): LineResult {
  const m = NGINX_ERROR.exec(text);
  if (!m) {
    return {
      problem: NGINX_ERROR_PREFIX.test(text)
        ? 'truncated nginx error log line'
        : 'not an nginx error log line',
    };
  }
  const t = leadingTimestamp(m[1]!, clock);
  if (!t || t.epochMs === null) return { problem: `unreadable time ${m[1]}` };
  return record(text, line, source, 'nginx', t.epochMs, NGINX_LEVELS[m[2]!], Number(m[3]));
}

function parseGunicorn(text: string, line: number, source: string, clock: DeviceClock, opts: AppLogOptions): LineResult {
  const m = GUNICORN.exec(text);
  if (m) {
    const t = leadingTimestamp(`[${m[1]}]`, clock);
    if (!t || t.epochMs === null) return { problem: `unreadable time [${m[1]}]` };
    return record(text, line, source, 'gunicorn', t.epochMs, levelPriority(m[3]!), Number(m[2]));
  }
  if (GUNICORN_PREFIX.test(text) && !leadingTimestamp(text, {}, opts.referenceMs)) return { problem: 'truncated gunicorn log line' };
  // Worker tracebacks and the application's own output share gunicorn's error log.
  return parseGeneric(text, line, source, clock, opts, 'gunicorn');
}

function parseUvicorn(text: string, line: number, source: string, clock: DeviceClock, opts: AppLogOptions): LineResult {
  const m = UVICORN_PREFIX.exec(text);
  if (m) {
    const pid = UVICORN_PID.exec(m[2]!);
    return record(text, line, source, 'uvicorn', null, levelPriority(m[1]!), pid ? Number(pid[1]) : undefined);
  }
  // --log-config / the app's own logging module writes timestamped lines into the same file.
  return parseGeneric(text, line, source, clock, opts, 'uvicorn');
}

function ngrokJson(text: string, line: number, source: string, clock: DeviceClock): LineResult {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { problem: 'unreadable JSON log line (truncated?)' };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { problem: 'JSON log line is not an object' };
  const o = obj as Record<string, unknown>;
  const t = typeof o.t === 'string' ? leadingTimestamp(o.t, clock) : null;
  const lvl = typeof o.lvl === 'string' ? levelPriority(o.lvl) : undefined;
  return record(text, line, source, 'ngrok', t?.epochMs ?? null, lvl);
}

function parseNgrok(text: string, line: number, source: string, clock: DeviceClock, opts: AppLogOptions): LineResult {
  if (text.startsWith('{')) return ngrokJson(text, line, source, clock);
  if (NGROK_LOGFMT.test(text)) {
    const f = parseLogfmt(text);
    const t = f.t ? leadingTimestamp(f.t, clock) : null;
    if (!t || t.epochMs === null) return { problem: `unreadable time t=${f.t ?? ''}` };
    return record(text, line, source, 'ngrok', t.epochMs, f.lvl ? levelPriority(f.lvl) : undefined);
  }
  const term = NGROK_TERM.exec(text);
  if (term) {
    const [mo, d, h, mi, s] = [term[2], term[3], term[4], term[5], term[6]].map(Number) as [number, number, number, number, number];
    const epochMs = opts.referenceMs !== undefined ? syslogStampToEpoch(mo, d, [h, mi, s], clock, opts.referenceMs) : null;
    return record(text, line, source, 'ngrok', epochMs, levelPriority(term[1]!));
  }
  // Start-up failures ("ERROR:  authentication failed: ...") are plain text on stderr.
  return parseGeneric(text, line, source, clock, opts, 'ngrok');
}

function parseGeneric(
  text: string,
  line: number,
  source: string,
  clock: DeviceClock,
  opts: AppLogOptions,
  identifier: string,
): LogRecord {
  const t = leadingTimestamp(text, clock, opts.referenceMs);
  const rest = t ? text.slice(t.end) : text;
  const level = findLevel(rest);
  let priority = level?.priority;
  if (priority === undefined && isTracebackStart(text)) priority = 3;
  return record(text, line, source, identifier, t?.epochMs ?? null, priority);
}

/**
 * Parse one line of an app log. Every readable line is a record, with
 * `epochMs` null when it carries no time (uvicorn's default format has none;
 * traceback lines neither). Problems: binary junk, blank lines, and lines of
 * the strict formats (nginx, gunicorn/ngrok headers) that are cut or malformed.
 * Traceback continuation lines get no priority here; `createAppLogParser`
 * gives them their block's priority and time.
 */
export function parseAppLogLine(
  format: AppLogFormat,
  text: string,
  line: number,
  source: string,
  clock: DeviceClock,
  opts: AppLogOptions = {},
): LogRecord | { problem: string } {
  const binary = binaryProblem(text);
  if (binary) return { problem: binary };
  const t = clean(text);
  if (t.trim() === '') return { problem: 'empty line' };
  switch (format) {
    case 'nginx-access':
      return parseNginxAccess(t, line, source, clock);
    case 'nginx-error':
      return parseNginxError(t, line, source, clock);
    case 'gunicorn':
      return parseGunicorn(t, line, source, clock, opts);
    case 'uvicorn':
      return parseUvicorn(t, line, source, clock, opts);
    case 'ngrok':
      return parseNgrok(t, line, source, clock, opts);
    case 'generic':
      return parseGeneric(t, line, source, clock, opts, basename(source));
  }
}

export type AppLogLineParser = (text: string, line: number) => LogRecord | { problem: string } | null;

/**
 * A stateful line parser for one file, for streaming. On top of
 * parseAppLogLine it: returns null for blank lines (not problems: they are
 * normal in logs); gives traceback/continuation lines (indented lines,
 * "Traceback (most recent call last):", the final "ValueError: ..." line) the
 * priority, time and pid of the line that started the block, so a traceback
 * after "ERROR:    Exception in ASGI application" reads as error lines at that
 * time; and for uvicorn remembers the pid of "Started server process [N]"
 * for the lines that follow it.
 */
export function createAppLogParser(
  format: AppLogFormat,
  source: string,
  clock: DeviceClock,
  opts: AppLogOptions = {},
): AppLogLineParser {
  let head: LogRecord | null = null;
  let inTraceback = false;
  let serverPid: number | undefined;
  const multiLine = format !== 'nginx-access' && format !== 'nginx-error';
  const inherit = (t: string, line: number, from: LogRecord): LogRecord =>
    record(t, line, source, from.identifier ?? format, from.epochMs, from.priority, from.pid);
  return (text, line) => {
    const binary = binaryProblem(text);
    if (binary) return { problem: binary };
    const t = clean(text);
    if (t.trim() === '') return null;
    const errorHead = head !== null && head.priority !== undefined && head.priority <= 3;
    // A traceback under a non-error line is an uncaught exception of its own, not part of that line.
    if (multiLine && head && isContinuationLine(t, false) && (errorHead || !isTracebackStart(t))) {
      if (isTracebackStart(t)) inTraceback = true;
      return inherit(t, line, head);
    }
    const r = parseAppLogLine(format, text, line, source, clock, opts);
    if ('problem' in r) return r;
    const ownHead = r.priority !== undefined || r.epochMs !== null;
    if (multiLine && head && inTraceback && !ownHead && isContinuationLine(t, true)) {
      // "ValueError: boom" closes the traceback; a chained one starts with its own header line.
      inTraceback = false;
      return inherit(t, line, head);
    }
    if (format === 'uvicorn') {
      const started = UVICORN_PID.exec(t);
      if (started && started[0].startsWith('Started')) serverPid = Number(started[1]);
      if (r.pid === undefined && serverPid !== undefined) r.pid = serverPid;
    }
    if (ownHead) {
      head = r;
      // uvicorn's lifespan errors put the traceback header on the level line itself.
      inTraceback = /Traceback \(most recent call last\):\s*$/.test(t);
    } else {
      head = null;
      inTraceback = false;
    }
    return r;
  };
}

/** Parse a whole (small) app log held in memory. */
export function parseAppLogText(
  text: string,
  devicePath: string,
  source: string,
  clock: DeviceClock,
  opts: AppLogOptions = {},
): ParseResult<LogRecord> & { format: AppLogFormat } {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const format = detectAppLogFormat(devicePath, lines.slice(0, 50));
  const parse = createAppLogParser(format, source, clock, opts);
  const problems = new ProblemLog();
  const records: LogRecord[] = [];
  lines.forEach((l, i) => {
    const r = parse(l, i + 1);
    if (r === null) return;
    if ('problem' in r) problems.add(i + 1, r.problem);
    else records.push(r);
  });
  return { ...problems.result(records), format };
}
