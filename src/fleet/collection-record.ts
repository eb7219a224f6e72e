// The collection record `collect` writes next to the bundles of a many-host
// run: which hosts gave a bundle, which failed and why. `analyze --summary`
// reads it back so hosts without a bundle stay in the fleet view.
// Extend with optional fields; never rename or drop.
import * as z from '../zod.js';

export const FLEET_COLLECTION_FORMAT = 'charger-diag-fleet-collection';

/** Why a host gave no bundle, for people and for scripts (grouped in the summary). */
export const FailureKindSchema = z.enum([
  /** no TCP connection: refused, no route, name not resolved, connect timeout */
  'unreachable',
  /** the device refused every key or password offered (BatchMode never prompts) */
  'auth-refused',
  /** the device's host key is unknown or changed (StrictHostKeyChecking) */
  'host-key',
  /** the per-host time limit (--host-timeout) ran out; nothing of it is kept */
  'timeout',
  /** anything else: the remote shell failed, the session broke, the output side failed */
  'failed',
]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

export const FleetHostRecordSchema = z.object({
  /** as given on the command line or in --hosts: [USER@]HOST[:PORT] */
  target: z.string(),
  status: z.enum(['ok', 'failed']),
  /** bundle file name, relative to the record's directory; null when failed */
  bundle: z.nullable(z.string()),
  /** the bundle's report beside it, relative; null with --no-report or when failed */
  report: z.nullable(z.string()),
  failure: z.nullable(z.object({ kind: FailureKindSchema, message: z.string() })),
  durationMs: z.number().check(z.int(), z.nonnegative()),
  /** source statuses of the bundle's manifest: { ok: 170, missing: 4, ... } */
  sources: z.optional(z.record(z.string(), z.number().check(z.int(), z.nonnegative()))),
});
export type FleetHostRecord = z.infer<typeof FleetHostRecordSchema>;

export const FleetCollectionSchema = z.object({
  format: z.literal(FLEET_COLLECTION_FORMAT),
  formatVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** the window options as given (each device resolves them on its own clock) */
  window: z.record(z.string(), z.string()),
  jobs: z.number().check(z.int(), z.positive()),
  hostTimeoutSeconds: z.number().check(z.positive()),
  hosts: z.array(FleetHostRecordSchema),
});
export type FleetCollection = z.infer<typeof FleetCollectionSchema>;

