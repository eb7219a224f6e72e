// The journal fast path's validator in WebAssembly with SIMD: the same check
// as validateJs() in journal-quiet.ts (does JSON.parse accept this line, and
// where are the fields of interest), 16 bytes at a time inside strings.
// Measured on the bench's journal: a JS byte loop validates about 400 MB/s,
// this about 2 GB/s; the validation of every line is what keeps the record
// count exact, so its speed bounds the whole fast path.
//
// The module is assembled here from its instructions (helpers named after
// them), so there is no binary artifact and no toolchain to install. Where
// WebAssembly SIMD is unavailable, journal-quiet.ts uses validateJs(), and
// test/perf checks that both agree with each other and with JSON.parse.
//
// Memory layout: [0, 132) field slots (i32 start, end, kind at 12 × field),
// [256, 512) a byte-class table, [512, 768) the unescape() table, [ALL - 4, ...) the count and entries of
// fields(), [BASE, ...) the chunks, each with PAD bytes after it so 16-byte
// loads past a line's end stay inside memory (what they read there is never
// used: every walk stops at the line's '\n', a control character). The memory
// is shared, so that another thread can hash the chunks read into it.

export const WASM_BASE = 16384;
export const WASM_PAD = 64;
const TABLE = 256;
/** fields(): the count at ALL - 4, then per field i32 key start, key end, value start, value end, kind */
export const WASM_ALL = 4096;
export const WASM_ALL_MAX = 500;

// Byte classes in the table: bit 0 hex digit; bits 4-6 the kind an escape
// gives a string (2 yields no searched character, 3 a backslash, 4 any
// character: \u and \/), 0 for an invalid escape. Kind numbers are those of
// journal-quiet.ts.
function classTable(): number[] {
  const t = new Array<number>(256).fill(0);
  for (const ch of '0123456789abcdefABCDEF') t[ch.charCodeAt(0)]! |= 1;
  for (const ch of '"bfnrt') t[ch.charCodeAt(0)]! |= 2 << 4;
  t['\\'.charCodeAt(0)]! |= 3 << 4;
  t['/'.charCodeAt(0)]! |= 4 << 4;
  t['u'.charCodeAt(0)]! |= 4 << 4;
  return t;
}

/** What each escape letter stands for (\" \\ \/ \b \f \n \r \t); 0 for \u, which unescape() leaves to JSON.parse. */
const UNESCAPE = 512;
function unescapeTable(): number[] {
  const t = new Array<number>(256).fill(0);
  for (const [ch, to] of Object.entries({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })) t[ch.charCodeAt(0)] = to.charCodeAt(0);
  return t;
}

// ---------------------------------------------------------------- encoding

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...Buffer.from(s, 'latin1')].map((b) => [b]));

const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;

// Instructions used below.
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const tee = (l: number) => [0x22, l];
const i32 = (n: number) => [0x41, ...sleb(BigInt(n))];
const i64 = (n: bigint) => [0x42, ...sleb(BigInt.asIntN(64, n))];
const load8 = (offset = 0) => [0x2d, 0, ...uleb(offset)];
const load32 = (offset = 0) => [0x28, 0, ...uleb(offset)];
const load64 = (offset = 0) => [0x29, 0, ...uleb(offset)];
const store32 = (offset = 0) => [0x36, 0, ...uleb(offset)];
const store8 = (offset = 0) => [0x3a, 0, ...uleb(offset)];
const block = (...body: number[][]) => [0x02, VOID, ...body.flat(), 0x0b];
const loop = (...body: number[][]) => [0x03, VOID, ...body.flat(), 0x0b];
const ifThen = (...body: number[][]) => [0x04, VOID, ...body.flat(), 0x0b];
const ifElse = (then: number[][], els: number[][]) => [0x04, VOID, ...then.flat(), 0x05, ...els.flat(), 0x0b];
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const ret = [0x0f];
const call = (f: number) => [0x10, f];
const select = [0x1b];
const op = {
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltU: [0x49],
  gtU: [0x4b],
  geU: [0x4f],
  leU: [0x4d],
  leS: [0x4c],
  ctz: [0x68],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  or: [0x72],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  mul: [0x6c],
  i64Eq: [0x51],
  i64And: [0x83],
};
const simd = (code: number) => [0xfd, ...uleb(code)];
const v128load = [...simd(0x00), 0, 0];
const v128loadAt = (offset: number) => [...simd(0x00), 0, ...uleb(offset)];
const v128store = [...simd(0x0b), 0, 0];
const splat8 = (b: number) => [...simd(0x0c), ...new Array<number>(16).fill(b)];
const i8x16Eq = simd(0x23);
const i8x16LtU = simd(0x26);
const v128Or = simd(0x50);
const v128And = simd(0x4e);
const i8x16Bitmask = simd(0x64);

const fail = [...i32(-1), ...ret];
/** if (byte at local p + offset) != ch: return -1 */
const expectByte = (p: number, ch: string, offset = 0) => [...get(p), ...load8(offset), ...i32(ch.charCodeAt(0)), ...op.ne, ...ifThen(fail)];
const addTo = (l: number, n: number) => [...get(l), ...i32(n), ...op.add, ...set(l)];
const le64 = (s: string, from: number): bigint => {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(s.charCodeAt(from + k) || 0);
  return v;
};

// ---------------------------------------------------------------- functions

/** line()'s slot of MESSAGE (field 2): start, end, kind */
const MESSAGE_SLOT = 2 * 12;

const F_KEY = 0;
const F_ARRAY = 1;
const F_LINE = 2;
const F_FIELDS = 3;
const F_UNESCAPE = 4;
const F_EQUAL = 5;
/** words(): one function per list of words, from this index on */
const F_WORDS = 6;

/**
 * p = the first byte at or after p that ends a string's plain run: '"', '\\'
 * or a control character (a line's '\n' is one). Written out in place where
 * needed: a call per string costs more than the scan of most keys and values.
 * uses locals p, m (i32), v (v128)
 */
const plainInline = (p: number, m: number, v: number) => [
  ...block(
    loop(
      [...get(p), ...v128load, ...tee(v), ...splat8(0x22), ...i8x16Eq],
      [...get(v), ...splat8(0x5c), ...i8x16Eq, ...v128Or],
      [...get(v), ...splat8(0x20), ...i8x16LtU, ...v128Or],
      [...i8x16Bitmask, ...tee(m), ...brIf(1)],
      addTo(p, 16),
      br(0),
    ),
  ),
  ...get(p),
  ...get(m),
  ...op.ctz,
  ...op.add,
  ...set(p),
];

/** Key lengths of the fields of interest, as bits: most keys fail this test and skip key(). */
const KEY_LENGTHS = [20, 7, 8, 17, 5, 13, 10, 21, 27].reduce((m, n) => m | (1 << n), 0);

/**
 * key(ks, len) → field id of the key bytes [ks, ks + len): 1 __REALTIME_TIMESTAMP,
 * 2 MESSAGE, 3 PRIORITY, 4 SYSLOG_IDENTIFIER, 5 _COMM, 6 _SYSTEMD_UNIT,
 * 7 _TRANSPORT, 8 _BOOT_ID, 9 __MONOTONIC_TIMESTAMP, 10
 * _SOURCE_MONOTONIC_TIMESTAMP, 0 any other. Compares 8-byte words; for lengths
 * under 8 the word is masked, over 8 the last word overlaps the one before.
 * locals: 0 ks; 1 len
 */
function keyCase(len: number, id: number, s: string): number[] {
  const words: number[][] = [];
  if (len < 8) {
    const mask = (1n << BigInt(8 * len)) - 1n;
    words.push([...get(0), ...load64(), ...i64(mask), ...op.i64And, ...i64(le64(s, 0) & mask), ...op.i64Eq]);
  } else {
    const starts: number[] = [];
    for (let at = 0; at + 8 < len; at += 8) starts.push(at);
    starts.push(len - 8);
    for (const at of starts) words.push([...get(0), ...load64(at), ...i64(le64(s, at)), ...op.i64Eq]);
  }
  // all words equal → return id
  const all = words.reduce((acc, w, k) => (k === 0 ? w : [...acc, ...w, ...op.and]), [] as number[]);
  return [...get(1), ...i32(len), ...op.eq, ...ifThen(all, ifThen(i32(id), ret))];
}
const keyFn = {
  params: [I32, I32],
  locals: [] as number[][],
  body: [
    ...keyCase(20, 1, '__REALTIME_TIMESTAMP'),
    ...keyCase(7, 2, 'MESSAGE'),
    ...keyCase(8, 3, 'PRIORITY'),
    ...keyCase(17, 4, 'SYSLOG_IDENTIFIER'),
    ...keyCase(5, 5, '_COMM'),
    ...keyCase(13, 6, '_SYSTEMD_UNIT'),
    ...keyCase(10, 7, '_TRANSPORT'),
    ...keyCase(8, 8, '_BOOT_ID'),
    ...keyCase(21, 9, '__MONOTONIC_TIMESTAMP'),
    ...keyCase(27, 10, '_SOURCE_MONOTONIC_TIMESTAMP'),
    ...i32(0),
  ],
};

/** if table[byte at p + k] has no hex bit: return -1 */
const expectHex = (p: number, k: number) => [...get(p), ...load8(k), ...load8(TABLE), ...i32(1), ...op.and, ...op.eqz, ...ifThen(fail)];

/**
 * The rest of a JSON string after its opening quote, escapes checked: leaves
 * p on the closing quote (returns -1 from the function on a bad string), and
 * the highest escape kind seen in `kind`. Inlined into array() and line().
 * uses locals p, c, e, kind, m (i32), v (v128)
 */
function stringBody(p: number, c: number, e: number, kind: number, m: number, v: number): number[] {
  return block(
    loop(
      // p = plain(p); if byte is '"': done (depth 1 = the block)
      plainInline(p, m, v),
      [...get(p), ...load8(), ...tee(c), ...i32(0x22), ...op.eq, ...brIf(1)],
      // a control character
      [...get(c), ...i32(0x5c), ...op.ne, ...ifThen(fail)],
      // c = the escaped byte, e = the kind its escape gives; 0: not an escape JSON allows
      [...get(p), ...load8(1), ...tee(c), ...load8(TABLE), ...i32(4), ...op.shrU, ...tee(e), ...op.eqz, ...ifThen(fail)],
      // kind = max(kind, e)
      [...get(e), ...get(kind), ...get(e), ...get(kind), ...op.gtU, ...select, ...set(kind)],
      [...get(c), ...i32(0x75), ...op.eq],
      ifElse([expectHex(p, 2), expectHex(p, 3), expectHex(p, 4), expectHex(p, 5), addTo(p, 6)], [addTo(p, 2)]),
      br(0),
    ),
  );
}

/**
 * array(p) → index after the ']' of a flat array of integers and strings
 * starting after its '[' at p, or -1 (anything else: nested arrays, null,
 * negative or fractional numbers, whitespace; journalctl prints none of them).
 * locals: 0 p; 1 c; 2 e; 3 kind; 4 m; 5 v (v128)
 */
const arrayFn = {
  params: [I32],
  locals: [[4, I32], [1, V128]],
  body: [
    ...get(0),
    ...load8(),
    ...i32(0x5d),
    ...op.eq,
    ...ifThen([...get(0), ...i32(1), ...op.add, ...ret]),
    ...loop(
      [...get(0), ...load8(), ...tee(1), ...i32(0x30), ...op.sub, ...i32(9), ...op.leU],
      ifElse(
        [
          addTo(0, 1),
          // more digits unless the number is a lone 0
          [...get(1), ...i32(0x30), ...op.ne],
          ifThen(block(loop([...get(0), ...load8(), ...i32(0x30), ...op.sub, ...i32(9), ...op.gtU, ...brIf(1)], addTo(0, 1), br(0)))),
        ],
        [[...get(1), ...i32(0x22), ...op.ne, ...ifThen(fail)], addTo(0, 1), stringBody(0, 1, 2, 3, 4, 5), addTo(0, 1)],
      ),
      [...get(0), ...load8(), ...tee(1), ...i32(0x2c), ...op.eq],
      // ',': next element (depth 1 = the loop)
      ifThen(addTo(0, 1), br(1)),
      [...get(1), ...i32(0x5d), ...op.eq, ...ifThen([...get(0), ...i32(1), ...op.add, ...ret])],
      fail,
    ),
    ...i32(-1),
  ],
};

/** store32 at slot (field × 12 + offset) the value pushed by `value` */
const slot = (field: number, offset: number, value: number[]) => [...get(field), ...i32(12), ...op.mul, ...value, ...store32(offset)];

/**
 * line(p) → index of the '\n' ending the line at p when the line is a JSON
 * object journalctl could print ({"KEY":value,...} without whitespace; values
 * strings, null or flat arrays), no field of interest repeated, every key free
 * of escapes; else -1. Each field of interest found gets its slot: value
 * start and end (inside the quotes) and kind (1 plain, 2..4 escaped as the
 * table says, 5 null, 6 array); the others keep kind 0.
 *
 * fields(p), called right after line(p) on the same line, walks the same way
 * (but over the MESSAGE string, whose end line() noted) and lists every field (key start and end,
 * value start and end: inside the quotes of a string, the whole of null or an
 * array; kind) from WASM_ALL, their count at WASM_ALL - 4; -2 past
 * WASM_ALL_MAX fields.
 * locals: 0 p; 1 seen; 2 field; 3 ks; 4 vs; 5 kind; 6 c; 7 e; 8 n; 9 ke; 10 m; 11 v (v128)
 */
function lineFnOf(all: boolean) {
  // after each value: note it (fields) or fill its slot (line)
  const note = (kind: number[], vs: number[]) =>
    all
      ? [
          ...[
            [0, get(3)],
            [4, get(9)],
            [8, vs],
            [12, get(0)],
            [16, kind],
          ].flatMap(([off, v]) => [...get(8), ...i32(20), ...op.mul, ...(v as number[]), ...store32(WASM_ALL + (off as number))]),
          ...addTo(8, 1),
          ...[...get(8), ...i32(WASM_ALL_MAX), ...op.geU, ...ifThen(i32(-2), ret)],
        ]
      : [...get(2), ...ifThen(slot(2, 0, vs), slot(2, 4, get(0)), slot(2, 8, kind))];
  return {
    params: [I32],
    locals: [[10, I32], [1, V128]],
    body: [
      ...(all ? [] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((f) => [...i32(0), ...i32(0), ...store32(f * 12 + 8)])),
      ...expectByte(0, '{'),
      ...addTo(0, 1),
      ...loop(
        // "key":
        expectByte(0, '"'),
        addTo(0, 1),
        [...get(0), ...set(3)],
        plainInline(0, 10, 11),
        [...get(0), ...set(9)],
        expectByte(0, '"'),
        // field = key(ks, len) for the lengths that can be of interest, else 0
        all
          ? []
          : [
              ...i32(0),
              ...set(2),
              ...get(0),
              ...get(3),
              ...op.sub,
              ...tee(7),
              ...i32(28),
              ...op.ltU,
              ...ifThen([...i32(KEY_LENGTHS), ...get(7), ...op.shrU, ...i32(1), ...op.and, ...ifThen([...get(3), ...get(7), ...call(F_KEY), ...set(2)])]),
            ],
        addTo(0, 1),
        expectByte(0, ':'),
        addTo(0, 1),
        // a field of interest seen twice: JSON.parse would keep the last, the judgement could be fooled
        all
          ? []
          : [
              ...get(2),
              ...ifThen(
                [...get(1), ...i32(1), ...get(2), ...op.shl, ...op.and, ...ifThen(fail)],
                [...get(1), ...i32(1), ...get(2), ...op.shl, ...op.or, ...set(1)],
              ),
            ],
        // the value
        [...get(0), ...load8(), ...tee(6), ...i32(0x22), ...op.eq],
        ifElse(
          [
            addTo(0, 1),
            [...get(0), ...set(4), ...i32(1), ...set(5)],
            all
              ? [
                  // The MESSAGE string that line() has just walked (a traceback can be kilobytes): its slot says where it ends.
                  ...[...get(0), ...i32(0), ...load32(MESSAGE_SLOT), ...op.eq],
                  ...[...i32(0), ...load32(MESSAGE_SLOT + 8), ...tee(7), ...i32(0), ...op.ne, ...op.and],
                  ...[...get(7), ...i32(4), ...op.leU, ...op.and],
                  ...ifElse([[...i32(0), ...load32(MESSAGE_SLOT + 4), ...set(0), ...get(7), ...set(5)]], [stringBody(0, 6, 7, 5, 10, 11)]),
                ]
              : stringBody(0, 6, 7, 5, 10, 11),
            note(get(5), get(4)),
            addTo(0, 1),
          ],
          [
            [...get(0), ...set(4)],
            [...get(6), ...i32(0x6e), ...op.eq],
            ifElse(
              [
                // "null", as a little-endian word
                [...get(0), ...load32(), ...i32(0x6c6c756e), ...op.ne, ...ifThen(fail)],
                addTo(0, 4),
                note(i32(5), get(4)),
              ],
              [
                [...get(6), ...i32(0x5b), ...op.ne, ...ifThen(fail)],
                [...get(0), ...i32(1), ...op.add, ...call(F_ARRAY), ...tee(0), ...i32(-1), ...op.eq, ...ifThen(fail)],
                note(i32(6), get(4)),
              ],
            ),
          ],
        ),
        // ',' → next key (depth 1 = the loop); '}' + '\n' → done
        [...get(0), ...load8(), ...tee(6), ...i32(0x2c), ...op.eq],
        ifThen(addTo(0, 1), br(1)),
        [...get(6), ...i32(0x7d), ...op.eq, ...get(0), ...load8(1), ...i32(0x0a), ...op.eq, ...op.and],
        ifThen(all ? [...i32(0), ...get(8), ...store32(WASM_ALL - 4), ...get(0), ...i32(1), ...op.add, ...ret] : [...get(0), ...i32(1), ...op.add, ...ret]),
        fail,
      ),
      ...i32(-1),
    ],
  };
}
const lineFn = lineFnOf(false);
const fieldsFn = lineFnOf(true);

/** The memory's limit, 1 GiB: far past two chunks of the longest line a journal reader keeps. */
const MAX_PAGES = 16384;

/**
 * unescape(s, e, d) → end of the bytes written from d: the string body
 * [s, e) (between its quotes, validated) with each escape replaced by the
 * byte it stands for; -1 at a \u escape (JSON.parse decodes those). Copies 16
 * bytes at a time up to the next backslash, so up to 15 bytes past the end
 * are written.
 * locals: 0 s; 1 e; 2 d; 3 m; 4 n; 5 k
 */
const unescapeFn = {
  params: [I32, I32, I32],
  locals: [[3, I32]],
  body: [
    ...loop(
      [...get(0), ...get(1), ...op.geU, ...ifThen(get(2), ret)],
      [...get(2), ...get(0), ...v128load, ...v128store],
      // n = bytes of this block inside the string; m = its backslashes
      [...get(1), ...get(0), ...op.sub, ...tee(4), ...i32(16), ...get(4), ...i32(16), ...op.ltU, ...select, ...set(4)],
      [...get(0), ...v128load, ...splat8(0x5c), ...i8x16Eq, ...i8x16Bitmask, ...op.ctz, ...tee(5), ...get(4), ...op.geU],
      // none in it: on to the next block (depth 1 = the loop)
      ifThen([...get(0), ...get(4), ...op.add, ...set(0), ...get(2), ...get(4), ...op.add, ...set(2)], br(1)),
      // the bytes before the backslash are in place; then the escaped byte
      [...get(0), ...get(5), ...op.add, ...set(0), ...get(2), ...get(5), ...op.add, ...set(2)],
      [...get(0), ...load8(1), ...load8(UNESCAPE), ...tee(3), ...op.eqz, ...ifThen(fail)],
      [...get(2), ...get(3), ...store8()],
      addTo(0, 2),
      addTo(2, 1),
      br(0),
    ),
    ...i32(-1),
  ],
};

/** Rough frequency of a byte in log text, to anchor each word on its rarest pair of bytes. */
function frequency(c: string): number {
  if (c === ' ') return 0.18;
  const letter = 'etaoinsrhldcumfpgwybvkxjqz'.indexOf(c);
  return letter >= 0 ? 0.12 - letter * 0.0045 : 0.01;
}
/** Pairs of letters far more common in English (and in tracebacks) than their letters make them. */
const COMMON_PAIRS = new Set('th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ck ct us ac oc os'.split(' '));
const pairScore = (w: string, k: number) => frequency(w[k]!) * frequency(w[k + 1]!) * (COMMON_PAIRS.has(w.slice(k, k + 2)) ? 10 : 1);

const isLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/**
 * words(s, e) → 1 when one of `words` occurs in the bytes [s, e), ASCII
 * letters in any case (as a RegExp with the i flag finds them in the latin1
 * text: it folds no other byte to an ASCII letter); else 0. Each word has an
 * anchor, its rarest pair of bytes; 16 positions at a time are tested for
 * any anchor (folded with 0x20, which never loses a match), and the words
 * are compared byte by byte where one is. Loads go up to 17 bytes past e.
 * locals: 0 s; 1 e; 2 p; 3 m; 4 q; 5 t; 6 v0 (v128); 7 v1 (v128)
 */
function wordsFnOf(words: readonly string[]) {
  const anchors = new Map<string, number[]>();
  const plan = words.map((w) => {
    if (w.length < 2 || !/^[\x20-\x7e]+$/.test(w) || w !== w.toLowerCase()) throw new Error(`words: ${JSON.stringify(w)} is not two or more lower-case ASCII characters`);
    let at = 0;
    for (let k = 1; k + 1 < w.length; k++) if (pairScore(w, k) < pairScore(w, at)) at = k;
    const pair = w.slice(at, at + 2);
    anchors.set(pair, [pair.charCodeAt(0) | 0x20, pair.charCodeAt(1) | 0x20]);
    return { bytes: [...w].map((c) => c.charCodeAt(0)), at };
  });
  // if the word starts at t (= q - its anchor's offset) and fits in [s, e) and matches: return 1
  const check = ({ bytes, at }: { bytes: number[]; at: number }) =>
    block(
      [...get(4), ...i32(at), ...op.sub, ...tee(5), ...get(0), ...op.ltU, ...brIf(0)],
      [...get(5), ...i32(bytes.length), ...op.add, ...get(1), ...op.gtU, ...brIf(0)],
      ...bytes.map((c, k) => [...get(5), ...load8(k), ...(isLetter(c) ? [...i32(0x20), ...op.or] : []), ...i32(c), ...op.ne, ...brIf(0)]),
      [...i32(1), ...ret],
    );
  if (plan.length === 0) return { params: [I32, I32], locals: [] as number[][], body: i32(0) };
  const any = [...anchors.values()].map(([a, b], k) => [...get(6), ...splat8(a!), ...i8x16Eq, ...get(7), ...splat8(b!), ...i8x16Eq, ...v128And, ...(k > 0 ? v128Or : [])]);
  return {
    params: [I32, I32],
    locals: [[4, I32], [2, V128]],
    body: [
      ...get(0),
      ...set(2),
      ...block(
        loop(
          [...get(2), ...get(1), ...op.geU, ...brIf(1)],
          [...get(2), ...v128load, ...splat8(0x20), ...v128Or, ...set(6)],
          [...get(2), ...v128loadAt(1), ...splat8(0x20), ...v128Or, ...set(7)],
          ...any,
          [...i8x16Bitmask, ...set(3)],
          block(
            loop(
              [...get(3), ...op.eqz, ...brIf(1)],
              [...get(2), ...get(3), ...op.ctz, ...op.add, ...set(4)],
              ...plan.map(check),
              // m &= m - 1
              [...get(3), ...get(3), ...i32(1), ...op.sub, ...op.and, ...set(3)],
              br(0),
            ),
          ),
          addTo(2, 16),
          br(0),
        ),
      ),
      ...i32(0),
    ],
  };
}

/**
 * equal(a, b, n) → 1 when the bytes [a, a + n) and [b, b + n) are the same,
 * else 0; 16 at a time (loads go up to 15 bytes past each range).
 * locals: 0 a; 1 b; 2 n; 3 m
 */
const equalFn = {
  params: [I32, I32, I32],
  locals: [[1, I32]],
  body: [
    ...loop(
      [...get(2), ...i32(0), ...op.leS, ...ifThen(i32(1), ret)],
      // m = lanes that differ, of those inside n
      [...get(0), ...v128load, ...get(1), ...v128load, ...i8x16Eq, ...i8x16Bitmask, ...i32(0xffff), ...op.xor, ...set(3)],
      [...get(2), ...i32(16), ...op.ltU, ...ifThen([...get(3), ...i32(1), ...get(2), ...op.shl, ...i32(1), ...op.sub, ...op.and, ...set(3)])],
      [...get(3), ...ifThen(i32(0), ret)],
      addTo(0, 16),
      addTo(1, 16),
      addTo(2, -16),
      br(0),
    ),
    ...i32(1),
  ],
};

function moduleBytes(pages: number, wordLists: readonly (readonly string[])[]): Uint8Array {
  // In the order of the F_* indices.
  const fns = [keyFn, arrayFn, lineFn, fieldsFn, unescapeFn, equalFn, ...wordLists.map(wordsFnOf)];
  // A type per number of i32 parameters (1 to 3), each returning an i32.
  const types = [1, 2, 3].map((n) => [0x60, ...vec(new Array<number[]>(n).fill([I32])), ...vec([[I32]])]);
  const typeOf = (f: { params: number[] }) => f.params.length - 1;
  const code = fns.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n!), t!])), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    // The memory, imported: shared (flags 3), so a hashing thread can read the chunks read into it.
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(pages), ...uleb(MAX_PAGES)]])),
    ...section(3, vec(fns.map((f) => uleb(typeOf(f))))),
    ...section(7, vec([[...name('line'), 0x00, ...uleb(F_LINE)], [...name('fields'), 0x00, ...uleb(F_FIELDS)], [...name('unescape'), 0x00, ...uleb(F_UNESCAPE)], [...name('equal'), 0x00, ...uleb(F_EQUAL)], ...wordLists.map((_, k) => [...name(`words${k}`), 0x00, ...uleb(F_WORDS + k)])])),
    ...section(10, vec(code)),
    ...section(
      11,
      vec([
        [0x00, ...i32(TABLE), 0x0b, ...vec(classTable().map((b) => [b]))],
        [0x00, ...i32(UNESCAPE), 0x0b, ...vec(unescapeTable().map((b) => [b]))],
      ]),
    ),
  ]);
}

// The few WebAssembly APIs used here (the project's lib settings carry no DOM types).
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};

export interface WasmValidator {
  memory: WasmMemory;
  /** see lineFnOf: index of the line's '\n', or -1 */
  line(p: number): number;
  /** see lineFnOf: index of the line's '\n', -1, or -2 for too many fields */
  fields(p: number): number;
  /** see unescapeFn */
  unescape(s: number, e: number, d: number): number;
  /** see wordsFnOf: per list of words given, a search: 1 when one of them occurs in [s, e), else 0 */
  words: ((s: number, e: number) => number)[];
  /** see equalFn: 1 when [a, a + n) and [b, b + n) hold the same bytes, else 0 */
  equal(a: number, b: number, n: number): number;
}

let supported: boolean | null = null;

/**
 * A validator whose memory holds a chunk of `chunkBytes` at WASM_BASE, and
 * whose words[k] looks for wordLists[k]; null where WebAssembly SIMD is not
 * available (then validateJs() does the work).
 */
export function createWasmValidator(chunkBytes: number, wordLists: readonly (readonly string[])[] = []): WasmValidator | null {
  if (typeof WebAssembly !== 'object') return null;
  const pages = Math.ceil((WASM_BASE + chunkBytes + WASM_PAD) / 65536);
  const bytes = moduleBytes(pages, wordLists);
  supported ??= WebAssembly.validate(bytes);
  if (!supported) return null;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const fn = (n: string) => instance.exports[n] as (...p: number[]) => number;
  return { memory, line: fn('line'), fields: fn('fields'), unescape: fn('unescape'), equal: fn('equal'), words: wordLists.map((_, k) => fn(`words${k}`)) };
}
