// Whether a name (an environment variable, an option, a JSON or YAML key, an
// OCPP configuration key) says that its value is a secret. Names are compared
// in one normal form, whatever their case and separators: apiKey, api-key,
// api.key, "api key" and API_KEY are all API_KEY.

/** apiKey, api-key, api.key, "api key" → API_KEY; a leading -- or - is dropped. */
export function normalizeName(name: string): string {
  let known = normCache.get(name);
  if (known === undefined) {
    known = normalize(name);
    if (normCache.size >= 4096) normCache.clear();
    normCache.set(name, known);
  }
  return known;
}

// Logs repeat the same few names; each is normalised once.
const normCache = new Map<string, string>();

function normalize(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[.\- ]/g, '_');
}

/** 0: not a secret; 1: weak (KEY, AUTH or SIG alone: a secret only where it is a setting); 2: a credential name. */
export type NameStrength = 0 | 1 | 2;

/**
 * Whether a variable, option or key name says its value is secret.
 * TOKEN_TTL, TOKEN_URL, PASSWORD_FILE, API_KEY_ID: no (a duration, an
 * address, a path, a public id). PATH, PWD, PYTHONUNBUFFERED, KillSignal: no.
 */
export function isSecretName(rawName: string): boolean {
  return nameStrength(rawName) > 0;
}

export function nameStrength(rawName: string): NameStrength {
  let known = nameCache.get(rawName);
  if (known === undefined) {
    known = classifyName(rawName);
    if (nameCache.size >= 4096) nameCache.clear();
    nameCache.set(rawName, known);
  }
  return known;
}

// Logs repeat the same few names; classifying each once keeps big inputs fast.
const nameCache = new Map<string, NameStrength>();

function classifyName(rawName: string): NameStrength {
  if (rawName.length > 80) return 0;
  const norm = normalizeName(rawName).replace(/TOKENIZER/g, '');
  if (norm === '' || HARMLESS_NAMES.has(norm)) return 0;
  const segments = norm.split('_').filter((s) => s !== '');
  const last = segments[segments.length - 1];
  if (last === undefined || HARMLESS_LAST.has(last)) return 0;
  if (segments.some((s) => COUNTING.has(s))) return 0;
  // logind's HandlePowerKey=poweroff: what a key press does.
  if (segments[0] === 'HANDLE') return 0;
  if (norm.endsWith('PUBLIC_KEY') || norm.endsWith('PUBKEY')) return 0;
  // OCPP 2.0.1's idToken / groupIdToken is a card's id (the idTag of 1.6); an OpenID id_token is a JWT, redacted by its shape.
  if (norm === 'ID_TOKEN' || norm.endsWith('_ID_TOKEN')) return 0;
  if (SECRET_PARTS.some((p) => norm.includes(p))) return 2;
  for (const s of segments) {
    if (STRONG_SEGMENTS.has(s)) return 2;
    // DBPASS, SSHPASS, MQTTPASS, DBPWD; not BYPASS or COMPASS.
    if ((s.endsWith('PASS') || s.endsWith('PWD')) && s.length > 4 && !NOT_PASS.has(s)) return 2;
  }
  // KEY, AUTH alone: weak. Last in a longer name (OCPP_AUTH_KEY, BASIC_AUTH): a credential. Inside one
  // (jdk.tls.keyLimits, java.security.auth.login.config): a setting.
  if (segments.some((s) => WEAK_SEGMENTS.has(s))) return segments.length === 1 ? 1 : WEAK_SEGMENTS.has(last) ? 2 : 0;
  return 0;
}

const SECRET_PARTS = [
  'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'APIKEY', 'API_KEY', 'PRIVATE_KEY', 'PRIVATEKEY',
  'CREDENTIAL', 'AUTHTOKEN', 'ACCESS_KEY', 'ACCESSKEY', 'SESSION_KEY', 'SIGNATURE', 'AUTHKEY', 'BEARER',
];
const STRONG_SEGMENTS = new Set(['PASS', 'PWD', 'PSK', 'CREDS']);
// Secret only as the last word of a longer name (AUTH_KEY, BASIC_AUTH, ENCRYPTION_KEY), or where a setting is plainly meant.
const WEAK_SEGMENTS = new Set(['AUTH', 'KEY', 'SIG']);
const NOT_PASS = new Set(['BYPASS', 'COMPASS', 'SURPASS', 'OVERPASS', 'UNDERPASS', 'PASSPASS']);
// Counts and limits of tokens (MAX_TOKENS=512), not tokens.
const COUNTING = new Set(['MAX', 'MIN', 'NUM', 'COUNT']);
// A last word that makes the value a setting about the secret, not the secret.
const HARMLESS_LAST = new Set([
  'URL', 'URLS', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'PATH', 'FILE', 'FILES', 'DIR', 'DIRECTORY',
  'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRES', 'EXPIRE', 'EXPIRATION', 'LIFETIME', 'AGE', 'LENGTH', 'LEN', 'SIZE',
  'TYPE', 'NAME', 'USER', 'USERNAME', 'ID', 'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED', 'MODE',
  'METHOD', 'ALGORITHM', 'ALG', 'COUNT', 'LIMIT', 'INTERVAL', 'VERSION', 'FORMAT', 'PREFIX', 'ISSUER',
  'AUDIENCE', 'SCOPE', 'SCOPES', 'REGION', 'AUTHENTICATION', 'STDIN', 'PROMPT', 'POLICY', 'LOCATION',
  'RETRIES', 'ATTEMPTS', 'DELAY', 'PERIOD', 'SECONDS', 'STORE', 'HELPER', 'COMMAND', 'CMD', 'SERVER',
  'STATUS', 'STATE', 'HEADER', 'FIELD', 'PROVIDER', 'BACKEND', 'SOURCE', 'ERROR', 'ERRORS', 'MGMT', 'MANAGEMENT',
  'EXCHANGE', 'USAGE', 'BITS', 'STRENGTH', 'ROTATION', 'LOOKUP', 'SERIAL', 'FINGERPRINT', 'PRESS', 'IDENTIFIER',
  'ENCRYPTION', 'ENCODING', 'CIPHER',
]);
// The shell's working directory, systemd directives that list names or paths, ssh options.
const HARMLESS_NAMES = new Set([
  'PWD', 'OLDPWD', 'PASS_ENVIRONMENT', 'UNSET_ENVIRONMENT', 'LOAD_CREDENTIAL', 'LOAD_CREDENTIAL_ENCRYPTED',
  'IMPORT_CREDENTIAL', 'CONDITION_CREDENTIAL', 'ASSERT_CREDENTIAL',
]);
