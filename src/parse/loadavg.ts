// /proc/loadavg: "0.33 0.29 0.15 3/95 3930" (1/5/15-minute load, running/total tasks, last pid).
import { Origin } from './types.js';

export interface LoadAvg extends Origin {
  load1: number;
  load5: number;
  load15: number;
  running: number | null;
  total: number | null;
  text: string;
}

const LOADAVG = /^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)(?:\s+(\d+)\/(\d+))?/;

/** null when the first non-empty line is not three load figures. */
export function parseLoadavg(text: string, source: string): LoadAvg | null {
  const lines = text.split('\n');
  const idx = lines.findIndex((l) => l.trim() !== '');
  if (idx < 0) return null;
  const l = lines[idx]!.replace(/\r$/, '').trim();
  const m = LOADAVG.exec(l);
  if (!m) return null;
  return {
    source,
    line: idx + 1,
    load1: Number(m[1]),
    load5: Number(m[2]),
    load15: Number(m[3]),
    running: m[4] !== undefined ? Number(m[4]) : null,
    total: m[5] !== undefined ? Number(m[5]) : null,
    text: l,
  };
}
