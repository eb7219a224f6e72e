// Names the product proposes for things that have none yet, e.g. the unit
// for a server started by hand. Deterministic, so reports are stable.
import path from 'node:path';
import type { ProcessFact } from './types.js';
import { redact } from '../redact.js';

const MARK = /(\[redacted:[a-z0-9-]+\])/;

const ASGI_WSGI = /^(uvicorn|gunicorn|hypercorn|daphne|waitress-serve|granian)$/;

/** A unit name for an unmanaged server: "<project>-api" for ASGI/WSGI servers run from a project directory, else "<project>-<program>" or "<program>". */
export function suggestUnitName(program: string, cwd: string | null, args: string): string {
  const plain = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.(py|js|mjs|sh)$/, '')
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  // A secret in a directory or process name (token=SECRET, CP01:PASSWORD@csms)
  // would survive lower-casing unrecognisable to any later redaction: it is
  // redacted first and its mark kept, so the name shows a secret was there.
  const clean = (s: string) =>
    redact(s)
      .split(MARK)
      .map((part, i) => (i % 2 === 1 ? part : plain(part)))
      .filter((part) => part !== '')
      .join('-') || 'server';
  let project: string | null = null;
  if (cwd && cwd !== '/' && !/^\/(root|home\/[^/]+)\/?$/.test(cwd)) project = clean(path.posix.basename(cwd));
  if (!project) {
    // "api.main:app" style module paths do not name a project; a script path under /home/u/<project>/ does.
    const m = /\/home\/[^/\s]+\/([^/\s]+)\//.exec(args);
    if (m && !/^(env|venv|\.venv|\.local|bin)$/.test(m[1]!)) project = clean(m[1]!);
  }
  const prog = clean(program);
  const role = ASGI_WSGI.test(prog) ? 'api' : prog;
  return project ? (project === role ? project : `${project}-${role}`) : role;
}

/**
 * Programs that are servers by nature, judged even when ss could not name a
 * socket's owner (collected without root). Matched on the program itself, so
 * `tail -f uvicorn.log` or `grep gunicorn` are not servers.
 */
export function isBuiltinServer(p: Pick<ProcessFact, 'program' | 'args'>): boolean {
  if (/^(uvicorn|gunicorn|hypercorn|daphne|waitress-serve|granian|http\.server)$/.test(p.program)) return true;
  return (p.program === 'flask' && /\sflask\s+run\b|\bflask run\b/.test(p.args)) || (p.program === 'manage.py' && /\brunserver\b/.test(p.args));
}
