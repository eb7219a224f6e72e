// /etc/os-release (os-release(5)): KEY=value, values shell-quoted.
export interface OsRelease {
  prettyName: string | null;
  id: string | null;
  versionId: string | null;
  versionCodename: string | null;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  return t.replace(/\\(.)/g, '$1');
}

/** Unknown keys, comments and malformed lines are ignored: every field is optional in the spec. */
export function parseOsRelease(text: string): OsRelease {
  const kv = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(raw.replace(/\r$/, ''));
    if (m) kv.set(m[1]!, unquote(m[2]!));
  }
  const get = (k: string) => {
    const v = kv.get(k);
    return v === undefined || v === '' ? null : v;
  };
  return {
    prettyName: get('PRETTY_NAME') ?? get('NAME'),
    id: get('ID'),
    versionId: get('VERSION_ID'),
    versionCodename: get('VERSION_CODENAME'),
  };
}
