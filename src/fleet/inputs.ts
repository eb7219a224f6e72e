// What the BUNDLE arguments of a fleet view name: bundles (a directory with
// manifest.json, a .tar.gz), directories holding bundles, and fleet collection
// records, whose failed hosts join the view without a bundle.
//
// The same bundle reached twice (named twice, or both listed in a directory
// and named by the record beside it) is read once: bundles are keyed by their
// resolved path, and a record only adds the ssh target to a bundle it names. A
// host that failed in one record but has a bundle from another run is not
// "not collected"; failing in several records, the newest record's reason is
// kept.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorLine, InputError } from '../errors.js';
import { readJsonObject, validate } from '../json-input.js';
import { TARBALL, isBundleDirectory, isBundleEntry, listDirectory } from '../bundle/locate.js';
import { FLEET_COLLECTION_FORMAT, FleetCollectionSchema, type FleetCollection } from './collection-record.js';
import { notCollectedHost, unreadableHost } from './digest.js';
import type { FleetHost } from './schema.js';

export interface BundleInput {
  /** as given, or joined onto the record's directory */
  path: string;
  target: string | null;
  record: string | null;
}

export interface FleetInputs {
  bundles: BundleInput[];
  /** hosts known without a bundle to read: failed collections, records naming no bundle */
  hostsWithoutBundle: FleetHost[];
  /** arguments that name nothing usable (a missing path, a broken record), each as an unreadable host with its one-line error */
  unusable: FleetHost[];
}

// A record of a thousand hosts is a few hundred KiB; anything far larger is not one.
const RECORD_MAX_BYTES = 32 * 1024 * 1024;

interface LoadedRecord {
  path: string;
  collection: FleetCollection;
}

function keyOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** A JSON file given by name must be a record; one met in a directory is only read if it says it is one. */
function readRecord(path: string, size: number, explicit: boolean): LoadedRecord | null {
  if (size > RECORD_MAX_BYTES) {
    if (explicit) throw new InputError(`${path}: ${size} bytes is too large for a fleet collection record`);
    return null;
  }
  const text = readFileSync(path, 'utf8');
  let obj: ReturnType<typeof readJsonObject>;
  try {
    obj = readJsonObject(text, path);
  } catch (e) {
    if (explicit) throw e;
    return null;
  }
  if (obj.format !== FLEET_COLLECTION_FORMAT) {
    if (explicit) throw new InputError(`${path}: not a bundle or a fleet collection record (expected "format": "${FLEET_COLLECTION_FORMAT}")`);
    return null;
  }
  return { path, collection: validate(FleetCollectionSchema, obj, path) };
}

function resolveArgument(arg: string, bundles: BundleInput[], records: LoadedRecord[]): void {
  let st;
  try {
    st = statSync(arg);
  } catch {
    throw new InputError(`${arg}: no such file or directory`);
  }
  if (st.isFile()) {
    if (TARBALL.test(arg)) bundles.push({ path: arg, target: null, record: null });
    else if (/\.json$/i.test(arg)) records.push(readRecord(arg, st.size, true)!);
    else throw new InputError(`${arg}: not a bundle (.tar.gz), a directory or a fleet collection record (.json)`);
    return;
  }
  if (!st.isDirectory()) throw new InputError(`${arg}: not a bundle (.tar.gz), a directory or a fleet collection record (.json)`);
  if (isBundleDirectory(arg)) {
    bundles.push({ path: arg, target: null, record: null });
    return;
  }
  let found = 0;
  for (const e of listDirectory(arg)) {
    if (isBundleEntry(e)) {
      bundles.push({ path: e.path, target: null, record: null });
      found++;
    } else if (e.kind === 'file' && /\.json$/i.test(e.name)) {
      const r = readRecord(e.path, statSync(e.path).size, false);
      if (r) {
        records.push(r);
        found++;
      }
    }
  }
  if (found === 0) throw new InputError(`${arg}: not a bundle (no manifest.json) and holds no bundles (directories with manifest.json, *.tar.gz) or fleet collection records`);
}

export function resolveFleetInputs(args: string[]): FleetInputs {
  const given: BundleInput[] = [];
  const records: LoadedRecord[] = [];
  // An argument that names nothing usable (a missing path, a broken record)
  // is a host without a bundle, as a corrupt archive is: one bad path of a
  // fleet's must not hide the others. Only a fleet with nothing analysable
  // at all is an input error (summarizeFleet).
  const unusable = new Map<string, FleetHost>();
  for (const arg of args) {
    try {
      resolveArgument(arg, given, records);
    } catch (e) {
      const key = keyOf(arg);
      if (!unusable.has(key)) unusable.set(key, unreadableHost(arg, errorLine(e, arg)));
    }
  }

  const recordBundles: BundleInput[] = [];
  const failed = new Map<string, { host: FleetHost; finishedAt: number }>();
  const withoutBundle: FleetHost[] = [];
  for (const r of records) {
    const finishedAt = Date.parse(r.collection.finishedAt);
    for (const h of r.collection.hosts) {
      if (h.status === 'ok' && h.bundle) {
        recordBundles.push({ path: join(dirname(r.path), h.bundle), target: h.target, record: r.path });
      } else if (h.status === 'ok') {
        withoutBundle.push(unreadableHost(h.target, `${r.path}: the record lists ${h.target} as collected but names no bundle`, { target: h.target, record: r.path }));
      } else {
        const seen = failed.get(h.target);
        if (!seen || (Number.isFinite(finishedAt) && finishedAt > seen.finishedAt)) {
          failed.set(h.target, { host: notCollectedHost(h, r.path), finishedAt: Number.isFinite(finishedAt) ? finishedAt : -Infinity });
        }
      }
    }
  }

  const bundles = new Map<string, BundleInput>();
  for (const b of given) if (!bundles.has(keyOf(b.path))) bundles.set(keyOf(b.path), b);
  for (const b of recordBundles) {
    const key = keyOf(b.path);
    const seen = bundles.get(key);
    if (!seen) bundles.set(key, b);
    else if (seen.target === null) bundles.set(key, { ...seen, target: b.target, record: b.record });
  }
  const collected = new Set([...bundles.values()].map((b) => b.target).filter((t): t is string => t !== null));
  for (const [target, { host }] of failed) if (!collected.has(target)) withoutBundle.push(host);
  return { bundles: [...bundles.values()], hostsWithoutBundle: withoutBundle, unusable: [...unusable.values()] };
}
