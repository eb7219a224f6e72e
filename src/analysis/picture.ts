// The outage as a picture (analysis JSON `picture`, docs/analysis-json.md): one lane per actor
// that took part (site-local units, hand-started servers, the proxy or tunnel, the kernel,
// health probes, logins, the device itself), with running/down/restarting spans and marks that
// each carry the bundle lines behind them. Renderers only draw it. Marks closer together than
// the picture's resolution are merged with a count, and at most a dozen lanes are kept, so a
// long window on a busy device stays legible.
import type { Analysis, Picture, PictureLane, PictureMarkKind } from './schema.js';
import type { Facts, Line } from '../facts/types.js';
import { deviceOffsetAt, formatOffset } from '../time.js';

/** Resolution: the window is cut into this many buckets; marks in one bucket are one mark. */
const BUCKETS = 120;
export const MAX_LANES = 12;
/** evidence lines kept per merged mark */
const EVIDENCE_PER_MARK = 3;
/** an exit this soon after a unit's OOM kill or watchdog abort is that event's */
const CAUSED_EXIT_MS = 10_000;

type State = 'running' | 'down' | 'restarting';
interface RawSpan {
  from: number;
  to: number;
  state: State;
  evidence: Line[];
}
interface RawMark {
  ms: number;
  kind: PictureMarkKind;
  count: number;
  failed?: number;
  evidence: { source: string; line: number | null }[];
}
interface RawLane {
  id: string;
  label: string;
  kind: PictureLane['kind'];
  spans: RawSpan[];
  marks: RawMark[];
  /** drawn before the others: it was down, or something alarming happened on it */
  rank: number;
}

const ALARMING: ReadonlySet<PictureMarkKind> = new Set(['crash', 'oom-kill', 'watchdog', 'start-limit', 'failed-requests', 'reboot']);

function ev(l: Line): { source: string; line: number | null } {
  return { source: l.source, line: l.line };
}

/** A site-local unit's life from its journal events: what it was doing between them. */
function unitLane(facts: Facts, s: Facts['services'][number], start: number, end: number): RawLane {
  const spans: RawSpan[] = [];
  const marks: RawMark[] = [];
  // Before its first event the unit's state is unknown, unless that event says it was running.
  let state: State | null = null;
  let since = start;
  let sinceLine: Line | null = null;
  const events = s.events.filter((e) => e.at.epochMs !== null && e.at.epochMs >= start && e.at.epochMs <= end);
  const first = events[0];
  if (first && ['failed', 'main-exited', 'stopping', 'watchdog', 'oom-kill', 'restart-scheduled', 'start-limit-hit'].includes(first.kind)) state = 'running';
  let stopRequested = false;
  const to = (next: State, at: Line) => {
    const ms = at.epochMs!;
    if (state === next) return;
    if (state !== null && ms > since) spans.push({ from: since, to: ms, state, evidence: sinceLine ? [sinceLine] : [at] });
    state = next;
    since = ms;
    sinceLine = at;
  };
  for (const e of events) {
    const mark = (kind: PictureMarkKind) => marks.push({ ms: e.at.epochMs!, kind, count: 1, evidence: [ev(e.at)] });
    switch (e.kind) {
      case 'started':
        stopRequested = false;
        to('running', e.at);
        break;
      case 'starting':
      case 'restart-scheduled':
        to('restarting', e.at);
        break;
      case 'stopping':
        stopRequested = true;
        to('restarting', e.at);
        break;
      case 'stopped':
        if (stopRequested) to('down', e.at);
        break;
      case 'main-exited':
      case 'failed':
      case 'failed-to-start':
        // The exit that follows an OOM kill or a watchdog abort is that event, not another crash.
        if (!marks.some((m) => (m.kind === 'oom-kill' || m.kind === 'watchdog') && e.at.epochMs! - m.ms <= CAUSED_EXIT_MS)) mark('crash');
        to('down', e.at);
        break;
      case 'watchdog':
        mark('watchdog');
        to('down', e.at);
        break;
      case 'oom-kill':
        mark('oom-kill');
        to('down', e.at);
        break;
      case 'start-limit-hit':
        mark('start-limit');
        to('down', e.at);
        break;
      default:
        break;
    }
  }
  if (state === null && s.activeState === 'active') state = 'running';
  if (state !== null && end > since) spans.push({ from: since, to: end, state, evidence: sinceLine ? [sinceLine] : s.stateLine ? [s.stateLine] : [] });
  const hurt = spans.some((x) => x.state !== 'running') || marks.length > 0;
  return { id: `unit:${s.name}`, label: s.name, kind: 'unit', spans, marks, rank: hurt ? 0 : 3 };
}

/**
 * A server started by hand: running from its start; when the cause analysis says it went down
 * unmanaged, down from the clue (a session scope emptying) or the outage's start until then.
 */
function processLanes(facts: Facts, a: Analysis, start: number, end: number): RawLane[] {
  const lanes: RawLane[] = [];
  const down = a.causes?.causes.find((c) => c.id === 'unmanaged-down');
  for (const svc of a.services) {
    if (svc.managedBy === 'systemd' || svc.managedBy === 'systemd-user' || svc.pid === null) continue;
    const proc = facts.processes.find((p) => p.pid === svc.pid);
    if (!proc) continue;
    const subject = `${proc.program} (pid ${proc.pid})`;
    const started = proc.startEpochMs;
    const spans: RawSpan[] = [];
    const psLine = { ...proc.psLine, epochMs: started };
    const ranDown = down?.findings.some((f) => f.subject === subject) ?? false;
    if (started !== null && started > start && started <= end) {
      if (ranDown && a.outage) {
        const unknown = a.causes?.unknowns.find((u) => u.subject === subject);
        const clueMs = unknown?.clue?.time ? Date.parse(unknown.clue.time) : NaN;
        const outageMs = Date.parse(a.outage.start);
        const fromMs = Number.isFinite(clueMs) && clueMs <= outageMs ? clueMs : outageMs;
        const clueLine: Line | null = unknown?.clue ? { source: unknown.clue.source, line: unknown.clue.line, epochMs: clueMs, text: '' } : null;
        const outageLine = a.outage.evidence?.[0];
        const downEvidence: Line[] = [
          ...(clueLine && Number.isFinite(clueMs) ? [clueLine] : []),
          ...(outageLine ? [{ source: outageLine.source, line: outageLine.line, epochMs: outageMs, text: '' }] : []),
        ];
        if (fromMs > start) spans.push({ from: start, to: fromMs, state: 'running', evidence: downEvidence.slice(0, 1) });
        spans.push({ from: Math.max(start, fromMs), to: started, state: 'down', evidence: [...downEvidence, psLine] });
      }
      spans.push({ from: started, to: end, state: 'running', evidence: [psLine] });
    } else if (started !== null && started <= start) {
      spans.push({ from: start, to: end, state: 'running', evidence: [psLine] });
    }
    if (spans.length === 0) continue;
    lanes.push({ id: `process:${proc.pid}`, label: svc.name, kind: 'process', spans, marks: [], rank: ranDown ? 0 : 3 });
  }
  return lanes;
}

/** Merge marks of one kind that fall in the same bucket, keeping the first few lines behind them. */
function merge(marks: RawMark[], start: number, bucketMs: number): RawMark[] {
  const byKey = new Map<string, RawMark>();
  for (const m of [...marks].sort((x, y) => x.ms - y.ms)) {
    const key = `${m.kind}:${Math.floor((m.ms - start) / bucketMs)}`;
    const cur = byKey.get(key);
    if (!cur) {
      byKey.set(key, { ...m, evidence: [...m.evidence] });
      continue;
    }
    cur.count += m.count;
    if (m.failed !== undefined) cur.failed = (cur.failed ?? 0) + m.failed;
    for (const e of m.evidence) {
      if (cur.evidence.length < EVIDENCE_PER_MARK && !cur.evidence.some((x) => x.source === e.source && x.line === e.line)) cur.evidence.push(e);
    }
  }
  return [...byKey.values()].sort((x, y) => x.ms - y.ms || x.kind.localeCompare(y.kind));
}

export function buildPicture(facts: Facts, a: Analysis): Picture | null {
  const dated = a.timeline.map((t) => (t.time ? Date.parse(t.time) : NaN)).filter(Number.isFinite);
  const start = facts.window.sinceMs ?? (dated.length ? Math.min(...dated) : null);
  const until = facts.window.untilMs ?? facts.collectedAtMs ?? (dated.length ? Math.max(...dated) : null);
  if (start === null || until === null || until <= start) return null;
  // Collected a little after the window closed: the picture reaches the collection, to mark it.
  const collected = facts.collectedAtMs;
  const end = collected !== null && collected > until && collected - until <= until - start ? collected : until;
  const inside = (ms: number | null): ms is number => ms !== null && ms >= start && ms <= end;
  const bucketMs = Math.max(1000, Math.ceil((end - start) / BUCKETS / 1000) * 1000);

  const lanes: RawLane[] = [];
  const unitLanes = new Map<string, RawLane>();
  for (const s of facts.services) {
    // A oneshot (a health check a timer starts) runs and ends by design: no running or down to draw.
    if (!s.siteLocal || s.masked || (s.type === 'oneshot' && s.ports.length === 0)) continue;
    const lane = unitLane(facts, s, start, end);
    unitLanes.set(s.name, lane);
    lanes.push(lane);
  }
  lanes.push(...processLanes(facts, a, start, end));

  // Failed requests at the proxy or tunnel, as a density strip on its unit's lane when it has one.
  const proxies = [...new Set(facts.proxyTimes.map((p) => p.proxy))].sort();
  for (const proxy of proxies) {
    let lane = unitLanes.get(`${proxy}.service`);
    if (lane) lane.kind = 'proxy';
    else {
      lane = { id: `proxy:${proxy}`, label: proxy, kind: 'proxy', spans: [], marks: [], rank: 1 };
      lanes.push(lane);
    }
    const quotable = facts.proxyEvents.filter((e) => e.proxy === proxy && inside(e.at.epochMs));
    const raw: RawMark[] = facts.proxyTimes.filter((t) => t.proxy === proxy && inside(t.ms)).map((t) => ({ ms: t.ms, kind: 'failed-requests', count: 1, evidence: [] }));
    for (const m of merge(raw, start, bucketMs)) {
      const bucket = Math.floor((m.ms - start) / bucketMs);
      // The quoted lines are a sample of every error (a busy log holds a million): the nearest stands for the bucket.
      const own = quotable.filter((e) => Math.floor((e.at.epochMs! - start) / bucketMs) === bucket).slice(0, EVIDENCE_PER_MARK);
      const near = own.length ? own : [...quotable].sort((x, y) => Math.abs(x.at.epochMs! - m.ms) - Math.abs(y.at.epochMs! - m.ms)).slice(0, 1);
      if (near.length === 0) continue;
      lane.marks.push({ ...m, evidence: near.map((e) => ev(e.at)) });
    }
    if (lane.marks.length) lane.rank = Math.min(lane.rank, 1);
  }

  // The kernel: OOM kills and crashes, on the unit's lane when the kernel names one.
  const kernel: RawLane = { id: 'kernel', label: 'kernel', kind: 'kernel', spans: [], marks: [], rank: 1 };
  for (const k of facts.kernelEvents) {
    if (!inside(k.at.epochMs) || !['oom-killed', 'segfault', 'unhandled-fault', 'general-protection', 'trap', 'coredump'].includes(k.kind)) continue;
    const target = (k.unit && unitLanes.get(k.unit)) || kernel;
    target.marks.push({ ms: k.at.epochMs, kind: k.kind === 'oom-killed' ? 'oom-kill' : 'crash', count: 1, evidence: [ev(k.at)] });
    target.rank = Math.min(target.rank, 1);
  }
  for (const c of facts.coredumps) {
    if (inside(c.epochMs)) kernel.marks.push({ ms: c.epochMs, kind: 'crash', count: 1, evidence: [{ source: c.source, line: c.line }] });
  }
  if (kernel.marks.length) lanes.push(kernel);

  const probes: RawLane = { id: 'probes', label: 'health probes', kind: 'probes', spans: [], marks: [], rank: 2 };
  for (const p of facts.healthProbes) {
    if (!inside(p.epochMs)) continue;
    const failed = p.error !== null || p.status === null || p.status >= 500;
    probes.marks.push({ ms: p.epochMs, kind: 'probe', count: 1, failed: failed ? 1 : 0, evidence: [{ source: p.source, line: p.line }] });
    if (failed) probes.rank = 1;
  }
  if (probes.marks.length) lanes.push(probes);

  const logins: RawLane = { id: 'logins', label: 'logins', kind: 'logins', spans: [], marks: [], rank: 2 };
  for (const e of facts.systemdEvents) {
    if (e.kind === 'started' && /^session-[^.]+\.scope$/.test(e.unit) && inside(e.at.epochMs)) {
      logins.marks.push({ ms: e.at.epochMs, kind: 'login', count: 1, evidence: [ev(e.at)] });
    }
  }
  if (logins.marks.length) lanes.push(logins);

  const device: RawLane = { id: 'device', label: 'device', kind: 'device', spans: [], marks: [], rank: 2 };
  // A boot at the window's very start is the window beginning with it, not a reboot inside it.
  for (const b of facts.journalBoots) if (inside(b.firstMs) && b.firstMs > start) device.marks.push({ ms: b.firstMs, kind: 'reboot', count: 1, evidence: [ev(b.at)] });
  if (facts.collectedAtMs !== null && inside(facts.collectedAtMs)) device.marks.push({ ms: facts.collectedAtMs, kind: 'collection', count: 1, evidence: [{ source: 'manifest.json', line: null }] });
  if (device.marks.length) lanes.push(device);

  for (const l of lanes) if (l.kind !== 'proxy') l.marks = merge(l.marks, start, bucketMs);

  const happened =
    a.outage !== null ||
    lanes.some((l) => l.spans.some((s) => s.state !== 'running') || l.marks.some((m) => ALARMING.has(m.kind) || (m.failed ?? 0) > 0));
  if (!happened) return null;

  // The device lane (the collection mark) always stays; the others by rank, then as found.
  const others = lanes.filter((l) => l !== device && (l.spans.length > 0 || l.marks.length > 0));
  const tail = device.marks.length ? [device] : [];
  const ranked = others.map((l, i) => ({ l, i })).sort((x, y) => x.l.rank - y.l.rank || x.i - y.i);
  const kept = new Set(ranked.slice(0, MAX_LANES - 1).map((x) => x.l));
  const drawn = [...ranked.filter((x) => kept.has(x.l)).map((x) => x.l), ...tail];
  const leftOut = others.filter((l) => !kept.has(l)).map((l) => l.label);

  const fmt = (ms: number) => facts.fmt(ms)!;
  const o = a.outage;
  return {
    start: fmt(start),
    end: fmt(end),
    offset: formatOffset(deviceOffsetAt(start, facts.clock)),
    lanes: drawn.map((l) => ({
      id: l.id,
      label: l.label,
      kind: l.kind,
      spans: l.spans.map((s) => ({ from: fmt(s.from), to: fmt(s.to), state: s.state, evidence: s.evidence.map(ev) })),
      marks: l.marks.map((m) => ({
        at: fmt(m.ms),
        kind: m.kind,
        count: m.count,
        ...(m.failed !== undefined ? { failed: m.failed } : {}),
        evidence: m.evidence,
      })),
    })),
    outage: o ? { from: o.start, to: o.end, durationSeconds: o.durationSeconds, evidence: (o.evidence ?? []).map((e) => ({ source: e.source, line: e.line })) } : null,
    density: { bucketSeconds: bucketMs / 1000, lanesLeftOut: leftOut },
  };
}
