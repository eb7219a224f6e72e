// systemd unit files and their drop-ins, merged the way systemd 252 merges
// them, with systemd's defaults applied. Used when systemctl could not answer
// (no running systemd, --root, a repository's deploy/systemd/) and to quote the
// exact line that set (or failed to set) Restart=, WatchdogSec=, ExecStartPost=.
//
// Merge order, verified against `systemd-analyze verify --root=DIR` on 252:
//  - fragment: the first search directory (by priority) that has <name>; an
//    instance foo@1.service falls back to the template foo@.service;
//  - drop-ins: every *.conf in <name>.d/, the template's .d/, the dash-prefix
//    dirs (foo-.service.d/) and the type dir (service.d/) in every search
//    directory; a file name met first (higher-priority directory, more
//    specific name before prefix, any name dir before the type dir) hides the
//    same file name elsewhere; then all are applied in byte order of their
//    file names, whichever directory they come from.
import { parseSystemdTimespan } from '../time.js';
import { MAX_PROBLEMS } from './types.js';
import { basename } from 'node:path/posix';

export interface UnitFileInput {
  /** e.g. /etc/systemd/system/charger.service or /etc/systemd/system/charger.service.d/10-restart.conf */
  devicePath: string;
  /** files/etc/systemd/system/... */
  bundlePath: string;
  text: string;
}

export interface Directive {
  section: string;
  key: string;
  value: string;
  /** bundlePath */
  source: string;
  devicePath: string;
  /** 1-based line where the directive starts */
  line: number;
  /** the raw line(s) as written */
  text: string;
  /** last line of a directive continued with a trailing backslash */
  endLine?: number;
}

export interface UnitNote {
  source: string;
  line: number;
  reason: string;
}

export interface UnitDefinition {
  /** charger.service */
  name: string;
  fragment: { devicePath: string; bundlePath: string } | null;
  /** in the order applied */
  dropins: { devicePath: string; bundlePath: string }[];
  /** fragment empty (0 bytes or only whitespace): /dev/null links arrive as empty files */
  masked: boolean;
  /** all directives after merging, in application order; an empty assignment resets the list of that key */
  directives: Directive[];
  /** last effective directive for a key */
  get(section: string, key: string): Directive | undefined;
  /** all effective directives for a (list) key */
  getAll(section: string, key: string): Directive[];
  effective: {
    type: string;
    restart: string;
    /** microseconds */
    restartSec: number;
    /** microseconds, 0 = no watchdog */
    watchdogSec: number;
    startLimitBurst: number;
    /** microseconds */
    startLimitIntervalSec: number;
    notifyAccess: string;
    user: string | null;
    group: string | null;
    workingDirectory: string | null;
    execStart: Directive[];
    execStartPre: Directive[];
    execStartPost: Directive[];
    description: string | null;
    wantedBy: string[];
    remainAfterExit: boolean;
  };
  /** what systemd would warn about or refuse: ignored values, several ExecStart= on a non-oneshot service */
  notes?: UnitNote[];
  /** empty assignments (`ExecStartPost=`) that cleared a key, in application order: the line that explains a missing setting */
  resets?: Directive[];
}

export interface UnitFilesResult {
  /** sorted by name */
  units: UnitDefinition[];
  skipped: number;
  /** line 0 means the whole file */
  problems: { source: string; line: number; reason: string }[];
  /** definition of any unit name (e.g. an instance seen only in a cgroup), null when nothing defines it */
  resolve?: (name: string) => UnitDefinition | null;
}

// The system manager's search path, highest priority first (systemd.unit(5)).
// /lib/systemd/system is /usr/lib/systemd/system on merged-/usr systems (Debian 12).
const SEARCH_DIRS = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
];
const USR_LIB = '/usr/lib/systemd/system';
const LIB = '/lib/systemd/system';

const UNIT_TYPES = ['service', 'timer', 'socket'] as const;
const UNIT_NAME = /^([A-Za-z0-9:_.\\-]+?)(?:@([A-Za-z0-9:_.\\-]*))?\.(service|timer|socket)$/;
const ENABLEMENT_DIR = /\.(wants|requires|upholds)$/;

/** Fragment directories an administrator owns, as opposed to vendor (/lib, /usr/lib) and generator output. */
export function isSiteLocalPath(devicePath: string): boolean {
  const p = normalizePath(devicePath);
  if (p.startsWith('/lib/') || p.startsWith('/usr/lib/')) return false;
  if (/^\/run\/systemd\/generator(\.early|\.late)?\//.test(p)) return false;
  return true;
}

function normalizePath(p: string): string {
  let out = p.replace(/\/{2,}/g, '/');
  if (out.length > 1) out = out.replace(/\/$/, '');
  return out;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// One file → raw directives, as systemd's config_parse() reads it.

type RawDirective = Directive;

interface ParsedFile {
  input: UnitFileInput;
  devicePath: string;
  directives: RawDirective[];
  empty: boolean;
}

function parseUnitText(
  input: UnitFileInput,
  devicePath: string,
  problem: (line: number, reason: string) => void,
): ParsedFile {
  const lines = input.text.split('\n');
  const directives: RawDirective[] = [];
  let section: string | null = null;
  // A section header that systemd rejected: its assignments are not "outside a section", just lost.
  let sectionBroken = false;
  // A continued directive is gathered as parts and joined once it ends: a
  // hostile file of a few hundred thousand continuation lines must not cost
  // a copy of everything before at each line.
  let cont: { parts: string[]; raw: string[]; start: number } | null = null;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    const lead = raw.replace(/^[ \t]+/, '');
    // Comment lines are dropped even in the middle of a continuation.
    if (lead.startsWith('#') || lead.startsWith(';')) continue;
    const rawLines: string[] = cont ? cont.raw : [];
    rawLines.push(raw);
    const start: number = cont ? cont.start : lineNo;
    // Odd number of trailing backslashes: the line continues. (What came before ends in the space that
    // replaced the last continuation, so the run is this line's own.)
    let trailing = 0;
    while (trailing < raw.length && raw.charCodeAt(raw.length - 1 - trailing) === 0x5c) trailing++;
    if (trailing % 2 === 1 && i < lines.length - 1) {
      const parts: string[] = cont ? cont.parts : [];
      parts.push(raw.slice(0, -1), ' ');
      cont = { parts, raw: rawLines, start };
      continue;
    }
    let logical: string = cont ? cont.parts.join('') + raw : raw;
    cont = null;
    if (trailing % 2 === 1) logical = logical.slice(0, -1);
    const l = logical.trim();
    if (l === '') continue;
    if (l.startsWith('[')) {
      if (!l.endsWith(']') || l.length < 3) {
        problem(start, `invalid section header "${l}"`);
        section = null;
        sectionBroken = true;
        continue;
      }
      section = l.slice(1, -1);
      sectionBroken = false;
      continue;
    }
    if (section === null) {
      problem(start, sectionBroken ? 'assignment under an invalid section header' : 'assignment outside of a section');
      continue;
    }
    const eq = l.indexOf('=');
    if (eq === -1) {
      problem(start, "missing '=', line ignored");
      continue;
    }
    const key = l.slice(0, eq).trim();
    if (key === '') {
      problem(start, "missing key name before '='");
      continue;
    }
    const d: RawDirective = {
      section,
      key,
      value: l.slice(eq + 1).trim(),
      source: input.bundlePath,
      devicePath,
      line: start,
      text: rawLines.join('\n'),
    };
    if (lineNo !== start) d.endLine = lineNo;
    directives.push(d);
  }
  return { input, devicePath, directives, empty: input.text.trim() === '' };
}

// ---------------------------------------------------------------------------
// Unit names

interface NameParts {
  prefix: string;
  instance: string | null; // '' for a template
  type: string;
}

function nameParts(name: string): NameParts | null {
  const m = UNIT_NAME.exec(name);
  if (!m) return null;
  return { prefix: m[1]!, instance: m[2] ?? null, type: m[3]! };
}

function isInstance(p: NameParts): boolean {
  return p.instance !== null && p.instance !== '';
}

/** Prefix dirs such as "charger-.service" name a family of units, not a unit. */
function isPrefixName(p: NameParts): boolean {
  return p.prefix.endsWith('-');
}

/** The drop-in directory names systemd searches for a unit, in its order (dropin.c, unit_file_find_dirs). */
export function dropinDirNames(name: string): string[] {
  const out: string[] = [];
  const visit = (n: string) => {
    const p = nameParts(n);
    out.push(n);
    if (!p) return;
    if (isInstance(p)) visit(`${p.prefix}@.${p.type}`);
    let prefix = p.prefix;
    let chopped = false;
    for (;;) {
      const dash = prefix.lastIndexOf('-');
      if (dash <= 0) return;
      if (dash + 1 < prefix.length || chopped) {
        prefix = prefix.slice(0, dash + 1);
        break;
      }
      prefix = prefix.slice(0, dash);
      chopped = true;
    }
    visit(isInstance(p) ? `${prefix}@${p.instance}.${p.type}` : `${prefix}.${p.type}`);
  };
  visit(name);
  return out;
}

// ---------------------------------------------------------------------------
// Typed settings: systemd ignores (with a warning) an empty or unparsable value
// for these, keeping the previous one; other keys reset on an empty value.

const BOOLEAN = /^(1|yes|y|true|t|on|0|no|n|false|f|off)$/i;
const TRUE = /^(1|yes|y|true|t|on)$/i;

const TYPED: Record<string, (v: string) => boolean> = {
  'Service.Type': (v) => /^(simple|exec|forking|oneshot|dbus|notify|notify-reload|idle)$/.test(v),
  'Service.Restart': (v) => /^(no|on-success|on-failure|on-abnormal|on-watchdog|on-abort|always)$/.test(v),
  'Service.NotifyAccess': (v) => /^(none|main|exec|all)$/.test(v),
  'Service.RestartSec': (v) => parseSystemdTimespan(v) !== null,
  'Service.WatchdogSec': (v) => parseSystemdTimespan(v) !== null,
  'Service.StartLimitInterval': (v) => parseSystemdTimespan(v) !== null,
  'Service.StartLimitBurst': (v) => /^\d+$/.test(v),
  'Service.RemainAfterExit': (v) => BOOLEAN.test(v),
  'Unit.StartLimitIntervalSec': (v) => parseSystemdTimespan(v) !== null,
  'Unit.StartLimitBurst': (v) => /^\d+$/.test(v),
};

function typedCheck(d: { section: string; key: string }): ((v: string) => boolean) | undefined {
  return TYPED[`${d.section}.${d.key}`];
}

const DEFAULTS = {
  restartSec: 100_000,
  startLimitBurst: 5,
  startLimitIntervalSec: 10_000_000,
};

// ---------------------------------------------------------------------------

interface Classified {
  kind: 'fragment' | 'dropin';
  dir: string; // normalized search directory
  name: string; // unit name (fragment) or drop-in dir name without ".d"
  file: ParsedFile;
}

export function loadUnitFiles(files: UnitFileInput[]): UnitFilesResult {
  let skipped = 0;
  const problems: UnitFilesResult['problems'] = [];
  const addProblem = (source: string, line: number, reason: string) => {
    skipped++;
    if (problems.length < MAX_PROBLEMS) problems.push({ source, line, reason });
  };

  const fragments = new Map<string, Map<string, ParsedFile>>(); // dir → name → file
  const dropins = new Map<string, Map<string, Map<string, ParsedFile>>>(); // dir → dirName → file name → file
  const unknownDirs: string[] = [];
  const instanceNames = new Set<string>();
  const seen = new Map<string, string>(); // dir\0relative → devicePath kept
  const kept = new Map<string, { c: Omit<Classified, 'file'>; input: UnitFileInput; devicePath: string; base: string }>();

  for (const input of files) {
    let devicePath = normalizePath(input.devicePath);
    if (!devicePath.startsWith('/') && SEARCH_DIRS.concat(LIB).some((d) => ('/' + devicePath).startsWith(d + '/'))) {
      devicePath = '/' + devicePath;
    }
    const base = basename(devicePath);
    const parent = dirname(devicePath);
    const parentBase = basename(parent);
    let c: Omit<Classified, 'file'> | null = null;

    if (base.endsWith('.conf') && parentBase.endsWith('.d') && parentBase.length > 2) {
      const dirName = parentBase.slice(0, -2);
      const parts = nameParts(dirName);
      if (!parts && !(UNIT_TYPES as readonly string[]).includes(dirName)) {
        addProblem(input.bundlePath, 0, `drop-in for "${dirName}", not a service, timer or socket`);
        continue;
      }
      c = { kind: 'dropin', dir: dirname(parent), name: dirName };
    } else if (/\.(service|timer|socket)$/.test(base)) {
      if (ENABLEMENT_DIR.test(parentBase)) {
        // An enablement symlink (multi-user.target.wants/foo@1.service): not a
        // definition, but it names the instances that exist.
        const parts = nameParts(base);
        if (parts && isInstance(parts)) instanceNames.add(base);
        continue;
      }
      if (!nameParts(base)) {
        addProblem(input.bundlePath, 0, `"${base}" is not a valid unit name`);
        continue;
      }
      c = { kind: 'fragment', dir: parent, name: base };
    } else {
      addProblem(input.bundlePath, 0, 'not a .service, .timer or .socket unit or a .d/*.conf drop-in');
      continue;
    }

    if (c.dir === LIB) c.dir = USR_LIB;
    if (!SEARCH_DIRS.includes(c.dir) && !unknownDirs.includes(c.dir)) unknownDirs.push(c.dir);
    const relative = c.kind === 'fragment' ? c.name : `${c.name}.d/${base}`;
    const key = `${c.dir}\0${relative}`;
    const earlier = seen.get(key);
    // /lib and /usr/lib are one directory: the same file may arrive twice.
    if (earlier !== undefined && !(earlier.startsWith(LIB + '/') && devicePath.startsWith(USR_LIB + '/'))) continue;
    seen.set(key, devicePath);

    kept.set(key, { c, input, devicePath, base });
  }

  // Parsed only after de-duplication, so a file present as both /lib and /usr/lib counts its problems once.
  for (const { c, input, devicePath, base } of kept.values()) {
    const file = parseUnitText(input, devicePath, (line, reason) => addProblem(input.bundlePath, line, reason));
    if (c.kind === 'fragment') {
      let m = fragments.get(c.dir);
      if (!m) fragments.set(c.dir, (m = new Map()));
      m.set(c.name, file);
    } else {
      let byDir = dropins.get(c.dir);
      if (!byDir) dropins.set(c.dir, (byDir = new Map()));
      let m = byDir.get(c.name);
      if (!m) byDir.set(c.name, (m = new Map()));
      m.set(base, file);
    }
  }

  const searchOrder = [...SEARCH_DIRS, ...unknownDirs];

  const findFragment = (name: string): ParsedFile | null => {
    for (const dir of searchOrder) {
      const f = fragments.get(dir)?.get(name);
      if (f) return f;
    }
    return null;
  };

  const resolve = (name: string): UnitDefinition | null => {
    const parts = nameParts(name);
    if (!parts || isPrefixName(parts)) return null;
    let fragment = findFragment(name);
    if (!fragment && isInstance(parts)) fragment = findFragment(`${parts.prefix}@.${parts.type}`);

    const dirNames = dropinDirNames(name);
    // The unit's own directories (its name, its template); prefix and type
    // directories alone do not make a unit exist.
    const ownDirs = new Set(isInstance(parts) ? [name, `${parts.prefix}@.${parts.type}`] : [name]);
    let ownDropin = false;
    const picked = new Map<string, ParsedFile>();
    const take = (dir: string, dirName: string) => {
      const files = dropins.get(dir)?.get(dirName);
      if (!files) return;
      if (ownDirs.has(dirName)) ownDropin = true;
      for (const [fname, f] of files) if (!picked.has(fname)) picked.set(fname, f);
    };
    // Search directories in the outer loop, names in the inner one, the type
    // directory last of all: that decides which of two same-named files wins.
    for (const dir of searchOrder) for (const dn of dirNames) take(dir, dn);
    for (const dir of searchOrder) take(dir, parts.type);
    const applied = [...picked.entries()].sort((a, b) => byteCompare(a[0], b[0])).map(([, f]) => f);

    if (!fragment && !ownDropin) return null;
    const masked = fragment !== null && fragment.empty;
    return buildDefinition(name, fragment, masked ? [] : applied, masked);
  };

  const names = new Set<string>();
  for (const m of fragments.values()) for (const n of m.keys()) names.add(n);
  for (const byDir of dropins.values()) {
    for (const dn of byDir.keys()) {
      const p = nameParts(dn);
      if (p && !isPrefixName(p)) names.add(dn);
    }
  }
  for (const n of instanceNames) names.add(n);

  const units: UnitDefinition[] = [];
  for (const n of [...names].sort(byteCompare)) {
    const def = resolve(n);
    if (def) units.push(def);
  }
  return { units, skipped, problems, resolve };
}

function buildDefinition(name: string, fragment: ParsedFile | null, applied: ParsedFile[], masked: boolean): UnitDefinition {
  const notes: UnitNote[] = [];
  const merged: Directive[] = [];
  const resets: Directive[] = [];
  const sources = masked ? [] : [...(fragment ? [fragment] : []), ...applied];

  for (const file of sources) {
    for (const d of file.directives) {
      const check = typedCheck(d);
      if (check) {
        // Typed keys: empty or unparsable values are ignored, the previous value stays.
        if (!check(d.value)) {
          notes.push({ source: d.source, line: d.line, reason: `${d.key}=${d.value}: not a valid value, systemd ignores it` });
          continue;
        }
        merged.push(d);
        continue;
      }
      if (d.value === '') {
        resets.push(d);
        for (let k = merged.length - 1; k >= 0; k--) {
          if (merged[k]!.section === d.section && merged[k]!.key === d.key) merged.splice(k, 1);
        }
        continue;
      }
      merged.push(d);
    }
  }

  const getAll = (section: string, key: string) => merged.filter((d) => d.section === section && d.key === key);
  const get = (section: string, key: string) => {
    for (let k = merged.length - 1; k >= 0; k--) {
      const d = merged[k]!;
      if (d.section === section && d.key === key) return d;
    }
    return undefined;
  };
  const lastOf = (pairs: [string, string][]) => {
    for (let k = merged.length - 1; k >= 0; k--) {
      const d = merged[k]!;
      if (pairs.some(([s, key]) => d.section === s && d.key === key)) return d;
    }
    return undefined;
  };
  const span = (d: Directive | undefined, fallback: number) => {
    const v = d ? parseSystemdTimespan(d.value) : null;
    return v ?? fallback;
  };

  const execStart = getAll('Service', 'ExecStart');
  const explicitType = get('Service', 'Type')?.value;
  const type = explicitType ?? (get('Service', 'BusName') ? 'dbus' : execStart.length > 0 ? 'simple' : 'oneshot');
  if (name.endsWith('.service') && execStart.length > 1 && type !== 'oneshot') {
    notes.push({
      source: execStart[1]!.source,
      line: execStart[1]!.line,
      reason: 'more than one ExecStart= on a service that is not Type=oneshot: systemd refuses to load it',
    });
  }
  // WatchdogSec=infinity (like 0) turns the watchdog off.
  let watchdogSec = span(get('Service', 'WatchdogSec'), 0);
  if (!Number.isFinite(watchdogSec)) watchdogSec = 0;
  let notifyAccess = get('Service', 'NotifyAccess')?.value ?? 'none';
  // service_add_extras(): the notify socket is needed, so NONE becomes MAIN.
  if (notifyAccess === 'none' && (type === 'notify' || type === 'notify-reload' || watchdogSec > 0)) notifyAccess = 'main';

  const burst = lastOf([['Unit', 'StartLimitBurst'], ['Service', 'StartLimitBurst']]);
  const interval = lastOf([['Unit', 'StartLimitIntervalSec'], ['Service', 'StartLimitInterval']]);
  const remain = get('Service', 'RemainAfterExit');

  const def: UnitDefinition = {
    name,
    fragment: fragment ? { devicePath: fragment.devicePath, bundlePath: fragment.input.bundlePath } : null,
    dropins: masked ? [] : applied.map((f) => ({ devicePath: f.devicePath, bundlePath: f.input.bundlePath })),
    masked,
    directives: merged,
    get,
    getAll,
    effective: {
      type,
      restart: get('Service', 'Restart')?.value ?? 'no',
      restartSec: span(get('Service', 'RestartSec'), DEFAULTS.restartSec),
      watchdogSec,
      startLimitBurst: burst ? Number(burst.value) : DEFAULTS.startLimitBurst,
      startLimitIntervalSec: span(interval, DEFAULTS.startLimitIntervalSec),
      notifyAccess,
      user: get('Service', 'User')?.value ?? null,
      group: get('Service', 'Group')?.value ?? null,
      workingDirectory: get('Service', 'WorkingDirectory')?.value ?? null,
      execStart,
      execStartPre: getAll('Service', 'ExecStartPre'),
      execStartPost: getAll('Service', 'ExecStartPost'),
      description: get('Unit', 'Description')?.value ?? null,
      wantedBy: getAll('Install', 'WantedBy').flatMap((d) => d.value.split(/\s+/).filter(Boolean)),
      remainAfterExit: remain ? TRUE.test(remain.value) : false,
    },
  };
  if (notes.length) def.notes = notes;
  if (resets.length) def.resets = resets;
  return def;
}
