// /proc/uptime: "299.42 513.49" (seconds since boot, idle seconds summed over CPUs).
import { Origin } from './types.js';

export interface Uptime extends Origin {
  uptimeSeconds: number;
  /** summed over all CPUs, so it can exceed uptimeSeconds */
  idleSeconds: number | null;
}

const UPTIME = /^(\d+(?:\.\d+)?)(?:\s+(\d+(?:\.\d+)?))?\s*$/;

export function parseUptime(text: string, source: string): Uptime | null {
  const lines = text.split('\n');
  const idx = lines.findIndex((l) => l.trim() !== '');
  if (idx < 0) return null;
  const m = UPTIME.exec(lines[idx]!.trim());
  if (!m) return null;
  return { source, line: idx + 1, uptimeSeconds: Number(m[1]), idleSeconds: m[2] !== undefined ? Number(m[2]) : null };
}
