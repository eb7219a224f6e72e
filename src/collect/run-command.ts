// One catalogue command run locally into the bundle, with its manifest record.
import { open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { formatDeviceTime } from '../time.js';
import { runCommand } from './exec.js';
import { mib } from './log-copy.js';
import { SourceWriter } from './output.js';
import { dropHeadToFit, linesBackward } from './reverse-lines.js';
import { jsonLineRedactor } from './redact-stream.js';
import { shellQuote, statusOf } from './status.js';
import { LIMITS, SINCE, UNTIL, type CommandEntry } from '../sources/catalogue.js';
import { systemdTimeArg } from './window.js';
import { addCounts, type RedactionCounts } from '../redact.js';
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
export function lastJournalTime(line: string | null, ctx: RunContext): string | null {
  if (!line) return null;
  try {
    return journalTimeOf(Number((JSON.parse(line) as { __REALTIME_TIMESTAMP?: string }).__REALTIME_TIMESTAMP), ctx);
  } catch {
    return null;
  }
}

function journalTimeOf(us: number, ctx: RunContext): string | null {
  return Number.isFinite(us) && us > 0 ? formatDeviceTime(us / 1000, ctx.clock) : null;
}

/** The time of a journal file's first entry, read from its head (journalctl writes the timestamp among the first fields). */
export async function firstJournalTime(path: string, ctx: RunContext): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    const line = head.slice(0, head.includes('\n') ? head.indexOf('\n') : head.length);
    const m = /"__REALTIME_TIMESTAMP":"(\d+)"/.exec(line);
    return m ? journalTimeOf(Number(m[1]), ctx) : null;
  } finally {
    await fh.close();
  }
}

/** The record's error of a journal export over its cap: which end of the window was kept, and why when it is the oldest. */
export function journalCapError(cut: { newest: true; from: string | null } | { newest: false; last: string | null; why: string | null }): string {
  const cap = `over the ${mib(LIMITS.journalBytes)} cap`;
  if (cut.newest) return `${cap}: the newest lines of the window were kept${cut.from ? `, from ${cut.from}` : ''}; older entries were cut`;
  return `${cap}: the oldest lines of the window were kept${cut.last ? `, entries after ${cut.last} are not in the bundle` : ''}${cut.why ? ` (${cut.why})` : ''}`;
}

type NewestFirst = { ok: true; bytes: number; from: string | null } | { ok: false; why: string };

/**
 * The journal over its cap: the forward export kept the oldest entries, but
 * the newest are the ones that matter (a capture runs right after the
 * failure). A second export, newest first (`--reverse`, same window), is
 * written raw to a scratch file up to the cap at a line boundary; read back
 * from its end, its lines come out in time order and are redacted then, as
 * the forward pass redacts: the JSON redactor has state across records (a
 * private key logged one line per entry, opened by its BEGIN entry), so it
 * must see them in time order. The scratch file lives in the staging area's
 * private directory (0700, removed whatever happens) and is removed as soon
 * as the bundle file is written. Disk: twice the cap at most, for a moment.
 */
async function newestFirst(ctx: RunContext, run: CommandRun, argv: string[], forward: SourceWriter, timeoutMs: number): Promise<NewestFirst> {
  const cap = LIMITS.journalBytes;
  const scratchName = `${run.id}.newest-first`;
  const scratch = await ctx.staging.openScratch(scratchName);
  const scratchPath = ctx.staging.scratchPath(scratchName);
  let scratchOpen = true;
  try {
    // Where the last whole line written ends: the export is cut there, inside the oldest line it reached.
    let whole = 0;
    let full = false;
    const result = await runCommand(
      [...argv, '--reverse'],
      async (chunk) => {
        const room = cap - scratch.bytes;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        const before = scratch.bytes;
        await scratch.write(part);
        const nl = part.lastIndexOf(0x0a);
        if (nl !== -1) whole = before + nl + 1;
        if (chunk.length >= room) full = true;
        return !full;
      },
      { timeoutMs, mergeStderr: false },
    );
    scratchOpen = false;
    await scratch.close();
    if (result.spawnError) return { ok: false, why: `the newest-first export could not start (${result.spawnError.code ?? result.spawnError.message})` };
    if (result.timedOut) return { ok: false, why: `the newest-first export did not finish in ${Math.round(timeoutMs / 1000)} s` };
    if (!full && result.exitCode !== 0) return { ok: false, why: `the newest-first export failed (exit ${result.exitCode ?? result.signal})` };
    if (whole === 0) return { ok: false, why: 'the newest-first export gave no whole entry' };
    await truncate(scratchPath, whole);
    // The forward output is dropped only now: a failed second pass keeps it.
    await forward.abandon();
    const passCounts: RedactionCounts | null = ctx.counts ? {} : null;
    const writer = new SourceWriter({ staging: ctx.staging, rel: run.path, counts: passCounts, json: true, ...(run.mapLine ? { mapLine: run.mapLine } : {}) });
    let batch: Buffer[] = [];
    let batchLen = 0;
    const NL = Buffer.from('\n');
    for await (const line of linesBackward(scratchPath)) {
      batch.push(line, NL);
      batchLen += line.length + 1;
      if (batchLen >= 64 * 1024) {
        await writer.push(Buffer.concat(batch, batchLen));
        batch = [];
        batchLen = 0;
      }
    }
    if (batchLen > 0) await writer.push(Buffer.concat(batch, batchLen));
    const { path } = await writer.finish(true);
    const target = ctx.staging.pathOf(path!);
    // Redaction may lengthen a line ([redacted:password] for a short one): the oldest lines make room,
    // and what was counted in them is counted again (the same redactor from the same start) to take it off.
    const dropped = await dropHeadToFit(target, cap);
    if (passCounts && dropped.lines > 0) {
      const headCounts: RedactionCounts = {};
      const again = jsonLineRedactor(headCounts);
      let left = dropped.lines;
      for await (const line of linesBackward(scratchPath)) {
        const text = line.toString('utf8');
        again(run.mapLine ? run.mapLine(text) : text);
        if (--left === 0) break;
      }
      for (const [k, v] of Object.entries(headCounts)) passCounts[k] = (passCounts[k] ?? 0) - v;
    }
    for (const [k, v] of Object.entries(passCounts ?? {})) if (v > 0) ctx.counts![k] = (ctx.counts![k] ?? 0) + v;
    const { size } = await stat(target);
    return { ok: true, bytes: size, from: await firstJournalTime(target, ctx) };
  } finally {
    if (scratchOpen) await scratch.close().catch(() => undefined);
    await rm(scratchPath, { force: true });
  }
}

async function attempt(ctx: RunContext, run: CommandRun, argv: string[]) {
  const timeoutMs = run.journal ? ctx.timeoutMs * LIMITS.longTimeoutFactor : ctx.timeoutMs;
  // The journal's redactions are counted apart: over the cap its output is replaced, and what was counted in it goes too.
  const counts = run.journal && ctx.counts ? {} : ctx.counts;
  const writer = new SourceWriter({
    staging: ctx.staging,
    rel: run.path,
    counts,
    json: run.journal === true,
    cap: run.journal ? LIMITS.journalBytes : LIMITS.commandBytes,
    ...(run.mapLine ? { mapLine: run.mapLine } : {}),
  });
  const result = await runCommand(argv, (c) => writer.push(c), { timeoutMs, mergeStderr: run.mergeStderr === true });
  return { result, writer, timeoutMs, counts };
}

/** Run one command into its bundle file and record it; returns the record. */
export async function runCommandSource(ctx: RunContext, run: CommandRun): Promise<SourceRecord> {
  ctx.step(run.id);
  let argv = run.argv;
  let { result, writer, timeoutMs, counts } = await attempt(ctx, run, argv);
  const failedOutright = result.spawnError !== null || (result.exitCode !== 0 && writer.bytes === 0 && !result.timedOut);
  if (failedOutright && run.fallbackArgv) {
    await writer.abandon();
    argv = run.fallbackArgv;
    ({ result, writer, timeoutMs, counts } = await attempt(ctx, run, argv));
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
  // Over the journal's cap, a second pass keeps the newest entries instead of the oldest.
  const secondStart = Date.now();
  const newest = provisional.status === 'truncated' && run.journal ? await newestFirst(ctx, run, argv, writer, timeoutMs) : null;
  const { path, bytes } = newest?.ok ? { path: run.path, bytes: newest.bytes } : await writer.finish(keepEmpty);
  if (counts !== ctx.counts && !newest?.ok) addCounts(ctx.counts, counts);
  const record: SourceRecord = { id: run.id, command: redactText(ctx.counts, shellQuote(argv)), status: provisional.status };
  if (path) record.path = path;
  if (notFound) record.exitCode = 127;
  else if (result.exitCode !== null) record.exitCode = result.exitCode;
  record.durationMs = result.durationMs + (newest ? Date.now() - secondStart : 0);
  if (path) record.bytes = bytes;
  let error = provisional.error;
  if (result.spawnError?.code === 'EACCES') error = `${argv[0]}: not found, or not executable by this user`;
  else if (result.spawnError && !notFound) error = `${argv[0]}: ${result.spawnError.code ?? result.spawnError.message}`;
  if (newest) error = journalCapError(newest.ok ? { newest: true, from: newest.from } : { newest: false, last: lastJournalTime(writer.lastLine, ctx), why: newest.why });
  if (error) record.error = redactText(ctx.counts, error);
  ctx.record(record);
  return record;
}

/** The text of a source already written (small outputs that other sources depend on). */
export async function readBack(ctx: RunContext, record: SourceRecord): Promise<string | null> {
  if (!record.path || (record.status !== 'ok' && record.status !== 'truncated' && record.status !== 'timeout')) return null;
  return readFile(ctx.staging.pathOf(record.path), 'utf8').catch(() => null);
}
