// The analysis JSON (docs/analysis-json.md, contract). Every renderer reads only this.
// Extend with optional fields; never rename or drop.
import * as z from '../zod.js';
import { SEVERITIES, severityRank, type Severity } from './severities.js';

export { SEVERITIES, severityRank, type Severity };
export const SeveritySchema = z.enum(SEVERITIES);

export const EvidenceSchema = z.object({
  source: z.string(),
  line: z.nullable(z.number().check(z.int())),
  time: z.nullable(z.string()),
  text: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ParamValue: z.ZodMiniType<unknown> = z.unknown();

export const FindingSchema = z.object({
  rule: z.string(),
  severity: SeveritySchema,
  subject: z.string().check(z.minLength(1)),
  params: z.record(z.string(), ParamValue),
  title: z.string(),
  evidence: z.array(EvidenceSchema).check(z.minLength(1)),
  evidenceTotal: z.number().check(z.int()),
  remediation: z.string(),
  /** true when the log lines behind it look like tests or mocks (log.errors) */
  noise: z.optional(z.boolean()),
});
export type Finding = z.infer<typeof FindingSchema>;

/** A finding a configured waiver covers: out of `findings`, counted nowhere, shown with the waiver's reason. */
export const WaivedSchema = z.extend(FindingSchema, {
  waiver: z.object({ reason: z.string(), until: z.nullable(z.string()) }),
});
export type Waived = z.infer<typeof WaivedSchema>;

/** Each configured waiver and what became of it: applied, expired (it stops applying) or matched nothing. */
export const WaiverStatusSchema = z.object({
  rule: z.string(),
  subject: z.nullable(z.string()),
  reason: z.string(),
  until: z.nullable(z.string()),
  status: z.enum(['applied', 'expired', 'unmatched']),
  /** findings it covers (for an expired waiver: the findings that are back in `findings`) */
  findings: z.number().check(z.int()),
});
export type WaiverStatus = z.infer<typeof WaiverStatusSchema>;

export const OutageSchema = z.object({
  start: z.string(),
  end: z.string(),
  durationSeconds: z.number(),
  basis: z.array(z.string()),
  recoveredAt: z.nullable(z.string()),
  /** how many down signals the episode holds */
  signals: z.optional(z.number().check(z.int())),
  evidence: z.optional(z.array(EvidenceSchema)),
});
export type Outage = z.infer<typeof OutageSchema>;

export const ResourceSchema = z.object({
  name: z.string(),
  used: z.nullable(z.number()),
  total: z.nullable(z.number()),
  verdict: z.enum(['normal', 'warning', 'critical', 'unknown']),
  at: z.nullable(z.string()),
  source: z.string(),
  line: z.optional(z.nullable(z.number().check(z.int()))),
  unit: z.optional(z.enum(['bytes', 'inodes', 'load', 'percent'])),
  /** used/total in percent, or the PSI avg10 for pressure rows */
  percent: z.optional(z.nullable(z.number())),
  detail: z.optional(z.string()),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const ServiceSchema = z.object({
  name: z.string(),
  managedBy: z.enum(['systemd', 'systemd-user', 'container', 'none', 'unknown']),
  unit: z.nullable(z.string()),
  pid: z.nullable(z.number().check(z.int())),
  command: z.nullable(z.string()),
  user: z.nullable(z.string()),
  cwd: z.nullable(z.string()),
  ports: z.array(z.string()),
  restart: z.nullable(z.string()),
  healthChecks: z.array(z.string()),
  /** the line behind each health check (a timer's ExecStart=, a cron line, the script line that probes) */
  healthCheckEvidence: z.optional(z.array(EvidenceSchema)),
  /** the timers that start this service: a job that runs and ends (a health check, a backup), not a server */
  startedBy: z.optional(z.array(z.string())),
  program: z.optional(z.nullable(z.string())),
  cgroup: z.optional(z.nullable(z.string())),
  startedAt: z.optional(z.nullable(z.string())),
  stdout: z.optional(z.nullable(z.string())),
  exe: z.optional(z.nullable(z.string())),
  siteLocal: z.optional(z.boolean()),
  activeState: z.optional(z.nullable(z.string())),
  type: z.optional(z.nullable(z.string())),
  watchdogSec: z.optional(z.nullable(z.number())),
  fragment: z.optional(z.nullable(z.string())),
});
export type ServiceEntry = z.infer<typeof ServiceSchema>;

export const TimelineEntrySchema = z.object({
  time: z.nullable(z.string()),
  source: z.string(),
  line: z.nullable(z.number().check(z.int())),
  kind: z.string(),
  text: z.string(),
  subject: z.optional(z.string()),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const ArtifactStepSchema = z.object({
  /** what the step does, for the report's message catalogue: write-file, daemon-reload, stop-process, ... */
  id: z.string(),
  /** the shell command(s), ready to paste */
  command: z.string(),
});
export type ArtifactStep = z.infer<typeof ArtifactStepSchema>;

export const ArtifactSchema = z.object({
  kind: z.string(),
  for: z.string(),
  path: z.string(),
  content: z.string(),
  subject: z.optional(z.string()),
  /** the values the artifact was built from (unit, pid, port, healthUrl, ...), for renderers in any language */
  params: z.optional(z.record(z.string(), ParamValue)),
  /** how to apply it, in order */
  steps: z.optional(z.array(ArtifactStepSchema)),
  /** the bundle lines it relies on (e.g. where a health URL was seen) */
  evidence: z.optional(z.array(EvidenceSchema)),
  /**
   * Placeholders in path, content or steps that a person must fill in before applying them:
   * `<unit-name>` (kind unit-name) for a unit name that holds a secret, shown redacted in params.unit;
   * `<secret>` (kind secret) where a secret was removed. Absent when there is none.
   */
  placeholders: z.optional(z.array(z.object({ placeholder: z.string(), kind: z.string() }))),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const SourceSummarySchema = z.object({
  id: z.string(),
  path: z.nullable(z.string()),
  status: z.string(),
  records: z.nullable(z.number().check(z.int())),
  skippedRecords: z.number().check(z.int()),
  error: z.optional(z.string()),
  problems: z.optional(z.array(z.object({ line: z.number().check(z.int()), reason: z.string() }))),
  inWindow: z.optional(z.nullable(z.number().check(z.int()))),
});
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

/** A finding named by its rule and subject (the pair is unique in an analysis). */
export const FindingRefSchema = z.object({ rule: z.string(), subject: z.string() });

export const CauseSchema = z.object({
  /** what kind of cause (unmanaged-down, oom-kill, unit-failed, ...): the report says each in its words */
  id: z.string(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** a cause of this outage, not only a risk the bundle shows */
  related: z.boolean(),
  findings: z.array(FindingRefSchema),
  evidence: z.array(EvidenceSchema),
  /** for unmanaged-down: the login and the new process start that ended the outage */
  recovery: z.optional(z.object({ login: z.nullable(TimelineEntrySchema), restartedAt: z.nullable(z.string()) })),
});

export const UnknownSchema = z.object({
  /** death-unrecorded (the server behind the outage died without a trace) or outage-unexplained */
  id: z.string(),
  subject: z.string(),
  port: z.nullable(z.string()),
  /** log sources that were read and record nothing about it */
  read: z.array(z.string()),
  /** sources that could have recorded it but were not available */
  unavailable: z.array(z.object({ id: z.string(), path: z.nullable(z.string()), status: z.string(), error: z.nullable(z.string()) })),
  /** a session scope emptying just before the outage */
  clue: z.nullable(TimelineEntrySchema),
  clueSecondsBefore: z.nullable(z.number()),
});

/** "Why did it happen?": causes ranked (related first, then by confidence), and what stays unknown. */
export const CausesSchema = z.object({ causes: z.array(CauseSchema), unknowns: z.array(UnknownSchema) });
export type Causes = z.infer<typeof CausesSchema>;

/** A bundle line behind a mark or span of the picture, for its tooltip. */
export const PictureEvidenceSchema = z.object({ source: z.string(), line: z.nullable(z.number().check(z.int())) });

export const PICTURE_STATES = ['running', 'down', 'restarting'] as const;
export const PICTURE_MARKS = ['crash', 'oom-kill', 'watchdog', 'start-limit', 'probe', 'failed-requests', 'login', 'reboot', 'collection'] as const;
export type PictureMarkKind = (typeof PICTURE_MARKS)[number];

export const PictureSpanSchema = z.object({
  from: z.string(),
  to: z.string(),
  state: z.enum(PICTURE_STATES),
  evidence: z.array(PictureEvidenceSchema),
});

export const PictureMarkSchema = z.object({
  at: z.string(),
  kind: z.enum(PICTURE_MARKS),
  /** events merged into this mark (those closer together than density.bucketSeconds) */
  count: z.number().check(z.int(), z.gte(1)),
  /** probes only: how many of count failed */
  failed: z.optional(z.number().check(z.int())),
  evidence: z.array(PictureEvidenceSchema).check(z.minLength(1)),
});

export const PictureLaneSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** unit (site-local systemd unit), process (hand-started server), proxy, kernel, probes, logins, device */
  kind: z.enum(['unit', 'process', 'proxy', 'kernel', 'probes', 'logins', 'device']),
  spans: z.array(PictureSpanSchema),
  marks: z.array(PictureMarkSchema),
});
export type PictureLane = z.infer<typeof PictureLaneSchema>;

/** The outage as a picture: one lane per actor over the window, in the device's clock (docs/analysis-json.md). */
export const PictureSchema = z.object({
  start: z.string(),
  end: z.string(),
  /** the device's UTC offset at start, "+03:00" */
  offset: z.string(),
  lanes: z.array(PictureLaneSchema),
  outage: z.nullable(z.object({ from: z.string(), to: z.string(), durationSeconds: z.number(), evidence: z.array(PictureEvidenceSchema) })),
  density: z.object({
    /** events closer together than this are one mark with a count */
    bucketSeconds: z.number(),
    /** lanes beyond the dozen drawn, summarised by label */
    lanesLeftOut: z.array(z.string()),
  }),
});
export type Picture = z.infer<typeof PictureSchema>;

export const AnalysisSchema = z.object({
  formatVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  bundle: z.object({ path: z.string(), sha256: z.string() }),
  host: z.string(),
  window: z.object({ since: z.nullable(z.string()), until: z.nullable(z.string()) }),
  collectedAt: z.optional(z.nullable(z.string())),
  outage: z.nullable(OutageSchema),
  outages: z.array(OutageSchema),
  findings: z.array(FindingSchema),
  skipped: z.array(z.object({ rule: z.string(), reason: z.string() })),
  recurrence: z.object({ likely: z.boolean(), because: z.array(z.string()) }),
  resources: z.array(ResourceSchema),
  services: z.array(ServiceSchema),
  timeline: z.array(TimelineEntrySchema),
  timelineTotal: z.optional(z.number().check(z.int())),
  artifacts: z.array(ArtifactSchema),
  sources: z.array(SourceSummarySchema),
  /** kernel/crash log sources that were read, for "no OOM or segfault in …" */
  logSourcesRead: z.optional(z.array(z.string())),
  hostInfo: z.optional(z.object({
    hostname: z.nullable(z.string()),
    os: z.nullable(z.string()),
    kernel: z.nullable(z.string()),
    arch: z.nullable(z.string()),
    timezone: z.nullable(z.string()),
    utcOffset: z.nullable(z.string()),
    cpus: z.nullable(z.number()),
    bootId: z.nullable(z.string()),
    journalStorage: z.nullable(z.string()),
  })),
  /** how the bundle was collected (manifest.collector): live, root or ssh, and the --root DIR or --ssh target */
  collector: z.optional(z.object({ mode: z.nullable(z.string()), target: z.nullable(z.string()) })),
  redaction: z.optional(z.object({ bundle: z.nullable(z.record(z.string(), z.number())), output: z.record(z.string(), z.number()) })),
  /** the cause analysis (absent from analyses made before it was written here: renderers compute it) */
  causes: z.optional(CausesSchema),
  /** findings covered by a waiver of the configuration (absent when the configuration has none) */
  waived: z.optional(z.array(WaivedSchema)),
  /** the configuration's waivers and whether each applied, expired or matched nothing (absent when there are none) */
  waivers: z.optional(z.array(WaiverStatusSchema)),
  /**
   * a bundle `charger-diag capture` made when a watched unit stopped (manifest.trigger): that unit
   * is the incident's subject; capturedAfterSeconds is from its stop to the collection
   */
  trigger: z.optional(z.object({
    unit: z.string(),
    result: z.string(),
    exitCode: z.nullable(z.string()),
    exitStatus: z.nullable(z.string()),
    time: z.nullable(z.string()),
    hook: z.nullable(z.string()),
    capturedAfterSeconds: z.nullable(z.number()),
  })),
  /** the timeline drawn: lanes of spans and marks (absent when nothing happened in the window) */
  picture: z.optional(PictureSchema),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
