// --config FILE: a JSON file validated with zod. Unknown keys are an error
// here (unlike the manifest): a typo in a threshold must not pass silently.
import { readFile } from 'node:fs/promises';
import * as z from './zod.js';
import { SEVERITIES } from './analysis/severities.js';
import { InputError } from './errors.js';
import { readJsonObject, validate } from './json-input.js';

export const ThresholdsSchema = z.strictObject({
  /** resource.memory: available under this percent of total */
  memoryAvailablePercent: z._default(z.number().check(z.gte(0), z.lte(100)), 10),
  /** resource.memory: PSI memory "some avg10" over this */
  memoryPressureAvg10: z._default(z.number().check(z.gte(0), z.lte(100)), 10),
  /** resources: PSI cpu "some avg10" over this is a warning (runnable tasks waiting for a CPU that long) */
  cpuPressureAvg10: z._default(z.number().check(z.gte(0), z.lte(100)), 40),
  /** resources: PSI io "some avg10" over this is a warning (tasks stalled on storage, an SD card wearing out) */
  ioPressureAvg10: z._default(z.number().check(z.gte(0), z.lte(100)), 20),
  diskWarningPercent: z._default(z.number().check(z.gte(0), z.lte(100)), 90),
  diskCriticalPercent: z._default(z.number().check(z.gte(0), z.lte(100)), 98),
  /** resource.load: 5-minute load over this many times the CPU count */
  loadPerCpu: z._default(z.number().check(z.positive()), 2),
  /** service.restart-loop: this many automatic restarts in the window */
  restartLoopCount: z._default(z.number().check(z.int(), z.positive()), 3),
  /** outage episodes further apart than this are separate */
  outageGapSeconds: z._default(z.number().check(z.int(), z.positive()), 300),
  /** evidence lines kept per finding (evidenceTotal says how many there were) */
  evidencePerFinding: z._default(z.number().check(z.int(), z.positive()), 8),
});

/** A finding accepted for a while (docs/config.md): a reason is required, `until` is the last day it applies. */
export const WaiverSchema = z.strictObject({
  rule: z.string().check(z.minLength(1)),
  /** a part of the finding's subject (as the report shows it, redacted); absent: every subject */
  subject: z.optional(z.string().check(z.minLength(1))),
  reason: z.string().check(z.trim(), z.minLength(1, 'a waiver needs a reason')),
  until: z.optional(
    z.string().check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
      z.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date'),
    ),
  ),
});
export type Waiver = z.infer<typeof WaiverSchema>;

export const ConfigSchema = z.strictObject({
  rules: z._default(z.record(z.string(), z.strictObject({ enabled: z.optional(z.boolean()), severity: z.optional(z.enum(SEVERITIES)) })), {}),
  thresholds: z._default(ThresholdsSchema, ThresholdsSchema.parse({})),
  /** units to treat as site-local even when their fragment is under /lib or /usr/lib */
  siteLocalUnits: z._default(z.array(z.string()), []),
  /** regular expressions matched against a process's command line: such processes count as servers */
  serverPatterns: z._default(z.array(z.string()), []),
  /** known health URLs, optionally tied to a unit: counted as the unit's probe target */
  healthUrls: z._default(z.array(z.strictObject({ url: z.string(), unit: z.optional(z.string()) })), []),
  /** findings accepted for a while: out of the counts, shown as waived */
  waivers: z._default(z.array(WaiverSchema), []),
});

export type Config = z.infer<typeof ConfigSchema>;
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}

export function parseConfig(text: string, file: string): Config {
  const config = validate(ConfigSchema, readJsonObject(text, file), file);
  for (const p of config.serverPatterns) {
    try {
      new RegExp(p);
    } catch {
      throw new InputError(`${file}: invalid regular expression in serverPatterns: ${p}`);
    }
  }
  return config;
}

export async function loadConfig(file: string | undefined): Promise<Config> {
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read config (${code === 'ENOENT' ? 'no such file' : code ?? 'error'})`);
  }
  return parseConfig(text, file);
}
