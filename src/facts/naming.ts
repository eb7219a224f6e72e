// Names the product proposes for things that have none yet, e.g. the unit
// for a server started by hand. Deterministic, so reports are stable.
import path from 'node:path';

const ASGI_WSGI = /^(uvicorn|gunicorn|hypercorn|daphne|waitress-serve|granian)$/;

/** A unit name for an unmanaged server: "<project>-api" for ASGI/WSGI servers run from a project directory, else "<project>-<program>" or "<program>". */
export function suggestUnitName(program: string, cwd: string | null, args: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.(py|js|mjs|sh)$/, '')
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'server';
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
