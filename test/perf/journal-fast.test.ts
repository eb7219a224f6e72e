// One definition of correctness for the journal fast path: the analysis it
// gives is the full parse's, on input built to hit every case (varied-journal)
// and on the bench's realistic mix, in every way it can run (chunk sizes that
// cut lines anywhere, WebAssembly or JS validation); and its
// validator accepts only lines JSON.parse accepts, finding the fields where
// JSON.parse finds them. Speed and memory are the bench's business.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../helpers/bundle.js';
import { openBundle } from '../../src/bundle/reader.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { ConfigSchema } from '../../src/config.js';
import { readJournal } from '../../src/parse/journal.js';
import { readJournalFast } from '../../src/parse/journal-fast.js';
import { WORD_LISTS, validateJs } from '../../src/parse/journal-quiet.js';
import { anyOfWords } from '../../src/classify/words.js';
import { createWasmValidator, WASM_BASE } from '../../src/parse/journal-validate-wasm.js';
import type { LogRecord } from '../../src/parse/types.js';
import { generateJournal } from '../../bench/gen-journal.mjs';
import { rng, variedJournal } from './varied-journal.js';

const CLI = join(__dirname, '../../dist/cli.js');
const KNOBS = ['CHARGER_DIAG_FULL_PARSE', 'CHARGER_DIAG_JOURNAL_CHUNK', 'CHARGER_DIAG_JOURNAL_WASM'];
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function bundleOf(journal: string): string {
  const b = writeBundle({ files: { 'commands/journal.jsonl': journal } });
  cleanups.push(b.cleanup);
  return b.dir;
}

/** The analysis JSON of a bundle, with the fast path's knobs set as given (and the others unset). */
async function analysis(dir: string, knobs: Record<string, string>): Promise<string> {
  const saved = KNOBS.map((k) => [k, process.env[k]] as const);
  for (const k of KNOBS) delete process.env[k];
  Object.assign(process.env, knobs);
  try {
    const bundle = await openBundle(dir);
    try {
      return JSON.stringify(await analyzeBundle(bundle, ConfigSchema.parse({})), null, 1);
    } finally {
      await bundle.close();
    }
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const FAST_WAYS: Record<string, Record<string, string>> = {
  'default chunks': {},
  '256-byte chunks (long lines gathered apart)': { CHARGER_DIAG_JOURNAL_CHUNK: '256' },
  '3000-byte chunks, JS validation': { CHARGER_DIAG_JOURNAL_CHUNK: '3000', CHARGER_DIAG_JOURNAL_WASM: '0' },
  '64 KiB chunks': { CHARGER_DIAG_JOURNAL_CHUNK: '65536' },
};

describe('journal fast path: the same analysis as the full parse', () => {
  for (const seed of [1, 2, 3]) {
    it(`varied journal, seed ${seed}: every way of running gives the full parse's analysis JSON`, async () => {
      const dir = bundleOf(variedJournal(seed, 2500).text);
      const full = await analysis(dir, { CHARGER_DIAG_FULL_PARSE: '1' });
      const a = JSON.parse(full) as { findings: { rule: string }[]; sources: { id: string; records: number; skippedRecords: number; inWindow?: number; problems?: { reason: string }[] }[] };
      // The input really reaches the consumers: most rules that read logs fire.
      const fired = new Set(a.findings.map((f) => f.rule));
      for (const rule of ['kernel.oom-kill', 'kernel.segfault', 'service.failed', 'service.restart-loop', 'service.start-limit-hit', 'service.watchdog-timeout', 'proxy.upstream-errors', 'process.port-conflict', 'log.errors', 'host.rebooted']) {
        expect(fired, rule).toContain(rule);
      }
      const journal = a.sources.find((s) => s.id === 'journal')!;
      expect(journal.skippedRecords).toBeGreaterThan(10);
      expect(journal.inWindow).toBeLessThan(journal.records);
      for (const [name, knobs] of Object.entries(FAST_WAYS)) {
        expect(await analysis(dir, knobs), name).toBe(full);
      }
    });
  }

  it("the bench's realistic mix: same analysis, and most lines never leave the scan", async () => {
    const work = mkdtempSync(join(tmpdir(), 'cd-perf-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const path = join(work, 'journal.jsonl');
    const g = generateJournal(path, 3 * 1024 * 1024, { startMs: Date.parse('2025-12-10T00:50:00+03:00'), spanMs: 30 * 60_000 });
    const dir = bundleOf(readFileSync(path, 'utf8'));
    const full = await analysis(dir, { CHARGER_DIAG_FULL_PARSE: '1' });
    expect(await analysis(dir, {})).toBe(full);
    expect(await analysis(dir, { CHARGER_DIAG_JOURNAL_CHUNK: '10000' })).toBe(full);

    let delivered = 0;
    const r = await readJournalFast(path, 'commands/journal.jsonl', { window: { sinceMs: null, untilMs: null } }, () => delivered++);
    expect(r.records).toBe(g.lines);
    // Errors, systemd, kernel and proxy lines, health requests and byte arrays: about a tenth.
    expect(delivered / r.records).toBeLessThan(0.2);
  });

  it('the built CLI (small chunks) prints the same analysis', () => {
    const dir = bundleOf(variedJournal(4, 3000).text);
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [CLI, 'analyze', dir, '--json'], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const full = run({ CHARGER_DIAG_FULL_PARSE: '1' });
    expect(run({ CHARGER_DIAG_JOURNAL_CHUNK: '1024' })).toBe(full);
    expect(run({ CHARGER_DIAG_JOURNAL_CHUNK: '300000' })).toBe(full);
  });
});

describe('journal fast path: the records it delivers', () => {
  it('are the full parse records of the same lines; quiet ones are only counted; the hash is the file SHA-256', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cd-perf-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const path = join(work, 'journal.jsonl');
    writeFileSync(path, variedJournal(5, 4000).text);
    const full = new Map<number, LogRecord>();
    const f = await readJournal(path, 'j', (r) => full.set(r.line, r));
    // Read and hashed inline and on a thread of their own (as for a big file).
    // Validated in WebAssembly and in JavaScript (the default below WASM_BYTES, as for this file).
    for (const [chunkBytes, thread, wasm] of [[200, true, true], [8192, false, undefined], [4 * 1024 * 1024, true, false], [4 * 1024 * 1024, false, true]] as const) {
      const fast: LogRecord[] = [];
      const window = { sinceMs: Date.parse('2025-12-10T01:00:00+03:00'), untilMs: Date.parse('2025-12-10T01:15:00+03:00') };
      const r = await readJournalFast(path, 'j', { window, chunkBytes, thread, wasm }, (x) => fast.push(x));
      expect({ records: r.records, skipped: r.skipped, problems: r.problems }).toEqual({ records: f.records, skipped: f.skipped, problems: f.problems });
      expect(r.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
      expect(fast.map((x) => x.line)).toEqual([...fast.map((x) => x.line)].sort((a, b) => a - b));
      for (const x of fast) expect(x).toEqual(full.get(x.line));
      expect(fast.length).toBeLessThan(full.size);
    }
    for (const thread of [false, true]) {
      const unhashed = await readJournalFast(path, 'j', { window: { sinceMs: null, untilMs: null }, hash: false, thread }, () => {});
      expect(unhashed.sha256).toBeNull();
      expect(unhashed.records).toBe(f.records);
    }
  });
});

describe('journal fast path: lines past the 8 MiB cap', () => {
  it('are skipped with the same problem and line numbers as by the full parse, in the middle and at the end', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cd-perf-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const path = join(work, 'journal.jsonl');
    const lines = variedJournal(9, 300).text.split('\n');
    // A line of exactly `bytes` bytes (the cap is 8 MiB: at it a line is read, past it skipped).
    const sized = (bytes: number, fill: string) => {
      const head = '{"__REALTIME_TIMESTAMP":"1765317612325131","PRIORITY":"3","MESSAGE":"';
      return `${head}${fill.repeat(bytes - head.length - 2)}"}`;
    };
    const cap = 8 * 1024 * 1024;
    const atCap = sized(cap, 'z');
    const pastCap = sized(cap + 1, 'y');
    writeFileSync(path, [...lines.slice(0, 100), pastCap, atCap, sized(5 * 1024 * 1024, 'w'), ...lines.slice(100, -1), sized(9 * 1024 * 1024, 'v').slice(0, -2)].join('\n'));
    const full: LogRecord[] = [];
    const f = await readJournal(path, 'j', (r) => full.push(r));
    expect(f.problems.filter((p) => /longer than/.test(p.reason))).toHaveLength(2);
    expect(full.filter((x) => x.text.length > 1024 * 1024)).toHaveLength(2);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    for (const [chunkBytes, thread, wasm] of [[4096, true, true], [4 * 1024 * 1024, false, false], [4 * 1024 * 1024, false, true]] as const) {
      const fast: LogRecord[] = [];
      const r = await readJournalFast(path, 'j', { window: { sinceMs: null, untilMs: null }, chunkBytes, thread, wasm }, (x) => fast.push(x));
      expect({ records: r.records, skipped: r.skipped, problems: r.problems }).toEqual({ records: f.records, skipped: f.skipped, problems: f.problems });
      expect(r.sha256).toBe(sha256);
      // The long records are errors (priority 3): delivered, and the same.
      expect(fast.filter((x) => x.text.length > 1024 * 1024)).toEqual(full.filter((x) => x.text.length > 1024 * 1024));
    }
  });
});

// Field slots of the validators: 1-based field id → the key it stands for.
const FIELD_NAMES = ['', '__REALTIME_TIMESTAMP', 'MESSAGE', 'PRIORITY', 'SYSLOG_IDENTIFIER', '_COMM', '_SYSTEMD_UNIT', '_TRANSPORT', '_BOOT_ID', '__MONOTONIC_TIMESTAMP', '_SOURCE_MONOTONIC_TIMESTAMP'];

/** Byte-level damage of the kinds a torn or hand-edited export has. */
function mutate(line: Buffer, r: () => number): Buffer {
  const b = Buffer.from(line);
  const at = Math.floor(r() * b.length);
  const tricky = [0x22, 0x5c, 0x00, 0x09, 0x0a, 0x20, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x75, 0x6e, 0xff, 0xc3, 0x30];
  switch (Math.floor(r() * 4)) {
    case 0:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    case 1:
      return Buffer.concat([b.subarray(0, at), Buffer.from([tricky[Math.floor(r() * tricky.length)]!]), b.subarray(at)]);
    case 2:
      b[at] = tricky[Math.floor(r() * tricky.length)]!;
      return b;
    default:
      return b.subarray(0, at);
  }
}

describe('journal fast path: the validator', () => {
  it('accepts only what JSON.parse accepts, finds each field of interest where JSON.parse does, and the WebAssembly and JS versions agree', () => {
    const wasm = createWasmValidator(1024 * 1024, WORD_LISTS);
    const wordTexts = WORD_LISTS.map(anyOfWords);
    expect(wasm, 'WebAssembly SIMD is available on Node 20').not.toBeNull();
    const view = Buffer.from(wasm!.memory.buffer);
    const wasmAt = new Int32Array(wasm!.memory.buffer, 0, FIELD_NAMES.length * 3);
    const jsAt = new Int32Array(FIELD_NAMES.length * 3);
    const r = rng(11);
    // Hand-made lines at the edges of JSON, then generated ones and their damaged copies.
    const edges = [
      '{"MESSAGE":"\\u12"}',
      '{"MESSAGE":"\\u12G4"}',
      '{"MESSAGE":"\\u00e9\\u0041"}',
      '{"MESSAGE":"\\x41"}',
      '{"MESSAGE":"a\\\\"}',
      '{"MESSAGE":"a\\"}',
      '{"PRIORITY":"6","PRIORITY":"3"}',
      '{"PRIORITY":"6","PRIORIT\\u0059":"3"}',
      '{"a":[],"b":[0],"c":[00],"d":[1,],"e":[,1],"f":["x",7],"g":[-1],"h":[1.5]}',
      '{"a":nul}',
      '{"a":null }',
      '{"a":"b",}',
      '{"a" :"b"}',
      '{"a":"b"}}',
      '{}',
      '{"":""}',
      '{"MESSAGE":"\u00e9\u{1F600}"}',
      // words() at the edges of the text and of its 16-byte blocks, in any case, and near misses
      '{"MESSAGE":"HTTP/"}',
      '{"MESSAGE":"http\\/1.1"}',
      '{"MESSAGE":"0123456789abcdeaddrINUSE"}',
      '{"MESSAGE":"0123456789abcdEaddrinus"}',
      '{"MESSAGE":"EaddrinusX in usX http:/ (98 errno98"}',
      '{"MESSAGE":"xIn UsE0123456789abcdef(98: "}',
      '{"MESSAGE":"errno 9","PRIORITY":"errno 98"}',
      '{"MESSAGE":"unittest.MocK nosE JEST"}',
      '{"MESSAGE":"\u00c9rrno 98 \u0131n use"}',
    ].map((l) => Buffer.from(l));
    const base = [...edges, ...variedJournal(7, 1500).text.split('\n').map((l) => Buffer.from(l))];
    let valid = 0;
    let checked = 0;
    for (const line of base) {
      for (const candidate of [line, mutate(line, r), mutate(mutate(line, r), r)]) {
        if (candidate.includes(0x0a)) continue;
        checked++;
        const buf = Buffer.concat([candidate, Buffer.from('\n'), Buffer.alloc(64)]);
        const js = validateJs(buf, 0, jsAt);
        view.set(buf, WASM_BASE);
        const w = wasm!.line(WASM_BASE);
        expect(w < 0 ? -1 : w - WASM_BASE, candidate.toString('latin1')).toBe(js);
        if (js < 0) continue;
        valid++;
        const text = candidate.toString('utf8');
        const parsed = JSON.parse(text) as Record<string, unknown>;
        for (let f = 1; f < FIELD_NAMES.length; f++) {
          const kind = jsAt[f * 3 + 2]!;
          expect(wasmAt[f * 3 + 2]).toBe(kind);
          const v = parsed[FIELD_NAMES[f]!];
          if (kind === 0) expect(v).toBeUndefined();
          else if (kind === 5) expect(v).toBeNull();
          else if (kind === 6) expect(Array.isArray(v)).toBe(true);
          else {
            expect([wasmAt[f * 3]! - WASM_BASE, wasmAt[f * 3 + 1]! - WASM_BASE]).toEqual([jsAt[f * 3], jsAt[f * 3 + 1]]);
            expect(JSON.parse(`"${buf.toString('utf8', jsAt[f * 3]!, jsAt[f * 3 + 1]!)}"`)).toBe(v);
            // unescape() then UTF-8 gives the value too, but for \u escapes (left to JSON.parse).
            const [s, e] = [wasmAt[f * 3]!, wasmAt[f * 3 + 1]!];
            const d = view.length - (e - s) - 64;
            const end = wasm!.unescape(s, e, d);
            if (end >= 0) expect(view.toString('utf8', d, end)).toBe(v);
            else expect(view.subarray(s, e).includes('\\u')).toBe(true);
            // words() on the raw bytes: what the RegExp finds in their latin1 text.
            const latin1 = buf.toString('latin1', jsAt[f * 3]!, jsAt[f * 3 + 1]!);
            wordTexts.forEach((re, k) => expect(wasm!.words[k]!(wasmAt[f * 3]!, wasmAt[f * 3 + 1]!), `${k}: ${latin1}`).toBe(re.test(latin1) ? 1 : 0));
            // Kind 1: no escape at all, so the raw bytes are the value.
            if (kind === 1) expect(buf.toString('utf8', jsAt[f * 3]!, jsAt[f * 3 + 1]!)).toBe(v);
          }
        }
      }
    }
    // equal(): ranges of 0 to 40 bytes, the same or one byte apart, anywhere in the last lines checked.
    for (let k = 0; k < 2000; k++) {
      const n = Math.floor(r() * 41);
      const a = WASM_BASE + Math.floor(r() * 64);
      const b = a + 70 + Math.floor(r() * 64);
      view.copy(view, b, a, a + n);
      if (k % 2 === 1 && n > 0) view[b + Math.floor(r() * n)]! ^= 1 << Math.floor(r() * 8);
      expect(wasm!.equal(a, b, n)).toBe(view.subarray(a, a + n).equals(view.subarray(b, b + n)) ? 1 : 0);
    }
    // Both verdicts occur in numbers.
    expect(valid).toBeGreaterThan(checked / 4);
    expect(checked - valid).toBeGreaterThan(checked / 10);
  });
});

describe('bundle sha256 with a hash handed over by the journal reader', () => {
  it('a .tar.gz bundle (hashed as the archive: the journal is not hashed) gives the full parse analysis', async () => {
    const dir = bundleOf(variedJournal(10, 1500).text);
    const archive = `${dir}.tar.gz`;
    cleanups.push(() => rmSync(archive, { force: true }));
    execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
    const b = await openBundle(archive);
    expect(b.wantsContentHash?.('commands/journal.jsonl')).toBe(false);
    await b.close();
    expect(await analysis(archive, {})).toBe(await analysis(archive, { CHARGER_DIAG_FULL_PARSE: '1' }));
  });

  it('is the same value; a hand-over after sha256() started, or of a file not in the bundle, is ignored', async () => {
    const dir = bundleOf(variedJournal(8, 200).text);
    const plain = await openBundle(dir);
    const expected = await plain.sha256();
    await plain.close();

    const adopted = await openBundle(dir);
    expect(adopted.wantsContentHash?.('commands/journal.jsonl')).toBe(true);
    expect(adopted.wantsContentHash?.('commands/other.txt')).toBe(false);
    const content = createHash('sha256').update(readFileSync(join(dir, 'commands/journal.jsonl'))).digest('hex');
    adopted.adoptContentHash?.('commands/journal.jsonl', content);
    adopted.adoptContentHash?.('commands/other.txt', 'f'.repeat(64));
    expect(await adopted.sha256()).toBe(expected);
    await adopted.close();

    // A wrong hand-over shows, which is how the test above can fail.
    const wrong = await openBundle(dir);
    wrong.adoptContentHash?.('commands/journal.jsonl', '0'.repeat(64));
    expect(await wrong.sha256()).not.toBe(expected);
    await wrong.close();

    const late = await openBundle(dir);
    const first = await late.sha256();
    expect(late.wantsContentHash?.('commands/journal.jsonl')).toBe(false);
    late.adoptContentHash?.('commands/journal.jsonl', '0'.repeat(64));
    expect(await late.sha256()).toBe(first);
    await late.close();
  });
});
