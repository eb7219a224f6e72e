// `coredumpctl list --no-pager`.
// systemd 252 (a table):
//   TIME                         PID  UID  GID SIG     COREFILE EXE                 SIZE
//   Wed 2025-12-10 01:11:20 +03 1290 1000 1000 SIGSEGV present  /usr/bin/python3.11 1.1M
// systemd 247 (printf columns, signal as a number, no SIZE):
//   TIME                            PID   UID   GID SIG COREFILE  EXE
//   Wed 2025-12-10 01:11:20 +03    1290  1000  1000  11 present   /usr/bin/python3.11
// Older releases had a PRESENT column holding "*" or nothing instead of COREFILE.
import { parseSystemdTimestamp, type DeviceClock } from '../time.js';
import { splitLines } from './lines.js';
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface CoredumpRecord extends Origin {
  epochMs: number | null;
  timeText: string;
  pid: number;
  uid: number | null;
  signal: string;
  corefile: string | null;
  exe: string;
}

// Numbers as Linux on x86 and arm64 number them; coredumpctl before 248 printed COREDUMP_SIGNAL raw.
const SIGNAL_NAMES: Record<string, string> = {
  '1': 'SIGHUP', '2': 'SIGINT', '3': 'SIGQUIT', '4': 'SIGILL', '5': 'SIGTRAP', '6': 'SIGABRT',
  '7': 'SIGBUS', '8': 'SIGFPE', '9': 'SIGKILL', '11': 'SIGSEGV', '13': 'SIGPIPE', '15': 'SIGTERM',
  '24': 'SIGXCPU', '25': 'SIGXFSZ', '31': 'SIGSYS',
};

const ROW_RE =
  /^\s*((?:[A-Z][a-z]{2} )?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: (?:[A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?))?)\s+(.*?)\s*$/;

function optionalId(tok: string | undefined): number | null {
  return tok !== undefined && /^\d+$/.test(tok) ? Number(tok) : null;
}

export function parseCoredumpctl(text: string, source: string, clock: DeviceClock): ParseResult<CoredumpRecord> {
  const log = new ProblemLog();
  const records: CoredumpRecord[] = [];
  // Until a header says otherwise, assume the current layout.
  let hasSize = true;
  let hasCorefile = true;
  let hasPresent = false;
  for (const { line, text: t } of splitLines(text)) {
    const trimmed = t.trim();
    // The "none" message goes to stderr, but a collector that merges streams keeps it.
    if (trimmed === '' || trimmed === 'No coredumps found.') continue;
    if (/^TIME\s+PID\b/.test(trimmed)) {
      const cols = trimmed.split(/\s+/);
      hasSize = cols.includes('SIZE');
      hasCorefile = cols.includes('COREFILE');
      hasPresent = cols.includes('PRESENT');
      continue;
    }
    const m = ROW_RE.exec(t);
    if (!m) {
      log.add(line, 'no timestamp at the start of the row');
      continue;
    }
    const timeText = m[1]!;
    const toks = m[2]!.split(/\s+/);
    const [pidTok, uidTok, , sigTok] = toks;
    if (pidTok === undefined || !/^\d+$/.test(pidTok) || sigTok === undefined) {
      log.add(line, 'row without PID and signal columns');
      continue;
    }
    let rest = toks.slice(4);
    let corefile: string | null = null;
    if (hasCorefile) {
      corefile = rest[0] ?? null;
      rest = rest.slice(1);
    } else if (hasPresent) {
      // "*" when the core file exists; an empty cell otherwise, so the EXE follows directly.
      if (rest[0] === '*') {
        corefile = 'present';
        rest = rest.slice(1);
      }
    }
    if (hasSize && rest.length > 1) rest = rest.slice(0, -1);
    if (rest.length === 0) {
      log.add(line, 'row without EXE column');
      continue;
    }
    records.push({
      source,
      line,
      epochMs: parseSystemdTimestamp(timeText, clock),
      timeText,
      pid: Number(pidTok),
      uid: optionalId(uidTok),
      signal: SIGNAL_NAMES[sigTok] ?? sigTok,
      corefile,
      exe: rest.join(' '),
    });
  }
  return log.result(records);
}
