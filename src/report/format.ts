// Times, durations and sizes as a reader of either language expects them.
// Times keep their offset (docs/analysis-json.md: every time carries its offset).
import { md, type Md, type Translator } from './i18n.js';
import { code } from './markdown.js';

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/;

/** "2025-12-10 01:10:00+03:00": readable, still unambiguous. Anything not ISO is shown as data. */
export function time(iso: string | null | undefined): Md {
  if (!iso) return md('—');
  const m = ISO.exec(iso);
  return m ? md(`${m[1]} ${m[2]}${m[3]}`) : md(code(iso));
}

/** A span: the end's date is left out when it is the start's. */
export function span(start: string | null | undefined, end: string | null | undefined): Md {
  const a = start ? ISO.exec(start) : null;
  const b = end ? ISO.exec(end) : null;
  if (a && b && a[1] === b[1]) return md(`${a[1]} ${a[2]}${a[3]} – ${b[2]}${b[3]}`);
  return md(`${time(start).text} – ${time(end).text}`);
}

export function datePart(iso: string | null | undefined): string | null {
  const m = iso ? ISO.exec(iso) : null;
  return m ? m[1]! : null;
}

/** Seconds between two ISO times, or null. */
export function secondsBetween(a: string | null | undefined, b: string | null | undefined): number | null {
  if (!a || !b) return null;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isFinite(x) && Number.isFinite(y) ? Math.round((y - x) / 1000) : null;
}

export function duration(t: Translator, seconds: number): string {
  if (seconds < 90) return t.t('unit.seconds', { n: seconds });
  if (seconds < 5400) return t.t('unit.secondsMinutes', { n: seconds, m: Math.round(seconds / 60) });
  return t.t('unit.secondsHours', { n: seconds, h: Math.round((seconds / 3600) * 10) / 10 });
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(t: Translator, n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(t.lang === 'tr' ? 'tr-TR' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v)} ${UNITS[i]}`;
}

/** "files/var/log/x.log:12 @ 2025-12-10 01:10:00+03:00": where a quoted line is. */
export function location(source: string, line: number | null | undefined, at: string | null | undefined): string {
  const where = code(line !== null && line !== undefined ? `${source}:${line}` : source);
  return at ? `${where} @ ${time(at).text}` : where;
}
