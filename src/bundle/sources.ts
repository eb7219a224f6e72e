// Which file holds which source (docs/bundle-format.md, canonical sources). The manifest's `sources`
// list wins; without it (a bundle built by hand from pasted outputs) files are
// recognised by their canonical paths.
import type { SourceStatus } from './manifest.js';
import type { Bundle } from './reader.js';

export type SourceId =
  | 'ps'
  | 'listeners'
  | 'procinfo'
  | 'units'
  | 'unit-files-state'
  | 'unit-props'
  | 'timers'
  | 'unit-files'
  | 'journal'
  | 'boots'
  | 'dmesg'
  | 'coredumps'
  | 'syslog'
  | 'memory'
  | 'load'
  | 'disk'
  | 'os'
  | 'journald'
  | 'cron'
  | 'app-log'
  | 'health'
  | 'health-script'
  /** a hung process's state, saved by `charger-diag capture`'s hang hook before the restart */
  | 'capture-hang';

export interface SourceEntry {
  id: string;
  /** bundle-relative */
  path: string | null;
  status: SourceStatus;
  error?: string;
  command?: string;
  exitCode?: number;
  /** listed in the manifest */
  declared: boolean;
}

const KNOWN_IDS = new Set<string>([
  'ps', 'listeners', 'procinfo', 'units', 'unit-files-state', 'unit-props', 'timers', 'unit-files', 'journal', 'boots',
  'dmesg', 'coredumps', 'syslog', 'memory', 'load', 'disk', 'os', 'journald', 'cron', 'app-log', 'health', 'health-script',
  'capture-hang',
] satisfies SourceId[]);

const COMMAND_FILES: Record<string, SourceId> = {
  'commands/ps.txt': 'ps',
  'commands/ss-ltnup.txt': 'listeners',
  'commands/procinfo.json': 'procinfo',
  'commands/systemctl-list-units.txt': 'units',
  'commands/systemctl-list-unit-files.txt': 'unit-files-state',
  'commands/systemctl-show.txt': 'unit-props',
  'commands/systemctl-list-timers.txt': 'timers',
  'commands/journal.jsonl': 'journal',
  'commands/journal-boots.txt': 'boots',
  'commands/dmesg.txt': 'dmesg',
  'commands/coredumpctl.txt': 'coredumps',
  'commands/df.txt': 'disk',
  'commands/df-inodes.txt': 'disk',
  'commands/uname.txt': 'os',
  'commands/journal-dirs.txt': 'journald',
  'commands/health-probes.json': 'health',
};

const DEVICE_FILES: Record<string, SourceId> = {
  '/proc/meminfo': 'memory',
  '/proc/loadavg': 'load',
  '/proc/uptime': 'load',
  '/proc/pressure/cpu': 'load',
  '/proc/pressure/memory': 'load',
  '/proc/pressure/io': 'load',
  '/etc/os-release': 'os',
  '/etc/crontab': 'cron',
};

// Unit search path directories; /lib and /usr/lib are one directory on
// Debian 12 (merged /usr), the unit-file parser deduplicates.
const UNIT_DIR = /^\/(?:etc|run|usr\/local\/lib|usr\/lib|lib)\/systemd\/system\/(.+)$/;
const UNIT_NAME = /^[^/]+\.(?:service|timer|socket)$/;
const DROP_IN = /^[^/]+\.d\/[^/]+\.conf$/;
const JOURNALD = /^\/(?:etc|run|usr\/lib|lib)\/systemd\/(?:journald\.conf|journald\.conf\.d\/[^/]+\.conf)$/;
const SYSLOG = /^\/var\/log\/(?:syslog|kern\.log|messages|daemon\.log)(?:\.1)?$/;
const CRON_D = /^\/etc\/cron\.d\/[^/]+$/;
const USER_CRONTAB = /^commands\/crontab-[^/]+\.txt$/;

/** The device path of a files/ entry: "files/etc/x" → "/etc/x". */
export function devicePathOf(rel: string): string | null {
  if (!rel.startsWith('files/') || rel.length <= 'files/'.length) return null;
  return rel.slice('files'.length);
}

/** The source a bundle file holds by its canonical path, or null for none. */
export function canonicalSourceOf(rel: string): SourceId | null {
  const cmd = COMMAND_FILES[rel];
  if (cmd) return cmd;
  if (USER_CRONTAB.test(rel)) return 'cron';
  const dev = devicePathOf(rel);
  if (dev === null) return null;
  const known = DEVICE_FILES[dev];
  if (known) return known;
  const unit = UNIT_DIR.exec(dev);
  if (unit?.[1] !== undefined && (UNIT_NAME.test(unit[1]) || DROP_IN.test(unit[1]))) return 'unit-files';
  if (JOURNALD.test(dev)) return 'journald';
  if (SYSLOG.test(dev)) return 'syslog';
  if (CRON_D.test(dev)) return 'cron';
  const base = dev.slice(dev.lastIndexOf('/') + 1);
  if (base.endsWith('.log') || base.endsWith('.log.1') || base === 'nohup.out') return 'app-log';
  return null;
}

/** "./commands/ps.txt" and "commands//ps.txt" name the same file. */
function normalizeRel(p: string): string {
  return p
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

const MISSING_FROM_BUNDLE = 'listed in manifest.json but not in the bundle';

/**
 * Sources from manifest.sources, plus canonical-path files present in the
 * bundle but not declared there (declared:false, status ok). A declared path
 * absent from the bundle becomes status 'missing'. Sorted by id then path.
 */
export function resolveSources(bundle: Pick<Bundle, 'manifest' | 'files'>): SourceEntry[] {
  const present = new Set(bundle.files);
  const out: SourceEntry[] = [];
  const declaredPaths = new Set<string>();

  for (const s of bundle.manifest.sources ?? []) {
    const path = s.path ? normalizeRel(s.path) : null;
    // An id this version does not know ("unit files" as the design table words it, a
    // typo in a hand-made manifest) yields to what the canonical path says.
    const declaredId = s.id && KNOWN_IDS.has(s.id) ? s.id : null;
    const id = declaredId ?? (path ? canonicalSourceOf(path) : null) ?? s.id ?? 'unknown';
    // A status that claims content is only believed when the content is there;
    // a failure the collector recorded keeps its own status and error.
    let status: SourceStatus = s.status ?? (path ? 'ok' : 'missing');
    let error = s.error ?? undefined;
    if (path !== null) {
      declaredPaths.add(path);
      if (!present.has(path) && (status === 'ok' || status === 'truncated')) {
        status = 'missing';
        error = MISSING_FROM_BUNDLE;
      }
    }
    const entry: SourceEntry = { id, path, status, declared: true };
    if (error !== undefined) entry.error = error;
    if (s.command != null) entry.command = s.command;
    if (s.exitCode != null) entry.exitCode = s.exitCode;
    out.push(entry);
  }

  for (const rel of bundle.files) {
    if (declaredPaths.has(rel)) continue;
    const id = canonicalSourceOf(rel);
    if (id) out.push({ id, path: rel, status: 'ok', declared: false });
  }

  return out.sort((a, b) => cmp(a.id, b.id) || cmp(a.path ?? '', b.path ?? ''));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
