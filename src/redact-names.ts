// Names after redaction: a path redacted a segment at a time (a secret in a directory name goes,
// the rest of the path stays), and the redaction marks a name may carry, which a ready-to-apply
// file replaces by a placeholder. The shapes secrets take inside names (user:password@host in a
// unit's instance or a process title) are part of every redaction: src/redact/userinfo.ts.
import { redact, type RedactionCounts } from './redact.js';

const MARK_PREFIX = '[redacted:';
const MARK = /\[redacted:[a-z0-9-]{1,40}\]/g;

/**
 * A file path, one segment at a time: a segment cannot hold a `/`, so a
 * secret in a directory name (/srv/token=SECRET/app) goes and the rest of the
 * path stays (/srv/token=[redacted:secret-kv]/app).
 */
export function redactPath(path: string, counts?: RedactionCounts): string {
  if (!path.includes('/')) return redact(path, counts);
  return path
    .split('/')
    .map((segment) => (segment === '' ? segment : redact(segment, counts)))
    .join('/');
}

/** Does this text carry a redaction mark? */
export function hasMark(text: string): boolean {
  return text.includes(MARK_PREFIX);
}

/** Every redaction mark replaced by `by` (what a ready-to-apply file carries instead). */
export function replaceMarks(text: string, by: string): string {
  return hasMark(text) ? text.replace(MARK, by) : text;
}
