// Small pure helpers shared by rules: naming subjects and picking evidence.
import type { Evidence } from '../analysis/schema.js';
import type { Facts, Line, ProcessFact, ServiceFact } from '../facts/types.js';

export function processSubject(p: Pick<ProcessFact, 'program' | 'pid'>): string {
  return `${p.program} (pid ${p.pid})`;
}

/** Quote lines as evidence in time order, dropping exact duplicates. */
export function quote(facts: Facts, lines: (Line | null | undefined)[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const l of lines) {
    if (!l) continue;
    const key = `${l.source}\0${l.line}\0${l.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(facts.evidence(l));
  }
  return out;
}

/**
 * Spread a long run of lines over the evidence cap: first, last and evenly
 * spaced ones between, so a reader sees when it began, how it went and when it
 * ended without 500 identical lines.
 */
export function spread<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  if (max <= 2) return [items[0]!, items[items.length - 1]!].slice(0, max);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

/**
 * Whether a unit's Restart= brings it back after it was killed by a signal (a crash, an OOM kill):
 * "no", "on-success" and "on-watchdog" do not; unknown when the bundle does not say.
 */
export function restartAfterKill(restart: string | null | undefined): 'yes' | 'no' | 'unknown' {
  if (restart === null || restart === undefined) return 'unknown';
  return ['no', 'on-success', 'on-watchdog'].includes(restart) ? 'no' : 'yes';
}

/** A long-running service: not Type=oneshot (which is meant to exit). */
export function isLongRunning(s: ServiceFact): boolean {
  return s.type !== 'oneshot' && s.name.endsWith('.service') && !s.masked;
}

export function humanSeconds(us: number | null): string | null {
  if (us === null || !Number.isFinite(us)) return null;
  const s = us / 1_000_000;
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(3).replace(/0+$/, '')}s`;
}

/** A service's unit-file line for a setting, or its systemctl show line, whichever the bundle has. */
export function settingLine(s: ServiceFact, key: string): Line | null {
  const d = s.definition?.get('Service', key);
  if (d) return { source: d.source, line: d.line, epochMs: null, text: d.text };
  return s.propsLine(key);
}

