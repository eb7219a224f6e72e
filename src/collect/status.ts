// From what a command did to the manifest's status and error text. One rule
// set for every runner, so the same failure reads the same locally and over ssh.
import type { SourceStatus } from '../bundle/manifest.js';

const DENIED = /permission denied|operation not permitted|access denied|must be privileged|not allowed|insufficient privileges|are not allowed to/i;
const NOTHING_THERE = /no journal files were found/i;

export interface Outcome {
  exitCode: number | null;
  signal?: string | null;
  timedOut: boolean;
  /** a size cap ended the output */
  capped: boolean;
  /** the command is not installed */
  notFound: boolean;
  stderr: string;
  bytes: number;
  /** ls -ld of two paths exits 2 when one is missing; that line is data */
  stderrIsData?: boolean;
}

/** The first line of stderr that says something, without the program's "name: " noise kept verbatim. */
export function firstLine(text: string): string {
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l !== '' && l !== '-- No entries --') return l.length > 300 ? `${l.slice(0, 297)}...` : l;
  }
  return '';
}

export function statusOf(o: Outcome, program: string, timeoutMs: number, cap: number | null): { status: SourceStatus; error?: string } {
  const msg = firstLine(o.stderr);
  if (o.notFound) return { status: 'missing', error: `${program}: command not found` };
  if (o.timedOut) {
    return { status: 'timeout', error: `timed out after ${Math.round(timeoutMs / 1000)} s; ${o.bytes > 0 ? `the ${o.bytes} bytes printed before are kept` : 'nothing was printed'}` };
  }
  if (o.capped) return { status: 'truncated', error: `output cut at the ${capText(cap)} cap` };
  if (o.exitCode === 0) {
    // journalctl says "No journal files were found." and exits 0 with nothing on stdout.
    if (o.bytes === 0 && msg !== '' && NOTHING_THERE.test(msg)) return { status: 'failed', error: msg };
    return { status: 'ok' };
  }
  if (o.stderrIsData && o.bytes > 0) return { status: 'ok' };
  // coredumpctl exits 1 when the window holds no core dump: an empty list, not a failure.
  if (/^no coredumps found/i.test(msg)) return { status: 'ok' };
  if (o.exitCode === null) return { status: 'failed', error: `killed by ${o.signal ?? 'a signal'}${msg ? `: ${msg}` : ''}` };
  if (DENIED.test(msg)) return { status: 'denied', error: msg };
  if (/^no crontab for /i.test(msg)) return { status: 'missing', error: msg };
  return { status: 'failed', error: msg || `exit status ${o.exitCode}` };
}

function capText(cap: number | null): string {
  if (cap === null) return 'size';
  return `${Math.round(cap / 1048576)} MiB`;
}

/** Read errors of a device file as a status. */
export function fileErrorStatus(e: unknown): { status: SourceStatus; error: string } {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', error: 'no such file' };
  if (code === 'EACCES' || code === 'EPERM') return { status: 'denied', error: 'permission denied' };
  if (code === 'ELOOP') return { status: 'failed', error: 'too many levels of symbolic links' };
  if (code === 'EISDIR') return { status: 'failed', error: 'is a directory' };
  return { status: 'failed', error: code ?? (e instanceof Error ? e.message : String(e)) };
}

/** argv as a shell command line, for the manifest and the remote script. */
export function shellQuote(argv: string[]): string {
  return argv.map(quoteWord).join(' ');
}

export function quoteWord(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}
