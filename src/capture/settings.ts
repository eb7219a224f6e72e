// `capture install` options, checked before anything is written: where captures go and the
// bounds that keep a crash loop from filling the disk or the CPU (docs/capture.md).
import { InputError } from '../errors.js';
import { parseDuration } from '../time.js';

export interface CaptureSettings {
  /** where bundles and their reports are written */
  dir: string;
  /** bundles kept at most, oldest removed first */
  keep: number;
  /** bytes all bundles and reports of DIR may take, oldest removed first */
  maxBytes: number;
  /** at most one capture per unit in this many seconds; later failures in it are counted */
  minIntervalSec: number;
  /** how far back a capture reads the journal and logs, seconds */
  windowSec: number;
  /** the cap of one capture's journal export (raw bytes), well under maxBytes */
  captureCapBytes: number;
  /** no capture starts when the file system holding DIR has less free space than this, percent */
  minFreePercent: number;
  /** a capture's own time limit (TimeoutStartSec= of the capture unit), seconds */
  timeLimitSec: number;
}

export const DEFAULT_DIR = '/var/lib/charger-diag/captures';
export const DEFAULTS = { keep: 20, maxBytes: 200 * 1024 * 1024, minIntervalSec: 600, windowSec: 1800, minFreePercent: 10, timeLimitSec: 300 } as const;

export interface SettingsFlags {
  dir?: string;
  keep?: string;
  maxBytes?: string;
  minInterval?: string;
  window?: string;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?$/i;

/** "200M", "1G", "500k", "1048576" → bytes (binary multiples, as df and du print them). */
export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'B').toUpperCase()[0]!;
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

function seconds(flag: string, text: string, min: number, max: number): number {
  const ms = parseDuration(text);
  if (ms === null || ms < min * 1000 || ms > max * 1000) throw new InputError(`${flag} ${text}: expected a duration between ${min} s and ${max / 3600} h (examples: 10m, 90s, 1h)`);
  return Math.round(ms / 1000);
}

export function captureSettings(f: SettingsFlags): CaptureSettings {
  const dir = f.dir ?? DEFAULT_DIR;
  // The directory is written into unit files and scripts: an absolute path of plain characters only.
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').includes('..')) throw new InputError(`--dir ${dir}: expected an absolute path of letters, digits and . _ - /`);
  if (/^\/(?:tmp|run|proc|sys|dev)(?:\/|$)/.test(dir) || dir === '/') throw new InputError(`--dir ${dir}: captures must survive a reboot; choose a directory on persistent storage (default ${DEFAULT_DIR})`);
  let keep: number = DEFAULTS.keep;
  if (f.keep !== undefined) {
    keep = Number(f.keep);
    if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw new InputError(`--keep ${f.keep}: expected a whole number between 1 and 1000`);
  }
  let maxBytes: number = DEFAULTS.maxBytes;
  if (f.maxBytes !== undefined) {
    const b = parseSize(f.maxBytes);
    if (b === null || b < 4 * 1024 * 1024) throw new InputError(`--max-bytes ${f.maxBytes}: expected a size of at least 4M (examples: 200M, 1G)`);
    maxBytes = b;
  }
  const minIntervalSec = f.minInterval !== undefined ? seconds('--min-interval', f.minInterval, 10, 7 * 86400) : DEFAULTS.minIntervalSec;
  const windowSec = f.window !== undefined ? seconds('--window', f.window, 60, 86400) : DEFAULTS.windowSec;
  return {
    dir: dir.length > 1 ? dir.replace(/\/+$/, '') : dir,
    keep,
    maxBytes,
    minIntervalSec,
    windowSec,
    // A quarter of the budget for one capture's raw journal: compressed, a bundle is far smaller,
    // so the newest captures always fit beside a few older ones.
    captureCapBytes: Math.floor(maxBytes / 4),
    minFreePercent: DEFAULTS.minFreePercent,
    timeLimitSec: DEFAULTS.timeLimitSec,
  };
}
