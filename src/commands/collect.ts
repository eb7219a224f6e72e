// `charger-diag collect`: gather a bundle from this device, a mounted device
// disk (--root) or a device over ssh (--ssh); or print the collection script
// (--print-script). Data (the paths written, the script) goes to stdout,
// progress to stderr.
import { InputError } from '../errors.js';
import { collect, printScript, type CollectOptions } from '../collect/collect.js';
import { OutputError } from '../collect/staging.js';

export interface CollectCommandOptions extends CollectOptions {
  printScript?: boolean;
}

export async function collectCommand(opts: CollectCommandOptions): Promise<number> {
  if (opts.printScript) {
    process.stdout.write(await printScript(opts));
    return 0;
  }
  // SIGINT is the CLI's (exit 130); a kill or a closed terminal must end the same way,
  // through process.exit, so the collector's exit handler removes its temporary files.
  const interrupted = () => {
    process.stderr.write('\ncharger-diag: interrupted\n');
    process.exit(130);
  };
  process.on('SIGTERM', interrupted);
  process.on('SIGHUP', interrupted);
  try {
    const r = await collect({ ...opts, argv: process.argv.slice(2) });
    process.stdout.write(`${r.bundlePath}\n`);
    if (r.reportPath) process.stdout.write(`${r.reportPath}\n`);
    return 0;
  } catch (e) {
    if (e instanceof OutputError) throw new InputError(e.message);
    throw e;
  } finally {
    process.off('SIGTERM', interrupted);
    process.off('SIGHUP', interrupted);
  }
}
