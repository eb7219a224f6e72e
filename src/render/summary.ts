// The readable summary `analyze` prints: rendered from the analysis JSON only.
import type { Analysis, Finding } from '../analysis/schema.js';
import { visibleLine } from './visible.js';

const LABEL: Record<Finding['severity'], string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };

export function renderSummary(a: Analysis, opts: { evidencePerFinding?: number } = {}): string {
  const out: string[] = [];
  const perFinding = opts.evidencePerFinding ?? 3;
  out.push(`${a.host}: window ${a.window.since ?? 'start of data'} → ${a.window.until ?? 'end of data'}${a.collectedAt ? `, collected ${a.collectedAt}` : ''}`);
  out.push(`bundle ${a.bundle.path} (sha256 ${a.bundle.sha256.slice(0, 16)}…)`);
  if (a.trigger) out.push(visibleLine(`captured ${a.trigger.capturedAfterSeconds ?? '?'} s after ${a.trigger.unit} stopped (${a.trigger.result})`));
  if (a.outage) {
    out.push(`Outage: ${a.outage.start} → ${a.outage.end} (${a.outage.durationSeconds} s), from ${a.outage.basis.join(', ')}${a.outage.recoveredAt ? `; recovered ${a.outage.recoveredAt}` : ''}${a.outages.length > 1 ? ` (${a.outages.length} episodes)` : ''}`);
  } else {
    out.push('Outage: none shown by proxy errors, health probes or service stops');
  }
  out.push(`Will it recur: ${a.recurrence.likely ? `likely, because of ${a.recurrence.because.join(', ')}` : 'no standing condition found'}`);
  out.push('');
  if (a.findings.length === 0) out.push('No findings.');
  for (const f of a.findings) {
    out.push(`${LABEL[f.severity]} ${f.rule}  ${f.subject}${f.noise ? '  (noise)' : ''}`);
    out.push(`         ${f.title}`);
    for (const e of f.evidence.slice(0, perFinding)) {
      out.push(`         > ${e.source}${e.line !== null ? `:${e.line}` : ''}${e.time ? ` @ ${e.time}` : ''}  ${oneLine(e.text)}`);
    }
    const more = f.evidenceTotal - Math.min(perFinding, f.evidence.length);
    if (more > 0) out.push(`         (${more} more evidence line${more === 1 ? '' : 's'} in --json)`);
  }
  if (a.resources.length) {
    out.push('');
    out.push(`Resources (snapshot at collection${a.collectedAt ? `, ${a.collectedAt}` : ''}${a.trigger?.capturedAfterSeconds != null ? `, taken ${a.trigger.capturedAfterSeconds} s after the failure` : ''}):`);
    for (const r of a.resources) out.push(`  ${r.name.padEnd(22)} ${describeResource(r).padEnd(28)} ${r.verdict}`);
  }
  if (a.skipped.length) {
    out.push('');
    out.push('Skipped checks:');
    for (const s of a.skipped) out.push(`  ${s.rule}: ${s.reason}`);
  }
  const counts = new Map<string, number>();
  for (const s of a.sources) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const skippedRecords = a.sources.reduce((n, s) => n + s.skippedRecords, 0);
  out.push('');
  out.push(`Sources: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}${skippedRecords ? `; ${skippedRecords} unreadable record(s) skipped` : ''}`);
  for (const s of a.sources.filter((x) => x.status !== 'ok')) out.push(`  ${s.id} ${s.path ?? ''}: ${s.status}${s.error ? ` (${s.error})` : ''}`);
  // Each entry is one line that may quote the bundle (host, names, messages, paths): controls shown, not obeyed.
  return out.map(visibleLine).join('\n') + '\n';
}

function oneLine(t: string): string {
  const s = t.replace(/\s*\n\s*/g, ' ⏎ ');
  return s.length > 200 ? `${s.slice(0, 200)}… (${s.length} chars)` : s;
}

function gib(n: number): string {
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

function describeResource(r: Analysis['resources'][number]): string {
  if (r.unit === 'bytes' && r.used !== null && r.total !== null) return `${gib(r.used)} of ${gib(r.total)} (${r.percent ?? '?'}%)`;
  if (r.unit === 'inodes' && r.used !== null && r.total !== null) return `${r.used} of ${r.total} inodes (${r.percent ?? '?'}%)`;
  if (r.unit === 'load') return `${r.detail ?? r.used}`;
  if (r.unit === 'percent') return `some avg10=${r.used}`;
  return `${r.used ?? '?'}`;
}
