// `charger-diag analyze BUNDLE`: the analysis as a readable summary or as the contract JSON.
import { openBundle } from '../bundle/reader.js';
import { loadConfig, type Config } from '../config.js';
import { analyzeBundle } from '../analysis/analyze.js';
import { colourFor, renderSummary } from '../render/summary.js';
import type { Analysis } from '../analysis/schema.js';
import type { ReadOptions } from '../facts/providers/types.js';
import { severityRank, type Severity } from '../analysis/severities.js';
import { ALL_RULES as RULES } from '../rules/index.js';
import { InputError } from '../errors.js';
import { jsonText } from '../render/visible.js';
import type { CliIo } from './io.js';

export interface AnalyzeOptions {
  json?: boolean;
  config?: string;
  failOn?: Severity;
}

export function checkRuleIds(config: Config, file: string | undefined): void {
  const known = new Set(RULES.map((r) => r.id));
  for (const id of Object.keys(config.rules)) {
    if (!known.has(id)) throw new InputError(`${file ?? 'config'}: unknown rule id "${id}" (see charger-diag rules)`);
  }
  // A waiver for a misspelt rule would never apply, and nobody would notice.
  for (const w of config.waivers) {
    if (!known.has(w.rule)) throw new InputError(`${file ?? 'config'}: waiver for unknown rule id "${w.rule}" (see charger-diag rules)`);
  }
}

/** --config read and its rule ids checked: once per run, however many bundles follow. */
export async function loadCheckedConfig(configFile: string | undefined): Promise<Config> {
  const config = await loadConfig(configFile);
  checkRuleIds(config, configFile);
  return config;
}

/** One bundle analysed, with the manifest's own word on the tool that wrote it (the fleet view compares versions). */
export async function analyzePath(path: string, config: Config, read: ReadOptions = {}): Promise<{ analysis: Analysis; bundleTool: string | null }> {
  const bundle = await openBundle(path);
  try {
    const analysis = await analyzeBundle(bundle, config, { read });
    return { analysis, bundleTool: bundle.manifest.tool?.version ?? null };
  } finally {
    await bundle.close();
  }
}

export async function loadAnalysis(path: string, configFile: string | undefined, read: ReadOptions = {}): Promise<Analysis> {
  return (await analyzePath(path, await loadCheckedConfig(configFile), read)).analysis;
}

export function exceeds(a: Analysis, failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  return a.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}

export async function analyzeCommand(path: string, opts: AnalyzeOptions, io: CliIo): Promise<number> {
  const analysis = await loadAnalysis(path, opts.config);
  io.stdout.write(opts.json ? jsonText(analysis) : renderSummary(analysis, { colour: colourFor(io.stdout) }));
  return exceeds(analysis, opts.failOn) ? 1 : 0;
}
