// Waivers (docs/config.md "waivers"): a finding the team has accepted for a
// while. It leaves `findings` for `waived` right after the rules run, so it
// counts nowhere (--fail-on, check, recurrence, causes, the outage basis,
// fleet counts), and stays visible with its reason. An expired waiver stops
// applying; `waivers` says which applied, which expired and which matched nothing.
import type { Finding, Waived, WaiverStatus } from './schema.js';
import type { Waiver } from '../config.js';
import { redact } from '../redact.js';

export interface WaiverRun {
  findings: Finding[];
  waived: Waived[];
  waivers: WaiverStatus[];
}

/**
 * The last instant a waiver applies: the end of its `until` day in the device's
 * zone (the zone the report's times are in), or in UTC when the bundle does not say.
 */
export function waiverEndMs(until: string, utcOffset: string | null): number {
  const offset = utcOffset && /^[+-]\d{2}:\d{2}$/.test(utcOffset) ? utcOffset : 'Z';
  return Date.parse(`${until}T23:59:59.999${offset}`);
}

/** Does the waiver cover the finding? `subject` is a part of the (redacted) subject, as in expected.json. */
export function covers(w: Waiver, f: Finding): boolean {
  return w.rule === f.rule && (w.subject === undefined || redact(f.subject).includes(w.subject));
}

export function applyWaivers(findings: Finding[], waivers: readonly Waiver[], utcOffset: string | null, nowMs: number): WaiverRun {
  if (waivers.length === 0) return { findings, waived: [], waivers: [] };
  const status: WaiverStatus[] = waivers.map((w) => ({
    rule: w.rule,
    subject: w.subject ?? null,
    reason: w.reason,
    until: w.until ?? null,
    status: w.until !== undefined && nowMs > waiverEndMs(w.until, utcOffset) ? 'expired' : 'unmatched',
    findings: 0,
  }));
  const kept: Finding[] = [];
  const waived: Waived[] = [];
  for (const f of findings) {
    let applied = false;
    for (const [i, w] of waivers.entries()) {
      const s = status[i]!;
      if (!covers(w, f)) continue;
      s.findings++;
      if (s.status === 'expired' || applied) continue;
      s.status = 'applied';
      waived.push({ ...f, waiver: { reason: w.reason, until: w.until ?? null } });
      applied = true;
    }
    if (!applied) kept.push(f);
  }
  return { findings: kept, waived, waivers: status };
}
