// The outage as a picture (analysis JSON `picture`, docs/analysis-json.md): one lane per actor
// that took part (site-local units, hand-started servers, the proxy or tunnel, the kernel,
// health probes, logins, the device itself), with running/down/restarting spans and marks that
// each carry the bundle lines behind them. Renderers only draw it. Marks closer together than
// the picture's resolution are merged with a count, and at most a dozen lanes are kept, so a
// long window on a busy device stays legible.
import type { Analysis, Causes, Picture, PictureLane, PictureMarkKind } from './schema.js';
import type { Facts, Line } from '../facts/types.js';
import { deviceOffsetAt, formatDeviceTime, formatOffset, type DeviceClock } from '../time.js';
import { analyseCauses, causesJson } from './causes.js';

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

/** A site-local unit as the picture needs it: its journal events in order, its state at collection. */
export interface UnitInput {
  name: string;
  activeState: string | null;
  stateLine: Line | null;
  events: { kind: string; at: Line }[];
}

/** A process by pid: its program, start and ps line. */
export interface ProcessInput {
  pid: number;
  program: string;
  startMs: number | null;
  line: Line;
}

/**
 * What the picture is drawn from: the facts of a bundle (buildPicture), or, for an analysis made
 * before the picture was written into it, the analysis itself (pictureFromAnalysis, coarser).
 */
export interface PictureInput {
  sinceMs: number | null;
  untilMs: number | null;
  collectedAtMs: number | null;
  clock: DeviceClock;
  units: UnitInput[];
  processes: ProcessInput[];
  proxyTimes: { proxy: string; ms: number }[];
  proxyLines: { proxy: string; at: Line }[];
  kernel: { kind: 'oom-kill' | 'crash'; unit: string | null; at: Line }[];
  probes: { at: Line; failed: boolean }[];
  logins: Line[];
  boots: Line[];
}

/** A site-local unit's life from its journal events: what it was doing between them. */
function unitLane(s: UnitInput, start: number, end: number): RawLane {
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
  // Events that do not change the state (a start seen twice) leave no seam in the span.
  const joined: RawSpan[] = [];
  for (const x of spans) {
    const prev = joined[joined.length - 1];
    if (prev && prev.state === x.state && prev.to === x.from) prev.to = x.to;
    else joined.push(x);
  }
  const hurt = joined.some((x) => x.state !== 'running') || marks.length > 0;
  return { id: `unit:${s.name}`, label: s.name, kind: 'unit', spans: joined, marks, rank: hurt ? 0 : 3 };
}

/**
 * A server started by hand: running from its start; when the cause analysis says it went down
 * unmanaged, down from the clue (a session scope emptying) or the outage's start until then.
 */
function processLanes(input: PictureInput, a: Analysis, causes: Causes | undefined, start: number, end: number): RawLane[] {
  const lanes: RawLane[] = [];
  const down = causes?.causes.find((c) => c.id === 'unmanaged-down');
  for (const svc of a.services) {
    if (svc.managedBy === 'systemd' || svc.managedBy === 'systemd-user' || svc.pid === null) continue;
    const proc = input.processes.find((p) => p.pid === svc.pid);
    if (!proc) continue;
    const subject = `${proc.program} (pid ${proc.pid})`;
    const started = proc.startMs;
    const spans: RawSpan[] = [];
    const psLine = { ...proc.line, epochMs: started };
    const ranDown = down?.findings.some((f) => f.subject === subject) ?? false;
    if (started !== null && started > start && started <= end) {
      if (ranDown && a.outage) {
        const unknown = causes?.unknowns.find((u) => u.subject === subject);
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

function drawPicture(input: PictureInput, a: Analysis, causes: Causes | undefined): Picture | null {
  const dated = a.timeline.map((t) => (t.time ? Date.parse(t.time) : NaN)).filter(Number.isFinite);
  const start = input.sinceMs ?? (dated.length ? Math.min(...dated) : null);
  const until = input.untilMs ?? input.collectedAtMs ?? (dated.length ? Math.max(...dated) : null);
  if (start === null || until === null || until <= start) return null;
  // Collected a little after the window closed: the picture reaches the collection, to mark it.
  const collected = input.collectedAtMs;
  const end = collected !== null && collected > until && collected - until <= until - start ? collected : until;
  const inside = (ms: number | null): ms is number => ms !== null && ms >= start && ms <= end;
  const bucketMs = Math.max(1000, Math.ceil((end - start) / BUCKETS / 1000) * 1000);

  const lanes: RawLane[] = [];
  const unitLanes = new Map<string, RawLane>();
  for (const s of input.units) {
    const lane = unitLane(s, start, end);
    unitLanes.set(s.name, lane);
    lanes.push(lane);
  }
  lanes.push(...processLanes(input, a, causes, start, end));

  // Failed requests at the proxy or tunnel, as a density strip on its unit's lane when it has one.
  const proxies = [...new Set(input.proxyTimes.map((p) => p.proxy))].sort();
  for (const proxy of proxies) {
    let lane = unitLanes.get(`${proxy}.service`);
    if (lane) lane.kind = 'proxy';
    else {
      lane = { id: `proxy:${proxy}`, label: proxy, kind: 'proxy', spans: [], marks: [], rank: 1 };
      lanes.push(lane);
    }
    const quotable = input.proxyLines.filter((e) => e.proxy === proxy && inside(e.at.epochMs));
    const raw: RawMark[] = input.proxyTimes.filter((t) => t.proxy === proxy && inside(t.ms)).map((t) => ({ ms: t.ms, kind: 'failed-requests', count: 1, evidence: [] }));
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
  for (const k of input.kernel) {
    if (!inside(k.at.epochMs)) continue;
    const target = (k.unit && unitLanes.get(k.unit)) || kernel;
    target.marks.push({ ms: k.at.epochMs, kind: k.kind, count: 1, evidence: [ev(k.at)] });
    target.rank = Math.min(target.rank, 1);
  }
  if (kernel.marks.length) lanes.push(kernel);

  const probes: RawLane = { id: 'probes', label: 'health probes', kind: 'probes', spans: [], marks: [], rank: 2 };
  for (const p of input.probes) {
    if (!inside(p.at.epochMs)) continue;
    probes.marks.push({ ms: p.at.epochMs, kind: 'probe', count: 1, failed: p.failed ? 1 : 0, evidence: [ev(p.at)] });
    if (p.failed) probes.rank = 1;
  }
  if (probes.marks.length) lanes.push(probes);

  const logins: RawLane = { id: 'logins', label: 'logins', kind: 'logins', spans: [], marks: [], rank: 2 };
  for (const l of input.logins) if (inside(l.epochMs)) logins.marks.push({ ms: l.epochMs, kind: 'login', count: 1, evidence: [ev(l)] });
  if (logins.marks.length) lanes.push(logins);

  const device: RawLane = { id: 'device', label: 'device', kind: 'device', spans: [], marks: [], rank: 2 };
  // A boot at the window's very start is the window beginning with it, not a reboot inside it.
  for (const b of input.boots) if (inside(b.epochMs) && b.epochMs > start) device.marks.push({ ms: b.epochMs, kind: 'reboot', count: 1, evidence: [ev(b)] });
  if (inside(input.collectedAtMs)) device.marks.push({ ms: input.collectedAtMs, kind: 'collection', count: 1, evidence: [{ source: 'manifest.json', line: null }] });
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

  const fmt = (ms: number) => formatDeviceTime(ms, input.clock);
  const o = a.outage;
  return {
    start: fmt(start),
    end: fmt(end),
    offset: formatOffset(deviceOffsetAt(start, input.clock)),
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

const KERNEL_CRASH = ['segfault', 'unhandled-fault', 'general-protection', 'trap', 'coredump'];

/** The picture of a bundle, from its facts and its (redacted) analysis. */
export function buildPicture(facts: Facts, a: Analysis): Picture | null {
  const input: PictureInput = {
    sinceMs: facts.window.sinceMs,
    untilMs: facts.window.untilMs,
    collectedAtMs: facts.collectedAtMs,
    clock: facts.clock,
    // A oneshot (a health check a timer starts) runs and ends by design: no running or down to draw.
    units: facts.services
      .filter((s) => s.siteLocal && !s.masked && !(s.type === 'oneshot' && s.ports.length === 0))
      .map((s) => ({ name: s.name, activeState: s.activeState, stateLine: s.stateLine, events: s.events })),
    processes: facts.processes.map((p) => ({ pid: p.pid, program: p.program, startMs: p.startEpochMs, line: p.psLine })),
    proxyTimes: facts.proxyTimes,
    proxyLines: facts.proxyEvents.map((e) => ({ proxy: e.proxy, at: e.at })),
    kernel: [
      ...facts.kernelEvents.flatMap((k) =>
        k.kind === 'oom-killed' || KERNEL_CRASH.includes(k.kind) ? [{ kind: k.kind === 'oom-killed' ? ('oom-kill' as const) : ('crash' as const), unit: k.unit ?? null, at: k.at }] : [],
      ),
      ...facts.coredumps.map((c) => ({ kind: 'crash' as const, unit: null, at: { source: c.source, line: c.line, epochMs: c.epochMs, text: c.text } })),
    ],
    probes: facts.healthProbes.map((p) => ({
      at: { source: p.source, line: p.line, epochMs: p.epochMs, text: '' },
      failed: p.error !== null || p.status === null || p.status >= 500,
    })),
    logins: facts.systemdEvents.filter((e) => e.kind === 'started' && LOGIN_SCOPE.test(e.unit)).map((e) => e.at),
    boots: facts.journalBoots.map((b) => ({ ...b.at, epochMs: b.firstMs })),
  };
  return drawPicture(input, a, a.causes);
}

const LOGIN_SCOPE = /^session-[^.]+\.scope$/;

/**
 * The picture of an analysis made before the picture was written into it, from what the
 * analysis holds: its timeline (lifecycle events, kernel faults, the first and last error of
 * each proxy run, probes, logins, boots), services and causes. Coarser than from the bundle:
 * the proxy's density is only the errors the timeline quotes.
 */
export function pictureFromAnalysis(a: Analysis): Picture | null {
  const clock: DeviceClock = { timezone: a.hostInfo?.timezone ?? null, utcOffset: a.hostInfo?.utcOffset ?? null };
  const ms = (iso: string | null | undefined) => {
    const v = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(v) ? v : null;
  };
  const lines = a.timeline.map((t) => ({ t, at: { source: t.source, line: t.line, epochMs: ms(t.time), text: t.text } as Line }));
  const units: UnitInput[] = a.services
    .filter((s) => s.siteLocal && s.unit && !(s.type === 'oneshot' && s.ports.length === 0))
    .map((s) => ({
      name: s.unit!,
      activeState: s.activeState ?? null,
      stateLine: null,
      events: lines.filter((l) => l.t.subject === s.unit && l.t.kind.startsWith('unit-')).map((l) => ({ kind: l.t.kind.slice('unit-'.length), at: l.at })),
    }));
  const processes: ProcessInput[] = a.services.flatMap((s) => {
    if (s.pid === null || !s.program) return [];
    const start = lines.find((l) => l.t.kind === 'process-start' && l.t.subject === `${s.program} (pid ${s.pid})`);
    return start ? [{ pid: s.pid, program: s.program, startMs: start.at.epochMs, line: start.at }] : [];
  });
  const proxy = lines.filter((l) => l.t.kind === 'proxy-error' && l.t.subject && l.at.epochMs !== null);
  const kernel = lines.flatMap((l) => {
    const kind = l.t.kind === 'kernel-oom-killed' ? ('oom-kill' as const) : l.t.kind === 'coredump' || KERNEL_CRASH.some((k) => l.t.kind === `kernel-${k}`) ? ('crash' as const) : null;
    return kind ? [{ kind, unit: l.t.subject && l.t.subject.endsWith('.service') ? l.t.subject : null, at: l.at }] : [];
  });
  const input: PictureInput = {
    sinceMs: ms(a.window.since),
    untilMs: ms(a.window.until),
    collectedAtMs: ms(a.collectedAt),
    clock,
    units,
    processes,
    proxyTimes: proxy.map((l) => ({ proxy: l.t.subject!, ms: l.at.epochMs! })),
    proxyLines: proxy.map((l) => ({ proxy: l.t.subject!, at: l.at })),
    kernel,
    probes: lines.filter((l) => l.t.kind === 'health-probe').map((l) => ({ at: l.at, failed: !/→ [1-4]\d\d\b/.test(l.t.text) })),
    logins: lines.filter((l) => l.t.kind === 'unit-started' && LOGIN_SCOPE.test(l.t.subject ?? '')).map((l) => l.at),
    boots: lines.filter((l) => l.t.kind === 'boot').map((l) => l.at),
  };
  return drawPicture(input, a, a.causes ?? causesJson(analyseCauses(a)));
}

/** The analysis's picture, or one drawn from the analysis when it was made before pictures were. */
export function pictureOf(a: Analysis): Picture | null {
  return a.picture ?? pictureFromAnalysis(a);
}
