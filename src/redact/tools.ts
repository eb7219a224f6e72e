// Short options that carry a password, for the tools that have them. A short
// option means different things to different programs (`ssh -p 22`,
// `mkdir -p`, `nginx -p /etc/nginx`), so only the options of the tools named
// here are read, and only up to the end of that tool's command.

import { nameStrength } from './names.js';

export interface Span {
  start: number;
  end: number;
}

type Takes =
  /** -pSECRET, -p'SECRET', -p "SECRET" (quoted); a bare word after `-p ` is something else (mysql's database) */
  | 'attached'
  /** -p SECRET or -pSECRET */
  | 'both';

interface Flag {
  letter: string;
  takes: Takes;
  /** the secret is the part after this character (smbclient -U user%pass, lftp -u user,pass) */
  after?: string;
}

interface Tool {
  flags: Flag[];
  /** a wrapper: its options end at the first word that is not one (sshpass -p X ssh -p 22 host) */
  wrapper?: boolean;
  /** its arguments are `name value` pairs (nmcli ... password X, wifi-sec.psk X): a credential name's next word */
  keywords?: boolean;
  /** its secret is this positional argument (wpa_passphrase SSID PASSPHRASE: 2) */
  positional?: number;
}

const MYSQL: Tool = { flags: [{ letter: 'p', takes: 'attached' }] };
const TOOLS: Record<string, Tool> = {
  sshpass: { flags: [{ letter: 'p', takes: 'both' }], wrapper: true },
  'redis-cli': { flags: [{ letter: 'a', takes: 'both' }] },
  'valkey-cli': { flags: [{ letter: 'a', takes: 'both' }] },
  'keydb-cli': { flags: [{ letter: 'a', takes: 'both' }] },
  mosquitto_pub: { flags: [{ letter: 'P', takes: 'both' }] },
  mosquitto_sub: { flags: [{ letter: 'P', takes: 'both' }] },
  mosquitto_rr: { flags: [{ letter: 'P', takes: 'both' }] },
  mongo: { flags: [{ letter: 'p', takes: 'both' }] },
  mongosh: { flags: [{ letter: 'p', takes: 'both' }] },
  mongodump: { flags: [{ letter: 'p', takes: 'both' }] },
  mongorestore: { flags: [{ letter: 'p', takes: 'both' }] },
  mongoexport: { flags: [{ letter: 'p', takes: 'both' }] },
  mongoimport: { flags: [{ letter: 'p', takes: 'both' }] },
  ipmitool: { flags: [{ letter: 'P', takes: 'both' }] },
  sqlcmd: { flags: [{ letter: 'P', takes: 'both' }] },
  smbclient: { flags: [{ letter: 'U', takes: 'both', after: '%' }] },
  rpcclient: { flags: [{ letter: 'U', takes: 'both', after: '%' }] },
  lftp: { flags: [{ letter: 'u', takes: 'both', after: ',' }] },
  openssl: { flags: [{ letter: 'k', takes: 'both' }] },
  useradd: { flags: [{ letter: 'p', takes: 'both' }] },
  usermod: { flags: [{ letter: 'p', takes: 'both' }] },
  login: { flags: [{ letter: 'p', takes: 'both' }] },
  nmcli: { flags: [], keywords: true },
  aws: { flags: [], keywords: true },
  wpa_passphrase: { flags: [], positional: 2 },
};
for (const t of ['mysql', 'mysqldump', 'mysqladmin', 'mysqlcheck', 'mysqlimport', 'mysqlshow', 'mysqlsh', 'mysqlbinlog', 'mysqlpump', 'mysqlslap',
  'mariadb', 'mariadb-dump', 'mariadb-admin', 'mariadb-check', 'mariadb-import', 'mariadb-show', 'mariadb-binlog', 'mariadb-backup', 'mariabackup', 'xtrabackup']) {
  TOOLS[t] = MYSQL;
}
for (const t of ['ldapsearch', 'ldapadd', 'ldapmodify', 'ldapdelete', 'ldapwhoami', 'ldappasswd', 'ldapcompare', 'ldapmodrdn']) {
  TOOLS[t] = { flags: [{ letter: 'w', takes: 'both' }] };
}

/** Cheap test: does the text name any of the tools at all? */
export const TOOL_HINT = /mysql|maria|xtrabackup|sshpass|-cli|mosquitto_|mongo|ipmitool|sqlcmd|smbclient|rpcclient|lftp|openssl|user(?:add|mod)|ldap| login|nmcli|wpa_passphrase|aws /;
// A tool's name as a command word: at the start, after a blank, a path, a quote, `=` or a shell operator.
// `login` only as `docker login`, `podman login`, `helm registry login` and the like.
const TOOL_WORD =
  /(?<![A-Za-z0-9_.-])(?:(?:docker|podman|nerdctl|buildah|skopeo|oras|helm[ \t]+registry)[ \t]+(login)|(mysql(?:dump|admin|check|import|show|sh|binlog|pump|slap)?|mariadb(?:-dump|-admin|-check|-import|-show|-binlog|-backup)?|mariabackup|xtrabackup|sshpass|redis-cli|valkey-cli|keydb-cli|mosquitto_(?:pub|sub|rr)|mongo(?:sh|dump|restore|export|import)?|ipmitool|sqlcmd|smbclient|rpcclient|lftp|openssl|useradd|usermod|nmcli|wpa_passphrase|aws|ldap(?:search|add|modify|delete|whoami|passwd|compare|modrdn)))(?=[ \t])/g;

const STOP = new Uint8Array(128);
for (const c of ' \t\n\r\f\v"\'`\\&;<>|') STOP[c.charCodeAt(0)] = 1;

function wordEnd(t: string, p: number): number {
  while (p < t.length) {
    const c = t.charCodeAt(p);
    if (c < 128 && STOP[c] === 1) break;
    p++;
  }
  return p;
}

function quoteAt(t: string, p: number): string | null {
  if (t.startsWith('\\"', p)) return '\\"';
  if (t.startsWith("\\'", p)) return "\\'";
  const c = t[p];
  return c === '"' || c === "'" ? c : null;
}

/** A value at p: inside its quotes when quoted, else one word. */
function valueAt(t: string, p: number, lineEnd: number): Span & { next: number } {
  const q = quoteAt(t, p);
  if (q) {
    const start = p + q.length;
    let end = t.indexOf(q, start);
    if (end === -1 || end > lineEnd) end = lineEnd;
    return { start, end, next: Math.min(end + q.length, lineEnd) };
  }
  const end = wordEnd(t, p);
  return { start: p, end, next: end };
}

/** The spans of secrets given to these tools' short options, in order. */
export function toolSecretSpans(t: string): Span[] {
  const spans: Span[] = [];
  TOOL_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOOL_WORD.exec(t)) !== null) {
    const name = m[1] ?? m[2] ?? '';
    const tool = TOOLS[name];
    if (!tool) continue;
    let lineEnd = t.indexOf('\n', m.index);
    if (lineEnd === -1) lineEnd = t.length;
    let p = m.index + m[0].length;
    let atWord = false;
    let positionals = 0;
    let prevWord = '';
    for (let words = 0; words < 64 && p < lineEnd; words++) {
      const wordStart = p;
      while (t[p] === ' ' || t[p] === '\t') p++;
      if (p >= lineEnd) break;
      const c = t[p];
      // A quote right after the last word closes the string the command was in.
      if (p === wordStart && !atWord && words > 0) break;
      atWord = false;
      // The end of this command: a shell operator, the closing quote of a whole command (sh -c "..."), a JSON string's end.
      if (c === ';' || c === '|' || c === '&' || c === ')' || c === '`' || c === '\n') break;
      if (c !== '-') {
        if (tool.wrapper) break;
        const v = valueAt(t, p, lineEnd);
        if (v.next === p) break;
        const word = t.slice(p, v.end);
        // Another of these tools starts its own command (mysqldump ... sshpass -p X ssh -p 22).
        if (TOOLS[word.replace(/^.*\//, '')] !== undefined) break;
        positionals++;
        if (tool.positional === positionals && v.end > v.start) spans.push({ start: v.start, end: v.end });
        p = v.next;
        // A word after an nmcli property (wifi-sec.key-mgmt wpa-psk) is that property's value, not a name.
        const isValue = prevWord.includes('.');
        prevWord = word;
        if (tool.keywords && !isValue && nameStrength(word) === 2 && (t[p] === ' ' || t[p] === '\t')) {
          while (t[p] === ' ' || t[p] === '\t') p++;
          const value = valueAt(t, p, lineEnd);
          if (value.end > value.start) spans.push({ start: value.start, end: value.end });
          p = value.next;
          prevWord = '';
        }
        continue;
      }
      const flag = tool.flags.find((f) => t[p + 1] === f.letter);
      if (!flag) {
        const v = valueAt(t, p, lineEnd);
        p = Math.max(v.next, p + 1);
        continue;
      }
      let vp = p + 2;
      if (vp >= lineEnd || t[vp] === ' ' || t[vp] === '\t') {
        // -p SECRET: the value is the next word (quoted only, for mysql's -p that otherwise prompts).
        const after = vp;
        while (t[vp] === ' ' || t[vp] === '\t') vp++;
        if (vp >= lineEnd || t[vp] === '-' || vp === after || (flag.takes === 'attached' && !quoteAt(t, vp))) {
          p = vp;
          atWord = true;
          continue;
        }
      }
      const v = valueAt(t, vp, lineEnd);
      let start = v.start;
      if (flag.after) {
        const k = t.indexOf(flag.after, start);
        if (k === -1 || k >= v.end) {
          p = v.next;
          continue;
        }
        start = k + 1;
      }
      if (v.end > start) spans.push({ start, end: v.end });
      p = v.next;
      if (p >= lineEnd) break;
    }
    TOOL_WORD.lastIndex = Math.max(TOOL_WORD.lastIndex, p);
  }
  return spans;
}
