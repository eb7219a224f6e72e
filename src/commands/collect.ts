// `charger-diag collect`: gather a bundle from this device, a mounted device
// disk (--root), a device over ssh (--ssh), or many devices (--ssh repeated,
// --hosts FILE); or print the collection script (--print-script). Data (the
// paths written, the script) goes to stdout, progress to stderr.
import { InputError } from '../errors.js';
import { UsageError } from '../usage.js';
import { collect, printScript, type CollectOptions } from '../collect/collect.js';
import type { FleetOptions } from '../collect/fleet.js';
import { OutputError } from '../collect/staging.js';
import { Progress, type Verbosity } from '../collect/progress.js';
import { visibleLine } from '../render/visible.js';
import type { CliIo } from './io.js';

export interface CollectCommandOptions extends Omit<CollectOptions, 'ssh'> {
  printScript?: boolean;
  /** --ssh, repeatable */
  ssh?: string[];
  hosts?: string;
  jobs?: string;
  hostTimeout?: string;
  quiet?: boolean;
  verbose?: boolean;
}

// The fleet's code (its collection record, summary and report, with their schemas, and through them
// the analysis) loads only for --ssh and --hosts: a collection on the device itself does not use it.
// collect --no-report peaked 2.3 MB lower (65.3 -> 63.0 MB); with the report, which loads the
// analysis anyway, the same.
const fleetCode = () => import('../collect/fleet.js');

function verbosity(opts: CollectCommandOptions): Verbosity {
  if (opts.quiet && opts.verbose) throw new UsageError('--quiet and --verbose contradict each other: give one');
  return opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal';
}

/** `argv`: the arguments as given (recorded, redacted, in the manifest). */
export async function collectCommand(opts: CollectCommandOptions, io: CliIo, argv: string[]): Promise<number> {
  const level = verbosity(opts);
  const targets = opts.ssh ?? [];
  const fleet = opts.hosts !== undefined || targets.length > 1;
  if (opts.printScript) {
    if (fleet) throw new UsageError('--print-script prints the script for running on the device itself: drop --ssh/--hosts');
    io.stdout.write(await printScript({ ...opts, ssh: targets[0] }));
    return 0;
  }
  if (opts.jobs !== undefined && !fleet) throw new UsageError('--jobs needs several hosts (--ssh repeated or --hosts FILE)');
  if (opts.hostTimeout !== undefined && targets.length === 0 && !fleet) throw new UsageError('--host-timeout needs --ssh or --hosts');
  // SIGINT is the CLI's (exit 130); a kill or a closed terminal must end the same way,
  // through process.exit, so the collector's exit handler removes its temporary files.
  const interrupted = () => {
    io.stderr.write('\ncharger-diag: interrupted\n');
    process.exit(130);
  };
  process.on('SIGTERM', interrupted);
  process.on('SIGHUP', interrupted);
  try {
    if (fleet) return await fleetCommand({ ...opts, ssh: targets, argv }, io, level);
    // --host-timeout for a single --ssh: the same limit a fleet gives each device.
    const limit = targets.length === 1 ? await fleetCode().then((f) => f.hostTimeLimit(f.hostTimeoutSeconds(opts.hostTimeout), targets[0]!)) : null;
    try {
      const progress = new Progress(io.stderr, undefined, level);
      const r = await collect({ ...opts, ssh: targets[0], argv }, limit ? { signal: limit.signal, progress } : { progress });
      io.stdout.write(`${r.bundlePath}\n`);
      if (r.reportPath) io.stdout.write(`${r.reportPath}\n`);
      return 0;
    } finally {
      limit?.clear();
    }
  } catch (e) {
    if (e instanceof OutputError) throw new InputError(e.message);
    throw e;
  } finally {
    process.off('SIGTERM', interrupted);
    process.off('SIGHUP', interrupted);
  }
}

/**
 * Exit 0 when every host gave a bundle, 1 when some did not (the others'
 * bundles are written), 2 when none did.
 */
async function fleetCommand(opts: FleetOptions, io: CliIo, level: Verbosity): Promise<number> {
  const { collectFleet } = await fleetCode();
  const r = await collectFleet(opts, {
    // Lines quote targets and ssh's or the device's words: controls shown, not obeyed.
    // A line per device is the fleet's progress at any level but --quiet, which keeps warnings only.
    log: (l) => {
      if (level !== 'quiet' || l.startsWith('charger-diag:')) io.stderr.write(`${visibleLine(l)}\n`);
    },
    onHost: (h) => {
      for (const p of [h.bundlePath, h.reportPath]) if (p) io.stdout.write(`${p}\n`);
    },
  });
  io.stdout.write(`${r.recordPath}\n`);
  if (r.reportPath) io.stdout.write(`${r.reportPath}\n`);
  const failed = r.collection.hosts.filter((h) => h.status === 'failed').length;
  if (failed === r.collection.hosts.length) throw new InputError(`no host gave a bundle (${failed} failed, listed above and in ${r.recordPath})`);
  return failed > 0 ? 1 : 0;
}
