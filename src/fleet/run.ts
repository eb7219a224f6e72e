// The fleet view end to end: resolve the BUNDLE arguments, analyse one bundle
// at a time keeping only its digest, and build the summary. A bundle that
// cannot be read becomes a host with its error; only a fleet with nothing
// analysable at all is an input error.
import { errorLine, InputError } from '../errors.js';
import { redact, redactDeep } from '../redact.js';
import { analyzePath, loadCheckedConfig } from '../commands/analyze.js';
import { defaultNow } from '../report/index.js';
import { resolveFleetInputs } from './inputs.js';
import { digestAnalysis, unreadableHost } from './digest.js';
import { buildFleetSummary } from './summary.js';
import { FleetProgress } from './progress.js';
import { FleetSummarySchema, type FleetHost, type FleetSummary } from './schema.js';
import { heavyWork } from '../compilers.js';

export interface FleetRunOptions {
  config?: string;
  progress?: FleetProgress;
  now?: Date;
}

function quoteList(items: string[]): string {
  const shown = items.slice(0, 3).join(', ');
  return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown;
}

export async function summarizeFleet(args: string[], opts: FleetRunOptions = {}): Promise<FleetSummary> {
  const config = await loadCheckedConfig(opts.config);
  const { bundles, hostsWithoutBundle, unusable } = resolveFleetInputs(args);
  // The same analysis over many bundles: the optimizing compiler pays for itself (src/compilers.ts).
  if (bundles.length > 1) heavyWork();
  const progress = opts.progress ?? new FleetProgress();
  const hosts: FleetHost[] = [];
  let analysed = 0;
  let firstError: string | null = null;
  for (const [i, b] of bundles.entries()) {
    let host: FleetHost;
    try {
      const { analysis, bundleTool } = await analyzePath(b.path, config);
      host = digestAnalysis(analysis, { target: b.target, toolVersion: bundleTool, input: b.path, record: b.record });
      analysed++;
    } catch (e) {
      host = unreadableHost(b.path, errorLine(e, b.path), { target: b.target, record: b.record });
      firstError ??= host.error;
    }
    hosts.push(host);
    // The digest's strings are redacted; the path as given is not yet.
    progress.analysed(i + 1, bundles.length, host.hostname ?? host.target ?? redact(b.path), host.status === 'unreadable' ? host.error : null);
  }
  progress.clear();
  if (analysed === 0) {
    // A single unusable argument is its own error, as without --summary.
    if (bundles.length === 0 && args.length === 1 && unusable.length === 1) throw new InputError(unusable[0]!.error!);
    // Arguments that named nothing usable first: they are what the user typed.
    firstError = unusable[0]?.error ?? firstError;
    const tried = bundles.length + unusable.length;
    const what = tried
      ? `none of the ${tried} ${unusable.length ? 'input' : 'bundle'}${tried === 1 ? '' : 's'} could be analysed (first: ${firstError})`
      : `no bundle to analyse (${hostsWithoutBundle.length} host${hostsWithoutBundle.length === 1 ? '' : 's'} without a bundle)`;
    throw new InputError(`${redact(quoteList(args))}: ${what}`);
  }
  // Only now: when nothing could be analysed, the one error line above says it all.
  for (const h of unusable) progress.note(`unreadable: ${h.error}`);
  const summary = buildFleetSummary([...hosts, ...unusable, ...hostsWithoutBundle], {
    inputs: args.map((a) => redact(a)),
    outageGapSeconds: config.thresholds.outageGapSeconds,
    now: opts.now ?? defaultNow(),
  });
  // Every string was redacted where it entered; this pass keeps it so if a field is added later.
  return FleetSummarySchema.parse(redactDeep(summary));
}
