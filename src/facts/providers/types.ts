// A fact provider reads the sources it declares and adds what they say to the
// draft of the fact model; it declares which fact kinds it provides and, for
// each, which sources explain the kind's absence. The driver (facts/build.ts)
// runs the providers in order; facts/missing.ts words what is missing and why
// from those declarations alone.
import type { Bundle } from '../../bundle/reader.js';
import type { SourceEntry } from '../../bundle/sources.js';
import type { Manifest } from '../../bundle/manifest.js';
import type { Config } from '../../config.js';
import type { SourceId } from '../../sources/catalogue.js';
import type { DeviceClock } from '../../time.js';
import type { ParseProblem } from '../../parse/types.js';
import type { ListenerRecord } from '../../parse/ss.js';
import type { UnitDefinition } from '../../parse/unit-file.js';
import type { UnitPropsRecord } from '../../parse/systemctl-show.js';
import type { UnitStateRecord } from '../../parse/systemctl-list-units.js';
import type { TimerRecord } from '../../parse/systemctl-list-timers.js';
import type { CronEntry } from '../../parse/cron.js';
import type { JournalStorageVerdict } from '../../parse/journald.js';
import type { BootRecord } from '../../parse/boots.js';
import type { DfRecord, LoadAvg, MemInfo, Pressure, Uptime } from '../../parse/resources.js';
import type { LogScanner } from '../log-scan.js';
import type { ScriptInputs } from '../services.js';
import type { Facts, FactKind, ProcessFact } from '../types.js';

/** What a source gave, for the analysis' source list. */
export interface Summary {
  records: number | null;
  skipped: number;
  problems?: ParseProblem[];
}

/** One source whose record explains a missing kind, named by what it would have given ("ps output"). */
export interface Explaining {
  source: SourceId;
  what: string;
  /** the device file of that source this kind comes from (/proc/uptime of `load`) */
  file?: string;
}

export interface Provision {
  kind: FactKind;
  /** the sources whose status says why the kind is absent; none when it does not come from a source */
  from: Explaining[];
  /** the sentence around each source's status (in the order of `from`); without it, the first one's status alone */
  reason?: (why: string[]) => string;
  /** when the source was read and still gave nothing for this kind: "<path>: <this>" */
  unreadable?: string;
}

/** What a provider found: the kinds present, and those absent although a source was read (with its path). */
export interface Outcome {
  present: FactKind[];
  readButEmpty?: Partial<Record<FactKind, string>>;
}

export interface Provider {
  name: string;
  /** the only sources it may read */
  reads: SourceId[];
  provides: Provision[];
  run(ctx: ProviderContext, draft: Draft): Promise<Outcome>;
}

/** How the analysis reads its sources; what it finds is the same either way. */
export interface ReadOptions {
  /**
   * false: a journal of 64 MiB or more is read and hashed on the analysis's own thread, without a
   * reading thread beside it (src/parse/journal-fast.ts): for a 183 MB journal, 24 MB less peak
   * memory (the thread's heap, its chunks) for 9% more time. A collection's report, made on the
   * device, reads so. Default: such a journal is read on a thread of its own.
   */
  journalThread?: boolean;
}

/** The bundle as one provider sees it: its declared sources only. */
export interface ProviderContext {
  bundle: Bundle;
  config: Config;
  manifest: Manifest;
  clock: DeviceClock;
  collectedAtMs: number | null;
  sinceMs: number | null;
  untilMs: number | null;
  /** untilMs to the end of its second (journalctl's --until is inclusive to the second) */
  lastMs: number | null;
  referenceMs: number;
  read: ReadOptions;
  inWindow(ms: number | null): boolean;
  /** every entry of a source, read or not */
  entries(id: SourceId): SourceEntry[];
  /** the entries of a source that hold content (a truncated one still holds what was collected) */
  ok(id: SourceId): SourceEntry[];
  first(id: SourceId): SourceEntry | undefined;
  text(e: SourceEntry): Promise<string>;
  note(e: SourceEntry, s: Summary): void;
}

/** The fact model as the providers build it up, in their order. */
export interface Draft {
  processes: ProcessFact[];
  hasServiceManager: boolean;
  listeners: ListenerRecord[];
  unitFiles: UnitDefinition[];
  props: UnitPropsRecord[];
  unitStates: UnitStateRecord[];
  timers: TimerRecord[];
  cron: CronEntry[];
  scripts: ScriptInputs;
  journalStorage: JournalStorageVerdict | null;
  memory: MemInfo | null;
  load: LoadAvg | null;
  uptime: Uptime | null;
  pressure: Pressure[];
  disks: DfRecord[];
  boots: BootRecord[];
  coredumps: Facts['coredumps'];
  healthProbes: Facts['healthProbes'];
  /** the log scan, once the log provider has run */
  scanner: LogScanner | null;
  logSourcesRead: Facts['logSourcesRead'];
}

export function emptyDraft(): Draft {
  return {
    processes: [],
    hasServiceManager: false,
    listeners: [],
    unitFiles: [],
    props: [],
    unitStates: [],
    timers: [],
    cron: [],
    scripts: { texts: new Map(), notes: [] },
    journalStorage: null,
    memory: null,
    load: null,
    uptime: null,
    pressure: [],
    disks: [],
    boots: [],
    coredumps: [],
    healthProbes: [],
    scanner: null,
    logSourcesRead: { kernel: [], system: [], app: [] },
  };
}

/** A line of ps or ss, quoted: they pad columns (the cgroup column to 512 characters), quotes fold those runs of spaces. */
export function foldSpaces(line: string): string {
  return line.trim().replace(/ {2,}/g, ' ');
}
