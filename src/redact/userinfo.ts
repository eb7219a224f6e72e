// A secret inside a *name*: an ssh target with its password as a unit's instance
// (autossh@pi:PASSWORD@relay.service, systemd-escaped autossh@pi:PASSWORD\x40relay.service) or a
// process title (ocpp[CP01:PASSWORD@csms]) carries no key and no scheme for the rest of the
// redactor to see. Every redaction applies it (redact.ts), so names are redacted wherever text is.
import type { RedactionCounts } from '../redact.js';

const MARK_PREFIX = '[redacted:';

/**
 * USER:PASSWORD@HOST without a scheme (with one, redact.ts's URL rule takes
 * it). The user name starts a run (after a blank, `@`, `[`, `=`, a quote...,
 * never inside a word, a path or a URL); the password holds no blank, `@`,
 * `/`, backslash, bracket, quote or angle bracket; the host starts with a
 * letter, a digit or `[` (an IPv6 address). `\x40` is how systemd escapes
 * the `@` inside a unit name.
 */
const USERINFO = /(?<![A-Za-z0-9._~%+\-:/\\])([A-Za-z0-9._~%+-]{1,64}):([^\s@/\\[\]'"`<>]{1,256})(@|\\x40)(?=[A-Za-z0-9[])/g;

// Prefixes that look like a user name but are a scheme without `//`
// (mailto:ops@example.com, sip:cp01@pbx, npm:left-pad@1.3.0).
const SCHEMES = new Set(['mailto', 'sip', 'sips', 'tel', 'xmpp', 'im', 'pres', 'urn', 'npm', 'pkg', 'news', 'nntp', 'acct', 'cid', 'mid', 'jar']);

/** `user:password@host` outside a URL: only the password goes, as `[redacted:url-credentials]`. Idempotent. */
export function redactUserinfo(text: string, counts?: RedactionCounts): string {
  if (text.indexOf(':') === -1 || (text.indexOf('@') === -1 && text.indexOf('\\x40') === -1)) return text;
  return text.replace(USERINFO, (whole: string, user: string, password: string, sep: string, offset: number) => {
    if (SCHEMES.has(user.toLowerCase())) return whole;
    // A clock time (12:30:45@...) is no user and password.
    if (/^[0-9]+$/.test(user) && /^[0-9:.,]+$/.test(password)) return whole;
    // An image digest (nginx:1.25@sha256:...) names a version, not a password.
    if (/^sha(?:256|384|512):/i.test(text.slice(offset + whole.length, offset + whole.length + 7))) return whole;
    if (counts) counts['url-credentials'] = (counts['url-credentials'] ?? 0) + 1;
    return `${user}:${MARK_PREFIX}url-credentials]${sep}`;
  });
}

