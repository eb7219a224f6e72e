// Shapes shared by the runners (local, --root, --ssh) and the bundle writer.
import type { SourceStatus } from '../bundle/manifest.js';
import { redact, type RedactionCounts } from '../redact.js';
import type { DeviceClock } from '../time.js';
import type { Staging } from './staging.js';

/** One entry of manifest.sources (docs/bundle-format.md). */
export interface SourceRecord {
  id: string;
  path?: string;
  command?: string;
  status: SourceStatus;
  exitCode?: number;
  durationMs?: number;
  bytes?: number;
  error?: string;
}

export interface HostInfo {
  hostname: string | null;
  os: string | null;
  kernel: string | null;
  arch: string | null;
  timezone: string | null;
  utcOffset: string | null;
  cpus: number | null;
  bootId: string | null;
  journalStorage: 'persistent' | 'volatile' | 'unknown';
}

/** What a runner needs besides the catalogue. */
export interface RunContext {
  staging: Staging;
  /** null with --no-redact */
  counts: RedactionCounts | null;
  timeoutMs: number;
  sinceMs: number;
  untilMs: number;
  clock: DeviceClock;
  /** when collection started, by the device's clock as far as it is known */
  collectedAtMs: number;
  logs: string[];
  units: string[];
  healthUrls: string[];
  /** configured server patterns: such processes get procinfo like listeners */
  serverPatterns: RegExp[];
  record(source: SourceRecord): void;
  /** progress: a step starts */
  step(label: string): void;
}

/** Redact a text unless redaction is off (--no-redact). */
export function redactText(counts: RedactionCounts | null, text: string): string {
  return counts ? redact(text, counts) : text;
}
