// `charger-diag analyze BUNDLE`: the analysis as a readable summary or as the contract JSON.
import { openBundle } from '../bundle/reader.js';
import { loadConfig, type Config } from '../config.js';
import { analyzeBundle } from '../analysis/analyze.js';
import { renderSummary } from '../render/summary.js';
import { severityRank, type Analysis, type Severity } from '../analysis/schema.js';
import { RULES } from '../rules/index.js';
import { InputError } from '../errors.js';

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
}

export async function loadAnalysis(path: string, configFile: string | undefined): Promise<Analysis> {
  const config = await loadConfig(configFile);
  checkRuleIds(config, configFile);
  const bundle = await openBundle(path);
  try {
    return await analyzeBundle(bundle, config);
  } finally {
    await bundle.close();
  }
}

export function exceeds(a: Analysis, failOn: Severity | undefined): boolean {
  if (!failOn) return false;
  return a.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}

export async function analyzeCommand(path: string, opts: AnalyzeOptions): Promise<number> {
  const analysis = await loadAnalysis(path, opts.config);
  process.stdout.write(opts.json ? `${JSON.stringify(analysis, null, 2)}\n` : renderSummary(analysis));
  return exceeds(analysis, opts.failOn) ? 1 : 0;
}
