// Running one command of the catalogue: LC_ALL=C, its own process group so a
// timeout (or an interrupted collection) kills everything it started, stdout
// streamed to a sink that may stop early (a size cap), stderr kept in part
// for the manifest's error text.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ExecResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** the sink asked to stop (cap reached) and the process was ended for it */
  stoppedBySink: boolean;
  durationMs: number;
  /** the first STDERR_KEEP bytes of stderr */
  stderr: string;
  /** spawn failure: ENOENT (not installed), EACCES */
  spawnError: NodeJS.ErrnoException | null;
}

/** Receives stdout chunks; returns false to stop reading (the process group is then ended). */
export type ChunkSink = (chunk: Buffer) => Promise<boolean> | boolean;

const STDERR_KEEP = 16 * 1024;
const KILL_GRACE_MS = 1000;
/** stdout held back while a merged stderr is still open (see runCommand) */
const HOLD_BYTES = 1024 * 1024;

// Every live child's process group, so an interrupted collection can end them
// synchronously from the 'exit' handler.
const liveGroups = new Set<number>();

export function killAllChildren(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export interface ExecOptions {
  timeoutMs: number;
  /** extra environment (LC_ALL=C is always set) */
  env?: Record<string, string>;
  /**
   * also send stderr into the sink, as `ls 2>&1` would (ls -ld prints "No such file" there): stderr's
   * text first, stdout's after it (up to 1 MiB of stdout waits for stderr to end), whichever pipe the
   * event loop happens to read first
   */
  mergeStderr?: boolean;
  /** stdin text (the ssh runner sends the script this way); default: no stdin */
  stdin?: string;
  cwd?: string;
  /** ends the process group as a timeout would (the ssh runner's stall watch) */
  signal?: AbortSignal;
}

export async function runCommand(argv: string[], sink: ChunkSink, opts: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  const env = { ...process.env, ...opts.env, LC_ALL: 'C' };
  let child: ChildProcess;
  const result: ExecResult = { exitCode: null, signal: null, timedOut: false, stoppedBySink: false, durationMs: 0, stderr: '', spawnError: null };
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      detached: true,
      stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env,
      cwd: opts.cwd,
    });
  } catch (e) {
    result.spawnError = e as NodeJS.ErrnoException;
    result.durationMs = Date.now() - started;
    return result;
  }

  const closed = new Promise<void>((resolve) => {
    child.once('error', (e) => {
      result.spawnError = e as NodeJS.ErrnoException;
      resolve();
    });
    child.once('close', (code, signal) => {
      result.exitCode = code;
      result.signal = signal;
      resolve();
    });
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);

  let killTimer: NodeJS.Timeout | undefined;
  const end = (why: 'timeout' | 'sink') => {
    if (why === 'timeout') result.timedOut = true;
    else result.stoppedBySink = true;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => end('timeout'), opts.timeoutMs);
  const onAbort = () => end('timeout');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  if (opts.stdin !== undefined && child.stdin) {
    // A remote that exits early closes the pipe; that is its exit status's story, not a crash here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin);
  }

  let stderrKept = 0;
  const stderrChunks: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => {
    if (stderrKept < STDERR_KEEP) {
      const part = c.subarray(0, STDERR_KEEP - stderrKept);
      stderrChunks.push(part);
      stderrKept += part.length;
    }
  });

  // stdout and (merged) stderr go through one queue so the sink sees them in one order.
  let sinkError: unknown = null;
  let accepting = true;
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (c: Buffer, stream: NodeJS.ReadableStream | null) => {
    stream?.pause();
    chain = chain.then(async () => {
      if (!accepting) return;
      try {
        if ((await sink(c)) === false) {
          accepting = false;
          end('sink');
        }
      } catch (e) {
        sinkError = e;
        accepting = false;
        end('sink');
      } finally {
        stream?.resume();
      }
    });
  };
  // Two pipes have no order between them: which one is read first depends on how busy the event
  // loop is (with steps running side by side, ls's listing came before its error in one run of
  // three). `cmd 2>&1` of ls gives its errors first (written as it goes, the listing only at exit),
  // so stdout waits until stderr ends, holding at most HOLD_BYTES before going on in arrival order.
  let holding = opts.mergeStderr === true;
  let held: Buffer[] = [];
  let heldBytes = 0;
  const release = () => {
    if (!holding) return;
    holding = false;
    for (const c of held) enqueue(c, null);
    held = [];
  };
  child.stdout?.on('data', (c: Buffer) => {
    if (!accepting) return;
    if (holding) {
      held.push(c);
      heldBytes += c.length;
      if (heldBytes >= HOLD_BYTES) release();
      return;
    }
    enqueue(c, child.stdout);
  });
  if (opts.mergeStderr && child.stderr) {
    const err = child.stderr;
    err.on('data', (c: Buffer) => {
      if (accepting) enqueue(c, err);
    });
    err.once('end', release);
    err.once('close', release);
  }

  await closed;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  if (killTimer) clearTimeout(killTimer);
  await chain;
  // The leader is gone; children it left behind in its group are not ours to keep.
  if (pid !== undefined) {
    signalGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }
  result.durationMs = Date.now() - started;
  result.stderr = Buffer.concat(stderrChunks).toString('utf8');
  if (sinkError) throw sinkError;
  return result;
}

/** Run to completion and keep stdout in memory (small outputs only). */
export async function captureCommand(argv: string[], opts: ExecOptions & { maxBytes?: number }): Promise<ExecResult & { stdout: Buffer }> {
  const max = opts.maxBytes ?? 64 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  const r = await runCommand(
    argv,
    (c) => {
      chunks.push(c.subarray(0, max - size));
      size += Math.min(c.length, max - size);
      return size < max;
    },
    opts,
  );
  return { ...r, stdout: Buffer.concat(chunks) };
}
