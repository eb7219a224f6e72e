// manifest.json of a bundle (docs/bundle-format.md, a contract). Only `format` and
// `formatVersion` are required so a person can build a sample bundle by hand;
// unknown fields are dropped, not refused, so newer collectors stay readable.
import * as z from '../zod.js';
import { InputError } from '../errors.js';
import { readJsonObject, show, validate } from '../json-input.js';

export const FORMAT = 'charger-diag-bundle';
export const FORMAT_VERSION = 1;

export const SourceStatusSchema = z.enum(['ok', 'missing', 'denied', 'timeout', 'failed', 'truncated', 'unavailable']);
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

// A collector may write null for "not applicable" (a timed-out command has no
// exit code, a failed one no output file); null and absent mean the same.
const optString = z.nullish(z.string());
const optCount = z.nullish(z.number().check(z.int(), z.nonnegative()));

export const ManifestSourceSchema = z.object({
  id: optString,
  path: optString,
  command: optString,
  status: z.nullish(SourceStatusSchema),
  exitCode: z.nullish(z.number().check(z.int())),
  durationMs: z.nullish(z.number().check(z.nonnegative())),
  bytes: optCount,
  error: optString,
});

export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  tool: z.nullish(z.object({ name: optString, version: optString })),
  host: z.nullish(z.object({
    hostname: optString,
    os: optString,
    kernel: optString,
    arch: optString,
    timezone: optString,
    utcOffset: optString,
    cpus: z.nullish(z.number().check(z.int(), z.positive())),
    bootId: optString,
    journalStorage: z.nullish(z.enum(['persistent', 'volatile', 'unknown'])),
  })),
  collectedAt: optString,
  window: z.nullish(z.object({ since: optString, until: optString })),
  sources: z.nullish(z.array(ManifestSourceSchema)),
  /** how the bundle was collected; `units` are the ones named with --unit, site-local by definition */
  collector: z.catch(z.nullish(z.object({
    command: optString,
    mode: optString,
    user: optString,
    privileged: z.nullish(z.boolean()),
    target: optString,
    units: z.nullish(z.array(z.string())),
  })), null),
  /**
   * what started the collection when `charger-diag capture` made it (docs/capture.md): the
   * watched unit that stopped, how (systemd's $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS) and when
   */
  trigger: z.catch(z.nullish(z.object({
    unit: z.string(),
    result: z.string(),
    exitCode: optString,
    exitStatus: optString,
    time: optString,
    hook: optString,
    systemdResult: optString,
  })), null),
  redaction: z.nullish(z.object({
    enabled: z.nullish(z.boolean()),
    replacements: z.nullish(z.record(z.string(), z.number().check(z.int(), z.nonnegative()))),
  })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Parse and validate manifest.json; every problem is one InputError line naming displayName. */
export function parseManifest(text: string, displayName: string): Manifest {
  const obj = readJsonObject(text, displayName);
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
  return validate(ManifestSchema, obj, displayName);
}
