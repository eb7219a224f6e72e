// The collection window from --since/--until/--around/--window (docs/cli.md).
// A time is absolute with an offset, device-local without one, or relative
// to the device's "now". Locally and with --root the window is resolved here;
// over --ssh only the device knows its clock and zone, so the same parse is
// turned into specs that the remote script resolves (see script.ts).
import { UsageError } from '../usage.js';
import { deviceLocalToEpoch, formatDeviceTime, parseDuration, parseTimestamp, type DeviceClock } from '../time.js';

export interface WindowFlags {
  since?: string;
  until?: string;
  around?: string;
  window?: string;
}

/** One time argument, before the device clock is known. */
export type TimeArg =
  | { kind: 'absolute'; epochMs: number }
  | { kind: 'relative'; deltaMs: number }
  | { kind: 'local'; text: string }
  /** midnight of the device's day, `days` from today (journalctl's today, yesterday, tomorrow) */
  | { kind: 'day'; days: number };

export const DEFAULT_WINDOW_MS = 3_600_000;
const DEFAULT_AROUND_WINDOW_MS = 30 * 60_000;

const RELATIVE = /^([+-])\s*(.+)$/;
const OFFSET_AT_END = /(?:Z|z|[+-]\d{2}:?\d{2})$/;
const LOCAL_SHAPE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// As journalctl reads them: midnight of the day, in the device's zone.
const DAYS: Record<string, number> = { today: 0, yesterday: -1, tomorrow: 1 };
const SHAPES = 'ISO 8601, "YYYY-MM-DD[ HH:mm[:ss]]", today, yesterday, now or -30m';

/** Parse one --since/--until/--around value; `flag` names it in errors. */
export function parseTimeArg(text: string, flag: string): TimeArg {
  const t0 = text.trim();
  const word = t0.toLowerCase();
  if (word === 'now') return { kind: 'relative', deltaMs: 0 };
  if (DAYS[word] !== undefined) return { kind: 'day', days: DAYS[word] };
  // A date alone is the start of that day on the device, as for journalctl (not UTC, as for Date.parse).
  const t = DATE_ONLY.test(t0) ? `${t0} 00:00:00` : t0;
  const rel = RELATIVE.exec(t);
  if (rel && !/^\d{4}-/.test(rel[2]!)) {
    const ms = parseDuration(rel[2]!);
    if (ms === null) throw new UsageError(`${flag} ${text}: not a relative time (examples: -15m, -2h, -1h30m)`);
    return { kind: 'relative', deltaMs: rel[1] === '-' ? -ms : ms };
  }
  if (OFFSET_AT_END.test(t) && /^\d{4}-/.test(t)) {
    const epochMs = parseTimestamp(t, {});
    if (epochMs === null) throw new UsageError(`${flag} ${text}: not a valid time (${SHAPES})`);
    return { kind: 'absolute', epochMs };
  }
  const local = LOCAL_SHAPE.exec(t);
  // Validated now so a typo fails before anything runs, with or without a clock.
  if (!local || parseTimestamp(t, {}) === null) {
    throw new UsageError(`${flag} ${text}: not a valid time (${SHAPES})`);
  }
  return { kind: 'local', text: `${local[1]}-${local[2]}-${local[3]} ${local[4]}:${local[5]}:${local[6] ?? '00'}` };
}

function parseWindowDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--window ${text}: not a duration (examples: 5m, 1h, 90s)`);
  return ms;
}

/** A time argument plus a shift in milliseconds (for --around T ± --window). */
export interface TimeSpec {
  base: TimeArg;
  shiftMs: number;
}

export interface WindowSpec {
  since: TimeSpec;
  until: TimeSpec;
}

/** The flags as two specs; checks the combinations but needs no clock. */
export function windowSpec(flags: WindowFlags): WindowSpec {
  if (flags.window !== undefined && flags.around === undefined) throw new UsageError('--window needs --around (the window is around that time)');
  if (flags.around !== undefined) {
    if (flags.since !== undefined || flags.until !== undefined) throw new UsageError('--around cannot be combined with --since or --until');
    const centre = parseTimeArg(flags.around, '--around');
    const half = flags.window !== undefined ? parseWindowDuration(flags.window) : DEFAULT_AROUND_WINDOW_MS;
    return { since: { base: centre, shiftMs: -half }, until: { base: centre, shiftMs: half } };
  }
  const since = flags.since !== undefined ? parseTimeArg(flags.since, '--since') : undefined;
  const until = flags.until !== undefined ? parseTimeArg(flags.until, '--until') : undefined;
  const untilSpec: TimeSpec = until ? { base: until, shiftMs: 0 } : { base: { kind: 'relative', deltaMs: 0 }, shiftMs: 0 };
  const sinceSpec: TimeSpec = since ? { base: since, shiftMs: 0 } : { base: untilSpec.base, shiftMs: -DEFAULT_WINDOW_MS };
  return { since: sinceSpec, until: untilSpec };
}

export interface ResolvedWindow {
  sinceMs: number;
  untilMs: number;
}

function resolveTime(spec: TimeSpec, nowMs: number, clock: DeviceClock): number {
  const b = spec.base;
  let ms: number;
  if (b.kind === 'absolute') ms = b.epochMs;
  else if (b.kind === 'relative') ms = nowMs + b.deltaMs;
  else if (b.kind === 'day') ms = deviceMidnight(nowMs, b.days, clock);
  else {
    const m = LOCAL_SHAPE.exec(b.text)!;
    ms = deviceLocalToEpoch(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
      clock,
    );
  }
  return ms + spec.shiftMs;
}

/** Midnight starting the device's day `days` after the one holding `nowMs` (its zone decides which day that is). */
export function deviceMidnight(nowMs: number, days: number, clock: DeviceClock): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(formatDeviceTime(nowMs, clock))!;
  // Date.UTC inside carries day 0 or 32 into the next month, as a calendar does.
  return deviceLocalToEpoch({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) + days, hour: 0, minute: 0, second: 0 }, clock);
}

/** Epoch milliseconds of the window, given the device's clock and zone. */
export function resolveWindow(spec: WindowSpec, nowMs: number, clock: DeviceClock): ResolvedWindow {
  const w = { sinceMs: resolveTime(spec.since, nowMs, clock), untilMs: resolveTime(spec.until, nowMs, clock) };
  checkOrder(w, clock);
  return w;
}

export function checkOrder(w: ResolvedWindow, clock: DeviceClock): void {
  if (!(w.sinceMs < w.untilMs)) {
    throw new UsageError(`the window is empty: since ${formatDeviceTime(w.sinceMs, clock)} is not before until ${formatDeviceTime(w.untilMs, clock)}`);
  }
}

/** journalctl/coredumpctl take "@<seconds>": exact, and independent of the zone the tool runs in. */
export function systemdTimeArg(epochMs: number, end: 'since' | 'until'): string {
  // --until is inclusive to the second in journalctl; rounding outward never loses an entry of the window.
  return `@${end === 'since' ? Math.floor(epochMs / 1000) : Math.ceil(epochMs / 1000)}`;
}
