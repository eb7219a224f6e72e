// Unique, readable names for the hosts of a fleet. Devices cloned from one
// image all call themselves `raspberrypi`, and some bundles name no host at
// all: such hosts get their ssh target, then their bundle's file name, then
// its path added, whichever first tells them apart.
import { basename } from 'node:path';
import type { FleetHost } from './schema.js';

type Naming = Pick<FleetHost, 'hostname' | 'target' | 'bundle'> & { input?: string | null };

/** From plainest to most specific; a host without a hostname starts at its target. */
function candidates(h: Naming): string[] {
  const path = h.input ?? h.bundle?.path ?? null;
  const file = path ? basename(path.replace(/\/+$/, '')) || path : null;
  const extras = [h.target, file, path].filter((x): x is string => typeof x === 'string' && x !== '');
  const out = h.hostname ? [h.hostname, ...extras.map((x) => `${h.hostname} (${x})`)] : extras;
  const distinct = [...new Set(out)];
  return distinct.length > 0 ? distinct : ['unknown host'];
}

/** One label per host, in the same order, all different. */
export function uniqueLabels(hosts: Naming[]): string[] {
  const options = hosts.map(candidates);
  const labels: (string | null)[] = hosts.map(() => null);
  const depth = Math.max(0, ...options.map((o) => o.length));
  for (let level = 0; level < depth; level++) {
    const pending = labels.flatMap((l, i) => (l === null ? [i] : []));
    if (pending.length === 0) break;
    const taken = new Set(labels.filter((l): l is string => l !== null));
    const proposal = new Map<number, string>();
    const uses = new Map<string, number>();
    for (const i of pending) {
      const o = options[i]!;
      const p = o[Math.min(level, o.length - 1)]!;
      proposal.set(i, p);
      uses.set(p, (uses.get(p) ?? 0) + 1);
    }
    for (const i of pending) {
      const p = proposal.get(i)!;
      if (uses.get(p) === 1 && !taken.has(p)) labels[i] = p;
    }
  }
  // Only two bundles with the same path text can get here (the same file given twice is deduplicated before).
  const taken = new Set(labels.filter((l): l is string => l !== null));
  return labels.map((l, i) => {
    if (l !== null) return l;
    const o = options[i]!;
    const base = o[o.length - 1]!;
    let label = base;
    for (let n = 2; taken.has(label); n++) label = `${base} #${n}`;
    taken.add(label);
    return label;
  });
}
