// The fleet summary from host digests: a pure function of them, so it can be
// tested with a thousand hand-built hosts and rendered without any bundle.
import { severityRank, type Severity } from '../analysis/schema.js';
import { ALL_RULES as RULES } from '../rules/index.js';
import { formatDeviceTime } from '../time.js';
import { TOOL } from '../version.js';
import { uniqueLabels } from './labels.js';
import { groupOutages } from './outage-groups.js';
import { fleetPicture } from './picture.js';
import { FLEET_FIELDS, FleetSummarySchema, type FleetField, type FleetHost, type FleetSummary } from './schema.js';

export { digestAnalysis, unreadableHost, notCollectedHost } from './digest.js';

export interface FleetSummaryOptions {
  /** the BUNDLE arguments as given */
  inputs: string[];
  /** thresholds.outageGapSeconds of the configuration the bundles were analysed with */
  outageGapSeconds: number;
  now: Date;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Worst first: critical count, warning count, outage length, info count, then label. */
export function compareHosts(a: FleetHost, b: FleetHost): number {
  const status = (h: FleetHost) => (h.status === 'analyzed' ? 0 : h.status === 'unreadable' ? 1 : 2);
  return (
    status(a) - status(b) ||
    b.counts.critical - a.counts.critical ||
    b.counts.warning - a.counts.warning ||
    (b.outage?.durationSeconds ?? -1) - (a.outage?.durationSeconds ?? -1) ||
    b.counts.info - a.counts.info ||
    byText(a.label, b.label)
  );
}

/**
 * A finding's subject as the fleet sees it: a process is `uvicorn (pid 812)`
 * on one host and `uvicorn (pid 9311)` on the next, the same thing to an
 * operator; a reboot is `boot <id>` with a different id on every host.
 */
export function fleetSubject(subject: string): string {
  return subject.replace(/ \(pid \d+\)$/, '').replace(/^boot (?:[0-9a-f]{6,}|at .+)$/, 'boot');
}

function rulesAcross(hosts: FleetHost[]): FleetSummary['rules'] {
  const rules = new Map<string, { worst: Severity; labels: string[]; subjects: Map<string, Set<string>> }>();
  for (const h of hosts) {
    for (const f of h.findings) {
      let r = rules.get(f.rule);
      if (!r) rules.set(f.rule, (r = { worst: f.severity, labels: [], subjects: new Map() }));
      if (severityRank(f.severity) > severityRank(r.worst)) r.worst = f.severity;
      if (r.labels[r.labels.length - 1] !== h.label) r.labels.push(h.label);
      const s = fleetSubject(f.subject);
      if (!r.subjects.has(s)) r.subjects.set(s, new Set());
      r.subjects.get(s)!.add(h.label);
    }
  }
  return [...rules.entries()]
    .map(([rule, r]) => ({
      rule,
      worst: r.worst,
      hosts: r.labels.length,
      labels: r.labels,
      subjects: [...r.subjects.entries()].map(([subject, on]) => ({ subject, hosts: on.size })).sort((a, b) => b.hosts - a.hosts || byText(a.subject, b.subject)),
    }))
    .sort((a, b) => b.hosts - a.hosts || severityRank(b.worst) - severityRank(a.worst) || byText(a.rule, b.rule));
}

function skippedAcross(hosts: FleetHost[]): FleetSummary['skippedRules'] {
  const order = RULES.map((r) => r.id);
  const skipped = new Map<string, { labels: string[]; reasons: Map<string, number> }>();
  for (const h of hosts) {
    for (const s of h.skipped ?? []) {
      if (!order.includes(s.rule)) continue;
      let r = skipped.get(s.rule);
      if (!r) skipped.set(s.rule, (r = { labels: [], reasons: new Map() }));
      if (r.labels[r.labels.length - 1] === h.label) continue;
      r.labels.push(h.label);
      r.reasons.set(s.reason, (r.reasons.get(s.reason) ?? 0) + 1);
    }
  }
  return [...skipped.entries()]
    .map(([rule, r]) => ({
      rule,
      hosts: r.labels.length,
      labels: r.labels,
      reasons: [...r.reasons.entries()].map(([reason, n]) => ({ reason, hosts: n })).sort((a, b) => b.hosts - a.hosts || byText(a.reason, b.reason)),
    }))
    .sort((a, b) => b.hosts - a.hosts || order.indexOf(a.rule) - order.indexOf(b.rule));
}

function compareFacts(hosts: FleetHost[]): Pick<FleetSummary, 'differences' | 'sameEverywhere'> {
  const differences: FleetSummary['differences'] = [];
  const sameEverywhere: FleetSummary['sameEverywhere'] = [];
  if (hosts.length === 0) return { differences, sameEverywhere };
  for (const field of FLEET_FIELDS) {
    const values = new Map<string | null, string[]>();
    for (const h of hosts) {
      const v = h[field as FleetField];
      if (!values.has(v)) values.set(v, []);
      values.get(v)!.push(h.label);
    }
    if (values.size === 1) {
      sameEverywhere.push({ field, value: [...values.keys()][0]! });
      continue;
    }
    differences.push({
      field,
      values: [...values.entries()]
        .map(([value, labels]) => ({ value, hosts: labels.length, labels }))
        // Most hosts first: the odd ones out are at the end, where the eye lands after "most run X".
        .sort((a, b) => b.hosts - a.hosts || (a.value === null ? 1 : b.value === null ? -1 : byText(a.value, b.value))),
    });
  }
  return { differences, sameEverywhere };
}

/** The hosts' common UTC offset, so "generated" reads on the fleet's clock; UTC when they differ. */
function fleetOffset(hosts: FleetHost[]): string {
  const offsets = new Set<string>();
  for (const h of hosts) {
    const m = h.collectedAt ? /([+-]\d{2}:\d{2}|Z)$/.exec(h.collectedAt) : null;
    if (m) offsets.add(m[1]!);
  }
  return offsets.size === 1 ? [...offsets][0]! : '+00:00';
}

export function buildFleetSummary(given: FleetHost[], opts: FleetSummaryOptions): FleetSummary {
  const labels = uniqueLabels(given);
  const hosts = given.map((h, i) => ({ ...h, label: labels[i]! })).sort(compareHosts);
  const analyzed = hosts.filter((h) => h.status === 'analyzed');
  const worst = { critical: 0, warning: 0, info: 0, none: 0 };
  for (const h of analyzed) worst[h.worst ?? 'none']++;
  const summary: FleetSummary = {
    formatVersion: 1,
    kind: 'fleet-summary',
    tool: { ...TOOL },
    generatedAt: formatDeviceTime(opts.now.getTime(), { utcOffset: fleetOffset(analyzed) }),
    inputs: opts.inputs,
    outageGapSeconds: opts.outageGapSeconds,
    counts: {
      total: hosts.length,
      analyzed: analyzed.length,
      unreadable: hosts.filter((h) => h.status === 'unreadable').length,
      notCollected: hosts.filter((h) => h.status === 'not-collected').length,
      withOutage: analyzed.filter((h) => h.outageCount > 0).length,
      recurrenceLikely: analyzed.filter((h) => h.recurrence?.likely).length,
      worst,
    },
    hosts,
    rules: rulesAcross(analyzed),
    skippedRules: skippedAcross(analyzed),
    outageGroups: groupOutages(analyzed, opts.outageGapSeconds),
    ...compareFacts(analyzed),
  };
  const picture = fleetPicture(hosts, summary.outageGroups);
  if (picture) summary.picture = picture;
  return FleetSummarySchema.parse(summary);
}

/** --fail-on: does any analysed host have a finding at or above `failOn`? */
export function fleetExceeds(s: FleetSummary, failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  return s.hosts.some((h) => h.worst !== null && severityRank(h.worst) >= severityRank(failOn));
}
