// Redaction of the shapes secrets take inside *names*: a unit, a process
// title, a path. The general redactor (redact.ts) finds secrets by their key
// or their scheme; names carry them without either, e.g. an ssh target with
// its password as a unit's instance (autossh@pi:PASSWORD@relay.service,
// systemd-escaped autossh@pi:PASSWORD\x40relay.service) or a process title
// (ocpp[CP01:PASSWORD@csms]). Everything that prints or builds from a name
// goes through redactText here: the general redactor, then these shapes.
//
// The same linearity rules as redact.ts: every pattern starts only at the
// beginning of a run and its repeats are bounded.
import { redact, redactDeep, type RedactionCounts } from './redact.js';
import { redactUserinfo } from './redact/userinfo.js';

export { redactUserinfo };

const MARK_PREFIX = '[redacted:';
const MARK = /\[redacted:[a-z0-9-]{1,40}\]/g;

/** The general redactor and the shapes of names: what every printed or derived name goes through. Idempotent. */
export function redactText(text: string, counts?: RedactionCounts): string {
  return redactUserinfo(redact(text, counts), counts);
}

/** redactText over every string of a JSON-like value (the analysis JSON, a check result, a fleet summary). */
export function redactTextDeep<T>(value: T, counts?: RedactionCounts): T {
  return mapStrings(redactDeep(value, counts), (s) => redactUserinfo(s, counts));
}

/**
 * A file path, one segment at a time: a segment cannot hold a `/`, so a
 * secret in a directory name (/srv/token=SECRET/app) goes and the rest of the
 * path stays (/srv/token=[redacted:secret-kv]/app).
 */
export function redactPath(path: string, counts?: RedactionCounts): string {
  if (!path.includes('/')) return redactText(path, counts);
  return path
    .split('/')
    .map((segment) => (segment === '' ? segment : redactText(segment, counts)))
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

function mapStrings<T>(value: T, fn: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const w = walk(v[i]);
        if (w !== v[i]) (out ??= v.slice())[i] = w;
      }
      return out ?? v;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    let out: Record<string, unknown> | null = null;
    for (const [k, item] of Object.entries(v)) {
      const w = walk(item);
      if (w !== item) (out ??= { ...(v as Record<string, unknown>) })[k] = w;
    }
    return out ?? v;
  };
  return walk(value) as T;
}
