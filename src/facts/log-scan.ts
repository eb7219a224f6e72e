// One pass over every log-like record (journal, syslog, dmesg, app logs):
// classify it and keep what the rules need, in memory bounded independent of
// input size (counts in full, quoted lines capped).
import type { LogRecord } from '../parse/types.js';
import { classifySystemd } from '../classify/systemd-events.js';
import { classifyKernel, KERNEL_BOOT, KERNEL_REPLAY_LAG_MS } from '../classify/kernel-events.js';
import { classifyProxy } from '../classify/proxy-events.js';
import { classifyPortConflict, PORT_CONFLICT_TEXT } from '../classify/port-conflict.js';
import { isErrorRecord, noiseReason } from '../classify/log-level.js';
import type { ErrorGroup, ErrorGroupsLeftOut, KernelEventFact, Line, PortConflictFact, ProxyEventFact, ProxyRequestCount, ServiceEventFact } from './types.js';
import { HealthPathScanner } from './health-paths.js';
import { LACKS_NOISE_WORDS, LACKS_PORT_WORDS } from '../parse/text-lacks.js';

export type LogKind = 'journal' | 'syslog' | 'kernel-file' | 'dmesg' | 'app';

const MAX_SYSTEMD_EVENTS = 50_000;
const MAX_KERNEL_EVENTS = 5_000;
const MAX_PORT_CONFLICTS = 1_000;
const MAX_PROXY_KEPT = 2_000;
const MAX_PROXY_TIMES = 2_000_000;
const MAX_PROXY_KEYS = 200_000;
const ERROR_SAMPLES = 8;
const MAX_ERROR_GROUPS = 200;
// Distinct sources counted past the limit (their names only, to say how many).
const MAX_LEFT_OUT_SOURCES = 100_000;

function toLine(r: LogRecord, epochMs: number | null = r.epochMs): Line {
  return { source: r.source, line: r.line, epochMs, text: r.text };
}

export class LogScanner {
  private leftOutLines = 0;
  private readonly leftOutSources = new Set<string>();
  private readonly leftOutSamples: ErrorGroup['samples'] = [];
  readonly systemdEvents: ServiceEventFact[] = [];
  readonly kernelEvents: KernelEventFact[] = [];
  readonly proxyEvents: ProxyEventFact[] = [];
  readonly proxyTimes: { proxy: string; ms: number }[] = [];
  readonly proxyOkTimes: { proxy: string; ms: number; at: Line }[] = [];
  readonly portConflicts: PortConflictFact[] = [];
  readonly kernelBootLines: Line[] = [];
  readonly journalBoots = new Map<string, { bootId: string; firstMs: number; at: Line }>();
  proxyEventTotal = 0;
  /** per proxy: failed requests counted once each (see ProxyRequestCount) */
  readonly proxyRequests = new Map<string, ProxyRequestCount>();
  private readonly proxyKeys = new Map<string, Set<string>>();
  /** records inside the window, per source */
  readonly inWindowCount = new Map<string, number>();
  /** the proxy programs seen at all (their logs are present) */
  readonly proxiesSeen = new Set<string>();
  /** requests to /health, /status, /ping... per log: a health URL the service is known to answer */
  readonly healthPaths = new HealthPathScanner();
  private readonly groups = new Map<string, ErrorGroup>();
  private readonly awaitingRecovery = new Map<string, number>();
  private readonly lastKeptProxy = new Map<string, { ms: number; pending: ProxyEventFact | null }>();

  constructor(
    private readonly inWindow: (ms: number | null) => boolean,
    private readonly gapMs: number,
    private readonly currentBootMs: number | null,
  ) {}

  /**
   * `secondary`: the same lines are also in the journal (syslog files next to a
   * journal), so only kernel events are taken from it, deduplicated. `lacks`:
   * LACKS_* bits (parse/text-lacks.ts), words the text is known not to hold.
   *
   * The journal fast path skips records it proves no consumer here could use
   * (src/parse/journal-quiet.ts says what it checks): a new consumer must be
   * reflected there; test/perf/journal-fast.test.ts compares both paths.
   */
  add(r: LogRecord, kind: LogKind, secondary = false, lacks = 0): void {
    const ms = this.trueTime(r, kind);
    const fromMonotonic = ms !== r.epochMs;
    if (kind === 'journal') this.trackBoot(r, ms);
    const isKernel = kind === 'dmesg' || r.identifier === 'kernel' || r.fields?._TRANSPORT === 'kernel';
    if (isKernel && KERNEL_BOOT.test(r.text) && this.inWindow(ms)) this.kernelBootLines.push(toLine(r, ms));
    if (ms !== null && !this.inWindow(ms)) return;
    this.inWindowCount.set(r.source, (this.inWindowCount.get(r.source) ?? 0) + 1);

    if ((kind === 'journal' || kind === 'syslog') && !secondary) {
      const ev = classifySystemd(r);
      if (ev && this.systemdEvents.length < MAX_SYSTEMD_EVENTS) {
        this.systemdEvents.push({ ...ev, at: toLine(r, ms) });
      }
    }
    if (isKernel || kind === 'kernel-file' || r.identifier === 'systemd-coredump') {
      const ke = classifyKernel(r.text);
      if (ke && this.kernelEvents.length < MAX_KERNEL_EVENTS && !this.seenKernelEvent(ke, ms)) {
        const unit = ke.unit ?? (r.identifier === 'systemd-coredump' ? r.fields?.COREDUMP_UNIT : undefined);
        this.kernelEvents.push({ ...ke, ...(unit ? { unit } : {}), at: toLine(r, ms), fromMonotonic, ...(fromMonotonic && r.epochMs !== null ? { readMs: r.epochMs } : {}) });
      }
    }
    if (secondary) return;
    const pe = classifyProxy(r);
    if (pe) this.addProxy(pe, r, ms);
    else if (r.identifier === 'ngrok' || r.identifier === 'nginx') this.addProxyOk(r.identifier, r, ms);
    if (r.identifier === 'ngrok' || r.identifier === 'nginx') this.proxiesSeen.add(r.identifier);

    if (this.portConflicts.length < MAX_PORT_CONFLICTS && (lacks & LACKS_PORT_WORDS) === 0 && PORT_CONFLICT_TEXT.test(r.text)) {
      const pc = classifyPortConflict(r.text);
      if (pc) this.portConflicts.push({ ...pc, at: toLine(r, ms), identifier: r.identifier ?? null, unit: r.unit ?? null });
    }
    if (isErrorRecord(r)) this.addError(r, kind, ms, (lacks & LACKS_NOISE_WORDS) !== 0);
    if (kind === 'app' || kind === 'journal') this.healthPaths.add(r, ms);
  }

  /** Records of `source` the journal fast path proved quiet inside the window: they only count. */
  countQuiet(source: string, inWindow: number): void {
    if (inWindow > 0) this.inWindowCount.set(source, (this.inWindowCount.get(source) ?? 0) + inWindow);
  }

  /** The same kernel line read from the journal and from dmesg or kern.log is one event. */
  private seenKernelEvent(ke: { kind: string; pid?: number; comm?: string }, ms: number | null): boolean {
    return this.kernelEvents.some(
      (e) => e.kind === ke.kind && e.pid === ke.pid && e.comm === ke.comm && (e.at.epochMs === null || ms === null || Math.abs(e.at.epochMs - ms) <= 60_000),
    );
  }

  /** Kernel lines replayed at journald/rsyslog start carry the replay time; their true time is boot + monotonic. */
  private trueTime(r: LogRecord, kind: LogKind): number | null {
    if (r.epochMs === null) return null;
    const mono = r.fields?.__MONOTONIC_TIMESTAMP;
    const src = r.fields?._SOURCE_MONOTONIC_TIMESTAMP;
    if (kind === 'journal' && mono && src && r.fields?._TRANSPORT === 'kernel') {
      const lag = (Number(mono) - Number(src)) / 1000;
      if (Number.isFinite(lag) && lag > KERNEL_REPLAY_LAG_MS) return r.epochMs - lag;
    }
    if ((kind === 'syslog' || kind === 'kernel-file') && r.uptimeSeconds !== undefined && this.currentBootMs !== null) {
      const t = this.currentBootMs + r.uptimeSeconds * 1000;
      if (r.epochMs >= this.currentBootMs && r.epochMs - t > KERNEL_REPLAY_LAG_MS) return t;
    }
    return r.epochMs;
  }

  private trackBoot(r: LogRecord, trueMs: number | null): void {
    const id = r.fields?._BOOT_ID;
    const mono = r.fields?.__MONOTONIC_TIMESTAMP;
    if (!id || r.epochMs === null || this.journalBoots.has(id)) return;
    // realtime − monotonic of any entry of a boot is the boot's start.
    const bootMs = mono ? r.epochMs - Number(mono) / 1000 : r.epochMs;
    // The first entry of a boot is usually a kernel line replayed at journald start: quote it at its true time.
    this.journalBoots.set(id, { bootId: id, firstMs: Math.round(bootMs), at: toLine(r, trueMs) });
  }

  private addProxy(pe: NonNullable<ReturnType<typeof classifyProxy>>, r: LogRecord, ms: number | null): void {
    this.proxyEventTotal++;
    if (ms !== null && this.proxyTimes.length < MAX_PROXY_TIMES) this.proxyTimes.push({ proxy: pe.proxy, ms });
    this.awaitingRecovery.set(pe.proxy, ms ?? 0);
    this.countRequest(pe, ms);
    const ev: ProxyEventFact = { ...pe, at: toLine(r, ms) };
    // Keep every event up to a bound; past it, keep the first and the last of each run.
    const state = this.lastKeptProxy.get(pe.proxy);
    if (this.proxyEvents.length < MAX_PROXY_KEPT) {
      this.proxyEvents.push(ev);
      this.lastKeptProxy.set(pe.proxy, { ms: ms ?? 0, pending: null });
      return;
    }
    const newRun = !state || ms === null || ms - state.ms > this.gapMs;
    if (newRun) {
      if (state?.pending) this.proxyEvents.push(state.pending);
      this.proxyEvents.push(ev);
      this.lastKeptProxy.set(pe.proxy, { ms: ms ?? 0, pending: null });
    } else {
      this.lastKeptProxy.set(pe.proxy, { ms: ms ?? state.ms, pending: ev });
    }
  }

  /**
   * A gateway answer (an access-log 502/503/504) is one request. An upstream-failure line is one
   * failure unless another line already told of the same connection and request in the same
   * second: nginx logs one line per upstream address tried, and a proxy logging to a file and to
   * the journal tells it twice.
   */
  private countRequest(pe: NonNullable<ReturnType<typeof classifyProxy>>, ms: number | null): void {
    let c = this.proxyRequests.get(pe.proxy);
    if (!c) {
      c = { answers: 0, failures: 0 };
      this.proxyRequests.set(pe.proxy, c);
    }
    if (pe.kind === 'http-5xx') {
      c.answers++;
      return;
    }
    if (pe.about === undefined) {
      c.failures++;
      return;
    }
    let keys = this.proxyKeys.get(pe.proxy);
    if (!keys) {
      keys = new Set();
      this.proxyKeys.set(pe.proxy, keys);
    }
    const key = `${pe.about}@${ms === null ? '?' : Math.floor(ms / 1000)}`;
    if (keys.has(key)) return;
    // Past the bound every further line counts: an over-count of a huge outage, never a crash.
    if (keys.size < MAX_PROXY_KEYS) keys.add(key);
    c.failures++;
  }

  private addProxyOk(proxy: string, r: LogRecord, ms: number | null): void {
    if (ms === null || !this.awaitingRecovery.has(proxy)) return;
    if (isErrorRecord(r)) return;
    this.proxyOkTimes.push({ proxy, ms, at: toLine(r, ms) });
    this.awaitingRecovery.delete(proxy);
  }

  private addError(r: LogRecord, kind: LogKind, ms: number | null, lacksNoiseWords: boolean): void {
    const key =
      kind === 'app'
        ? r.source
        : kind === 'dmesg' || kind === 'kernel-file' || r.identifier === 'kernel'
          ? 'kernel'
          : // systemd's own lines ("Failed to start x.service") belong with the unit they are about.
            (r.aboutUnit ?? r.unit ?? r.identifier ?? r.source);
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_ERROR_GROUPS) {
        // Past the limit a source is counted, not grouped, so the analysis still says how much it left out.
        this.leftOutLines++;
        if (this.leftOutSources.size < MAX_LEFT_OUT_SOURCES) this.leftOutSources.add(key);
        if (this.leftOutSamples.length < ERROR_SAMPLES) this.leftOutSamples.push({ ...toLine(r, ms), noise: noiseReason(r, lacksNoiseWords) });
        return;
      }
      g = { key, source: r.source, count: 0, noiseCount: 0, undated: 0, firstMs: null, lastMs: null, samples: [] };
      this.groups.set(key, g);
    }
    const noise = noiseReason(r, lacksNoiseWords);
    g.count++;
    if (noise) g.noiseCount++;
    if (ms === null) g.undated++;
    else {
      g.firstMs = g.firstMs === null ? ms : Math.min(g.firstMs, ms);
      g.lastMs = g.lastMs === null ? ms : Math.max(g.lastMs, ms);
    }
    if (g.samples.length < ERROR_SAMPLES) g.samples.push({ ...toLine(r, ms), noise });
    else if (!noise && g.samples.every((s) => s.noise)) g.samples[ERROR_SAMPLES - 1] = { ...toLine(r, ms), noise };
  }

  finish(): void {
    this.proxyKeys.clear();
    for (const [, state] of this.lastKeptProxy) if (state.pending) this.proxyEvents.push(state.pending);
    this.lastKeptProxy.clear();
    this.proxyEvents.sort((a, b) => (a.at.epochMs ?? 0) - (b.at.epochMs ?? 0));
    this.systemdEvents.sort((a, b) => (a.at.epochMs ?? 0) - (b.at.epochMs ?? 0));
    this.kernelEvents.sort((a, b) => (a.at.epochMs ?? 0) - (b.at.epochMs ?? 0));
  }

  /** Error lines of sources past the first MAX_ERROR_GROUPS, which are counted but not grouped; null when none. */
  errorGroupsLeftOut(): ErrorGroupsLeftOut | null {
    if (this.leftOutLines === 0) return null;
    return {
      lines: this.leftOutLines,
      sources: this.leftOutSources.size,
      sourcesAtLeast: this.leftOutSources.size >= MAX_LEFT_OUT_SOURCES,
      limit: MAX_ERROR_GROUPS,
      samples: this.leftOutSamples,
    };
  }

  errorGroups(): ErrorGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }
}
