// The fleet summary (`analyze BUNDLE... --summary --json`): the single input
// of the fleet report, as the analysis JSON is for one bundle.
// Extend with optional fields; never rename or drop.
import { z } from 'zod';
import { SeveritySchema } from '../analysis/schema.js';
import { FailureKindSchema } from './collection-record.js';

/** One host of the fleet summary, worst first. */
export const FleetHostSchema = z.object({
  /** how the summary names the host: its hostname, with the target or bundle name added where hostnames repeat or are unknown */
  label: z.string(),
  hostname: z.string().nullable(),
  target: z.string().nullable(),
  status: z.enum(['analyzed', 'unreadable', 'not-collected']),
  /** why there is no analysis (unreadable bundle, failed collection) */
  error: z.string().nullable(),
  failureKind: FailureKindSchema.nullable(),
  bundle: z.object({ path: z.string(), sha256: z.string() }).nullable(),
  window: z.object({ since: z.string().nullable(), until: z.string().nullable() }).nullable(),
  collectedAt: z.string().nullable(),
  outage: z.object({ start: z.string(), end: z.string(), durationSeconds: z.number() }).nullable(),
  outageCount: z.number().int().nonnegative(),
  worst: SeveritySchema.nullable(),
  counts: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  /** distinct rule ids that fired, sorted */
  rules: z.array(z.string()),
  /** each finding as rule + subject + severity, for the per-host detail */
  findings: z.array(z.object({ rule: z.string(), subject: z.string(), severity: SeveritySchema, title: z.string() })),
  recurrence: z.object({ likely: z.boolean(), because: z.array(z.string()) }).nullable(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  journalStorage: z.string().nullable(),
  toolVersion: z.string().nullable(),
});
export type FleetHost = z.infer<typeof FleetHostSchema>;
