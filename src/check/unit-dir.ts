// A repository's directory of unit files (deploy/systemd/) judged as if
// installed under /etc/systemd/system: the files become an in-memory bundle
// (files/etc/systemd/system/<name>, no commands, no manifest fields), so the
// same fact builder and rules run on them as on a device's bundle. With no
// processes, journal or state the runtime rules are skipped by their own
// "needs"; what remains are the configuration rules.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bundle } from '../bundle/reader.js';
import { parseManifest } from '../bundle/manifest.js';
import { InputError } from '../errors.js';
import type { Analysis } from '../analysis/schema.js';

const UNIT_FILE = /\.(?:service|timer|socket)$/;
const TEMPLATE_SERVICE = /^([^@/]+)@\.service$/;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 10_000;
const UNIT_ROOT = 'files/etc/systemd/system';
/**
 * A template is judged through one instance of it (systemd only runs
 * instances); the instance's name is put back to the template's in what is
 * reported, so the reader sees the file they wrote.
 */
const INSTANCE = 'instance';

export interface UnitDirBundle {
  bundle: Bundle;
  /** bundle path (files/etc/systemd/system/x.service) → path relative to the checked directory (x.service) */
  origin: Map<string, string>;
  /** synthetic instance unit name → template name */
  templates: Map<string, string>;
  /** how many unit files and drop-ins were read */
  unitCount: number;
  /** the unit files themselves (not drop-ins or cron tables), by name */
  units: string[];
  /** bundle paths of the files read (not the instances standing in for templates) */
  sources: Set<string>;
}

interface Entry {
  rel: string;
  bundlePath: string;
  text: string;
}

export function readUnitDirectory(dir: string): UnitDirBundle {
  const entries: Entry[] = [];
  const add = (rel: string, bundlePath: string) => {
    if (entries.length >= MAX_FILES) throw new InputError(`${dir}: refused: more than ${MAX_FILES} unit files`);
    entries.push({ rel, bundlePath, text: readUnitText(dir, rel) });
  };
  for (const name of sortedNames(dir)) {
    const abs = join(dir, name);
    const isDir = statOrNull(abs)?.isDirectory() ?? false;
    if (!isDir && UNIT_FILE.test(name)) add(name, `${UNIT_ROOT}/${name}`);
    else if (isDir && name === 'cron.d') {
      // A health probe scheduled by cron counts as much as a timer.
      for (const tab of sortedNames(abs)) if (!tab.startsWith('.') && statOrNull(join(abs, tab))?.isFile()) add(`cron.d/${tab}`, `files/etc/cron.d/${tab}`);
    } else if (isDir && name.endsWith('.d')) {
      for (const conf of sortedNames(abs)) if (conf.endsWith('.conf') && !statOrNull(join(abs, conf))?.isDirectory()) add(`${name}/${conf}`, `${UNIT_ROOT}/${name}/${conf}`);
    }
  }

  const origin = new Map<string, string>();
  const content = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const e of entries) {
    origin.set(e.bundlePath, e.rel);
    content.set(e.bundlePath, e.text);
  }
  for (const e of entries) {
    const m = TEMPLATE_SERVICE.exec(e.rel);
    if (!m) continue;
    const instance = `${m[1]}@${INSTANCE}.service`;
    const bundlePath = `${UNIT_ROOT}/${instance}`;
    if (content.has(bundlePath)) continue;
    origin.set(bundlePath, e.rel);
    content.set(bundlePath, e.text);
    templates.set(instance, e.rel);
  }
  const unitCount = entries.filter((e) => !e.rel.startsWith('cron.d/')).length;
  const units = entries.filter((e) => !e.rel.includes('/')).map((e) => e.rel);
  return { bundle: memoryBundle(dir, content, entries), origin, templates, unitCount, units, sources: new Set(entries.map((e) => e.bundlePath)) };
}

function sortedNames(dir: string): string[] {
  return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/**
 * A unit file as it would be installed. A link to /dev/null is how a unit is
 * masked, so it reads as empty (the parser's "masked"); other links are
 * followed to a regular file, as `cp` or a package would install it.
 */
function readUnitText(dir: string, rel: string): string {
  const abs = join(dir, rel);
  const display = abs;
  const l = lstatSync(abs);
  if (l.isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(abs);
    } catch {
      throw new InputError(`${display}: symbolic link to ${readlinkSync(abs)}, which does not exist`);
    }
    if (target === '/dev/null') return '';
  }
  const st = statSync(abs);
  if (!st.isFile()) throw new InputError(`${display}: not a regular file`);
  if (st.size > MAX_FILE_BYTES) throw new InputError(`${display}: ${st.size} bytes is over the limit of ${MAX_FILE_BYTES} bytes for a unit file`);
  return readFileSync(abs, 'utf8');
}

function memoryBundle(dir: string, content: Map<string, string>, entries: Entry[]): Bundle {
  const files = [...content.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const manifest = parseManifest(JSON.stringify({ format: 'charger-diag-bundle', formatVersion: 1 }), `${dir} (unit files)`);
  const diskPath = new Map(entries.map((e) => [e.bundlePath, resolve(dir, e.rel)]));
  const missing = (rel: string) => new InputError(`${dir}: no file ${rel} among the unit files`);
  return {
    displayPath: dir,
    root: resolve(dir),
    manifest,
    files,
    refused: [],
    has: (rel) => content.has(rel),
    pathOf: (rel) => {
      const p = diskPath.get(rel);
      if (p === undefined) throw missing(rel);
      return p;
    },
    readText: async (rel, maxBytes) => {
      const t = content.get(rel);
      if (t === undefined) throw missing(rel);
      if (maxBytes !== undefined && Buffer.byteLength(t) > maxBytes) throw new InputError(`${dir}: ${rel} is over the limit of ${maxBytes} bytes`);
      return t;
    },
    size: (rel) => {
      const t = content.get(rel);
      if (t === undefined) throw missing(rel);
      return Buffer.byteLength(t);
    },
    sha256: async () => {
      const outer = createHash('sha256');
      for (const rel of files) {
        const t = content.get(rel) ?? '';
        outer.update(`${rel}\0${Buffer.byteLength(t)}\0${createHash('sha256').update(t).digest('hex')}\n`);
      }
      return outer.digest('hex');
    },
    close: async () => {},
  };
}

/** Put template names back where the analysis speaks of the instance that stood in for them. */
export function restoreTemplateNames(a: Analysis, templates: Map<string, string>): Analysis {
  if (templates.size === 0) return a;
  const swap = (s: string) => {
    let out = s;
    for (const [instance, template] of templates) out = out.split(instance).join(template);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return swap(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { ...a, findings: walk(a.findings) as Analysis['findings'], services: walk(a.services) as Analysis['services'] };
}
