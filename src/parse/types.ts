// Shared shapes of parser output. Every parser is a pure function (or a pure
// streaming consumer) that never throws on bad input: what it cannot read it
// counts in `skipped` and samples in `problems`, so the report can say so.

/** Where a record came from: the bundle-relative path and the 1-based line. */
export interface Origin {
  source: string;
  line: number;
}

/** A problem a parser met: the line it gave up on and why. Capped per source. */
export interface ParseProblem {
  line: number;
  reason: string;
}

export interface ParseResult<T> {
  records: T[];
  /** Records (lines, blocks) that could not be read. */
  skipped: number;
  /** The first few problems, for the report's "could not read" notes. */
  problems: ParseProblem[];
}

export const MAX_PROBLEMS = 20;

/** Small helper so every parser counts and samples problems the same way. */
export class ProblemLog {
  skipped = 0;
  readonly problems: ParseProblem[] = [];
  add(line: number, reason: string): void {
    this.skipped++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ line, reason });
  }
  result<T>(records: T[]): ParseResult<T> {
    return { records, skipped: this.skipped, problems: this.problems };
  }
}

/**
 * One line of a log-like source (journal entry, syslog/kern.log line, dmesg
 * line, app log line) in a common form, so the same classifiers (systemd
 * lifecycle, kernel faults, proxy errors, port conflicts) run on all of them.
 */
export interface LogRecord extends Origin {
  /** Epoch milliseconds (UTC), or null when the line carries no usable time. */
  epochMs: number | null;
  /** True when epochMs was derived from a monotonic/uptime stamp plus boot time (kernel replay). */
  timeFromMonotonic?: boolean;
  /** The message text, decoded (byte-array MESSAGE turned into text). */
  text: string;
  /** syslog priority 0..7 when the source says it. */
  priority?: number;
  /** Program name: SYSLOG_IDENTIFIER, syslog tag, "kernel", "nginx", "ngrok", ... */
  identifier?: string;
  pid?: number;
  /** The unit that logged the line (_SYSTEMD_UNIT), e.g. "charger.service". */
  unit?: string;
  /** The unit a systemd (init.scope) message is about: journal field UNIT= / USER_UNIT=. */
  aboutUnit?: string;
  /** Selected structured journal fields when present. */
  fields?: {
    MESSAGE_ID?: string;
    UNIT_RESULT?: string;
    EXIT_CODE?: string;
    EXIT_STATUS?: string;
    N_RESTARTS?: string;
    _TRANSPORT?: string;
    _SYSTEMD_CGROUP?: string;
    _BOOT_ID?: string;
    _SOURCE_MONOTONIC_TIMESTAMP?: string;
    __MONOTONIC_TIMESTAMP?: string;
    COREDUMP_UNIT?: string;
    COREDUMP_SIGNAL_NAME?: string;
    COREDUMP_COMM?: string;
    COREDUMP_PID?: string;
  };
  /** Kernel uptime prefix in seconds ("[12345.678901]"), when the line has one. */
  uptimeSeconds?: number;
}
