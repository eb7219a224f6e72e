// Text from a bundle (host and process names, unit and file names, journal
// messages, error texts) as it may be shown to a person: on a terminal an
// escape sequence would move the cursor, recolour, retitle the window or
// hide what follows; a bidi override would make text read other than it is.
// Every such character is shown as an escape instead, so what is printed is
// what the file holds. The tool's own colours and cursor moves are added
// after this, never passed through it. JSON output needs none of this: its
// encoder writes these characters as JSON escapes already.

/**
 * C0 controls but tab and line feed (callers decide about lines), DEL, C1
 * controls (U+009B is a one-byte CSI for many terminals), and the bidi
 * marks, embeddings, overrides and isolates, with the line and paragraph
 * separators that some terminals and editors break lines at.
 */
const CLASS = '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const INVISIBLE = new RegExp(CLASS, 'g');
const ANY_INVISIBLE = new RegExp(CLASS);

function escape(ch: string): string {
  const cp = ch.charCodeAt(0);
  return cp < 0x80 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** Control and bidi characters as `\x1b`, `\x7f`, `\u009b`, `\u202e`; tab and line feed kept. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escape);
}

/** One line of bundle text for a terminal: line breaks shown as ⏎, tabs as a space, the rest as visible() does. */
export function visibleLine(text: string): string {
  return visible(text.replace(/\r?\n/g, ' ⏎ ').replace(/\t/g, ' '));
}

/** Does the text hold anything visible() would escape (a test for outputs that must carry none)? */
export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}

// Past U+001F JSON.stringify writes characters as they are; these are not
// JSON syntax, so inside a string they may as well be \u escapes: the same
// value to every JSON reader, nothing for a terminal to obey.
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify(value, null, 2) and a newline, with DEL, C1 and bidi characters written as \u escapes. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
