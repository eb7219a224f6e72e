// A hostile journal line nested thousands deep is one counted skip in every
// reader (the full parse, the fast path validating in WebAssembly or in JS,
// chunk sizes that put the line inside a chunk or make it longer than one);
// the rest of the journal is read as before. journalctl's own deepest shape
// (a repeated field of byte arrays) stays a record.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal, parseJournalLine, JOURNAL_MAX_NESTING } from '../../src/parse/journal.js';
import { readJournalFast } from '../../src/parse/journal-fast.js';
import type { LogRecord } from '../../src/parse/types.js';

const FIX = join(import.meta.dirname, 'fixtures');
const DEPTH = 20_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

/** A real entry of the fixture with one field replaced by raw JSON text. */
function withField(entry: Record<string, unknown>, name: string, raw: string): string {
  const e = { ...entry };
  delete e[name];
  return `${JSON.stringify(e).slice(0, -1)},${JSON.stringify(name)}:${raw}}`;
}

let dir: string;
let real: string[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-deep-'));
  real = readFileSync(join(FIX, 'journal-252.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A case may turn the WebAssembly validation off; the value the run started with comes back after it.
const wasmSetting = process.env.CHARGER_DIAG_JOURNAL_WASM;
afterEach(() => {
  if (wasmSetting === undefined) delete process.env.CHARGER_DIAG_JOURNAL_WASM;
  else process.env.CHARGER_DIAG_JOURNAL_WASM = wasmSetting;
});

interface Hostile {
  name: string;
  line: string;
  /** the skip's reason when not the nesting one */
  reason?: string;
}

function hostileLines(): Hostile[] {
  const base = JSON.parse(real[10]!) as Record<string, unknown>;
  return [
    { name: 'MESSAGE as deep arrays', line: withField(base, 'MESSAGE', deepArray) },
    { name: 'MESSAGE as deep objects', line: withField(base, 'MESSAGE', deepObject) },
    { name: 'a repeated MESSAGE whose first value is deep', line: withField(base, 'MESSAGE', `[${deepArray},"x"]`) },
    { name: 'deep arrays in a field nobody reads', line: withField(base, 'X_HOSTILE', deepArray) },
    { name: 'deep objects in a field nobody reads', line: withField(base, 'X_HOSTILE', deepObject) },
    { name: 'deep arrays in _SYSTEMD_UNIT', line: withField(base, '_SYSTEMD_UNIT', deepArray) },
    { name: 'deep arrays in __REALTIME_TIMESTAMP', line: withField(base, '__REALTIME_TIMESTAMP', deepArray) },
    { name: 'a whole line of deep objects', line: deepObject },
    { name: 'a whole line of deep arrays', line: deepArray, reason: 'not a JSON object' },
  ];
}

/** The fixture's 38 entries with the hostile lines between them; where each hostile line landed. */
function journalWithHostileLines(): { path: string; hostileAt: number[]; text: string } {
  const lines = [...real];
  const hostileAt: number[] = [];
  hostileLines().forEach((h, k) => {
    const at = 3 + k * 4;
    lines.splice(at, 0, h.line);
    hostileAt.push(at + 1);
  });
  const text = `${lines.join('\n')}\n`;
  const path = join(dir, `journal-${hostileAt.length}.jsonl`);
  writeFileSync(path, text);
  return { path, hostileAt, text };
}

describe('a journal line nested 20,000 deep', () => {
  it('is one skipped record with its reason, each variant, in parseJournalLine', () => {
    for (const h of hostileLines()) {
      const r = parseJournalLine(h.line, 7, 'j');
      expect(r, h.name).toEqual({ problem: h.reason ?? `JSON nested more than ${JOURNAL_MAX_NESTING} levels deep (journalctl writes at most 3)` });
    }
  });

  it('journalctl’s own deepest shape (a repeated field of byte arrays) is still a record', () => {
    const base = JSON.parse(real[10]!) as Record<string, unknown>;
    const r = parseJournalLine(withField(base, 'MESSAGE', '[[104,105],[116,104,101,114,101]]'), 1, 'j');
    expect(r).toMatchObject({ text: 'hi', line: 1 });
    const eightDeep = withField(base, 'X_ODD', '[[[[[[["x"]]]]]]]');
    expect(parseJournalLine(eightDeep, 1, 'j')).toMatchObject({ line: 1 });
  });

  it('the full parse reads the other 38 entries and counts each hostile line once', async () => {
    const { path, hostileAt } = journalWithHostileLines();
    const records: LogRecord[] = [];
    const r = await readJournal(path, 'j', (x) => records.push(x));
    expect(r.records).toBe(38);
    expect(r.skipped).toBe(hostileAt.length);
    expect(r.problems.map((p) => p.line)).toEqual(hostileAt);
    expect(r.problems.map((p) => p.reason)).toEqual(hostileLines().map((h) => h.reason ?? `JSON nested more than ${JOURNAL_MAX_NESTING} levels deep (journalctl writes at most 3)`));
    // The other entries are exactly what they are without the hostile lines between them.
    expect(records.map((x) => x.text)).toEqual(real.map((l, k) => (parseJournalLine(l, k + 1, 'j') as LogRecord).text));
  });

  for (const wasm of [true, false]) {
    it(`the fast path (${wasm ? 'WebAssembly' : 'JS'} validation) gives the full parse's counts at every chunk size`, async () => {
      if (!wasm) process.env.CHARGER_DIAG_JOURNAL_WASM = '0';
      const { path } = journalWithHostileLines();
      const full = await readJournal(path, 'j', () => {});
      // 64 bytes: every hostile line is longer than a chunk and gathered alone; 4 MiB: all in one chunk.
      for (const chunkBytes of [64, 4096, 100_000, 4 * 1024 * 1024]) {
        const fast = await readJournalFast(path, 'j', { window: { sinceMs: null, untilMs: null }, chunkBytes }, () => {});
        expect({ records: fast.records, skipped: fast.skipped, problems: fast.problems }, `chunk ${chunkBytes}`).toEqual({
          records: full.records,
          skipped: full.skipped,
          problems: full.problems,
        });
      }
    });
  }

  it('as the last line, cut short or whole, in both readers', async () => {
    const base = JSON.parse(real[10]!) as Record<string, unknown>;
    const deep = withField(base, 'MESSAGE', deepArray);
    for (const [name, text] of [
      ['whole, no final newline', `${real.slice(0, 5).join('\n')}\n${deep}`],
      ['cut short', `${real.slice(0, 5).join('\n')}\n${deep.slice(0, deep.length - 5000)}`],
    ] as const) {
      const path = join(dir, 'last.jsonl');
      writeFileSync(path, text);
      const full = await readJournal(path, 'j', () => {});
      expect(full.records, name).toBe(5);
      expect(full.skipped, name).toBe(1);
      expect(full.problems[0]!.line).toBe(6);
      expect(full.problems[0]!.reason).toMatch(/^last line cut short/);
      const fast = await readJournalFast(path, 'j', { window: { sinceMs: null, untilMs: null }, chunkBytes: 1024 }, () => {});
      expect({ records: fast.records, skipped: fast.skipped, problems: fast.problems }).toEqual({ records: 5, skipped: 1, problems: full.problems });
    }
  });
});
