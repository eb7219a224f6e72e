// `charger-diag check PATH...`: sample bundles against their expectations and
// repositories' unit files against the configuration rules, for CI.
import { writeFile } from 'node:fs/promises';
import type { Severity } from '../analysis/schema.js';
import { loadConfig } from '../config.js';
import { checkRuleIds } from './analyze.js';
import { resolveTargets } from '../check/targets.js';
import { checkTarget, type CheckedPath } from '../check/run.js';
import { renderText } from '../check/text.js';
import { renderJunit } from '../check/junit.js';
import { renderSarif } from '../check/sarif.js';
import { renderAnnotations } from '../check/annotations.js';
import { renderGcc } from '../check/gcc.js';
import { renderCheckJson } from '../check/json.js';
import type { CliIo } from './io.js';

export type CheckFormat = 'text' | 'junit' | 'sarif' | 'json' | 'gcc';

const RENDER: Record<CheckFormat, (results: CheckedPath[], cwd: string) => string> = {
  text: renderText,
  junit: renderJunit,
  sarif: renderSarif,
  json: renderCheckJson,
  gcc: renderGcc,
};

export interface CheckCommandOptions {
  expect?: string;
  failOn?: Severity;
  format?: CheckFormat;
  out?: string;
  config?: string;
}

export async function checkCommand(paths: string[], opts: CheckCommandOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(opts.config);
  checkRuleIds(config, opts.config);
  const targets = resolveTargets(paths, opts.expect);
  const cwd = process.cwd();
  const results: CheckedPath[] = [];
  for (const t of targets) results.push(await checkTarget(t, config, { failOn: opts.failOn, cwd }));
  const format = opts.format ?? 'text';
  const doc = RENDER[format](results, cwd);
  // With --out the report goes to the file and the log still shows what passed and failed.
  let stdoutIsDocument = false;
  if (opts.out) {
    await writeFile(opts.out, doc);
    if (format !== 'text') io.stdout.write(renderText(results));
  } else {
    io.stdout.write(doc);
    stdoutIsDocument = format !== 'text';
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands on stderr too, so a SARIF or JUnit document on stdout stays clean.
    (stdoutIsDocument ? io.stderr : io.stdout).write(renderAnnotations(results));
  }
  return results.every((r) => r.passed) ? 0 : 1;
}
