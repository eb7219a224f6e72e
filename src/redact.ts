// Secret redaction for everything the CLI prints and for what the collector
// writes into a bundle. Secrets are replaced by `[redacted:<kind>]`; the name
// or header in front stays, so a reader still sees *that* a key was set.
// Secrets are found by meaning: a credential name (in any case and separator,
// in any syntax: k=v, k: v, "k": "v", --k v, a tool's short password option,
// a key/value pair whose name is a separate field), an HTTP authorization
// scheme, a token of a known service's shape, a private key block.
//
// Every pattern is linear in the input: regexes start only at the beginning
// of a run (negative lookbehind on the run's own characters) and never nest
// quantifiers, and values are delimited by hand-written forward scans, so a
// hostile 1 MB line cannot make the redactor backtrack for minutes.

import { redactUserinfo } from './redact/userinfo.js';
import { nameStrength, normalizeName } from './redact/names.js';
import { redactPemBlocks } from './redact/pem.js';
import { TOOL_HINT, toolSecretSpans } from './redact/tools.js';
import { PAIR_HINT, pairSecretSpans, yamlNamedValue } from './redact/pairs.js';

export { isSecretName } from './redact/names.js';

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

/** Add counts kept apart (one line's, one pass's) into others. */
export function addCounts(into: RedactionCounts | null, from: RedactionCounts | null): void {
  if (!into || !from) return;
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

const PLACEHOLDER = '[redacted:';

function mark(kind: RedactionKind): string {
  return `${PLACEHOLDER}${kind}]`;
}

function bump(counts: RedactionCounts | undefined, kind: RedactionKind): void {
  if (counts) counts[kind] = (counts[kind] ?? 0) + 1;
}

function bumpBy(counts: RedactionCounts | undefined, kind: RedactionKind, n: number): void {
  if (counts) counts[kind] = (counts[kind] ?? 0) + n;
}

/** Each span's text becomes the mark of `kind`, unless it is already one or is no secret (true, ${VAR}). */
function applySpans(t: string, spans: Span[], kind: RedactionKind, counts?: RedactionCounts): string {
  let out = '';
  let copied = 0;
  for (const span of spans) {
    if (span.start < copied || !worthRedacting(t, span)) continue;
    out += t.slice(copied, span.start) + mark(kind);
    copied = span.end;
    bump(counts, kind);
  }
  return copied === 0 ? t : out + t.slice(copied);
}

/** Replace secrets with `[redacted:<kind>]`, counting replacements by kind. Idempotent. */
export function redact(text: string, counts?: RedactionCounts): string {
  return redactUserinfo(redactCore(text, counts), counts);
}

/**
 * `redact`, also saying whether the text ended inside a private key block cut
 * short (its body may go on in the next line or journal record).
 */
export function redactTracking(text: string, counts?: RedactionCounts): { text: string; keyOpen: boolean } {
  const out = redactUserinfo(redactCore(text, counts), counts);
  return { text: out, keyOpen: lastKeyOpen };
}

// Whether the last text redactCore saw ended inside a key block (no object per line on the hot path).
let lastKeyOpen = false;
// Everything SCHEME_HINT, SERVICE_TOKEN_HINT, TOOL_HINT and ANY_MARKER look for, in one alternation.
const GATE =
  /[tT](?:oken|OKEN)|[sS](?:ecret|ECRET|ig|IG|shpass|qlcmd|mbclient|k-)|[pP](?:ass|ASS|wd|WD|sk|SK|ypi-)|[kK](?:ey|EY)|[aA](?:uth|UTH)|[cC](?:red|RED|ookie|OOKIE)|[bB](?:earer|EARER|asic|ASIC)|[dD](?:igest|IGEST|op_v1_)|m(?:ysql|aria|osquitto_|ongo)|xtrabackup|xox|xapp-|-cli|ipmitool|rpcclient|lftp|openssl|user(?:add|mod)|ldap| login|nmcli|wpa_passphrase|aws |gh[pousr]_|github_pat_|[rs]k_(?:live|test)_|glpat-|npm_|hf_|shp(?:at|ss)_|SG\.|ya29\./;
// One scan instead of one per authorization scheme (first letter in either case, the rest lower or upper).
const SCHEME_HINT = /[bB](?:earer|EARER|asic|ASIC)|[cC](?:ookie|OOKIE)|[aA](?:uthorization|UTHORIZATION)|[dD](?:igest|IGEST)/;

function redactCore(text: string, counts?: RedactionCounts): string {
  lastKeyOpen = false;
  if (text.length === 0) return text;
  let t = text;
  if (t.includes('-----BEGIN ')) {
    const pem = redactPemBlocks(t, mark('private-key'));
    if (pem.blocks > 0) {
      bumpBy(counts, 'private-key', pem.blocks);
      t = pem.text;
      lastKeyOpen = pem.open;
    }
  }
  if (t.includes('://')) t = redactUrlCredentials(t, counts);
  if (t.includes('AKIA') || t.includes('ASIA')) t = redactAwsKeys(t, counts);
  // One scan for the words the rules below start from; most lines have none (a quarter faster than four scans).
  const gate = GATE.test(t);
  const schemes = gate && SCHEME_HINT.test(t);
  if (schemes && AUTH_HINT.test(t)) t = redactAuthorization(t, counts);
  if (t.includes('eyJ')) t = replaceAll(t, JWT, 'jwt', counts);
  if (schemes) {
    if (/bearer/i.test(t)) t = redactBearer(t, counts);
    if (/basic/i.test(t)) t = redactBasic(t, counts);
    if (/cookie/i.test(t)) t = t.replace(COOKIE_HEADER, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'cookie', counts));
  }
  if (/(?:-u|--user)[ \t=]/.test(t)) t = t.replace(USER_PASSWORD_ARG, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'secret-arg', counts));
  if (t.includes('AIza')) t = replaceAll(t, GOOGLE_API_KEY, 'cloud-key', counts);
  if (gate && SERVICE_TOKEN_HINT.test(t)) t = replaceAll(t, SERVICE_TOKEN, 'service-token', counts);
  if (t.includes(':AA')) t = replaceAll(t, TELEGRAM_BOT_TOKEN, 'service-token', counts);
  if (t.includes('hooks')) t = t.replace(WEBHOOK_PATH, (whole: string, head: string, value: string) => keepOrMark(whole, head, value, 'service-token', counts));
  if (gate && TOOL_HINT.test(t)) t = applySpans(t, toolSecretSpans(t), 'secret-arg', counts);
  if (gate && ANY_MARKER.test(t)) {
    if (t.includes('alue') && PAIR_HINT.test(t)) t = applySpans(t, pairSecretSpans(t), 'secret-kv', counts);
    t = redactAssignments(t, counts);
    if (t.includes('value:') && t.includes('name:') && t.includes('\n')) {
      const lines = t.split('\n');
      for (let i = 1; i < lines.length; i++) lines[i] = redactNamedValueLine(lines[i - 1]!, lines[i]!, counts);
      t = lines.join('\n');
    }
  }
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

const AUTH_HINT = /authorization|digest/i;
// The header name, also as a JSON or dict key, escaped inside a JSON string
// (\"Authorization\": \"Bearer x\"), after => (Ruby, PHP), in a curl -H.
const AUTH_HEADER = /(?<![A-Za-z0-9_-])((?:proxy-)?authorization\\?["']?[ \t]*(?:=>|[:=])[ \t]*(?:\\?["'])?)/gi;
const SCHEME = /[A-Za-z][A-Za-z0-9_-]*(?=[ \t])/y;
const CRED_STOP = new Uint8Array(128);
for (const c of ' \t\n\r"\'\\,;`') CRED_STOP[c.charCodeAt(0)] = 1;
// Digest's response (a hash of the password) in any quoting, nginx's \x22 included.
const DIGEST_RESPONSE = /(?<![A-Za-z0-9_-])(response=(?:\\{0,7}x22|\\{0,7}["'])?)([0-9A-Fa-f]{16,})/g;

function redactAuthorization(t: string, counts?: RedactionCounts): string {
  let out = '';
  let copied = 0;
  if (/authorization/i.test(t)) {
    AUTH_HEADER.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AUTH_HEADER.exec(t)) !== null) {
      let p = m.index + m[0].length;
      SCHEME.lastIndex = p;
      const scheme = SCHEME.exec(t);
      if (scheme) {
        if (scheme[0].toLowerCase() === 'digest') continue; // its response= is found below
        p = skipBlanks(t, p + scheme[0].length);
      }
      const end = tokenEnd(t, p, CRED_STOP);
      const cred = t.slice(p, end);
      if (cred === '' || cred.startsWith(PLACEHOLDER) || (!scheme && PROSE_VALUES.has(cred.toLowerCase())) || BEARER_WORDS.has(cred.toLowerCase())) continue;
      out += t.slice(copied, p) + mark('authorization-header');
      copied = end;
      bump(counts, 'authorization-header');
      AUTH_HEADER.lastIndex = end;
    }
    if (copied > 0) t = out + t.slice(copied);
  }
  if (/digest/i.test(t) && t.includes('response=')) {
    t = t.replace(DIGEST_RESPONSE, (_whole: string, head: string) => {
      bump(counts, 'authorization-header');
      return `${head}${mark('authorization-header')}`;
    });
  }
  return t;
}

// ------------------------------------------------------------ bare bearer and basic credentials

const BEARER = /(?<![A-Za-z0-9_-])(bearer[ \t]+)([A-Za-z0-9\-._~+/]+=*)/gi;
// Prose and protocol words that follow "bearer" without being a token.
const BEARER_WORDS = new Set([
  'token', 'tokens', 'auth', 'authentication', 'authorization', 'scheme', 'header', 'realm', 'error',
  'credentials', 'credential', 'required', 'missing', 'invalid', 'expired', 'null', 'undefined', 'none',
  'string', 'type', 'format', 'only', 'access', 'the', 'and', 'for', 'with', 'not', 'was', 'is', 'of', 'or',
]);
// Auth-params of a challenge (WWW-Authenticate: Bearer realm="x"), not a token68.
const AUTH_PARAMS = new Set(['realm', 'error', 'error_description', 'error_uri', 'scope', 'charset', 'nonce', 'algorithm', 'qop', 'opaque', 'domain', 'stale']);

function redactBearer(t: string, counts?: RedactionCounts): string {
  return t.replace(BEARER, (whole: string, head: string, token: string, offset: number) => {
    const word = token.replace(/=+$/, '');
    if (word.length < 4 || BEARER_WORDS.has(word.toLowerCase())) return whole;
    // token_type=bearer: the word as a value; `bearer expires_in=3600`: an assignment follows, not a token.
    if (t[offset - 1] === '=' || (token.endsWith('=') && /[A-Za-z0-9]/.test(t[offset + whole.length] ?? ''))) return whole;
    if (token.endsWith('=') && AUTH_PARAMS.has(word.toLowerCase()) && t[offset + whole.length] === '"') return whole;
    bump(counts, 'bearer-token');
    return `${head}${mark('bearer-token')}`;
  });
}

// `Basic dXNlcjpwYXNz` without its header: an nginx $http_authorization field, a logged header value.
const BASIC = /(?<![A-Za-z0-9_-])(basic[ \t]+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=_-])/gi;

function redactBasic(t: string, counts?: RedactionCounts): string {
  return t.replace(BASIC, (whole: string, head: string, token: string) => {
    if (!isBasicCredential(token)) return whole;
    bump(counts, 'authorization-header');
    return `${head}${mark('authorization-header')}`;
  });
}

/** user:password in base64, or a run too mixed to be a word (Basic Authentication is prose). */
function isBasicCredential(token: string): boolean {
  if (token.length % 4 === 0) {
    const decoded = Buffer.from(token, 'base64').toString('latin1');
    if (decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded)) return true;
  }
  return token.length >= 12 && /[0-9]/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token.slice(1));
}

// ------------------------------------------------------------ AWS key ids and the secret next to them

const AWS_ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// A secret access key: 40 characters of base64 standing alone (32 to 48 taken, for one mistyped or cut).
const AWS_SECRET_KEY = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{32,48}(?![A-Za-z0-9+/=])/g;

/** The key id, and on the same line (the same journal record) a 40-character secret next to it (credentials.csv, a logged pair). */
function redactAwsKeys(t: string, counts?: RedactionCounts): string {
  AWS_ACCESS_KEY_ID.lastIndex = 0;
  if (!AWS_ACCESS_KEY_ID.test(t)) return t;
  return t
    .split('\n')
    .map((line) => {
      AWS_ACCESS_KEY_ID.lastIndex = 0;
      if (!AWS_ACCESS_KEY_ID.test(line)) return line;
      return replaceAll(line, AWS_ACCESS_KEY_ID, 'cloud-key', counts).replace(AWS_SECRET_KEY, (w: string) => {
        if (!/[A-Z]/.test(w) || !/[a-z]/.test(w) || !/[0-9+/]/.test(w) || /^[0-9a-fA-F]+$/.test(w)) return w;
        bump(counts, 'cloud-key');
        return mark('cloud-key');
      });
    })
    .join('\n');
}

// ------------------------------------------------------------ cookies and user:password arguments

// `Cookie: session=…` / `Set-Cookie: …` headers carry session secrets whatever their names.
const COOKIE_HEADER = /(?<![A-Za-z0-9_-])((?:set-)?cookie[ \t]*:[ \t]*)([^\r\n"\\]+)/gi;
// curl/wget style `-u user:password` / `--user=user:password`: only the part after the colon.
const USER_PASSWORD_ARG = /(?<![A-Za-z0-9_-])((?:-u|--user)(?:[ \t]+|=)["']?[^\s:"'[]+:)([^\s"']+)/g;

function keepOrMark(whole: string, head: string, value: string, kind: RedactionKind, counts?: RedactionCounts): string {
  if (value.startsWith(PLACEHOLDER)) return whole;
  bump(counts, kind);
  return `${head}${mark(kind)}`;
}

// ------------------------------------------------------------ fixed-shape tokens

// header.payload.signature, both JSON parts starting with `{"` (base64 "eyJ").
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const GOOGLE_API_KEY = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;
// Tokens that name their service in a prefix: GitHub (ghp_ gho_ ghu_ ghs_ ghr_,
// github_pat_), Slack (xoxb- xoxp- xoxa- xoxr- xoxs-, xapp-), Stripe secret
// and restricted keys (sk_live_, rk_live_, and their _test_ twins), GitLab
// (glpat-), npm (npm_), PyPI (pypi-AgE), Hugging Face (hf_), DigitalOcean
// (dop_v1_), Shopify (shpat_ shpss_), SendGrid (SG.x.y), OpenAI-style
// (sk-..., sk-proj-..., sk-ant-...), Google OAuth access tokens (ya29.).
// The hint finds the separator first and looks back for the prefix: twice as fast as the alternatives on long lines.
const SERVICE_TOKEN_HINT = /[_.-](?<=(?:gh[pousr]|github_pat|[rs]k_(?:live|test)|npm|hf|dop_v1|shp(?:at|ss))_|(?:xox[abprs]|xapp|glpat|pypi|sk)-|(?:SG|ya29)\.)/;
const SERVICE_TOKEN =
  /(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36,}|pypi-AgE[A-Za-z0-9_-]{50,}|hf_[A-Za-z0-9]{30,}|dop_v1_[a-f0-9]{64}|shp(?:at|ss)_[a-fA-F0-9]{32}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|sk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{32,}|ya29\.[A-Za-z0-9_-]{20,})/g;
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

// Cheap pre-test: no secret-looking word at all means nothing to scan.
// Each word with its first letter in either case and the rest all lower or all upper case (token, Token,
// TOKEN; apiKey, API_KEY): as good as /i for names, and a third faster on long journal records.
const ANY_MARKER = /[tT](?:oken|OKEN)|[sS](?:ecret|ECRET|ig|IG)|[pP](?:ass|ASS|wd|WD|sk|SK)|[kK](?:ey|EY)|[aA](?:uth|UTH)|[cC](?:red|RED)|[bB](?:earer|EARER)/;

// A name, an option (--name) or a -Dname; starts only at the beginning of a run.
const WORD = /(?<![A-Za-z0-9_.-])-{0,2}[A-Za-z_][A-Za-z0-9_.-]*/g;

// What may follow a name that has a value: = : quotes, backslash (\"), blank.
const SEPARATOR_START = new Uint8Array(128);
for (const c of '=:"\'\\ \t>') SEPARATOR_START[c.charCodeAt(0)] = 1;

// Characters that end an unquoted value.
const STOP = new Uint8Array(128);
for (const c of ' \t\n\r\f\v"\'`\\&;<>') STOP[c.charCodeAt(0)] = 1;
// After a JSON key, an unquoted value (a number) also ends at these.
const STOP_JSON = new Uint8Array(STOP);
for (const c of ',}]') STOP_JSON[c.charCodeAt(0)] = 1;

// Values that are a switch or a reference, not a secret.
// (a list of switches such as true|false, openssl.cnf's $section::name and a shell's $(command) too)
const NOT_A_SECRET = /^(?:(?:true|false|yes|no|on|off|enabled|disabled|required|optional)(?:[|,/](?:true|false|yes|no|on|off|enabled|disabled|required|optional))*|none|null|nil|\$[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)?|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\(.*|\*+|(?:env|file|fd):\S*)$/i;
// A path to a key or password file is no secret: under a system directory, from a variable or ~, or a key/certificate file.
const PATH_VALUE =
  /^(?:(?:~|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)\/|\/(?:etc|run|var|home|usr|opt|srv|root|tmp|mnt|media|data|certs?|ssl|keys?|secrets?|config|app|lib)\/)[A-Za-z0-9._@+/-]*$|^\/[A-Za-z0-9._@+/-]*\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|pub|gpg|asc)$/;

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
/** A quote at p, escaped any number of times (", \\", \\\\\\" in JSON inside JSON); null when none. */
function quoteSeqAt(t: string, p: number): string | null {
  let k = p;
  while (t.charCodeAt(k) === 92 && k - p < 8) k++;
  return t[k] === '"' ? t.slice(p, k + 1) : null;
}

function valueAt(t: string, p: number, lineEnd: number, stop: Uint8Array): Span {
  if (t[p] === '\\') {
    const q = quoteSeqAt(t, p);
    if (q) return { start: p + q.length, end: quoteEnd(t, p + q.length, q, lineEnd) };
  }
  const c = t[p];
  if (c === '"' || c === "'") return { start: p + 1, end: quoteEnd(t, p + 1, c, lineEnd) };
  return { start: p, end: tokenEnd(t, p, stop) };
}

/**
 * A YAML/ini value: the rest of the line without a trailing comment, or the
 * quoted part. Inside a JSON string (a journal MESSAGE) the line ends at the
 * string's closing quote or at an escaped line break.
 */
function lineValueAt(t: string, p: number, lineEnd: number, inJsonString: boolean): Span | null {
  const c = t[p];
  if (!inJsonString && (c === '"' || c === "'")) return { start: p + 1, end: quoteEnd(t, p + 1, c, lineEnd) };
  if (inJsonString && t.startsWith('\\"', p)) return { start: p + 2, end: quoteEnd(t, p + 2, '\\"', lineEnd) };
  // Block scalars, flow collections, anchors and aliases hold no inline secret.
  if (c === undefined || '|>{[&*#'.includes(c)) return null;
  let end = lineEnd;
  for (let k = p; k < lineEnd; k++) {
    const ch = t[k];
    if (ch === '#' && isBlank(t[k - 1])) {
      end = k;
      break;
    }
    if (inJsonString && ch === '"') {
      end = k;
      break;
    }
    if (inJsonString && ch === '\\') {
      const e = t[k + 1];
      if (e === 'n' || e === 'r' || e === 't' || e === '"') {
        end = k;
        break;
      }
      k++;
    }
  }
  while (end > p && /\s/.test(t[end - 1] ?? '')) end--;
  return { start: p, end };
}

function worthRedacting(t: string, span: Span): boolean {
  if (span.end <= span.start) return false;
  if (t.startsWith(PLACEHOLDER, span.start)) return false;
  if (span.end - span.start > 200) return true;
  const v = t.slice(span.start, span.end);
  return !NOT_A_SECRET.test(v) && !PATH_VALUE.test(v);
}

// What a log line says about a secret without giving it (`token: expired`, `password: incorrect`).
const PROSE_VALUES = new Set([
  'invalid', 'expired', 'missing', 'required', 'incorrect', 'wrong', 'empty', 'unset', 'not', 'set', 'ok', 'failed',
  'failure', 'denied', 'accepted', 'rejected', 'changed', 'updated', 'refreshed', 'reset', 'rotated', 'saved',
  'provided', 'given', 'undefined', 'hidden', 'masked', 'redacted', 'unknown', 'valid', 'received', 'sent', 'loaded',
  'error', 'mismatch', 'present', 'absent', 'none', 'null',
]);
const NSS_SOURCES = /^(?:(?:files|systemd|compat|db|nis|nisplus|ldap|sss|winbind|dns|mymachines|myhostname|resolve|extrausers|cache|\[[!A-Za-z=]+\])[ \t]*)+$/;
// Words in front of a bare `key` that make it a credential: "API key: x", "Authorization Key: x".
const KEY_QUALIFIERS = new Set([
  'API', 'AUTH', 'AUTHORIZATION', 'ACCESS', 'SECRET', 'PRIVATE', 'CLIENT', 'ENCRYPTION', 'SIGNING', 'MASTER',
  'SESSION', 'LICENSE', 'SHARED', 'PRESHARED', 'PRE-SHARED', 'HMAC', 'WEBHOOK',
]);

/** The word just before s (one blank between), upper-cased; '' when none. */
function wordBefore(t: string, s: number): string {
  let k = s - 1;
  if (!isBlank(t[k])) return '';
  const end = k;
  while (k > 0 && /[A-Za-z-]/.test(t[k - 1] ?? '')) k--;
  return end - k > 24 ? '' : t.slice(k, end).toUpperCase();
}

/** A value that runs to a blank, without the punctuation that closes the text around it (`password: x,` `(token: x)`). */
function wordValueAt(t: string, p: number, lineEnd: number): Span {
  const span = valueAt(t, p, lineEnd, STOP);
  if (t[p] === '"' || t[p] === "'" || t.startsWith('\\"', p)) return span;
  let end = span.end;
  while (end - span.start > 1 && ',;)}]'.includes(t[end - 1] ?? '')) end--;
  return { start: span.start, end };
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
      // Blank-separated values exist only for options (--token X, -password X), ngrok's
      // authtoken commands and `name = value`.
      const flag = word.charCodeAt(0) === 0x2d && (word.charCodeAt(1) === 0x2d || word.length >= 5);
      if (!flag && word !== 'add-authtoken' && word !== 'authtoken') {
        const next = t[skipBlanks(t, e)];
        if (next !== '=') continue;
      }
    }
    while (nextNl !== -1 && nextNl < s) {
      lineStart = nextNl + 1;
      nextNl = t.indexOf('\n', lineStart);
    }
    const lineEnd = nextNl === -1 ? t.length : nextNl;
    const hit = examine(t, s, e, word, lineStart, lineEnd);
    if (!hit) continue;
    out += t.slice(copied, hit.start) + mark(hit.kind);
    copied = hit.end;
    changed = true;
    bump(counts, hit.kind);
    re.lastIndex = Math.max(hit.end, e);
  }
  return changed ? out + t.slice(copied) : t;
}

/** The secret value belonging to the word at [s, e) of t (its line from lineStart to lineEnd), if any. */
function examine(t: string, s: number, e: number, word: string, lineStart: number, lineEnd: number): Hit | null {
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
  if (after !== '=' && after !== ':' && after !== '"' && after !== "'" && after !== '\\' && after !== '>' && !isBlank(after)) return null;
  const strength = nameStrength(name);
  const norm = normalizeName(name);
  if (strength === 0) {
    // Pwd= in an ODBC connection string is a password; PWD=/home/x is the shell's directory.
    if (norm === 'PWD' && dashes === 0 && after === '=' && !/^["']?[/~$]/.test(t.slice(e + 1, e + 3))) {
      const span = valueAt(t, e + 1, lineEnd, STOP);
      return worthRedacting(t, span) ? { ...span, kind: 'secret-kv' } : null;
    }
    return null;
  }

  // <password>x</password> (XML configuration)
  if (after === '>') {
    if (dashes !== 0 || t[s - 1] !== '<' || strength !== 2) return null;
    // The closing tag within 1 KiB: a bounded look, so a line of opening tags stays linear.
    let end = -1;
    for (let k = e + 1, stop = Math.min(lineEnd, e + 1025); k < stop; k++) {
      if (t.charCodeAt(k) === 60 && t.charCodeAt(k + 1) === 47) {
        end = k;
        break;
      }
    }
    if (end === -1) return null;
    const span = { start: e + 1, end };
    return worthRedacting(t, span) ? { ...span, kind: 'secret-kv' } : null;
  }

  // ["redis-server", "--requirepass", "x"]: an argv written as a JSON or YAML list
  if (dashes === 2 && (after === '"' || after === '\\') && t[s - 1] === '"') {
    const m = /^(\\?"),[ \t]*(\\?")/.exec(t.slice(e, e + 12));
    if (!m || m[1] !== m[2] || t[e + m[0].length] === '-') return null;
    const start = e + m[0].length;
    const span = { start, end: quoteEnd(t, start, m[1]!, lineEnd) };
    return worthRedacting(t, span) ? { ...span, kind: 'secret-arg' } : null;
  }

  // --token X, --token=X, --client-secret "X", -password X, -passin pass:X
  if (dashes === 2 || (dashes === 1 && name.length >= 4 && strength === 2 && isBlank(after))) {
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
    const env = /^[ \t]*Environment=/.test(t.slice(lineStart, lineStart + 40));
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
  let openQuote: string | null = before === "'" ? "'" : null;
  if (before === '"') {
    let k = s - 1;
    while (t.charCodeAt(k - 1) === 92 && s - k < 8) k--;
    openQuote = t.slice(k, s);
  }
  if (openQuote && dashes === 0 && t.startsWith(openQuote, e)) {
    if (strength === 1) return null; // {"key": "x"}, {"auth": "basic"}: an identifier or a setting
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
  if (dashes !== 0) return null;

  // YAML `authtoken: X` (ngrok.yml), ini `aws_secret_access_key = X`, and the same at the start of a journal MESSAGE.
  const atLineStart = s - lineStart <= 200 && /^[ \t]*(?:- )?$/.test(t.slice(lineStart, s));
  const inJsonString = before === '"' && t[s - 2] === ':' && !atLineStart;
  if (atLineStart || inJsonString) {
    let p = skipBlanks(t, e);
    const sep = t[p];
    if (sep === ':' && isBlank(t[p + 1])) p = skipBlanks(t, p + 1);
    else if (sep === '=' && t[p + 1] !== '=') p = skipBlanks(t, p + 1);
    else return null;
    const span = lineValueAt(t, p, lineEnd, inJsonString);
    if (!span || (inJsonString && PROSE_VALUES.has(t.slice(span.start, span.end).toLowerCase()))) return null;
    // nsswitch.conf: `passwd: files systemd` names where accounts come from.
    if (norm === 'PASSWD' && NSS_SOURCES.test(t.slice(span.start, span.end))) return null;
    return worthRedacting(t, span) ? { ...span, kind: assignmentKind(norm, false) } : null;
  }

  // `user: cp01 password: x`, `POSTGRES_PASSWORD: x` and `password = 'x'` anywhere in a line.
  let p: number;
  if (after === ':') {
    if (!isBlank(t[e + 1])) return null;
    p = skipBlanks(t, e + 1);
  } else {
    p = skipBlanks(t, e);
    if (t[p] !== '=' || t[p + 1] === '=') return null;
    p = skipBlanks(t, p + 1);
  }
  if (strength === 1 && !(norm === 'KEY' && KEY_QUALIFIERS.has(wordBefore(t, s)))) return null;
  // `selftest: PASS: relay contact`: a test result, not a password.
  if (name === 'PASS') return null;
  if (t[p] === '{' || t[p] === '[') return null;
  const span = wordValueAt(t, p, lineEnd);
  if (PROSE_VALUES.has(t.slice(span.start, span.end).toLowerCase())) return null;
  return worthRedacting(t, span) ? { ...span, kind: assignmentKind(norm, false) } : null;
}

/**
 * Kubernetes-style env lists over two lines (`- name: DB_PASSWORD`, then
 * `value: x`): the value line redacted when the line before it names a secret.
 */
export function redactNamedValueLine(prev: string, line: string, counts?: RedactionCounts): string {
  const span = yamlNamedValue(prev, line);
  if (!span || !worthRedacting(line, span)) return line;
  bump(counts, 'secret-kv');
  return line.slice(0, span.start) + mark('secret-kv') + line.slice(span.end);
}
