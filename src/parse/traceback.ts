// Python tracebacks (and other multi-line dumps) span many lines, of which
// only the first carries a time and a level. These tests tell a parser that a
// line continues the previous record rather than starting one.

const TRACEBACK_START = /^(?:\s*[+|]?\s*)?(?:Exception Group )?Traceback \(most recent call last\):/;
const CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)/;
// The last line of a traceback: "ValueError: boom", "asyncpg.exceptions.X: ...", "KeyboardInterrupt".
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?::\s|:$|$)/;

export function isTracebackStart(text: string): boolean {
  return TRACEBACK_START.test(text);
}

/**
 * Does this line continue a traceback block? `inTraceback` says whether a
 * "Traceback (most recent call last):" was seen since the last headed line;
 * only then does a bare "SomeError: message" line count as part of it.
 */
export function isContinuationLine(text: string, inTraceback: boolean): boolean {
  if (TRACEBACK_START.test(text) || CHAIN.test(text)) return true;
  if (/^\s+\S/.test(text)) return true;
  return inTraceback && EXCEPTION_LINE.test(text);
}
