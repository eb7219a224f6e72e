/**
 * Bad usage or unusable input: the CLI prints `charger-diag: <message>` on one
 * line and exits 2. The message names the file and what is wrong.
 */
export class InputError extends Error {
  constructor(message: string) {
    // The message goes to a terminal on one line; a hostile file name must not
    // be able to forge extra lines, so control characters are made visible.
    super(oneLine(message));
    this.name = 'InputError';
  }
}

function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/**
 * Any error as the one line the user sees: an InputError's own message, a
 * file error as "PATH: what" (`where` stands in for a path the error lacks),
 * anything else as an internal error, which is a bug (its stack only with
 * CHARGER_DIAG_DEBUG=1).
 */
export function errorLine(e: unknown, where?: string): string {
  if (e instanceof InputError) return e.message;
  const err = e as NodeJS.ErrnoException;
  const path = err?.path ?? where;
  if (err && typeof err.code === 'string' && path) return `${path}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code}`;
  if (process.env.CHARGER_DIAG_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  return `${where ? `${where}: ` : ''}internal error: ${(e as Error)?.message ?? String(e)} (set CHARGER_DIAG_DEBUG=1 for details)`;
}
