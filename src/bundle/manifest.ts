// manifest.json of a bundle (DESIGN.md §4, a contract). Only `format` and
// `formatVersion` are required so a person can build a sample bundle by hand;
// unknown fields are dropped, not refused, so newer collectors stay readable.
import { z } from 'zod';
import { InputError } from '../errors.js';
import { describeJsonError } from './json-error.js';

export const FORMAT = 'charger-diag-bundle';
export const FORMAT_VERSION = 1;

export const SourceStatusSchema = z.enum(['ok', 'missing', 'denied', 'timeout', 'failed', 'truncated', 'unavailable']);
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

// A collector may write null for "not applicable" (a timed-out command has no
// exit code, a failed one no output file); null and absent mean the same.
const optString = z.string().nullish();
const optCount = z.number().int().nonnegative().nullish();

export const ManifestSourceSchema = z.object({
  id: optString,
  path: optString,
  command: optString,
  status: SourceStatusSchema.nullish(),
  exitCode: z.number().int().nullish(),
  durationMs: z.number().nonnegative().nullish(),
  bytes: optCount,
  error: optString,
});
export type ManifestSource = z.infer<typeof ManifestSourceSchema>;

export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  tool: z.object({ name: optString, version: optString }).nullish(),
  host: z
    .object({
      hostname: optString,
      os: optString,
      kernel: optString,
      arch: optString,
      timezone: optString,
      utcOffset: optString,
      cpus: z.number().int().positive().nullish(),
      bootId: optString,
      journalStorage: z.enum(['persistent', 'volatile', 'unknown']).nullish(),
    })
    .nullish(),
  collectedAt: optString,
  window: z.object({ since: optString, until: optString }).nullish(),
  sources: z.array(ManifestSourceSchema).nullish(),
  redaction: z
    .object({
      enabled: z.boolean().nullish(),
      replacements: z.record(z.string(), z.number().int().nonnegative()).nullish(),
    })
    .nullish(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Parse and validate manifest.json; every problem is one InputError line naming displayName. */
export function parseManifest(text: string, displayName: string): Manifest {
  // Hand-edited manifests (Windows editors) may start with a byte-order mark.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new InputError(`${displayName}: not valid JSON (${describeJsonError(body, err)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${displayName}: expected a JSON object, found ${jsonKind(data)}`);
  }
  const obj = data as Record<string, unknown>;
  // Checked before the schema so the message says what the user must know:
  // this is not a bundle at all, or a bundle from an incompatible version.
  if (obj.format !== FORMAT) {
    const found = obj.format === undefined ? 'no "format" field' : `format ${show(obj.format)}`;
    throw new InputError(`${displayName}: not a charger-diag bundle (${found}, expected "${FORMAT}")`);
  }
  if (obj.formatVersion !== FORMAT_VERSION) {
    const found = obj.formatVersion === undefined ? 'missing formatVersion' : `unsupported formatVersion ${show(obj.formatVersion)}`;
    throw new InputError(`${displayName}: ${found} (this charger-diag reads ${FORMAT_VERSION})`);
  }
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const where = first ? fieldPath(first.path) : '(root)';
    const value = first ? valueAt(data, first.path) : undefined;
    const got = value === undefined ? '' : ` = ${show(value)}`;
    const reason = (first?.message ?? 'invalid').replace(/^Invalid input: /, '');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new InputError(`${displayName}: invalid field ${where}${got}: ${reason}${more}`);
  }
  return parsed.data;
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
function show(v: unknown): string {
  let s: string;
  if (typeof v === 'object' && v !== null) s = Array.isArray(v) ? 'an array' : 'an object';
  else s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
