// `charger-diag report BUNDLE`: the post-mortem as Markdown (en/tr), HTML or
// the analysis JSON, to stdout or to --out FILE.
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { UsageError } from '../usage.js';
import { loadAnalysis } from './analyze.js';
import { renderReport, type Lang, type ReportFormat } from '../report/index.js';
import type { CliIo } from './io.js';

export interface ReportCommandOptions {
  format?: ReportFormat;
  lang?: Lang;
  out?: string;
  maxChars?: string;
  config?: string;
}

export function parseMaxChars(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--max-chars ${v}: expected a positive whole number of characters`);
  return Number(v);
}

/** --out must name a file in an existing directory: a typo in the path should not scatter directories. */
export async function checkOut(out: string): Promise<void> {
  const dir = path.dirname(path.resolve(out));
  const s = await stat(dir).catch(() => null);
  if (!s) throw new InputError(`${out}: directory ${dir} does not exist`);
  if (!s.isDirectory()) throw new InputError(`${out}: ${dir} is not a directory`);
  const f = await stat(out).catch(() => null);
  if (f?.isDirectory()) throw new InputError(`${out}: is a directory, expected a file name`);
}

export async function reportCommand(bundle: string, opts: ReportCommandOptions, io: CliIo): Promise<number> {
  const maxChars = parseMaxChars(opts.maxChars);
  if (opts.out) await checkOut(opts.out);
  const analysis = await loadAnalysis(bundle, opts.config);
  await emit(renderReport(analysis, { format: opts.format ?? 'md', lang: opts.lang ?? 'en', maxChars }), opts.out, io);
  return 0;
}

/** A report goes to --out FILE (and its path to stdout), or itself to stdout. */
export async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out) {
    await writeFile(out, text);
    io.stdout.write(`${out}\n`);
  } else {
    io.stdout.write(text);
  }
}
