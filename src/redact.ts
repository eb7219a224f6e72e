// Secret redaction for everything the CLI prints and for what the collector
// writes into a bundle. Secrets are replaced by `[redacted:<kind>]`; the name
// or header in front stays, so a reader still sees *that* a key was set.
//
// Every pattern is linear in the input: regexes start only at the beginning
// of a run (negative lookbehind on the run's own characters) and never nest
// quantifiers, and values are delimited by hand-written forward scans, so a
// hostile 1 MB line cannot make the redactor backtrack for minutes.

export type RedactionKind =
  | 'secret-env'
  | 'secret-arg'
  | 'url-credentials'
  | 'authorization-header'
  | 'bearer-token'
  | 'jwt'
  | 'cloud-key'
  | 'private-key'
  | 'ngrok-authtoken'
  | 'secret-kv'
  | 'cookie'
  | 'service-token';

export interface RedactionCounts {
  [kind: string]: number;
}

const PLACEHOLDER = '[redacted:';

function mark(kind: RedactionKind): string {
  return `${PLACEHOLDER}${kind}]`;
}

function bump(counts: RedactionCounts | undefined, kind: RedactionKind): void {
  if (counts) counts[kind] = (counts[kind] ?? 0) + 1;
}

/** Replace secrets with `[redacted:<kind>]`, counting replacements by kind. Idempotent. */
export function redact(text: string, counts?: RedactionCounts): string {
  if (text.length === 0) return text;
  let t = text;
  if (t.includes('-----BEGIN ')) t = redactPrivateKeys(t, counts);
  if (t.includes('://')) t = redactUrlCredentials(t, counts);
  t = redactAuthorizationHeaders(t, counts);
  if (t.includes('eyJ')) t = replaceAll(t, JWT, 'jwt', counts);
  t = redactBearer(t, counts);
  if (/cookie/i.test(t)) t = t.replace(COOKIE_HEADER, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'cookie', counts));
  if (/(?:-u|--user)[ \t=]/.test(t)) t = t.replace(USER_PASSWORD_ARG, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'secret-arg', counts));
  if (t.includes('AKIA') || t.includes('ASIA')) t = replaceAll(t, AWS_ACCESS_KEY_ID, 'cloud-key', counts);
  if (t.includes('AIza')) t = replaceAll(t, GOOGLE_API_KEY, 'cloud-key', counts);
  if (SERVICE_TOKEN_HINT.test(t)) t = replaceAll(t, SERVICE_TOKEN, 'service-token', counts);
  if (t.includes(':AA')) t = replaceAll(t, TELEGRAM_BOT_TOKEN, 'service-token', counts);
  if (t.includes('hooks')) t = t.replace(WEBHOOK_PATH, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'service-token', counts));
  if (ANY_MARKER.test(t)) t = redactAssignments(t, counts);
  return t;
}

/** Deep-redact every string inside a JSON-like value (for the analysis JSON). */
export function redactDeep<T>(value: T, counts?: RedactionCounts): T {
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, counts);
    if (typeof v !== 'object' || v === null) return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v; // Date, Map, Buffer: not JSON-like text
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) out[k] = walk(item);
    return out;
  };
  return walk(value) as T;
}

// ---------------------------------------------------------------- private keys

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;

/** The whole block, armour lines included; an unterminated block runs to the end of the text. */
function redactPrivateKeys(t: string, counts?: RedactionCounts): string {
  let out = '';
  let copied = 0;
  let i = t.indexOf('-----BEGIN ');
  while (i !== -1) {
    KEY_BEGIN.lastIndex = i;
    const begin = KEY_BEGIN.exec(t);
    if (!begin) {
      i = t.indexOf('-----BEGIN ', i + 1);
      continue;
    }
    let end = t.length;
    for (let j = t.indexOf('-----END ', i + begin[0].length); j !== -1; j = t.indexOf('-----END ', j + 1)) {
      KEY_END.lastIndex = j;
      const m = KEY_END.exec(t);
      if (m) {
        end = j + m[0].length;
        break;
      }
    }
    out += t.slice(copied, i) + mark('private-key');
    bump(counts, 'private-key');
    copied = end;
    i = end < t.length ? t.indexOf('-----BEGIN ', end) : -1;
  }
  return copied === 0 ? t : out + t.slice(copied);
}

// ------------------------------------------------------------- URL userinfo

// scheme://user:password@ — the password may hold ':' but not '/', '?', '#'
// or '@' (RFC 3986 wants those percent-encoded), so `http://h:8000?a=b@c` is
// not taken for credentials.
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#'"<>\\]*:)([^\s@/?#'"<>\\]+)@/g;

// scheme://TOKEN@host: git and package hosts take a token as the user name
// alone (https://ghp_…@github.com). A user name of 20 or more letters and
// digits mixed is taken for one; `ssh://basar@charger-01` stays.
const URL_TOKEN_USER = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/)([A-Za-z0-9_-]{20,})@/g;

function redactUrlCredentials(t: string, counts?: RedactionCounts): string {
  return t
    .replace(URL_CREDENTIALS, (whole: string, head: string, password: string) => {
      // Already redacted: a password, or a token user name (its mark holds a ':').
      if (password.startsWith(PLACEHOLDER) || whole.includes(PLACEHOLDER)) return whole;
      bump(counts, 'url-credentials');
      return `${head}${mark('url-credentials')}@`;
    })
    .replace(URL_TOKEN_USER, (whole: string, head: string, user: string) => {
      if (!/[0-9]/.test(user) || !/[A-Za-z]/.test(user)) return whole;
      bump(counts, 'url-credentials');
      return `${head}${mark('url-credentials')}@`;
    });
}

// ------------------------------------------------ Authorization: <scheme> <credentials>

// Also as a JSON key, escaped inside a JSON string (\"Authorization\": \"Bearer x\"),
// and as an HTTP header in a curl command line.
const AUTH_HEADER =
  /(?<![A-Za-z0-9_-])((?:proxy-)?authorization\\?["']?[ \t]*[:=][ \t]*\\?["']?)(?:([A-Za-z][A-Za-z0-9_-]*)([ \t]+))?([^\s"'\\,;]+)/gi;

function redactAuthorizationHeaders(t: string, counts?: RedactionCounts): string {
  if (!/authorization/i.test(t)) return t;
  return t.replace(AUTH_HEADER, (whole: string, head: string, scheme: string | undefined, space: string | undefined, cred: string) => {
    if (cred.startsWith(PLACEHOLDER)) return whole;
    bump(counts, 'authorization-header');
    return `${head}${scheme ?? ''}${space ?? ''}${mark('authorization-header')}`;
  });
}

// ------------------------------------------------------------ bare bearer tokens

const BEARER = /(?<![A-Za-z0-9_-])(bearer[ \t]+)([A-Za-z0-9\-._~+/]+=*)/gi;
// Prose and protocol words that follow "bearer" without being a token.
const BEARER_WORDS = new Set([
  'token', 'tokens', 'auth', 'authentication', 'authorization', 'scheme', 'header', 'realm', 'error',
  'credentials', 'credential', 'required', 'missing', 'invalid', 'expired', 'null', 'undefined', 'none',
  'string', 'type', 'format', 'only', 'access', 'the', 'and', 'for', 'with', 'not', 'was', 'is', 'of', 'or',
]);

function redactBearer(t: string, counts?: RedactionCounts): string {
  if (!/bearer/i.test(t)) return t;
  return t.replace(BEARER, (whole: string, head: string, token: string, offset: number) => {
    const word = token.replace(/=+$/, '');
    // `Bearer realm="x"`: an auth-param (name=value), not a token68.
    if (word.length < 4 || BEARER_WORDS.has(word.toLowerCase()) || t[offset + whole.length] === '"') return whole;
    bump(counts, 'bearer-token');
    return `${head}${mark('bearer-token')}`;
  });
}

// ------------------------------------------------------------ cookies and user:password arguments

// `Cookie: session=…` / `Set-Cookie: …` headers carry session secrets whatever their names.
const COOKIE_HEADER = /(?<![A-Za-z0-9_-])((?:set-)?cookie[ \t]*:[ \t]*)([^\r\n"]+)/gi;
// curl/wget style `-u user:password` / `--user=user:password`: only the part after the colon.
const USER_PASSWORD_ARG = /(?<![A-Za-z0-9_-])((?:-u|--user)(?:[ \t]+|=)["']?[^\s:"']+:)([^\s"']+)/g;

function keepOrMark(whole: string, head: string, value: string, kind: RedactionKind, counts?: RedactionCounts): string {
  if (value.startsWith(PLACEHOLDER)) return whole;
  bump(counts, kind);
  return `${head}${mark(kind)}`;
}

// ------------------------------------------------------------ fixed-shape tokens

// header.payload.signature, both JSON parts starting with `{"` (base64 "eyJ").
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const AWS_ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const GOOGLE_API_KEY = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;
// Tokens that name their service in a prefix: GitHub (ghp_ gho_ ghu_ ghs_ ghr_,
// github_pat_), Slack (xoxb- xoxp- xoxa- xoxr- xoxs-, xapp-), Stripe secret
// and restricted keys (sk_live_, rk_live_, and their _test_ twins).
const SERVICE_TOKEN_HINT = /gh[pousr]_|github_pat_|xox[abprs]-|xapp-|[rs]k_(?:live|test)_/;
const SERVICE_TOKEN = /(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,})/g;
// A Telegram bot token (bot id, colon, 35 characters from "AA"), also inside
// https://api.telegram.org/bot<token>/sendMessage: chargers send alerts this way.
const TELEGRAM_BOT_TOKEN = /(?<![0-9])[0-9]{6,12}:AA[A-Za-z0-9_-]{30,}/g;
// Webhook URLs whose path is the secret: Slack and Discord.
const WEBHOOK_PATH = /((?:hooks\.slack\.com\/(?:services|workflows|triggers)|discord(?:app)?\.com\/api\/webhooks\/[0-9]+)\/)([A-Za-z0-9_\/-]+)/g;

function replaceAll(t: string, re: RegExp, kind: RedactionKind, counts?: RedactionCounts): string {
  return t.replace(re, () => {
    bump(counts, kind);
    return mark(kind);
  });
}

// ------------------------------------------------- NAME=value, --flag value, key: value

/**
 * Whether a variable, option or key name says its value is secret.
 * TOKEN_TTL, TOKEN_URL, PASSWORD_FILE, API_KEY_ID: no (a duration, an
 * address, a path, a public id). PATH, PWD, PYTHONUNBUFFERED, KillSignal: no.
 */
export function isSecretName(rawName: string): boolean {
  let known = nameCache.get(rawName);
  if (known === undefined) {
    known = classifyName(rawName);
    if (nameCache.size >= 4096) nameCache.clear();
    nameCache.set(rawName, known);
  }
  return known;
}

// Logs repeat the same few names; classifying each once keeps big inputs fast.
const nameCache = new Map<string, boolean>();

function classifyName(rawName: string): boolean {
  const norm = normalizeName(rawName).replace(/TOKENIZER/g, '');
  if (norm === '' || HARMLESS_NAMES.has(norm)) return false;
  const segments = norm.split('_').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  if (last === undefined || HARMLESS_LAST.has(last)) return false;
  if (norm.endsWith('PUBLIC_KEY') || norm.endsWith('PUBKEY')) return false;
  if (SECRET_PARTS.some((p) => norm.includes(p))) return true;
  return segments.some((s) => SECRET_SEGMENTS.has(s));
}

/** apiKey, api-key, api.key → API_KEY. */
function normalizeName(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[.-]/g, '_');
}

const SECRET_PARTS = [
  'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'APIKEY', 'API_KEY', 'PRIVATE_KEY', 'PRIVATEKEY',
  'CREDENTIAL', 'AUTHTOKEN', 'ACCESS_KEY', 'ACCESSKEY', 'SESSION_KEY', 'SIGNATURE',
];
const SECRET_SEGMENTS = new Set(['PASS', 'PWD', 'AUTH', 'KEY', 'SIG', 'PSK', 'CREDS']);
// A last word that makes the value a setting about the secret, not the secret.
const HARMLESS_LAST = new Set([
  'URL', 'URLS', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'PATH', 'FILE', 'FILES', 'DIR', 'DIRECTORY',
  'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRES', 'EXPIRE', 'EXPIRATION', 'LIFETIME', 'AGE', 'LENGTH', 'LEN', 'SIZE',
  'TYPE', 'NAME', 'USER', 'USERNAME', 'ID', 'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED', 'MODE',
  'METHOD', 'ALGORITHM', 'ALG', 'COUNT', 'LIMIT', 'INTERVAL', 'VERSION', 'FORMAT', 'PREFIX', 'ISSUER',
  'AUDIENCE', 'SCOPE', 'SCOPES', 'REGION', 'AUTHENTICATION', 'STDIN', 'PROMPT', 'POLICY', 'LOCATION',
  'RETRIES', 'ATTEMPTS', 'DELAY', 'PERIOD', 'SECONDS',
]);
// The shell's working directory and systemd directives that list names or paths.
const HARMLESS_NAMES = new Set([
  'PWD', 'OLDPWD', 'PASS_ENVIRONMENT', 'UNSET_ENVIRONMENT', 'LOAD_CREDENTIAL', 'LOAD_CREDENTIAL_ENCRYPTED',
  'IMPORT_CREDENTIAL',
]);

// Cheap pre-test: no secret-looking word at all means nothing to scan.
const ANY_MARKER = /token|secret|pass|pwd|key|auth|credential|psk|sig/i;

// A name, an option (--name) or a -Dname; starts only at the beginning of a run.
const WORD = /(?<![A-Za-z0-9_.-])-{0,2}[A-Za-z_][A-Za-z0-9_.-]*/g;

// What may follow a name that has a value: = : quotes, backslash (\"), blank.
const SEPARATOR_START = new Uint8Array(128);
for (const c of '=:"\'\\ \t') SEPARATOR_START[c.charCodeAt(0)] = 1;

// Characters that end an unquoted value.
const STOP = new Uint8Array(128);
for (const c of ' \t\n\r\f\v"\'`\\&;<>') STOP[c.charCodeAt(0)] = 1;
// After a JSON key, an unquoted value (a number) also ends at these.
const STOP_JSON = new Uint8Array(STOP);
for (const c of ',}]') STOP_JSON[c.charCodeAt(0)] = 1;

// Values that are a switch or a reference, not a secret.
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|none|null|nil|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\*+)$/i;

interface Span {
  start: number;
  end: number;
}

interface Hit extends Span {
  kind: RedactionKind;
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function skipBlanks(t: string, p: number): number {
  while (isBlank(t[p])) p++;
  return p;
}

function tokenEnd(t: string, p: number, stop: Uint8Array): number {
  while (p < t.length) {
    const c = t.charCodeAt(p);
    if (c < 128 && stop[c] === 1) break;
    p++;
  }
  return p;
}

/** End of the quoted text starting at p (exclusive), searching no further than lineEnd; lineEnd when unterminated. */
function quoteEnd(t: string, p: number, quote: string, lineEnd: number): number {
  const q = quote.charCodeAt(0);
  for (let k = p; k < lineEnd; k++) {
    if (t.charCodeAt(k) === q && (quote.length === 1 || t.startsWith(quote, k))) return k;
  }
  return lineEnd;
}

/** The value at p: inside its quotes when quoted, else up to a stop character. */
function valueAt(t: string, p: number, lineEnd: number, stop: Uint8Array): Span {
  if (t.startsWith('\\"', p)) return { start: p + 2, end: quoteEnd(t, p + 2, '\\"', lineEnd) };
  const c = t[p];
  if (c === '"' || c === "'") return { start: p + 1, end: quoteEnd(t, p + 1, c, lineEnd) };
  return { start: p, end: tokenEnd(t, p, stop) };
}

/** A YAML/ini value: the rest of the line without a trailing comment, or the quoted part. */
function lineValueAt(t: string, p: number, lineEnd: number): Span | null {
  const c = t[p];
  if (c === '"' || c === "'") return { start: p + 1, end: quoteEnd(t, p + 1, c, lineEnd) };
  // Block scalars, flow collections, anchors and aliases hold no inline secret.
  if (c === undefined || '|>{[&*#'.includes(c)) return null;
  let end = lineEnd;
  for (let k = p; k < lineEnd; k++) {
    if (t[k] === '#' && isBlank(t[k - 1])) {
      end = k;
      break;
    }
  }
  while (end > p && /\s/.test(t[end - 1] ?? '')) end--;
  return { start: p, end };
}

function worthRedacting(t: string, span: Span): boolean {
  if (span.end <= span.start) return false;
  const v = t.slice(span.start, Math.min(span.end, span.start + 64));
  if (v.startsWith(PLACEHOLDER)) return false;
  return span.end - span.start > 64 || !NOT_A_SECRET.test(v);
}

function assignmentKind(norm: string, inEnvironmentLine: boolean): RedactionKind {
  if (norm.includes('AUTHTOKEN') || norm.startsWith('NGROK_')) return 'ngrok-authtoken';
  if (inEnvironmentLine) return 'secret-env';
  if (norm.startsWith('AWS_')) return 'cloud-key';
  return 'secret-kv';
}

function redactAssignments(t: string, counts?: RedactionCounts): string {
  let out = '';
  let copied = 0;
  let changed = false;
  // Line bookkeeping, advanced forward only so the scan stays linear.
  let lineStart = 0;
  let nextNl = t.indexOf('\n');
  let envLine: boolean | null = null;

  const re = new RegExp(WORD.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const s = m.index;
    const word = m[0];
    const e = s + word.length;
    // Most words are followed by none of the separators a value needs.
    const after = t.charCodeAt(e);
    if (!SEPARATOR_START[after]) continue;
    if (after === 0x20 || after === 0x09) {
      // Blank-separated values exist only for --options, ngrok's authtoken
      // commands and ini-style `name = value`.
      const flag = word.charCodeAt(0) === 0x2d && word.charCodeAt(1) === 0x2d;
      if (!flag && word !== 'add-authtoken' && word !== 'authtoken') {
        const next = t[skipBlanks(t, e)];
        if (next !== '=') continue;
      }
    }
    while (nextNl !== -1 && nextNl < s) {
      lineStart = nextNl + 1;
      nextNl = t.indexOf('\n', lineStart);
      envLine = null;
    }
    const lineEnd = nextNl === -1 ? t.length : nextNl;
    const ctx: Context = {
      t,
      s,
      e,
      word,
      lineEnd,
      atLineStart: () => s - lineStart <= 200 && /^[ \t]*(?:- )?$/.test(t.slice(lineStart, s)),
      inEnvironmentLine: () => (envLine ??= /^[ \t]*Environment=/.test(t.slice(lineStart, lineStart + 40))),
    };
    const hit = examine(ctx);
    if (!hit) continue;
    out += t.slice(copied, hit.start) + mark(hit.kind);
    copied = hit.end;
    changed = true;
    bump(counts, hit.kind);
    re.lastIndex = Math.max(hit.end, e);
  }
  return changed ? out + t.slice(copied) : t;
}

interface Context {
  t: string;
  /** start and end of the word */
  s: number;
  e: number;
  word: string;
  lineEnd: number;
  atLineStart: () => boolean;
  inEnvironmentLine: () => boolean;
}

/** The secret value belonging to the word at ctx, if any. */
function examine(ctx: Context): Hit | null {
  const { t, s, e, word, lineEnd } = ctx;
  const after = t[e];
  let dashes = 0;
  while (word[dashes] === '-') dashes++;
  const name = word.slice(dashes);

  // `ngrok config add-authtoken X` (v3) and `ngrok authtoken X` (v2).
  if (dashes === 0 && (name === 'add-authtoken' || name === 'authtoken') && isBlank(after)) {
    const p = skipBlanks(t, e);
    const span = valueAt(t, p, lineEnd, STOP);
    const long = span.end - span.start >= 16;
    if (t[p] !== '-' && (name === 'add-authtoken' || long) && worthRedacting(t, span)) return { ...span, kind: 'ngrok-authtoken' };
    return null;
  }
  if (after !== '=' && after !== ':' && after !== '"' && after !== "'" && after !== '\\' && !isBlank(after)) return null;
  if (!isSecretName(name)) return null;
  const norm = normalizeName(name);

  // --token X, --token=X, --client-secret "X"
  if (dashes === 2) {
    const kind: RedactionKind = norm.includes('AUTHTOKEN') ? 'ngrok-authtoken' : 'secret-arg';
    let p: number;
    if (after === '=') p = e + 1;
    else if (isBlank(after)) p = skipBlanks(t, e);
    else return null;
    if (t[p] === '-') return null; // the next option: this one takes no value
    const span = valueAt(t, p, lineEnd, STOP);
    return worthRedacting(t, span) ? { ...span, kind } : null;
  }

  // NAME=value (env, command lines, query strings, -Dkey=value, show's Environment= list)
  if (after === '=' && t[e + 1] !== '=') {
    const env = ctx.inEnvironmentLine();
    const opening = t[s - 1];
    // systemd quotes a whole assignment: Environment="DB_PASSWORD=x y" "OTHER=z"
    const span: Span =
      env && (opening === '"' || opening === "'")
        ? { start: e + 1, end: quoteEnd(t, e + 1, opening, lineEnd) }
        : valueAt(t, e + 1, lineEnd, STOP);
    return worthRedacting(t, span) ? { ...span, kind: assignmentKind(norm, env) } : null;
  }

  // "password": "x", 'password': 'x', \"password\": \"x\" (JSON, Python reprs)
  const before = t[s - 1];
  const openQuote = before === '"' ? (t[s - 2] === '\\' ? '\\"' : '"') : before === "'" ? "'" : null;
  if (openQuote && dashes === 0 && t.startsWith(openQuote, e)) {
    let p = skipBlanks(t, e + openQuote.length);
    if (t[p] !== ':' && t[p] !== '=') return null;
    p = skipBlanks(t, p + 1);
    if (t[p] === '{' || t[p] === '[') return null;
    const span = valueAt(t, p, lineEnd, STOP_JSON);
    return worthRedacting(t, span) ? { ...span, kind: assignmentKind(norm, false) } : null;
  }

  // X-Api-Key: value (an HTTP header, e.g. in a curl command line)
  if (after === ':' && /^x-/i.test(name) && isBlank(t[e + 1])) {
    const span = valueAt(t, skipBlanks(t, e + 1), lineEnd, STOP);
    return worthRedacting(t, span) ? { ...span, kind: 'secret-kv' } : null;
  }

  // YAML `authtoken: X` (ngrok.yml), ini `aws_secret_access_key = X`
  if (dashes === 0 && ctx.atLineStart()) {
    let p = skipBlanks(t, e);
    const sep = t[p];
    if (sep === ':' && isBlank(t[p + 1])) p = skipBlanks(t, p + 1);
    else if (sep === '=' && t[p + 1] !== '=') p = skipBlanks(t, p + 1);
    else return null;
    const span = lineValueAt(t, p, lineEnd);
    return span && worthRedacting(t, span) ? { ...span, kind: assignmentKind(norm, false) } : null;
  }
  return null;
}
