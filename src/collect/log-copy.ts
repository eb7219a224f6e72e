// Copying a text log into the bundle: only the lines of the window, judged by
// their own timestamps (not the file's mtime), redacted, and capped so that a
// line inside the window is never dropped to make room for one outside it.
// Lines without a time (tracebacks, uvicorn's default format) go with the
// stamped line before them; a file with no stamps at all is kept whole, and
// when over the cap its newest part (the tail) is what stays.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createAppLogParser, detectAppLogFormat, type AppLogLineParser } from '../parse/app-log.js';
import { parseSyslogLine } from '../parse/syslog.js';
import { deviceOffsetAt, formatOffset, type DeviceClock } from '../time.js';
import type { RedactionCounts } from '../redact.js';
import { LineSplitter, textLineRedactor, type LineRedactor } from './redact-stream.js';
import type { StagedFile, Staging } from './staging.js';
import { asOutputError } from './staging.js';

export interface LogWindow {
  sinceMs: number;
  untilMs: number;
  clock: DeviceClock;
  /** collection time: gives year-less syslog stamps their year */
  referenceMs: number;
}

export type LogKind = 'syslog' | 'app-log';

const SNIFF_LINES = 50;

/**
 * Converting a zone's local time costs about a millisecond a line (Intl), too
 * slow for a 32 MiB log. When the zone's offset is the same at both ends of
 * the window, no DST change falls inside it, and that fixed offset reads
 * every line of the window exactly; a line misread across a change lies
 * outside the window either way. Otherwise the zone itself is used.
 */
export function fastClock(w: LogWindow): DeviceClock {
  if (!w.clock.timezone) return w.clock;
  const a = deviceOffsetAt(w.sinceMs, w.clock);
  const b = deviceOffsetAt(w.untilMs, w.clock);
  return a === b ? { utcOffset: formatOffset(a) } : w.clock;
}

/**
 * Decides line by line whether a log line belongs to the window. The app-log
 * format is detected from the first lines, so those are held back until then.
 */
export class WindowFilter {
  private parse: AppLogLineParser | null = null;
  private held: string[] = [];
  /** null until the first stamped line: lines before it are kept (nothing says they are outside) */
  private keeping: boolean | null = null;
  stamped = 0;
  dropped = 0;

  private readonly clock: DeviceClock;

  constructor(
    private readonly kind: LogKind,
    private readonly devicePath: string,
    private readonly w: LogWindow,
  ) {
    this.clock = fastClock(w);
  }

  /** Lines to write now (held lines are released once the format is known). */
  line(text: string): string[] {
    if (this.kind === 'app-log' && this.parse === null) {
      this.held.push(text);
      if (this.held.length < SNIFF_LINES) return [];
      return this.release();
    }
    return this.decide(text) ? [text] : [];
  }

  end(): string[] {
    return this.kind === 'app-log' && this.parse === null ? this.release() : [];
  }

  private release(): string[] {
    const format = detectAppLogFormat(this.devicePath, this.held);
    this.parse = createAppLogParser(format, this.devicePath, this.clock, { referenceMs: this.w.referenceMs });
    const out = this.held.filter((l) => this.decide(l));
    this.held = [];
    return out;
  }

  private timeOf(text: string, lineNo: number): number | null {
    if (this.kind === 'syslog') {
      const r = parseSyslogLine(text, lineNo, this.devicePath, this.clock, this.w.referenceMs);
      return 'problem' in r ? null : r.epochMs;
    }
    const r = this.parse!(text, lineNo);
    return r === null || 'problem' in r ? null : r.epochMs;
  }

  private lineNo = 0;

  private decide(text: string): boolean {
    this.lineNo++;
    const t = this.timeOf(text, this.lineNo);
    if (t !== null) {
      this.stamped++;
      this.keeping = t >= this.w.sinceMs && t <= this.w.untilMs;
    }
    const keep = this.keeping ?? true;
    if (!keep) this.dropped++;
    return keep;
  }
}

/**
 * Keeps the last `cap` bytes of whole lines, holding at most two segments of
 * `cap` on disk, so a huge log costs neither memory nor more than twice the cap.
 */
export class TailKeeper {
  private segments: { name: string; file: StagedFile }[] = [];
  private seq = 0;
  dropped = 0;
  total = 0;

  constructor(
    private readonly staging: Staging,
    private readonly cap: number,
  ) {}

  async write(line: Buffer): Promise<void> {
    let cur = this.segments[this.segments.length - 1];
    if (!cur || cur.file.bytes + line.length > this.cap) {
      if (this.segments.length === 2) {
        const old = this.segments.shift()!;
        this.dropped += old.file.bytes;
        await rm(this.staging.scratchPath(old.name), { force: true });
      }
      if (cur) await cur.file.close();
      const name = `tail-${process.pid}-${this.seq++}-${Math.random().toString(36).slice(2)}`;
      cur = { name, file: await this.staging.openScratch(name) };
      this.segments.push(cur);
    }
    // A single line longer than the cap is cut to it rather than dropped.
    const piece = line.length > this.cap ? line.subarray(line.length - this.cap) : line;
    this.total += line.length;
    await cur.file.write(piece);
  }

  /** Move the kept tail to `rel` in the bundle; returns bytes written and whether anything was cut. */
  async finish(rel: string): Promise<{ bytes: number; truncated: boolean }> {
    const last = this.segments[this.segments.length - 1];
    if (last) await last.file.close();
    if (this.segments.length === 0) return { bytes: await this.staging.writeFile(rel, ''), truncated: false };
    if (this.segments.length === 1) {
      const only = this.segments[0]!;
      await this.moveInto(only.name, rel);
      return { bytes: only.file.bytes, truncated: this.dropped > 0 };
    }
    const [prev, cur] = this.segments as [{ name: string; file: StagedFile }, { name: string; file: StagedFile }];
    const out = await this.staging.open(rel);
    try {
      const skip = prev.file.bytes + cur.file.bytes - this.cap;
      let atLineStart = skip <= 0;
      for await (const chunk of createReadStream(this.staging.scratchPath(prev.name), { start: Math.max(0, skip) })) {
        let c = chunk as Buffer;
        if (!atLineStart) {
          const nl = c.indexOf(0x0a);
          if (nl === -1) continue;
          c = c.subarray(nl + 1);
          atLineStart = true;
        }
        await out.write(c);
      }
      for await (const chunk of createReadStream(this.staging.scratchPath(cur.name))) await out.write(chunk as Buffer);
    } finally {
      await out.close();
    }
    await rm(this.staging.scratchPath(prev.name), { force: true });
    await rm(this.staging.scratchPath(cur.name), { force: true });
    return { bytes: out.bytes, truncated: true };
  }

  private async moveInto(name: string, rel: string): Promise<void> {
    try {
      await mkdir(dirname(this.staging.pathOf(rel)), { recursive: true, mode: 0o700 });
      await rename(this.staging.scratchPath(name), this.staging.pathOf(rel));
    } catch (e) {
      throw asOutputError(e, this.staging.outDir);
    }
  }

  async discard(): Promise<void> {
    for (const s of this.segments) {
      await s.file.close().catch(() => undefined);
      await rm(this.staging.scratchPath(s.name), { force: true });
    }
    this.segments = [];
  }
}

export interface LogCopyResult {
  bytes: number;
  truncated: boolean;
  /** lines left out because their time is outside the window */
  outsideWindow: number;
  /** bytes of window lines that did not fit under the cap */
  cutBytes: number;
}

export interface LogCopyOptions {
  kind: LogKind;
  devicePath: string;
  window: LogWindow;
  cap: number;
  counts: RedactionCounts | null;
  staging: Staging;
}

/** Filter, redact and cap a log fed chunk by chunk; `finish` writes `rel` in the bundle. */
export class LogCopier {
  private readonly filter: WindowFilter;
  private readonly redactLine: LineRedactor;
  private readonly keeper: TailKeeper;
  private readonly splitter: LineSplitter;
  private pending: string[] = [];

  constructor(
    private readonly rel: string,
    o: LogCopyOptions,
  ) {
    this.filter = new WindowFilter(o.kind, o.devicePath, o.window);
    this.redactLine = textLineRedactor(o.counts);
    this.keeper = new TailKeeper(o.staging, o.cap);
    this.splitter = new LineSplitter((buf) => {
      for (const l of this.filter.line(buf.toString('utf8'))) this.pending.push(l);
    });
  }

  async push(chunk: Buffer): Promise<void> {
    this.splitter.push(chunk);
    await this.drain();
  }

  private async drain(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    for (const l of lines) {
      const r = this.redactLine(l);
      if (r !== null) await this.keeper.write(Buffer.from(`${r}\n`));
    }
  }

  async finish(): Promise<LogCopyResult> {
    this.splitter.end();
    for (const l of this.filter.end()) this.pending.push(l);
    await this.drain();
    const { bytes, truncated } = await this.keeper.finish(this.rel);
    return { bytes, truncated, outsideWindow: this.filter.dropped, cutBytes: this.keeper.dropped };
  }

  discard(): Promise<void> {
    return this.keeper.discard();
  }
}

/** Filter, redact and cap a log given as a byte stream; writes `rel` in the bundle. */
export async function copyLog(input: AsyncIterable<Buffer | string>, rel: string, opts: LogCopyOptions): Promise<LogCopyResult> {
  const copier = new LogCopier(rel, opts);
  try {
    for await (const chunk of input) await copier.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return await copier.finish();
  } catch (e) {
    await copier.discard();
    throw e;
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MiB`;
}
