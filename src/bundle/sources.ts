// Which file holds which source (docs/bundle-format.md, canonical sources). The manifest's `sources`
// list wins; without it (a bundle built by hand from pasted outputs) files are
// recognised by their canonical paths.
import { CRONTAB_PATH, SOURCE_IDS, UNIT_FILE, entryOf, fixedPaths, type SourceId } from '../sources/catalogue.js';
import type { SourceStatus } from './manifest.js';
import type { Bundle } from './reader.js';

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

// capture-hang: a hung process's state, saved by `charger-diag capture`'s hang hook before the restart
// and added to the capture's bundle (it is not a step of the catalogue).
const KNOWN_IDS = new Set<string>([...SOURCE_IDS, 'capture-hang']);

/** commands/<name> and the fixed device files (files/proc/meminfo, files/etc/os-release, ...). */
const FIXED_FILES = fixedPaths();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The directories, and on merged-/usr systems their /lib spelling (/usr/lib/systemd is /lib/systemd there). */
function withMergedUsr(dirs: string[]): string[] {
  return [...new Set(dirs.flatMap((d) => (d.startsWith('/usr/lib/') ? [d, d.slice('/usr'.length)] : [d])))];
}
const anyOf = (dirs: string[]) => `(?:${dirs.map(escape).join('|')})`;

// The unit search path; the unit-file parser deduplicates what /lib and /usr/lib both hold.
const UNIT_DIR = new RegExp(`^${anyOf(withMergedUsr(entryOf('unit-files').dirs))}/(.+)$`);
const DROP_IN = /^[^/]+\.d\/[^/]+\.conf$/;
const JOURNALD = new RegExp(`^${anyOf(withMergedUsr(entryOf('journald-config').dirs))}/(?:journald\\.conf|journald\\.conf\\.d/[^/]+\\.conf)$`);
const SYSLOG = new Set(entryOf('syslog').files);
const CRON_DIR = `${entryOf('cron').dir}/`;

/** The device path of a files/ entry: "files/etc/x" → "/etc/x". */
export function devicePathOf(rel: string): string | null {
  if (!rel.startsWith('files/') || rel.length <= 'files/'.length) return null;
  return rel.slice('files'.length);
}

/** The source a bundle file holds by its canonical path, or null for none. */
export function canonicalSourceOf(rel: string): SourceId | null {
  const fixed = FIXED_FILES.get(rel);
  if (fixed) return fixed;
  if (CRONTAB_PATH.test(rel)) return 'cron';
  const dev = devicePathOf(rel);
  if (dev === null) return null;
  const unit = UNIT_DIR.exec(dev);
  if (unit?.[1] !== undefined && (UNIT_FILE.test(unit[1]) || DROP_IN.test(unit[1]))) return 'unit-files';
  if (JOURNALD.test(dev)) return 'journald';
  if (SYSLOG.has(dev)) return 'syslog';
  if (dev.startsWith(CRON_DIR) && /^[^/]+$/.test(dev.slice(CRON_DIR.length))) return 'cron';
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
