// `charger-diag capture collect`: the collection a capture runs on the device, started by the
// capture runner with the trigger record it took. It is `collect` with the trigger in the
// manifest, a window ending now, each source cut at the capture's cap (marked truncated, as
// collect cuts), and, after a hang, the state capture-hang saved before the restart.
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { LIMITS, type CommandEntry } from '../sources/catalogue.js';
import { collect } from '../collect/collect.js';
import { clockOf, deviceZone } from '../collect/host.js';
import { liveView } from '../collect/fsview.js';
import { parseTrigger } from './trigger.js';

export interface CaptureCollectOptions {
  trigger?: string;
  out?: string;
  window?: string;
  cap?: string;
}

export async function captureCollect(o: CaptureCollectOptions): Promise<{ bundlePath: string; reportPath: string | null }> {
  if (!o.trigger || !o.out) throw new InputError('capture collect is run by the capture unit: --trigger FILE and --out FILE.tar.gz are required');
  const zone = await deviceZone(liveView(), 10_000);
  const text = await readFile(o.trigger, 'utf8');
  const t = parseTrigger(text, clockOf(zone));
  if (!t) throw new InputError(`${o.trigger}: not a capture trigger record (unit=, result=, time= expected)`);
  const cap = o.cap !== undefined ? Number(o.cap) : null;
  if (cap !== null && (!Number.isInteger(cap) || cap < 1024 * 1024)) throw new InputError(`--cap ${o.cap}: expected bytes, at least 1 MiB`);
  if (cap !== null) {
    // This process makes one capture and exits: its collection's caps are the capture's.
    const limits = LIMITS as { -readonly [K in keyof typeof LIMITS]: (typeof LIMITS)[K] };
    limits.journalBytes = Math.min(LIMITS.journalBytes, cap);
    limits.commandBytes = Math.min(LIMITS.commandBytes, Math.floor(cap / 4));
    limits.logBytes = Math.min(LIMITS.logBytes, Math.floor(cap / 4));
  }
  const extraCommands: CommandEntry[] = t.detail ? [{ id: 'capture-hang', path: 'commands/capture-hang.txt', argv: ['cat', t.detail] }] : [];
  const r = await collect(
    {
      since: `-${o.window ?? '30m'}`,
      out: o.out,
      unit: [t.unit],
      report: true,
      trigger: { unit: t.unit, result: t.result, exitCode: t.exitCode, exitStatus: t.exitStatus, time: t.time, hook: t.hook, ...(t.systemdResult ? { systemdResult: t.systemdResult } : {}) },
      argv: ['capture', 'collect', '--trigger', o.trigger, '--out', o.out],
    },
    { progress: null, ...(extraCommands.length ? { extraCommands } : {}) },
  );
  return { bundlePath: r.bundlePath, reportPath: r.reportPath };
}
