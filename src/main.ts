// The CLI as a function: main(argv, io) parses the arguments (without node
// and the script), runs the command and returns its exit code, writing only to
// io. It never exits the process: src/cli.ts, the bin, does that with the
// code; tests call main in process. Heavy modules are imported lazily inside
// each command so that `--help` starts about as fast as node itself.
import { Command, CommanderError, Option } from 'commander';
import { TOOL } from './version.js';
import { visible } from './render/visible.js';
import { processIo, type CliIo } from './commands/io.js';
import { outFormat, UsageError } from './usage.js';
import { SEVERITIES } from './analysis/severities.js';

export type { CliIo } from './commands/io.js';
export { optimizeWhenHeavy } from './compilers.js';


/** The exit code of usage errors and of any command that fails: one `charger-diag: ...` line says why. */
export const FAILED = 2;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const run = async (action: () => Promise<number> | number, command: string): Promise<void> => {
    try {
      await import('./zod-jitless.js');
      code = await action();
    } catch (e) {
      if (e instanceof UsageError) {
        usageError(io, e.message, command);
        code = FAILED;
        return;
      }
      const { errorLine } = await import('./errors.js');
      const { redact } = await import('./redact.js');
      // A path or a name in the message may carry a secret like any other output,
      // and its controls are shown, not obeyed.
      io.stderr.write(`charger-diag: ${visible(redact(errorLine(e)).split('\n')[0]!)}\n`);
      code = FAILED;
    }
  };
  // Without a command there is nothing to do: a usage error, as for eslint or shellcheck.
  if (argv.length === 0) {
    usageError(io, 'no command given (collect, analyze, report, rules, check, redact, capture)', '');
    return FAILED;
  }
  const program = buildProgram(io, run, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; `charger-diag help` is help too.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : FAILED;
      return FAILED;
    }
    throw e;
  }
  return code;
}

/**
 * A usage error as eslint and shellcheck give one: `charger-diag: <what>` on
 * one line, then where the usage is, never the whole help.
 */
function usageError(io: CliIo, message: string, command: string): void {
  const line = visible(message.replace(/^error: /, '').split('\n')[0]!.trim());
  io.stderr.write(`charger-diag: ${line}\nTry 'charger-diag${command ? ` ${command}` : ''} --help'.\n`);
}

/** Examples for each command's --help; the program's help shows one of each. */
const EXAMPLES: Record<string, string[]> = {
  collect: [
    'charger-diag collect --since -30m                      the last 30 minutes of this device',
    'charger-diag collect --since today --quiet             since midnight, only the paths written',
    'charger-diag collect --ssh pi@charger-01 --around "2025-12-10 01:10" --window 10m',
    'charger-diag collect --hosts chargers.txt --since yesterday --out incident/',
  ],
  analyze: ['charger-diag analyze BUNDLE.tar.gz --fail-on critical', 'charger-diag analyze incident/ --summary'],
  report: [
    'charger-diag report BUNDLE --lang tr                  Turkish Markdown on stdout',
    'charger-diag report BUNDLE --out postmortem.html      the format follows the extension (.md .html .json)',
  ],
  rules: ['charger-diag rules --json'],
  check: [
    'charger-diag check deploy/systemd/ samples/',
    'charger-diag check deploy/systemd/ --out charger-diag.sarif   (.sarif: SARIF, .xml: JUnit)',
  ],
  redact: ['charger-diag redact BUNDLE.tar.gz --out BUNDLE.redacted.tar.gz'],
  capture: [
    'sudo charger-diag capture install --dry-run               what it would write, nothing changed',
    'sudo charger-diag capture install --unit charger.service --min-interval 15m',
    'charger-diag capture status --json',
    'sudo charger-diag capture remove                          the captures are kept',
  ],
};

function helpAfter(lines: string[]): string {
  return `
Examples:
${lines.map((l) => `  ${l}`).join('\n')}
${EXIT_CODES}`;
}

const EXIT_CODES = `
Exit codes:
  0    done
  1    a finding at or above --fail-on (check: an expectation not met; collect: some devices gave no bundle)
  2    bad usage or unusable input (one line on stderr says why)
  130  interrupted

Each command's options: charger-diag <command> --help. Documentation: docs/cli.md.
`;

/** A new program for each call: commander keeps the options it parsed. */
function buildProgram(io: CliIo, run: (action: () => Promise<number> | number, command: string) => Promise<void>, argv: string[]): Command {
  const program = new Command();
  program
    .name('charger-diag')
    .description('Post-mortems for small systemd devices: collect evidence, run rule checks, report with quoted evidence.')
    .version(TOOL.version)
    .exitOverride()
    // Commander's help goes where the command's output goes; its usage errors become our one line (below).
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s) => usageError(io, s, '') })
    .addHelpText('after', helpAfter(Object.values(EXAMPLES).map((l) => l[0]!)));

  // Repeatable options (--log, --unit, ...) collect their values in order.
  const repeatable = (v: string, prev: string[] = []) => [...prev, v];
  program
    .command('collect')
    .description('gather a bundle (.tar.gz) from this device, a mounted device disk (--root), a device over ssh (--ssh) or many devices (--ssh repeated, --hosts FILE), with its report')
    .option('--since <time>', 'start of the window: ISO 8601, "YYYY-MM-DD[ HH:mm[:ss]]" (device time), today, yesterday (midnight on the device), now or relative (-30m, -2h); default: an hour before --until')
    .option('--until <time>', 'end of the window (default: now)')
    .option('--around <time>', 'the window is --window before and after this time')
    .option('--window <duration>', 'half-width of the window around --around (e.g. 5m; default 30m)')
    .option('--root <dir>', 'read a mounted device disk or image instead of this machine')
    .option('--ssh <[user@]host[:port]>', 'collect from a device over OpenSSH (nothing to install there); repeat it for several devices', repeatable)
    .option('--hosts <file>', 'collect from every device of FILE: one [user@]host[:port] a line, # comments ("-": standard input)')
    .option('--jobs <n>', 'with several devices: at most this many ssh sessions at once (default 8)')
    .option('--host-timeout <seconds>', 'give up on a device whose bundle is not complete within this time; nothing of it is kept (default 900)')
    .option('--ssh-option <opt>', 'passed to ssh as is (repeatable): --ssh-option -i --ssh-option ~/.ssh/key', repeatable)
    .option('--out <path>', 'the bundle file (.tar.gz) or a directory for it (default: ./charger-diag-<host>-<time>.tar.gz); with several devices, the directory for all their bundles (created if missing)')
    .option('--log <path>', 'also copy this log file (repeatable)', repeatable)
    .option('--unit <name>', 'a unit of yours, to read even when systemd does not list it (repeatable)', repeatable)
    .option('--health-url <url>', 'probe this URL from the device and record the answer (repeatable)', repeatable)
    .option('--config <file>', 'configuration file (JSON), as for analyze: health URLs, server patterns')
    .option('--timeout <seconds>', 'time limit of each command (the journal export gets 6 times this)', '10')
    .option('--no-redact', 'keep secrets in the bundle (redaction is on by default)')
    .option('--no-report', 'do not write report.md')
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['en', 'tr']).default('en'))
    .option('--print-script', 'print the POSIX sh collection script (for a device without Node: sh script --tar > bundle.tar.gz)')
    .option('-q, --quiet', 'print only the paths written and errors (no progress, no summary)')
    .option('-v, --verbose', "a line per source with its command and duration (without a terminal the default is only the summary)")
    .action((opts: import('./commands/collect.js').CollectCommandOptions) =>
      run(async () => (await import('./commands/collect.js')).collectCommand(opts, io, argv), 'collect'),
    );

  program
    .command('analyze')
    .description('analyze a bundle (directory or .tar.gz) and print a summary, or the analysis JSON with --json; with --summary, one view of many bundles')
    .argument('<bundle...>', 'bundle directory or .tar.gz; with --summary also directories holding bundles and fleet collection records (.json)')
    .option('--summary', 'one fleet view of all the bundles given: hosts worst first, rules across hosts, shared outage windows, differences')
    .option('--json', 'print the analysis JSON (the contract), or with --summary the fleet summary JSON')
    .option('--config <file>', 'configuration file (JSON)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding (on any host, with --summary) is at or above this severity').choices(SEVERITIES))
    .action((bundles: string[], opts: { summary?: boolean; json?: boolean; config?: string; failOn?: 'critical' | 'warning' | 'info' }) =>
      run(async () => (await import('./commands/fleet.js')).analyzeBundlesCommand(bundles, opts, io), 'analyze'),
    );

  program
    .command('report')
    .description('write the post-mortem of a bundle: Markdown (English or Turkish), one HTML page, or the analysis JSON; with --summary, the fleet report of many bundles')
    .argument('<bundle...>', 'bundle directory or .tar.gz; with --summary also directories holding bundles and fleet collection records (.json)')
    .option('--summary', 'the fleet report of all the bundles given (--format json: the fleet summary JSON)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html', 'json']).default('md'))
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['en', 'tr']).default('en'))
    .option('--out <file>', 'write to this file (its directory must exist) and print its path')
    .option('--max-chars <n>', 'keep the Markdown under this many characters (a ticket comment holds 65,536, Jira 32,767)', '60000')
    .option('--config <file>', 'configuration file (JSON), as for analyze')
    .action((bundles: string[], opts: { summary?: boolean; format?: 'md' | 'html' | 'json'; lang?: 'en' | 'tr'; out?: string; maxChars?: string; config?: string }, cmd: Command) =>
      run(async () => {
        const format = outFormat('report', opts.out, cmd.getOptionValueSource('format') === 'cli' ? opts.format : undefined, opts.format ?? 'md');
        return (await import('./commands/fleet.js')).reportBundlesCommand(bundles, { ...opts, format }, io);
      }, 'report'),
    );

  program
    .command('rules')
    .description('list the rule catalogue with what each rule checks and what it ignores')
    .option('--json', 'machine-readable list')
    .action((opts: { json?: boolean }) => run(async () => (await import('./commands/rules.js')).rulesCommand(opts, io), 'rules'));

  program
    .command('check')
    .description('check sample bundles against their expected.json and directories of unit files against the configuration rules (for CI)')
    .argument('<path...>', 'bundle directory, .tar.gz, directory of unit files, or a directory holding bundles')
    .option('--expect <file>', 'expectations for a single bundle PATH (for a .tar.gz, or instead of its expected.json)')
    .addOption(new Option('--fail-on <severity>', 'for a path without expectations, fail on a finding at or above this (default: warning for unit directories, critical for bundles)').choices(SEVERITIES))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'junit', 'sarif', 'json', 'gcc']).default('text'))
    .option('--out <file>', 'write the output to FILE (with junit or sarif the text summary still goes to stdout)')
    .option('--config <file>', 'configuration file (JSON)')
    .action((paths: string[], opts: { expect?: string; failOn?: 'critical' | 'warning' | 'info'; format?: 'text' | 'junit' | 'sarif' | 'json' | 'gcc'; out?: string; config?: string }, cmd: Command) =>
      run(async () => {
        const format = outFormat('check', opts.out, cmd.getOptionValueSource('format') === 'cli' ? opts.format : undefined, opts.format ?? 'text');
        return (await import('./commands/check.js')).checkCommand(paths, { ...opts, format }, io);
      }, 'check'),
    );

  program
    .command('redact')
    .description('redact a bundle again (one collected with --no-redact or by an older version) before it is attached to a ticket; prints what it replaced by kind')
    .argument('<bundle>', 'bundle directory or .tar.gz (read as untrusted input, never changed)')
    .requiredOption('--out <path>', 'the redacted bundle: a new .tar.gz (or .tgz), or else a new directory; must not exist and must not be inside the input')
    .action((bundle: string, opts: { out?: string }) => run(async () => (await import('./commands/redact.js')).redactCommand(bundle, opts, io), 'redact'));
  const capture = program
    .command('capture')
    .description('capture the evidence when a watched service stops (crash, OOM kill, watchdog, start-limit-hit, a hang the health check sees), not when someone notices');
  const captureTargets = (c: Command) =>
    c
      .option('--ssh <[user@]host[:port]>', 'act on a device over OpenSSH, as root or through sudo -n (repeatable)', repeatable)
      .option('--hosts <file>', 'act on every device of FILE: one [user@]host[:port] a line, # comments')
      .option('--ssh-option <opt>', 'passed to ssh as is (repeatable)', repeatable);
  captureTargets(
    capture
      .command('install')
      .description('watch services: a drop-in per unit and a capture unit; each unexpected stop writes DIR/<host>-<unit>-<time>.tar.gz and its report (idempotent; records what it writes)')
      .option('--unit <name>', 'a service to watch (repeatable; default: every site-local long-running service)', repeatable)
      .option('--dir <dir>', 'where captures go (default /var/lib/charger-diag/captures)')
      .option('--keep <n>', 'bundles kept at most, oldest removed first (default 20)')
      .option('--max-bytes <size>', 'space all captures may take, oldest removed first (default 200M)')
      .option('--min-interval <duration>', 'at most one capture per unit in this time; later failures are counted (default 10m)')
      .option('--window <duration>', 'how far back a capture reads logs (default 30m)')
      .option('--dry-run', 'print every file and command, change nothing'),
  ).action((opts: import('./commands/capture.js').InstallCommandOptions) => run(async () => (await import('./commands/capture.js')).captureInstallCommand(opts, io), 'capture install'));
  captureTargets(
    capture
      .command('status')
      .description('watched units, the last capture of each, failures rate-limited, disk used, services not watched')
      .option('--dir <dir>', 'the capture directory (default: the one install recorded)')
      .option('--json', 'machine-readable status'),
  ).action((opts: import('./commands/capture.js').StatusCommandOptions) => run(async () => (await import('./commands/capture.js')).captureStatusCommand(opts, io), 'capture status'));
  captureTargets(
    capture
      .command('remove')
      .description('delete exactly what capture install wrote and reload systemd; the captures are kept')
      .option('--dry-run', 'print what would be removed, change nothing'),
  ).action((opts: import('./commands/capture.js').RemoveCommandOptions) => run(async () => (await import('./commands/capture.js')).captureRemoveCommand(opts, io), 'capture remove'));
  capture
    .command('collect', { hidden: true })
    .description('the collection a capture unit runs (not for direct use)')
    .option('--trigger <file>', 'the trigger record')
    .option('--out <file>', 'the bundle file')
    .option('--window <duration>', 'how far back to read')
    .option('--cap <bytes>', 'cap of the journal export')
    .action((opts: import('./commands/capture.js').CaptureCollectCommandOptions) => run(async () => (await import('./commands/capture.js')).captureCollectCommand(opts, io), 'capture collect'));

  // A usage error inside a command points to that command's help.
  for (const cmd of program.commands) {
    cmd.addHelpText('after', helpAfter(EXAMPLES[cmd.name()] ?? []));
    // capture's own subcommands (install, status, remove) point to their help too.
    for (const c of [cmd, ...cmd.commands]) {
      const name = c === cmd ? cmd.name() : `${cmd.name()} ${c.name()}`;
      c.configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        outputError: (s) => usageError(io, s, name),
      });
    }
  }
  return program;
}
