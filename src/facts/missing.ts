// What is missing and why, in one place: for every fact kind a provider
// declares and did not find, the status of the sources it declared behind it
// (missing, denied, truncated, not collected...), in the provider's sentence.
import type { SourceEntry } from '../bundle/sources.js';
import type { FactKind } from './types.js';
import type { Explaining, Provision } from './providers/types.js';

/** Why one source gave nothing for a kind: its record's status and error, or that the bundle lacks it. */
function why(entries: SourceEntry[], x: Explaining): string {
  const ofSource = entries.filter((e) => e.id === x.source);
  // A source of several files (load: loadavg, uptime, pressure) answers for the file the kind comes from.
  const e = x.file !== undefined ? ofSource.find((s) => s.path === `files${x.file}` || s.command === `copy of ${x.file}`) : ofSource[0];
  if (!e) return `no ${x.what} in the bundle`;
  if (e.status === 'ok') return `${e.path}: ${x.what} could not be read`;
  return `${e.path ?? x.source}: ${e.status}${e.error ? ` (${e.error})` : ''}`;
}

/**
 * The reason of each declared kind that is not present. readButEmpty: kinds whose source was
 * read and still gave nothing, with the path read (worded by the provision's `unreadable`).
 */
export function missingReasons(
  provisions: readonly Provision[],
  present: ReadonlySet<FactKind>,
  readButEmpty: Partial<Record<FactKind, string>>,
  entries: SourceEntry[],
): Partial<Record<FactKind, string>> {
  const out: Partial<Record<FactKind, string>> = {};
  for (const p of provisions) {
    if (present.has(p.kind)) continue;
    const readPath = readButEmpty[p.kind];
    if (readPath !== undefined && p.unreadable !== undefined) {
      out[p.kind] = `${readPath}: ${p.unreadable}`;
      continue;
    }
    const whys = p.from.map((x) => why(entries, x));
    out[p.kind] = p.reason ? p.reason(whys) : (whys[0] ?? `no ${p.kind} data in the bundle`);
  }
  return out;
}
