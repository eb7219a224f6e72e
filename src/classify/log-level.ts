// Is a log line an error, and is it noise from tests or mocks rather than
// from the device's real work?
import { LogRecord } from '../parse/types.js';
import { isTracebackStart } from '../parse/traceback.js';
import { findLevel, ERROR_LEVEL_WORDS } from '../parse/level-words.js';
import { leadingTimestamp } from '../parse/leading-timestamp.js';
import { anyOfWords } from './words.js';

/**
 * Texts (any case) of which every line isErrorRecord finds an error by its
 * own words holds at least one: a level word of priority <= 3 (ERROR holds
 * "err") and the traceback header. The journal's quiet-line filter forwards
 * a service's stdout line only when it holds one (parse/journal-quiet.ts).
 */
export const ERROR_TEXT_WORDS: readonly string[] = [...ERROR_LEVEL_WORDS.map((w) => w.toLowerCase()), 'traceback'];

/**
 * Error-level: syslog priority ≤ 3 when the source states one; otherwise the
 * line's own level mark where logging formats put it (a level word among the
 * first tokens after any timestamp, nginx [error]/[crit]/[alert]/[emerg],
 * ngrok lvl=eror|crit) or a Python traceback header. A word "error" inside the
 * message does not count.
 *
 * A service's stdout/stderr reaches the journal (_TRANSPORT=stdout) at its
 * unit's SyslogLevel= (info unless set) whatever the line says, so there a
 * priority above 3 only means nobody told journald: the line's own level mark
 * decides, as for a text log. Python's logging, uvicorn and ngrok under
 * systemd all write this way.
 */
export function isErrorRecord(r: LogRecord): boolean {
  if (r.priority !== undefined) {
    if (r.priority <= 3) return true;
    if (r.fields?._TRANSPORT !== 'stdout') return false;
  }
  const text = r.text;
  if (isTracebackStart(text)) return true;
  // ngrok v2 terminal format: "EROR[03-10|07:16:48] ..."
  if (/^(?:EROR|CRIT)\[\d{2}-\d{2}\|/.test(text)) return true;
  // Only the offset of the stamp matters here, not its value.
  const stamp = leadingTimestamp(text, {});
  const level = findLevel(stamp ? text.slice(stamp.end) : text);
  return level !== null && level.priority <= 3;
}

// Each: what it is, and a pattern that needs a word boundary on both sides
// (letters and digits only: "mock_charger" and "_pytest" count, "hammock" does not).
const NOISE: [string, RegExp][] = [
  ['mock', /(?<![A-Za-z0-9])unittest[./]mock\b/],
  ['mock', /(?:Magic|Async|NonCallable|Property)Mock\b/],
  ['mock', /(?<![A-Za-z0-9])Mock(?:[A-Z]\w*)?(?![a-z0-9])/],
  ['mock', /(?<![A-Za-z0-9])(?:pytest[-_])?mock_\w+/i],
  ['mock', /(?<![A-Za-z0-9])_?mock(?:s|ed|ing|er)?(?![A-Za-z0-9])/i],
  ['test runner', /(?<![A-Za-z0-9])_?pytest(?![A-Za-z0-9])/],
  ['test runner', /(?<![A-Za-z0-9])unittest(?![A-Za-z0-9])/],
  ['test runner', /(?<![A-Za-z0-9])(?:nosetests|nose2)(?![A-Za-z0-9])|(?<![A-Za-z0-9.])nose\.(?:core|case|plugins|tools)\b/],
  ['test runner', /(?<![A-Za-z0-9])(?:jest|vitest)(?![A-Za-z0-9])/],
  ['test file', /(?<![A-Za-z0-9])conftest\.py\b/],
  ['test function', /(?<![A-Za-z0-9])test_[A-Za-z0-9_]+/],
];

/**
 * Every NOISE match holds one of these (any case): "mock" (patterns 1 to 5),
 * "test" (pytest, unittest, nosetests, vitest, conftest, test_), "nose",
 * "jest". One search of a long line (a traceback of many kilobytes) instead of
 * eleven decides most error lines; the journal's fast path makes it on the
 * raw bytes (parse/text-lacks.ts).
 */
export const NOISE_TEXT_WORDS: readonly string[] = ['mock', 'test', 'nose', 'jest'];
const NOISE_WORDS = anyOfWords(NOISE_TEXT_WORDS);

/**
 * Why this line is test/mock noise ("mock: MagicMock", "test runner: pytest",
 * "test function: test_boot_notification"), or null. Needs the whole word:
 * latest, contest, attestation and hammock are not noise. `lacksWords`: the
 * text is known to hold none of NOISE_TEXT_WORDS.
 */
export function noiseReason(r: LogRecord, lacksWords = false): string | null {
  if (lacksWords || !NOISE_WORDS.test(r.text)) return null;
  for (const [what, re] of NOISE) {
    const m = re.exec(r.text);
    if (m) return `${what}: ${m[0]}`;
  }
  return null;
}
