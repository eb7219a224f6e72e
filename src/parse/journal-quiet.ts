// The journal fast path's work on one chunk of whole lines: decide from the
// raw bytes, without JSON.parse, which lines are "quiet" (a valid journal
// record that no consumer of LogScanner.add could use: it only counts), and
// parse the others exactly as the full parse does.
//
// A line is quiet only when all of this is proven from its bytes:
//  - it is a JSON object journalctl could have printed (no whitespace between
//    tokens, values are strings, null or flat arrays), validated byte by byte,
//    so JSON.parse would accept it: the record count stays exact;
//  - none of the fields below is repeated, and no key holds an escape (either
//    could hide a field from this test while JSON.parse sees it);
//  - __REALTIME_TIMESTAMP is plain digits: the window is judged on it, exactly
//    as parseJournalLine computes epochMs;
//  - for kernel lines (_TRANSPORT or identifier "kernel"), the time is the
//    one LogScanner.trueTime gives them (a line replayed at journald start is
//    moved back by __MONOTONIC_TIMESTAMP - _SOURCE_MONOTONIC_TIMESTAMP), both
//    plain digits or absent;
//  - _BOOT_ID is absent or the same as an earlier validated line's in this
//    chunk (LogScanner tracks the first line of each boot; that earlier line
//    was forwarded or was itself quiet for the same reason, so the boot is
//    already known when this line would be added).
// A line outside the window needs nothing more: LogScanner.add returns right
// after tracking the boot. A line inside it must also have:
//  - PRIORITY "4".."7" (isErrorRecord takes priority <= 3; without a
//    priority it reads the text, so such lines are forwarded);
//  - for lines a service wrote to stdout/stderr (_TRANSPORT "stdout", whose
//    level word isErrorRecord reads whatever the priority), a MESSAGE in
//    which no letters of a level word of priority <= 3 or of a traceback
//    header occur (see STDOUT_LEVEL_TEXT);
//  - an identifier (SYSLOG_IDENTIFIER, else _COMM) that is not systemd
//    (classifySystemd) or systemd-coredump (classifyKernel);
//  - for kernel lines, a MESSAGE holding none of KERNEL_EVENT_WORDS (every
//    classifyKernel pattern and the boot banner KERNEL_BOOT hold one);
//  - a _SYSTEMD_UNIT and identifier that cannot be nginx's or ngrok's
//    (classifyProxy goes by both, lowercased), except as below;
//  - a MESSAGE that is absent, null or a string (byte arrays are forwarded:
//    their text is only known once decoded) in which none of the texts
//    consumers look for occurs: PORT_CONFLICT_WORDS (port conflicts),
//    HEALTH_REQUEST_WORD with one of HEALTH_WORDS (health paths), tested
//    case-insensitively.
// Every such list of words is exported by the classifier that needs it
// (src/classify/*.ts, facts/health-paths.ts), next to its patterns, and
// test/classify/filter-words.test.ts checks each pattern against its words:
// a new rule cannot be starved of its lines here without a failing test.
// The text test runs on the raw JSON string (the most common ones, for
// SIGNAL_WORDS and a stdout line's level words, on its bytes in WebAssembly). It is exact: an escape \uXXXX or
// \/ could produce a searched character, so a MESSAGE holding one is
// forwarded; the other escapes (\" \\ \b \f \n \r \t) produce none, so a
// searched text occurs in the decoded MESSAGE only if it occurs in the raw
// bytes. Bytes of multi-byte UTF-8 (valid or not) are all >= 0x80: they never
// decode to ASCII and never swallow an ASCII byte, so reading the raw bytes
// as latin1 finds the same ASCII texts as the decoded string does.
//
// Lines of the proxies themselves (identifier exactly "nginx" or "ngrok", as
// LogScanner's recovery tracking compares it) are most of a tunnel's log. One
// is quiet when, besides the above, its text cannot be an upstream error
// (none of NGROK_EVENT_WORDS or NGINX_EVENT_WORDS, and no backslash in the
// text, which logfmt or JSON could unescape) and the previous line of the same proxy in
// this chunk was such a line too and was kept or forwarded: that one already
// ended any wait for recovery and marked the proxy seen, so this one changes
// nothing. Any other forwarded line that could be a proxy's (by identifier or
// unit, as classifyProxy judges) resets that memory.
//
// Forwarded lines that passed validation are not parsed again: their record
// is built by journalRecordFrom() (the builder parseJournalLine uses) from
// the values of just the fields it reads, each decoded as JSON.parse decodes
// it (a string's bytes are UTF-8 between ASCII quotes, so decoding the value
// alone gives what decoding the whole line would).
//
// A forwarded record also comes with what its MESSAGE bytes prove its text
// lacks (text-lacks.ts: the port-conflict and test/mock words, by the same
// argument as the text test above), so LogScanner need not search for them.
//
// Whoever adds a consumer to LogScanner.add must extend this test;
// test/perf/journal-fast.test.ts compares both paths on varied input.
import { JOURNAL_RECORD_FIELDS, journalLineResult, journalRecordFrom } from './journal.js';
import { createWasmValidator, WASM_ALL, WASM_ALL_MAX, WASM_BASE, WASM_PAD, type WasmValidator } from './journal-validate-wasm.js';
import { MAX_PROBLEMS, type LogRecord, type ParseProblem } from './types.js';
import { KERNEL_EVENT_WORDS, KERNEL_REPLAY_LAG_MS } from '../classify/kernel-events.js';
import { PORT_CONFLICT_WORDS } from '../classify/port-conflict.js';
import { NGINX_EVENT_WORDS, NGROK_EVENT_WORDS } from '../classify/proxy-events.js';
import { ERROR_TEXT_WORDS, NOISE_TEXT_WORDS } from '../classify/log-level.js';
import { LACKS_NOISE_WORDS, LACKS_PORT_WORDS } from './text-lacks.js';
import { HEALTH_REQUEST_WORD, HEALTH_WORDS } from '../facts/health-paths.js';
import { anyOfWords } from '../classify/words.js';

export interface JournalWindow {
  sinceMs: number | null;
  untilMs: number | null;
}

export interface ChunkResult {
  /** lines in the chunk (every '\n') */
  lines: number;
  /** records proven quiet: counted, not delivered */
  quiet: number;
  quietInWindow: number;
  /** the other records, fully parsed; `line` is 1-based within the chunk */
  records: LogRecord[];
  /** per record (by index), the LACKS_* bits proven of its text (text-lacks.ts) */
  lacks: number[];
  skipped: number;
  /** first problems, lines within the chunk */
  problems: ParseProblem[];
}

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// Field slots: value start, end and kind at [3 × field]. The WebAssembly
// validator uses the same numbers and layout.
const F_REALTIME = 1;
const F_MESSAGE = 2;
const F_PRIORITY = 3;
const F_IDENT = 4;
const F_COMM = 5;
const F_UNIT = 6;
const F_TRANSPORT = 7;
const F_BOOT = 8;
const F_MONO = 9;
const F_SOURCE_MONO = 10;
const FIELDS = 11;

// Value kinds, ordered for strings by what their escapes can produce.
const V_ABSENT = 0;
/** a string without escapes */
const V_PLAIN = 1;
/** escapes among \" \b \f \n \r \t: no letter, digit, space, '/' or '\' */
const V_ESCAPED = 2;
/** also \\ (a backslash in the text) */
const V_BACKSLASH = 3;
/** also \u or \/: any character */
const V_UNSAFE = 4;
const V_NULL = 5;
const V_ARRAY = 6;

// ---------------------------------------------------------------- validation in JS

// Bytes that end the plain run of a JSON string: the quote, an escape, or a
// control character (invalid inside a string; the line's own '\n' is one, so
// every scan stops at the end of its line).
const STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STOP[c] = 1;
STOP[QUOTE] = 1;
STOP[BACKSLASH] = 1;

// After a backslash: the kind the escape gives its string; 0 for an invalid one.
const ESCAPE = new Uint8Array(256);
for (const ch of '"bfnrt') ESCAPE[ch.charCodeAt(0)] = V_ESCAPED;
ESCAPE[BACKSLASH] = V_BACKSLASH;
ESCAPE['/'.charCodeAt(0)] = V_UNSAFE;
ESCAPE['u'.charCodeAt(0)] = V_UNSAFE;

const HEX = new Uint8Array(256);
for (const ch of '0123456789abcdefABCDEF') HEX[ch.charCodeAt(0)] = 1;

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const K_REALTIME = bytes('__REALTIME_TIMESTAMP');
const K_MESSAGE = bytes('MESSAGE');
const K_PRIORITY = bytes('PRIORITY');
const K_IDENT = bytes('SYSLOG_IDENTIFIER');
const K_COMM = bytes('_COMM');
const K_UNIT = bytes('_SYSTEMD_UNIT');
const K_TRANSPORT = bytes('_TRANSPORT');
const K_BOOT = bytes('_BOOT_ID');
const K_MONO = bytes('__MONOTONIC_TIMESTAMP');
const K_SOURCE_MONO = bytes('_SOURCE_MONOTONIC_TIMESTAMP');
const V_KERNEL = bytes('kernel');
const V_STDOUT = bytes('stdout');
const V_SYSTEMD = bytes('systemd');
const V_COREDUMP = bytes('systemd-coredump');
const V_NGINX = bytes('nginx');
const V_NGROK = bytes('ngrok');

function same(b: Uint8Array, s: number, e: number, name: Uint8Array): boolean {
  if (e - s !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[s + k] !== name[k]) return false;
  return true;
}

function keyId(b: Uint8Array, s: number, e: number): number {
  switch (e - s) {
    case 5:
      return same(b, s, e, K_COMM) ? F_COMM : 0;
    case 7:
      return same(b, s, e, K_MESSAGE) ? F_MESSAGE : 0;
    case 8:
      return same(b, s, e, K_PRIORITY) ? F_PRIORITY : same(b, s, e, K_BOOT) ? F_BOOT : 0;
    case 10:
      return same(b, s, e, K_TRANSPORT) ? F_TRANSPORT : 0;
    case 13:
      return same(b, s, e, K_UNIT) ? F_UNIT : 0;
    case 17:
      return same(b, s, e, K_IDENT) ? F_IDENT : 0;
    case 20:
      return same(b, s, e, K_REALTIME) ? F_REALTIME : 0;
    case 21:
      return same(b, s, e, K_MONO) ? F_MONO : 0;
    case 27:
      return same(b, s, e, K_SOURCE_MONO) ? F_SOURCE_MONO : 0;
    default:
      return 0;
  }
}

/** The string after an opening quote at i: index of its closing quote, or -1; the kind in `strKind`. */
let strKind = V_PLAIN;
function skipString(b: Uint8Array, i: number): number {
  strKind = V_PLAIN;
  for (;;) {
    while (STOP[b[i]!] === 0) i++;
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c !== BACKSLASH) return -1;
    const e = b[i + 1]!;
    const t = ESCAPE[e]!;
    if (t === 0) return -1;
    if (e === 0x75) {
      if (HEX[b[i + 2]!] === 0 || HEX[b[i + 3]!] === 0 || HEX[b[i + 4]!] === 0 || HEX[b[i + 5]!] === 0) return -1;
      i += 6;
    } else i += 2;
    if (t > strKind) strKind = t;
  }
}

/** A flat array of integers and strings, from just after its '['; returns the index after ']' or -1. */
function skipArray(b: Uint8Array, i: number): number {
  if (b[i] === 0x5d) return i + 1;
  for (;;) {
    let c = b[i]!;
    if (c >= 0x30 && c <= 0x39) {
      i++;
      if (c !== 0x30) while (b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    } else if (c === QUOTE) {
      i = skipString(b, i + 1);
      if (i < 0) return -1;
      i++;
    } else return -1;
    c = b[i]!;
    if (c === 0x2c) i++;
    else if (c === 0x5d) return i + 1;
    else return -1;
  }
}

/**
 * The same check as the WebAssembly validator (see journal-validate-wasm.ts),
 * for where WebAssembly SIMD is unavailable: index of the line's '\n' when the
 * line at `pos` is a JSON object journalctl could print, with the fields of
 * interest noted in `at`; else -1.
 */
export function validateJs(b: Uint8Array, pos: number, at: Int32Array): number {
  for (let f = 1; f < FIELDS; f++) at[f * 3 + 2] = V_ABSENT;
  let i = pos;
  if (b[i] !== 0x7b) return -1;
  i++;
  let seen = 0;
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    i++;
    const ks = i;
    while (STOP[b[i]!] === 0) i++;
    if (b[i] !== QUOTE) return -1;
    const field = keyId(b, ks, i);
    i++;
    if (b[i] !== 0x3a) return -1;
    i++;
    if (field !== 0) {
      if (seen & (1 << field)) return -1;
      seen |= 1 << field;
    }
    const c = b[i]!;
    if (c === QUOTE) {
      const vs = i + 1;
      i = skipString(b, vs);
      if (i < 0) return -1;
      if (field !== 0) {
        at[field * 3] = vs;
        at[field * 3 + 1] = i;
        at[field * 3 + 2] = strKind;
      }
      i++;
    } else if (c === 0x6e) {
      if (b[i + 1] !== 0x75 || b[i + 2] !== 0x6c || b[i + 3] !== 0x6c) return -1;
      i += 4;
      if (field !== 0) at[field * 3 + 2] = V_NULL;
    } else if (c === 0x5b) {
      i = skipArray(b, i + 1);
      if (i < 0) return -1;
      if (field !== 0) at[field * 3 + 2] = V_ARRAY;
    } else return -1;
    const d = b[i]!;
    if (d === 0x2c) {
      i++;
      continue;
    }
    if (d === 0x7d && b[i + 1] === NL) return i + 1;
    return -1;
  }
}

// ---------------------------------------------------------------- the judgement

// Texts some consumer looks for in a MESSAGE (see the header), from the
// classifiers that look for them.
const PORT_TEXT = anyOfWords(PORT_CONFLICT_WORDS);
const HEALTH_WORD = anyOfWords(HEALTH_WORDS);
/** Most lines have none of these: one search decides them (in WebAssembly, the validator's words[0]). */
export const SIGNAL_WORDS: readonly string[] = [...PORT_CONFLICT_WORDS, HEALTH_REQUEST_WORD];
/** The validator's searches: words[k] looks for WORD_LISTS[k]. */
export const WORD_LISTS: readonly (readonly string[])[] = [SIGNAL_WORDS, PORT_CONFLICT_WORDS, NOISE_TEXT_WORDS, ERROR_TEXT_WORDS];
const W_SIGNAL = 0;
const W_PORT = 1;
const W_NOISE = 2;
/** A service's stdout line (a quarter of the bench's realistic lines) is judged on its bytes, with no string made for a RegExp. */
const W_LEVEL = 3;
const SIGNAL_TEXT = anyOfWords(SIGNAL_WORDS);
const KERNEL_TEXT = anyOfWords(KERNEL_EVENT_WORDS);
const NGROK_EVENT_TEXT = anyOfWords(NGROK_EVENT_WORDS);
const NGINX_EVENT_TEXT = anyOfWords(NGINX_EVENT_WORDS);
const STDOUT_LEVEL_TEXT = anyOfWords(ERROR_TEXT_WORDS);

/**
 * Could this name be nginx's or ngrok's once lowercased, as classifyProxy
 * compares it? After a first 'n', any non-ASCII byte counts as yes:
 * String.toLowerCase maps some non-ASCII letters to ASCII ones (KELVIN SIGN
 * to "k").
 */
function proxyName(b: Uint8Array, s: number, e: number): boolean {
  // Only 'n' and 'N' lowercase to a text starting with 'n'.
  if (e - s < 5 || (b[s]! | 0x20) !== 0x6e) return false;
  for (let k = s + 1; k < e; k++) if (b[k]! >= 0x80) return true;
  const c1 = b[s + 1]! | 0x20;
  const c2 = b[s + 2]! | 0x20;
  const c3 = b[s + 3]! | 0x20;
  const c4 = b[s + 4]! | 0x20;
  // n-g-i-n-x / n-g-r-o-k
  return c1 === 0x67 && ((c2 === 0x69 && c3 === 0x6e && c4 === 0x78) || (c2 === 0x72 && c3 === 0x6f && c4 === 0x6b));
}

const LOUD = 0;
const QUIET_OUT = 1;
const QUIET_IN = 2;
/** forwarded, and it ends any wait for nginx's / ngrok's recovery */
const LOUD_SETTLES_NGINX = 3;
const LOUD_SETTLES_NGROK = 4;
const SETTLED_NGINX = 1;
const SETTLED_NGROK = 2;

/** What a chunk's scan remembers from line to line (see the header). */
interface ChunkMemory {
  /** the last boot id known to be tracked, as a range of the chunk */
  bootS: number;
  bootE: number;
  /** SETTLED_* bits: the proxy's previous line in this chunk settled its recovery */
  settled: number;
}

const NONE = -1;
const UNKNOWN = -2;

/**
 * A monotonic timestamp field as trueTime reads it: NONE when absent, null or
 * empty (no correction), its value when plain digits, UNKNOWN otherwise (a
 * text Number() might still read: the line is not judged here).
 */
function monotonic(b: Buffer, at: Int32Array, field: number): number {
  const k = at[field * 3 + 2]!;
  if (k === V_ABSENT || k === V_NULL) return NONE;
  if (k !== V_PLAIN) return UNKNOWN;
  const s = at[field * 3]!;
  const e = at[field * 3 + 1]!;
  if (e === s) return NONE;
  if (e - s > 15) return UNKNOWN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return UNKNOWN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * After validation into `at`: is the line quiet, inside or outside the
 * window? `v`: the WebAssembly validator whose memory b is (its words()
 * looks for SIGNAL_WORDS), or null: b is a JS buffer.
 */
function judge(b: Buffer, at: Int32Array, since: number | null, until: number | null, mem: ChunkMemory, v: WasmValidator | null): number {
  // The time: plain digits, as parseJournalLine reads them.
  if (at[F_REALTIME * 3 + 2] !== V_PLAIN) return LOUD;
  const rtS = at[F_REALTIME * 3]!;
  const rtE = at[F_REALTIME * 3 + 1]!;
  if (rtE === rtS || rtE - rtS > 16) return LOUD;
  // Integer division by 1000, as parseJournalLine's BigInt does it: the digits but the last three
  // (a % on a number past 32 bits is a call to fmod).
  const msEnd = rtE - 3;
  let epochMs = 0;
  let us = 0;
  for (let k = rtS; k < rtE; k++) {
    if (k === msEnd) epochMs = us;
    const d = b[k]! - 0x30;
    if (d < 0 || d > 9) return LOUD;
    us = us * 10 + d;
  }
  if (us > Number.MAX_SAFE_INTEGER) return LOUD;
  let ms = epochMs;

  // Kernel lines replayed at journald start: their true time, as LogScanner.trueTime computes it.
  const trK = at[F_TRANSPORT * 3 + 2]!;
  let kernel = false;
  let stdout = false;
  if (trK === V_PLAIN) {
    kernel = same(b, at[F_TRANSPORT * 3]!, at[F_TRANSPORT * 3 + 1]!, V_KERNEL);
    stdout = same(b, at[F_TRANSPORT * 3]!, at[F_TRANSPORT * 3 + 1]!, V_STDOUT);
  } else if (trK !== V_ABSENT && trK !== V_NULL) return LOUD;
  if (kernel) {
    const mono = monotonic(b, at, F_MONO);
    const src = monotonic(b, at, F_SOURCE_MONO);
    if (mono === UNKNOWN || src === UNKNOWN) return LOUD;
    if (mono !== NONE && src !== NONE) {
      const lag = (mono - src) / 1000;
      if (lag > KERNEL_REPLAY_LAG_MS) ms = epochMs - lag;
    }
  }

  // A boot already tracked.
  const btK = at[F_BOOT * 3 + 2]!;
  if (btK === V_PLAIN) {
    const btS = at[F_BOOT * 3]!;
    const btE = at[F_BOOT * 3 + 1]!;
    const n = btE - btS;
    let known = mem.bootS >= 0 && mem.bootE - mem.bootS === n;
    if (known && v) known = v.equal(btS, mem.bootS, n) !== 0;
    else for (let k = 0; known && k < n; k++) if (b[btS + k] !== b[mem.bootS + k]) known = false;
    // This line is a record with a time: if forwarded, it makes its boot known.
    mem.bootS = btS;
    mem.bootE = btE;
    if (!known) return LOUD;
  } else if (btK !== V_ABSENT && btK !== V_NULL) return LOUD;

  if (!((since === null || ms >= since) && (until === null || ms <= until))) return QUIET_OUT;

  if (at[F_PRIORITY * 3 + 2] !== V_PLAIN || at[F_PRIORITY * 3 + 1]! - at[F_PRIORITY * 3]! !== 1) return LOUD;
  const p = b[at[F_PRIORITY * 3]!]!;
  if (p < 0x34 || p > 0x37) return LOUD;

  let iS: number, iE: number;
  const idK = at[F_IDENT * 3 + 2]!;
  if (idK === V_PLAIN) {
    iS = at[F_IDENT * 3]!;
    iE = at[F_IDENT * 3 + 1]!;
  } else if (idK === V_ABSENT || idK === V_NULL) {
    if (at[F_COMM * 3 + 2] !== V_PLAIN) return LOUD;
    iS = at[F_COMM * 3]!;
    iE = at[F_COMM * 3 + 1]!;
  } else return LOUD;
  if (iE === iS || same(b, iS, iE, V_SYSTEMD) || same(b, iS, iE, V_COREDUMP)) return LOUD;
  if (same(b, iS, iE, V_KERNEL)) kernel = true;
  const proxy = same(b, iS, iE, V_NGROK) ? SETTLED_NGROK : same(b, iS, iE, V_NGINX) ? SETTLED_NGINX : 0;
  // classifyProxy goes by the identifier first: for the proxies' own lines the unit does not matter.
  if (proxy === 0) {
    if (proxyName(b, iS, iE)) return LOUD;
    const unK = at[F_UNIT * 3 + 2]!;
    if (unK === V_PLAIN) {
      if (proxyName(b, at[F_UNIT * 3]!, at[F_UNIT * 3 + 1]!)) return LOUD;
    } else if (unK !== V_ABSENT && unK !== V_NULL) return LOUD;
  }

  const msgK = at[F_MESSAGE * 3 + 2]!;
  if (msgK === V_PLAIN || msgK === V_ESCAPED || (msgK === V_BACKSLASH && proxy === 0)) {
    const textS = at[F_MESSAGE * 3]!;
    const textE = at[F_MESSAGE * 3 + 1]!;
    // The text as a string only where a RegExp needs it: most lines are decided by signal() on the bytes.
    let text: string | undefined;
    if (stdout && (v ? v.words[W_LEVEL]!(textS, textE) !== 0 : STDOUT_LEVEL_TEXT.test((text ??= b.toString('latin1', textS, textE))))) return LOUD;
    if (kernel && KERNEL_TEXT.test((text ??= b.toString('latin1', textS, textE)))) return LOUD;
    // A match is a port conflict's text, or "HTTP/", which needs a health word too.
    const signalled = v ? v.words[W_SIGNAL]!(textS, textE) !== 0 : SIGNAL_TEXT.test((text ??= b.toString('latin1', textS, textE)));
    if (signalled && (PORT_TEXT.test((text ??= b.toString('latin1', textS, textE))) || HEALTH_WORD.test(text))) return LOUD;
    if (proxy === SETTLED_NGROK && NGROK_EVENT_TEXT.test((text ??= b.toString('latin1', textS, textE)))) return LOUD;
    if (proxy === SETTLED_NGINX && NGINX_EVENT_TEXT.test((text ??= b.toString('latin1', textS, textE)))) return LOUD;
  } else if (msgK !== V_ABSENT && msgK !== V_NULL) return LOUD;

  if (proxy === 0 || (mem.settled & proxy) !== 0) return QUIET_IN;
  return proxy === SETTLED_NGROK ? LOUD_SETTLES_NGROK : LOUD_SETTLES_NGINX;
}

const BOTH_PROXIES = SETTLED_NGINX | SETTLED_NGROK;

/** After validation: the proxies whose recovery this line could touch, as classifyProxy would see it (by identifier, else unit). */
function proxyRisk(b: Buffer, at: Int32Array): number {
  const idK = at[F_IDENT * 3 + 2]!;
  let f = F_IDENT;
  if (idK === V_ABSENT || idK === V_NULL) f = F_COMM;
  else if (idK !== V_PLAIN) return BOTH_PROXIES;
  const k = at[f * 3 + 2]!;
  if (k === V_PLAIN) {
    if (proxyName(b, at[f * 3]!, at[f * 3 + 1]!)) return BOTH_PROXIES;
  } else if (k !== V_ABSENT && k !== V_NULL) return BOTH_PROXIES;
  const unK = at[F_UNIT * 3 + 2]!;
  if (unK === V_PLAIN) return proxyName(b, at[F_UNIT * 3]!, at[F_UNIT * 3 + 1]!) ? BOTH_PROXIES : 0;
  return unK === V_ABSENT || unK === V_NULL ? 0 : BOTH_PROXIES;
}

// ---------------------------------------------------------------- records of forwarded lines

/** The fields journalRecordFrom() reads: by key length, their index and bytes. */
const RECORD_KEYS: { index: number; key: Uint8Array }[][] = [];
const RECORD_INDEX = new Map<string, number>();
JOURNAL_RECORD_FIELDS.forEach((name, index) => {
  (RECORD_KEYS[name.length] ??= []).push({ index, key: bytes(name) });
  RECORD_INDEX.set(name, index);
});
/** Per record field: offset of its entry in the fields() list, or 0 when absent. */
const recordAt = new Int32Array(JOURNAL_RECORD_FIELDS.length);

/**
 * The record of a line the validator accepted, from its fields' positions
 * (see the header); undefined when the fast way does not apply (a field read
 * twice, too many fields) and the line must go through JSON.parse.
 */
function recordOfValidLine(b: Buffer, v: WasmValidator, list: Int32Array, p: number, line: number, source: string): LogRecord | { problem: string } | undefined {
  if (v.fields(p) < 0) return undefined;
  recordAt.fill(0);
  const n = list[0]!;
  for (let k = 0; k < n; k++) {
    const o = 1 + k * 5;
    const ks = list[o]!;
    const ke = list[o + 1]!;
    const candidates = RECORD_KEYS[ke - ks];
    if (candidates === undefined) continue;
    for (let c = 0; c < candidates.length; c++) {
      const cand = candidates[c]!;
      if (!same(b, ks, ke, cand.key)) continue;
      if (recordAt[cand.index] !== 0) return undefined;
      recordAt[cand.index] = o;
    }
  }
  const value = (name: string): unknown => {
    const o = recordAt[RECORD_INDEX.get(name)!]!;
    if (o === 0) return undefined;
    const vs = list[o + 2]!;
    const ve = list[o + 3]!;
    const kind = list[o + 4]!;
    if (kind === V_PLAIN) return b.toString('utf8', vs, ve);
    if (kind === V_NULL) return null;
    if (kind === V_ARRAY) return JSON.parse(b.toString('utf8', vs, ve));
    // An escaped string, unescaped at the top of the memory (wasmFor keeps room for it) and
    // decoded: what JSON.parse gives, as escapes are ASCII for ASCII, and ASCII ends any
    // UTF-8 sequence alike before and after. Half the time of JSON.parse on a long traceback.
    const d = wasmBytes - (ve - vs) - WASM_PAD;
    const e = v.unescape(vs, ve, d);
    // \u escapes: JSON.parse on just this value, with its quotes.
    return e >= 0 ? b.toString('utf8', d, e) : JSON.parse(b.toString('utf8', vs - 1, ve + 1));
  };
  return journalRecordFrom(value, line, source);
}

/**
 * What a forwarded record's text lacks, from its MESSAGE bytes after
 * validation into `at` (the record's text is the MESSAGE; the escapes a kind
 * up to V_BACKSLASH holds neither make nor break a word, see the header).
 */
function textLacks(v: WasmValidator, at: Int32Array): number {
  const k = at[F_MESSAGE * 3 + 2]!;
  if (k !== V_PLAIN && k !== V_ESCAPED && k !== V_BACKSLASH) return 0;
  const s = at[F_MESSAGE * 3]!;
  const e = at[F_MESSAGE * 3 + 1]!;
  return (v.words[W_PORT]!(s, e) === 0 ? LACKS_PORT_WORDS : 0) | (v.words[W_NOISE]!(s, e) === 0 ? LACKS_NOISE_WORDS : 0);
}

// ---------------------------------------------------------------- the chunk

/** As readLines decodes a line: one trailing CR dropped, UTF-8 with U+FFFD for bad bytes. */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  if (end > start && buf[end - 1] === CR) end--;
  return buf.toString('utf8', start, end);
}

/**
 * This thread's WebAssembly validator, its memory grown to the largest chunk
 * seen and as much again above it, for unescaping a string; null without SIMD.
 */
let wasm: WasmValidator | null | undefined;
let wasmBytes = 0;
let wasmView: Buffer | null = null;
let wasmAt: Int32Array | null = null;
let wasmList: Int32Array | null = null;

function wasmFor(length: number): { v: WasmValidator; view: Buffer; at: Int32Array; list: Int32Array } | null {
  if (wasm === undefined) wasm = createWasmValidator(length, WORD_LISTS);
  if (wasm === null) return null;
  const need = WASM_BASE + 2 * (length + WASM_PAD);
  if (need > wasm.memory.buffer.byteLength) wasm.memory.grow(Math.ceil((need - wasm.memory.buffer.byteLength) / 65536));
  if (wasmView === null || wasmBytes !== wasm.memory.buffer.byteLength) {
    wasmBytes = wasm.memory.buffer.byteLength;
    wasmView = Buffer.from(wasm.memory.buffer);
    wasmAt = new Int32Array(wasm.memory.buffer, 0, FIELDS * 3);
    wasmList = new Int32Array(wasm.memory.buffer, WASM_ALL - 4, 1 + WASM_ALL_MAX * 5);
  }
  return { v: wasm, view: wasmView, at: wasmAt!, list: wasmList! };
}

/** Validate with WebAssembly? opts.wasm, else unless CHARGER_DIAG_JOURNAL_WASM=0. */
const wantsWasm = (opts: ScanOptions) => opts.wasm ?? process.env.CHARGER_DIAG_JOURNAL_WASM !== '0';

/**
 * Two buffers of `bytes` in the validator's memory, for chunks read straight
 * into it (scanChunk then copies nothing); null without WebAssembly. The
 * memory is shared: a hashing thread can read them.
 */
export function chunkBuffers(bytes: number, opts: ScanOptions = {}): Buffer[] | null {
  const w = wantsWasm(opts) ? wasmFor(2 * (bytes + WASM_PAD)) : null;
  if (w === null) return null;
  return [WASM_BASE, WASM_BASE + bytes + WASM_PAD].map((at) => Buffer.from(w.view.buffer, at, bytes));
}

export interface ScanOptions {
  /** false: validate in JS even where WebAssembly is available (tests compare both). Default: unless CHARGER_DIAG_JOURNAL_WASM=0 */
  wasm?: boolean;
}

/**
 * Scan buf[start, end): whole lines, the last one ending in '\n'. Line
 * numbers in the result are 1-based within the chunk.
 */
export function scanChunk(buf: Buffer, start: number, end: number, source: string, window: JournalWindow, opts: ScanOptions = {}): ChunkResult {
  const w = wantsWasm(opts) ? wasmFor(end - start) : null;
  let b: Buffer;
  let at: Int32Array;
  let from: number;
  let to: number;
  if (w) {
    // A chunk outside the validator's memory (not from chunkBuffers) is copied in.
    const inPlace = buf.buffer === w.view.buffer;
    from = inPlace ? buf.byteOffset + start : WASM_BASE;
    if (!inPlace) w.view.set(buf.subarray(start, end), WASM_BASE);
    b = w.view;
    at = w.at;
    to = from + end - start;
  } else {
    b = buf;
    at = new Int32Array(FIELDS * 3);
    from = start;
    to = end;
  }
  const validate = w ? w.v.line : (p: number) => validateJs(b, p, at);
  const since = window.sinceMs;
  const until = window.untilMs;

  const out: ChunkResult = { lines: 0, quiet: 0, quietInWindow: 0, records: [], lacks: [], skipped: 0, problems: [] };
  const mem: ChunkMemory = { bootS: -1, bootE: -1, settled: 0 };
  let pos = from;
  let lineNo = 0;
  while (pos < to) {
    lineNo++;
    let nl = validate(pos);
    const valid = nl >= 0;
    const verdict = valid ? judge(b, at, since, until, mem, w ? w.v : null) : LOUD;
    if (!valid) {
      nl = b.indexOf(NL, pos);
      // The caller hands whole lines only; guard against a bad call anyway.
      if (nl < 0 || nl >= to) nl = to - 1;
    }
    const lineStart = pos;
    pos = nl + 1;
    if (verdict === QUIET_IN) {
      out.quiet++;
      out.quietInWindow++;
      continue;
    }
    if (verdict === QUIET_OUT) {
      out.quiet++;
      continue;
    }
    if (verdict === LOUD_SETTLES_NGROK) mem.settled |= SETTLED_NGROK;
    else if (verdict === LOUD_SETTLES_NGINX) mem.settled |= SETTLED_NGINX;
    else mem.settled &= ~(valid ? proxyRisk(b, at) : BOTH_PROXIES);
    const r = (w && valid ? recordOfValidLine(b, w.v, w.list, lineStart, lineNo, source) : undefined) ?? journalLineResult(decodeLine(b, lineStart, nl), lineNo, source, false);
    if (r === null) continue;
    if ('problem' in r) {
      out.skipped++;
      if (out.problems.length < MAX_PROBLEMS) out.problems.push({ line: lineNo, reason: r.problem });
      continue;
    }
    out.records.push(r);
    out.lacks.push(w && valid ? textLacks(w.v, at) : 0);
  }
  out.lines = lineNo;
  return out;
}
