// Time handling. Every time the product prints carries its UTC offset; a time
// written without an offset is the *device's* local time, so conversions take
// the device clock (IANA zone and/or fixed offset from the manifest).
export interface DeviceClock {
  /** IANA zone such as "Europe/Istanbul", when known. Preferred: it knows DST. */
  timezone?: string | null;
  /** Fixed offset such as "+03:00", used when the zone is unknown or invalid. */
  utcOffset?: string | null;
}

const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

/** Minutes east of UTC for "+03:00" / "-0530" / "Z"; null when unreadable. */
export function offsetMinutes(offset: string): number | null {
  if (offset === 'Z' || offset === 'z') return 0;
  const m = OFFSET_RE.exec(offset);
  if (!m) return null;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -mins : mins;
}

/**
 * One formatter per zone, made once: it gives a zone's wall-clock fields at an
 * instant, from which the offset follows (wall clock read as UTC, minus the
 * instant). Making an Intl.DateTimeFormat costs far more than using one, and
 * toLocaleString with a timeZone makes a new one on every call. Null for a
 * zone the runtime does not know.
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    zoneFormats.set(zone, f);
  }
  return f;
}

function validZone(zone: string | null | undefined): string | null {
  return zone && zoneFormat(zone) ? zone : null;
}

/** Minutes east of UTC in `zone` at the instant (whole seconds), rounded to the minute as offsets are printed. */
export function zoneOffsetMinutes(epochMs: number, zone: string): number {
  const f = zoneFormat(zone);
  if (!f) throw new Error(`unknown time zone ${zone}`);
  const at = Math.floor(epochMs / 1000) * 1000;
  const v: Record<string, string> = {};
  for (const part of f.formatToParts(at)) v[part.type] = part.value;
  const year = v.era === 'BC' || v.era === 'B' ? 1 - Number(v.year) : Number(v.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(v.month) - 1, Number(v.day));
  wall.setUTCHours(Number(v.hour), Number(v.minute), Number(v.second), 0);
  return Math.round((wall.getTime() - at) / 60_000);
}

// Zone offsets change only at transitions, which fall on quarter hours in every
// zone; one lookup per quarter hour keeps a million-line log from paying the
// time-zone computation on every line.
const QUARTER_HOUR = 900_000;
const offsetCache = new Map<string, number>();

function zoneOffsetAt(epochMs: number, zone: string): number {
  const key = `${zone}\0${Math.floor(epochMs / QUARTER_HOUR)}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    off = zoneOffsetMinutes(epochMs, zone);
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

/** The device's offset (minutes east of UTC) at a given instant. */
export function deviceOffsetAt(epochMs: number, clock: DeviceClock): number {
  const zone = validZone(clock.timezone);
  if (zone) return zoneOffsetAt(epochMs, zone);
  const fixed = clock.utcOffset ? offsetMinutes(clock.utcOffset) : null;
  return fixed ?? 0;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(Math.trunc(n))).padStart(width, '0');
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** "2025-12-10T01:10:00+03:00": the instant in device local time, second precision. */
export function formatDeviceTime(epochMs: number, clock: DeviceClock): string {
  const off = deviceOffsetAt(epochMs, clock);
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + off * 60_000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${formatOffset(off)}`
  );
}

/**
 * Epoch ms of a wall-clock time in the device's zone. Fields are the local
 * calendar fields (month 1-12). Handles DST by re-checking the offset.
 */
export function deviceLocalToEpoch(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms?: number },
  clock: DeviceClock,
): number {
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms ?? 0);
  let off = deviceOffsetAt(naive, clock);
  let epoch = naive - off * 60_000;
  const off2 = deviceOffsetAt(epoch, clock);
  if (off2 !== off) {
    off = off2;
    epoch = naive - off * 60_000;
  }
  return epoch;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse ISO 8601 or "YYYY-MM-DD HH:mm[:ss]". Without an offset the time is
 * the device's local time. Returns null for anything else.
 */
export function parseTimestamp(text: string, clock: DeviceClock): number | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
    ms: frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0,
  };
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > 31 || fields.hour > 23 || fields.minute > 59 || fields.second > 60) {
    return null;
  }
  if (off) {
    const offMin = offsetMinutes(off);
    if (offMin === null) return null;
    return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms) - offMin * 60_000;
  }
  return deviceLocalToEpoch(fields, clock);
}

const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

/** Month number for an English three-letter abbreviation ("Dec" → 12), as LC_ALL=C tools print. */
export function monthNumber(abbrev: string): number | null {
  return MONTHS[abbrev] ?? null;
}

/**
 * RFC 3164 stamps ("Dec 10 01:10:00") carry no year: take the year that puts
 * the stamp closest before the reference (collection time), so a December line
 * read in January lands in the previous year.
 */
export function syslogStampToEpoch(
  month: number,
  day: number,
  hms: [number, number, number],
  clock: DeviceClock,
  referenceMs: number,
): number {
  const refYear = new Date(referenceMs + deviceOffsetAt(referenceMs, clock) * 60_000).getUTCFullYear();
  const make = (year: number) =>
    deviceLocalToEpoch({ year, month, day, hour: hms[0], minute: hms[1], second: hms[2] }, clock);
  const same = make(refYear);
  // More than a day in the future means it belongs to last year.
  return same - referenceMs > 86_400_000 ? make(refYear - 1) : same;
}

/** Durations such as 30m, 2h, 90s, 1d, 1h30m → milliseconds. */
export function parseDuration(text: string): number | null {
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d|w)/gy;
  let total = 0;
  let matched = false;
  const t = text.trim();
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    matched = true;
    const n = Number(m[1]);
    const unit = m[2];
    const mult =
      unit === 'ms' ? 1 : unit === 's' || unit === 'sec' ? 1000 : unit === 'm' || unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 604_800_000;
    total += n * mult;
    if (re.lastIndex === t.length) break;
  }
  if (!matched || re.lastIndex !== t.length) return null;
  return total;
}

/** systemd time spans ("5s", "100ms", "1min 30s", "infinity", plain seconds) → microseconds. */
export function parseSystemdTimespan(text: string): number | null {
  const t = text.trim();
  if (t === '' ) return null;
  if (t === 'infinity') return Number.POSITIVE_INFINITY;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1_000_000);
  const units: Record<string, number> = {
    us: 1, usec: 1, µs: 1,
    ms: 1e3, msec: 1e3,
    s: 1e6, sec: 1e6, second: 1e6, seconds: 1e6,
    m: 60e6, min: 60e6, minute: 60e6, minutes: 60e6,
    h: 3600e6, hr: 3600e6, hour: 3600e6, hours: 3600e6,
    d: 86400e6, day: 86400e6, days: 86400e6,
    w: 604800e6, week: 604800e6, weeks: 604800e6,
  };
  const re = /(\d+(?:\.\d+)?)\s*([a-zµ]+)\s*/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(t)) !== null) {
    const mult = units[m[2]!];
    if (mult === undefined) return null;
    total += Number(m[1]) * mult;
    pos = re.lastIndex;
  }
  return pos === t.length ? Math.round(total) : null;
}

const SYSTEMD_STAMP_RE = /^(?:[A-Z][a-z]{2} )?(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\S+))?$/;

/**
 * A time as systemd tools print it ("Tue 2025-12-09 08:00:09 +03"). Numeric
 * zones and UTC/GMT are exact; a named abbreviation is ambiguous (CST, IST),
 * and the tool printed it in the device's zone, so the device clock decides.
 */
export function parseSystemdTimestamp(text: string, clock: DeviceClock): number | null {
  const m = SYSTEMD_STAMP_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const f = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    ms: frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0,
  };
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 60) {
    return null;
  }
  const naive = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return naive;
  const num = zone ? /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(zone) : null;
  if (num) {
    const mins = Number(num[2]) * 60 + Number(num[3] ?? 0);
    return naive - (num[1] === '-' ? -mins : mins) * 60_000;
  }
  return deviceLocalToEpoch(f, clock);
}
