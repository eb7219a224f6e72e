#!/usr/bin/env node
// Entry point. Heavy modules are imported lazily inside each command so that
// `--help` starts about as fast as node itself.
import { Command, CommanderError, Option } from 'commander';
import { TOOL } from './version.js';

const SEVERITIES = ['critical', 'warning', 'info'];

function fail(message: string, code = 2): never {
  process.stderr.write(`charger-diag: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

async function run(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    const { InputError } = await import('./errors.js');
    if (e instanceof InputError) fail(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && err.path) fail(`${err.path}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code}`);
    // An internal error is a bug: say so in one line, keep the stack for those who ask.
    if (process.env.CHARGER_DIAG_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    fail(`internal error: ${(e as Error).message ?? String(e)} (set CHARGER_DIAG_DEBUG=1 for details)`);
  }
}

const program = new Command();
program
  .name('charger-diag')
  .description('Post-mortems for small systemd devices: collect evidence, run rule checks, report with quoted evidence.')
  .version(TOOL.version)
  .showHelpAfterError()
  .exitOverride();

program
  .command('analyze')
  .description('analyze a bundle (directory or .tar.gz) and print a summary, or the analysis JSON with --json')
  .argument('<bundle>', 'bundle directory or .tar.gz')
  .option('--json', 'print the analysis JSON (the contract)')
  .option('--config <file>', 'configuration file (JSON)')
  .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(SEVERITIES))
  .action((bundle: string, opts: { json?: boolean; config?: string; failOn?: 'critical' | 'warning' | 'info' }) =>
    run(async () => (await import('./commands/analyze.js')).analyzeCommand(bundle, opts)),
  );

program
  .command('rules')
  .description('list the rule catalogue with what each rule checks and what it ignores')
  .option('--json', 'machine-readable list')
  .action((opts: { json?: boolean }) => run(async () => (await import('./commands/rules.js')).rulesCommand(opts)));

program
  .command('check')
  .description('check sample bundles against their expected.json and directories of unit files against the configuration rules (for CI)')
  .argument('<path...>', 'bundle directory, .tar.gz, directory of unit files, or a directory holding bundles')
  .option('--expect <file>', 'expectations for a single bundle PATH (for a .tar.gz, or instead of its expected.json)')
  .addOption(new Option('--fail-on <severity>', 'for a path without expectations, fail on a finding at or above this (default: warning for unit directories, critical for bundles)').choices(SEVERITIES))
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'junit', 'sarif']).default('text'))
  .option('--out <file>', 'write the output to FILE (with junit or sarif the text summary still goes to stdout)')
  .option('--config <file>', 'configuration file (JSON)')
  .action((paths: string[], opts: { expect?: string; failOn?: 'critical' | 'warning' | 'info'; format?: 'text' | 'junit' | 'sarif'; out?: string; config?: string }) =>
    run(async () => (await import('./commands/check.js')).checkCommand(paths, opts)),
  );

process.on('SIGINT', () => {
  process.stderr.write('charger-diag: interrupted\n');
  process.exit(130);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version are not errors.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
    process.exit(2);
  }
  throw e;
}
