// Reading a JSON file a user or a ticket handed us (manifest, config,
// expectations): every problem becomes one InputError line naming the file,
// the field and the value.
import type * as z from './zod.js';
import { InputError } from './errors.js';
import { describeJsonError } from './bundle/json-error.js';

/** Parse JSON text that must be an object. */
export function readJsonObject(text: string, file: string): Record<string, unknown> {
  // Hand-edited files (Windows editors) may start with a byte-order mark.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${describeJsonError(body, err)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${file}: expected a JSON object, found ${jsonKind(data)}`);
  }
  return data as Record<string, unknown>;
}

/** Validate with a zod schema; the first issue (and how many more) in one line. */
export function validate<S extends z.ZodMiniType>(schema: S, data: unknown, file: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const first = issues[0];
  const where = first ? fieldPath(first.path) : '(root)';
  const value = first ? valueAt(data, first.path) : undefined;
  const got = value === undefined ? '' : ` = ${show(value)}`;
  const reason = (first?.message ?? 'invalid').replace(/^Invalid input: /, '');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new InputError(`${file}: invalid field ${where}${got}: ${reason}${more}`);
}

/** "sources[2].status" from zod's issue path. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** A short JSON rendering of a value from the file, for the message. */
export function show(v: unknown): string {
  let s: string;
  if (typeof v === 'object' && v !== null) s = Array.isArray(v) ? 'an array' : 'an object';
  else s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
