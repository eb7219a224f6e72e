// `analyze BUNDLE... --summary` and `report BUNDLE... --summary`: the fleet
// view of many bundles. Without --summary the commands stay what they were
// for one bundle; several bundles without it is a usage error, not a guess.
// Each way loads only its own modules: the one-bundle commands never load the
// fleet's, and `analyze` never loads the report's.
import { UsageError } from '../usage.js';
import type { AnalyzeOptions } from './analyze.js';
import type { ReportCommandOptions } from './report.js';
import type { CliIo } from './io.js';

function singleBundle(command: string, paths: string[]): string {
  if (paths.length !== 1) {
    throw new UsageError(`${command}: ${paths.length} bundles given; add --summary for one view of them all (charger-diag ${command} BUNDLE... --summary)`);
  }
  return paths[0]!;
}

export async function analyzeBundlesCommand(paths: string[], opts: AnalyzeOptions & { summary?: boolean }, io: CliIo): Promise<number> {
  if (!opts.summary) return (await import('./analyze.js')).analyzeCommand(singleBundle('analyze', paths), opts, io);
  const [{ summarizeFleet }, { fleetExceeds }, { renderFleetSummary }, { jsonText }, { FleetProgress }] = await Promise.all([
    import('../fleet/run.js'),
    import('../fleet/summary.js'),
    import('../render/fleet-summary.js'),
    import('../render/visible.js'),
    import('../fleet/progress.js'),
  ]);
  const summary = await summarizeFleet(paths, { config: opts.config, progress: new FleetProgress(io.stderr) });
  io.stdout.write(opts.json ? jsonText(summary) : renderFleetSummary(summary));
  return fleetExceeds(summary, opts.failOn) ? 1 : 0;
}

export async function reportBundlesCommand(paths: string[], opts: ReportCommandOptions & { summary?: boolean }, io: CliIo): Promise<number> {
  const { checkOut, emit, parseMaxChars, reportCommand } = await import('./report.js');
  if (!opts.summary) return reportCommand(singleBundle('report', paths), opts, io);
  const maxChars = parseMaxChars(opts.maxChars);
  if (opts.out) await checkOut(opts.out);
  const [{ summarizeFleet }, { renderFleetReport }, { FleetProgress }] = await Promise.all([
    import('../fleet/run.js'),
    import('../report/fleet/render.js'),
    import('../fleet/progress.js'),
  ]);
  const summary = await summarizeFleet(paths, { config: opts.config, progress: new FleetProgress(io.stderr) });
  await emit(renderFleetReport(summary, { format: opts.format ?? 'md', lang: opts.lang ?? 'en', maxChars }), opts.out, io);
  return 0;
}
