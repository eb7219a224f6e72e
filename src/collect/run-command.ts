// One catalogue command run locally into the bundle, with its manifest record.
import { readFile } from 'node:fs/promises';
import { formatDeviceTime } from '../time.js';
import { runCommand } from './exec.js';
import { SourceWriter } from './output.js';
import { shellQuote, statusOf } from './status.js';
import { LIMITS, SINCE, UNTIL, type CommandEntry } from '../sources/catalogue.js';
import { systemdTimeArg } from './window.js';
import { redactText, type RunContext, type SourceRecord } from './types.js';

export function fillWindow(argv: string[], sinceMs: number, untilMs: number): string[] {
  return argv.map((a) => (a === SINCE ? systemdTimeArg(sinceMs, 'since') : a === UNTIL ? systemdTimeArg(untilMs, 'until') : a));
}

export interface CommandRun {
  id: string;
  path: string;
  argv: string[];
  fallbackArgv?: string[];
  mergeStderr?: boolean;
  journal?: boolean;
  mapLine?: (line: string) => string;
}

export function commandRunOf(entry: CommandEntry, argv: string[], ctx: RunContext): CommandRun {
  const run: CommandRun = { id: entry.id, path: entry.path, argv: fillWindow(argv, ctx.sinceMs, ctx.untilMs) };
  if (entry.fallbackArgv) run.fallbackArgv = entry.fallbackArgv;
  if (entry.mergeStderr) run.mergeStderr = true;
  if (entry.journal) run.journal = true;
  return run;
}

/** "entries after 2025-12-10T01:09:58+03:00": where a capped journal stops. */
function lastJournalTime(line: string | null, ctx: RunContext): string | null {
  if (!line) return null;
  try {
    const us = Number((JSON.parse(line) as { __REALTIME_TIMESTAMP?: string }).__REALTIME_TIMESTAMP);
    return Number.isFinite(us) ? formatDeviceTime(us / 1000, ctx.clock) : null;
  } catch {
    return null;
  }
}

async function attempt(ctx: RunContext, run: CommandRun, argv: string[]) {
  const timeoutMs = run.journal ? ctx.timeoutMs * LIMITS.longTimeoutFactor : ctx.timeoutMs;
  const writer = new SourceWriter({
    staging: ctx.staging,
    rel: run.path,
    counts: ctx.counts,
    json: run.journal === true,
    cap: run.journal ? LIMITS.journalBytes : LIMITS.commandBytes,
    ...(run.mapLine ? { mapLine: run.mapLine } : {}),
  });
  const result = await runCommand(argv, (c) => writer.push(c), { timeoutMs, mergeStderr: run.mergeStderr === true });
  return { result, writer, timeoutMs };
}

/** Run one command into its bundle file and record it; returns the record. */
export async function runCommandSource(ctx: RunContext, run: CommandRun): Promise<SourceRecord> {
  ctx.step(run.id);
  let argv = run.argv;
  let { result, writer, timeoutMs } = await attempt(ctx, run, argv);
  const failedOutright = result.spawnError !== null || (result.exitCode !== 0 && writer.bytes === 0 && !result.timedOut);
  if (failedOutright && run.fallbackArgv) {
    await writer.abandon();
    argv = run.fallbackArgv;
    ({ result, writer, timeoutMs } = await attempt(ctx, run, argv));
  }
  // execvp reports EACCES, not ENOENT, when the program is absent but a PATH directory was unreadable.
  const notFound = result.spawnError?.code === 'ENOENT' || result.spawnError?.code === 'EACCES';
  const provisional = statusOf(
    {
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      capped: writer.capped,
      notFound,
      stderr: result.stderr,
      bytes: writer.bytes,
      stderrIsData: run.mergeStderr === true,
    },
    argv[0]!,
    timeoutMs,
    run.journal ? LIMITS.journalBytes : LIMITS.commandBytes,
  );
  const keepEmpty = provisional.status === 'ok';
  const { path, bytes } = await writer.finish(keepEmpty);
  const record: SourceRecord = { id: run.id, command: redactText(ctx.counts, shellQuote(argv)), status: provisional.status };
  if (path) record.path = path;
  if (notFound) record.exitCode = 127;
  else if (result.exitCode !== null) record.exitCode = result.exitCode;
  record.durationMs = result.durationMs;
  if (path) record.bytes = bytes;
  let error = provisional.error;
  if (result.spawnError?.code === 'EACCES') error = `${argv[0]}: not found, or not executable by this user`;
  else if (result.spawnError && !notFound) error = `${argv[0]}: ${result.spawnError.code ?? result.spawnError.message}`;
  if (provisional.status === 'truncated' && run.journal) {
    const last = lastJournalTime(writer.lastLine, ctx);
    error = `cut at the ${LIMITS.journalBytes / 1048576} MiB cap${last ? `: entries after ${last} are not in the bundle` : ''}`;
  }
  if (error) record.error = redactText(ctx.counts, error);
  ctx.record(record);
  return record;
}

/** The text of a source already written (small outputs that other sources depend on). */
export async function readBack(ctx: RunContext, record: SourceRecord): Promise<string | null> {
  if (!record.path || (record.status !== 'ok' && record.status !== 'truncated' && record.status !== 'timeout')) return null;
  return readFile(ctx.staging.pathOf(record.path), 'utf8').catch(() => null);
}
