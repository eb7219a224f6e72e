// /proc/pressure/{cpu,memory,io} (PSI, kernel 4.20+):
//   some avg10=7.04 avg60=1.80 avg300=1.55 total=10052386
//   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
// cpu has no "full" line before 5.13.
import { Origin } from './types.js';

export interface PressureFigures {
  avg10: number;
  avg60: number;
  avg300: number;
  /** microseconds stalled since boot */
  total: number;
}

export interface Pressure extends Origin {
  resource: 'cpu' | 'memory' | 'io';
  some: PressureFigures | null;
  full: PressureFigures | null;
  /** the 'some' line (or the first line when there is none), for quoting */
  text: string;
}

const PSI_LINE = /^(some|full)\s+avg10=(\d+(?:\.\d+)?)\s+avg60=(\d+(?:\.\d+)?)\s+avg300=(\d+(?:\.\d+)?)\s+total=(\d+)\s*$/;

/** null when neither a 'some' nor a 'full' line can be read. */
export function parsePressure(text: string, source: string, resource: 'cpu' | 'memory' | 'io'): Pressure | null {
  let some: PressureFigures | null = null;
  let full: PressureFigures | null = null;
  let someLine = 0;
  let someText = '';
  let firstLine = 0;
  let firstText = '';
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '').trim();
    const m = PSI_LINE.exec(l);
    if (!m) return;
    const figures = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), total: Number(m[5]) };
    if (!firstLine) {
      firstLine = i + 1;
      firstText = l;
    }
    if (m[1] === 'some' && !some) {
      some = figures;
      someLine = i + 1;
      someText = l;
    } else if (m[1] === 'full' && !full) {
      full = figures;
    }
  });
  if (!some && !full) return null;
  return { source, line: someLine || firstLine, resource, some, full, text: someText || firstText };
}
