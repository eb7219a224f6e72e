// The readable fleet summary `analyze --summary` prints on a terminal,
// rendered from the fleet summary JSON only. Host names, subjects and error
// messages come from devices: control characters are shown escaped, so a
// hostile hostname cannot move the cursor or recolour the terminal.
import type { FleetHost, FleetSummary } from '../fleet/schema.js';
import { visibleLine as visible } from './visible.js';

const LABEL: Record<string, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ', none: 'OK      ' };
const HOST_LINES = 50;
const NAMES = 8;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function names(labels: string[], max = NAMES): string {
  const shown = labels.slice(0, max).map(visible);
  return labels.length > max ? `${shown.join(', ')}, +${labels.length - max} more` : shown.join(', ');
}

function hostLine(h: FleetHost, width: number): string {
  const c = h.counts;
  const outage = h.outage ? `outage ${h.outage.durationSeconds} s from ${h.outage.start}${h.outageCount > 1 ? ` (${h.outageCount} episodes)` : ''}` : 'no outage';
  const recur = h.recurrence?.likely ? '  recurrence likely' : '';
  return `  ${LABEL[h.worst ?? 'none']} ${visible(h.label).padEnd(width)}  ${c.critical} critical, ${c.warning} warning, ${c.info} info; ${outage}${recur}`;
}

export function renderFleetSummary(s: FleetSummary): string {
  const c = s.counts;
  const out: string[] = [];
  out.push(`Fleet of ${plural(c.total, 'host')}: ${c.analyzed} analysed, ${c.unreadable} unreadable, ${c.notCollected} not collected (generated ${s.generatedAt})`);
  out.push(`Outage on ${plural(c.withOutage, 'host')}; recurrence likely on ${plural(c.recurrenceLikely, 'host')} (a standing condition remains there)`);
  out.push(`Worst finding per host: ${c.worst.critical} critical, ${c.worst.warning} warning, ${c.worst.info} info, ${c.worst.none} none`);

  const analysed = s.hosts.filter((h) => h.status === 'analyzed');
  out.push('', 'Hosts, worst first:');
  const width = Math.min(32, Math.max(0, ...analysed.slice(0, HOST_LINES).map((h) => visible(h.label).length)));
  for (const h of analysed.slice(0, HOST_LINES)) out.push(hostLine(h, width));
  if (analysed.length > HOST_LINES) out.push(`  … and ${analysed.length - HOST_LINES} more hosts (--json)`);

  out.push('', 'Rules, on most hosts first:');
  if (s.rules.length === 0) out.push('  none fired on any host');
  for (const r of s.rules) {
    const subjects = r.subjects.slice(0, 4).map((x) => `${visible(x.subject)} ×${x.hosts}`);
    if (r.subjects.length > 4) subjects.push(`+${r.subjects.length - 4} more`);
    out.push(`  ${LABEL[r.worst]} ${r.rule.padEnd(26)} ${plural(r.hosts, 'host')}: ${subjects.join(', ')}`);
  }
  for (const r of s.skippedRules) {
    out.push(`  could not check ${r.rule} on ${plural(r.hosts, 'host')}: ${r.reasons.map((x) => `${visible(x.reason)} (${x.hosts})`).join('; ')}`);
  }

  out.push('', `Outage windows (episodes within ${s.outageGapSeconds} s of each other are one window):`);
  if (s.outageGroups.length === 0) out.push('  none');
  for (const g of s.outageGroups.slice(0, 20)) {
    out.push(`  ${g.start} → ${g.end} (${g.durationSeconds} s), ${plural(g.hosts.length, 'host')}`);
    for (const h of g.hosts.slice(0, NAMES)) out.push(`    ${visible(h.label)}: ${h.start} → ${h.end} (${h.durationSeconds} s)`);
    if (g.hosts.length > NAMES) out.push(`    … and ${g.hosts.length - NAMES} more hosts`);
  }
  if (s.outageGroups.length > 20) out.push(`  … and ${s.outageGroups.length - 20} more windows (--json)`);

  const notCollected = s.hosts.filter((h) => h.status === 'not-collected');
  const unreadable = s.hosts.filter((h) => h.status === 'unreadable');
  if (notCollected.length) {
    out.push('', 'Not collected:');
    for (const h of notCollected) out.push(`  ${visible(h.label)}: ${h.failureKind ?? 'failed'}${h.error ? `: ${visible(h.error)}` : ''}`);
  }
  if (unreadable.length) {
    out.push('', 'Unreadable bundles:');
    for (const h of unreadable) out.push(`  ${visible(h.error ?? h.label)}`);
  }

  out.push('', 'Differences between analysed hosts:');
  if (s.differences.length === 0) out.push('  none');
  for (const d of s.differences) {
    out.push(`  ${d.field}: ${d.values.map((v) => `${v.value === null ? 'not recorded' : visible(v.value)} (${plural(v.hosts, 'host')}: ${names(v.labels, 3)})`).join('; ')}`);
  }
  if (s.sameEverywhere.length) out.push(`  same on every host: ${s.sameEverywhere.map((x) => `${x.field} ${x.value === null ? 'not recorded' : visible(x.value)}`).join(', ')}`);
  // Whatever a field added later quotes from a device stays one inert line too (visible() is idempotent).
  return out.map(visible).join('\n') + '\n';
}
