// /proc/meminfo: "Key:   value kB" lines. Sizes are kept in bytes.
import { Origin, ParseProblem, ProblemLog } from './types.js';

export interface MemInfo extends Origin {
  totalBytes: number;
  /** MemAvailable; null on kernels older than 3.14, where callers estimate free + buffers + cached. */
  availableBytes: number | null;
  freeBytes: number | null;
  buffersBytes: number | null;
  cachedBytes: number | null;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
  /** key → 1-based line number, for quoting */
  lines: Record<string, number>;
}

const LINE = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?\s*$/;

/**
 * Parse /proc/meminfo. The record is null when MemTotal is missing (not a
 * meminfo file, or cut before its first line). Counts without a unit
 * (HugePages_Total) are read but not converted.
 */
export function parseMeminfo(
  text: string,
  source: string,
): { record: MemInfo | null; skipped: number; problems: ParseProblem[] } {
  const log = new ProblemLog();
  const values = new Map<string, number>();
  const lines: Record<string, number> = {};
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '') return;
    const m = LINE.exec(l);
    if (!m) {
      log.add(i + 1, `not a "Key: value kB" line: ${l.slice(0, 60)}`);
      return;
    }
    const key = m[1]!;
    const n = Number(m[2]);
    values.set(key, m[3] ? n * 1024 : n);
    lines[key] = i + 1;
  });
  const total = values.get('MemTotal');
  if (total === undefined) {
    if (log.skipped === 0) log.add(1, 'no MemTotal line');
    return { record: null, skipped: log.skipped, problems: log.problems };
  }
  const get = (k: string) => values.get(k) ?? null;
  return {
    record: {
      source,
      line: lines.MemTotal!,
      totalBytes: total,
      availableBytes: get('MemAvailable'),
      freeBytes: get('MemFree'),
      buffersBytes: get('Buffers'),
      cachedBytes: get('Cached'),
      swapTotalBytes: get('SwapTotal'),
      swapFreeBytes: get('SwapFree'),
      lines,
    },
    skipped: log.skipped,
    problems: log.problems,
  };
}

/** MemAvailable, or on old kernels the usual estimate MemFree + Buffers + Cached (flagged). */
export function effectiveAvailableBytes(m: MemInfo): { bytes: number | null; estimated: boolean } {
  if (m.availableBytes !== null) return { bytes: m.availableBytes, estimated: false };
  if (m.freeBytes === null) return { bytes: null, estimated: true };
  return { bytes: m.freeBytes + (m.buffersBytes ?? 0) + (m.cachedBytes ?? 0), estimated: true };
}
