// The fleet summary (`analyze BUNDLE... --summary --json`): the single input
// of the fleet report, as the analysis JSON is for one bundle.
// Extend with optional fields; never rename or drop.
import * as z from '../zod.js';
import { SeveritySchema } from '../analysis/schema.js';
import { FailureKindSchema } from './collection-record.js';

const FleetOutageSchema = z.object({ start: z.string(), end: z.string(), durationSeconds: z.number() });

/** One host of the fleet summary, worst first. */
export const FleetHostSchema = z.object({
  /** how the summary names the host: its hostname, with the target or bundle name added where hostnames repeat or are unknown */
  label: z.string(),
  hostname: z.nullable(z.string()),
  target: z.nullable(z.string()),
  status: z.enum(['analyzed', 'unreadable', 'not-collected']),
  /** why there is no analysis (unreadable bundle, failed collection) */
  error: z.nullable(z.string()),
  failureKind: z.nullable(FailureKindSchema),
  bundle: z.nullable(z.object({ path: z.string(), sha256: z.string() })),
  window: z.nullable(z.object({ since: z.nullable(z.string()), until: z.nullable(z.string()) })),
  collectedAt: z.nullable(z.string()),
  outage: z.nullable(z.object({ start: z.string(), end: z.string(), durationSeconds: z.number() })),
  outageCount: z.number().check(z.int(), z.nonnegative()),
  worst: z.nullable(SeveritySchema),
  counts: z.object({ critical: z.number().check(z.int()), warning: z.number().check(z.int()), info: z.number().check(z.int()) }),
  /** distinct rule ids that fired, sorted */
  rules: z.array(z.string()),
  /** each finding as rule + subject + severity, for the per-host detail */
  findings: z.array(z.object({ rule: z.string(), subject: z.string(), severity: SeveritySchema, title: z.string() })),
  recurrence: z.nullable(z.object({ likely: z.boolean(), because: z.array(z.string()) })),
  os: z.nullable(z.string()),
  kernel: z.nullable(z.string()),
  journalStorage: z.nullable(z.string()),
  toolVersion: z.nullable(z.string()),
  /** every outage episode of the analysis (`outage` is only the longest): outage groups compare them all */
  outages: z.optional(z.array(FleetOutageSchema)),
  /** where the bundle was read from: as given, or joined onto the collection record's directory; null when there is none */
  input: z.optional(z.nullable(z.string())),
  /** the fleet collection record that named this host */
  record: z.optional(z.nullable(z.string())),
  /** rules that could not run on this host, with the analysis's reason */
  skipped: z.optional(z.array(z.object({ rule: z.string(), reason: z.string() }))),
  /** what the host's picture drew down (any lane), merged, in the host's offset */
  down: z.optional(z.array(z.object({ from: z.string(), to: z.string() }))),
});
export type FleetHost = z.infer<typeof FleetHostSchema>;

const FleetFieldSchema = z.enum(['os', 'kernel', 'journalStorage', 'toolVersion']);
export type FleetField = z.infer<typeof FleetFieldSchema>;
export const FLEET_FIELDS: readonly FleetField[] = FleetFieldSchema.options;

/** The fleet view of many bundles: hosts worst first, what they share, what differs. */
export const FleetSummarySchema = z.object({
  formatVersion: z.literal(1),
  kind: z.literal('fleet-summary'),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** ISO with offset: the hosts' common offset, UTC when they differ; SOURCE_DATE_EPOCH pins it */
  generatedAt: z.string(),
  /** the BUNDLE arguments as given */
  inputs: z.array(z.string()),
  /** outage episodes of different hosts this close (or overlapping) share a window */
  outageGapSeconds: z.number().check(z.int(), z.positive()),
  counts: z.object({
    total: z.number().check(z.int(), z.nonnegative()),
    analyzed: z.number().check(z.int(), z.nonnegative()),
    unreadable: z.number().check(z.int(), z.nonnegative()),
    notCollected: z.number().check(z.int(), z.nonnegative()),
    withOutage: z.number().check(z.int(), z.nonnegative()),
    /** hosts where a standing condition remains (recurrence.likely) */
    recurrenceLikely: z.number().check(z.int(), z.nonnegative()),
    /** analysed hosts by their worst finding; `none` had no finding */
    worst: z.object({ critical: z.number().check(z.int()), warning: z.number().check(z.int()), info: z.number().check(z.int()), none: z.number().check(z.int()) }),
  }),
  /** analysed hosts worst first (critical, warning, outage length, info, label), then unreadable, then not collected */
  hosts: z.array(FleetHostSchema),
  /** each rule that fired somewhere, on most hosts first */
  rules: z.array(
    z.object({
      rule: z.string(),
      worst: SeveritySchema,
      hosts: z.number().check(z.int(), z.positive()),
      labels: z.array(z.string()),
      /** subjects with the pid left out (`uvicorn (pid 812)` on one host is `uvicorn` fleet-wide) */
      subjects: z.array(z.object({ subject: z.string(), hosts: z.number().check(z.int(), z.positive()) })),
    }),
  ),
  /** rules of the catalogue that could not run on some analysed hosts */
  skippedRules: z.array(
    z.object({
      rule: z.string(),
      hosts: z.number().check(z.int(), z.positive()),
      labels: z.array(z.string()),
      reasons: z.array(z.object({ reason: z.string(), hosts: z.number().check(z.int(), z.positive()) })),
    }),
  ),
  /** outage windows shared by hosts (a lone host's outage is a group of one), most hosts first */
  outageGroups: z.array(
    z.object({
      /** in the offset of the host whose outage started first */
      start: z.string(),
      end: z.string(),
      durationSeconds: z.number().check(z.nonnegative()),
      hosts: z.array(z.object({ label: z.string(), start: z.string(), end: z.string(), durationSeconds: z.number().check(z.nonnegative()) })),
    }),
  ),
  /** host facts with more than one value among analysed hosts; null is "not recorded" */
  differences: z.array(
    z.object({
      field: FleetFieldSchema,
      values: z.array(z.object({ value: z.nullable(z.string()), hosts: z.number().check(z.int(), z.positive()), labels: z.array(z.string()) })),
    }),
  ),
  /** host facts every analysed host shares, with the shared value */
  sameEverywhere: z.array(z.object({ field: FleetFieldSchema, value: z.nullable(z.string()) })),
  /** hosts × time for the report's picture, in UTC (absent when no host was down) */
  picture: z.optional(z.object({
    start: z.string(),
    end: z.string(),
    /** the first dozen hosts in the order of hosts[] */
    rows: z.array(
      z.object({
        label: z.string(),
        window: z.nullable(z.object({ from: z.string(), to: z.string() })),
        down: z.array(z.object({ from: z.string(), to: z.string() })),
        outages: z.array(z.object({ from: z.string(), to: z.string() })),
        collectedAt: z.nullable(z.string()),
      }),
    ),
    rowsLeftOut: z.array(z.string()),
    /** outage windows shared by two hosts or more */
    windows: z.array(z.object({ from: z.string(), to: z.string(), hosts: z.number().check(z.int()) })),
  })),
});
export type FleetSummary = z.infer<typeof FleetSummarySchema>;
