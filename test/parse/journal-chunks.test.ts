// Lines that follow a line longer than a chunk, when less than a chunk of the
// file is left after it: they are whole lines and are read as such (they were
// once taken together for one cut-short last line, and their records lost).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../src/parse/journal.js';
import { readJournalFast } from '../../src/parse/journal-fast.js';

const FIX = join(import.meta.dirname, 'fixtures');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-chunks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the fast path after a line longer than its chunk', () => {
  it('reads every line that follows it to the end of the file, as the full parse does', async () => {
    const real = readFileSync(join(FIX, 'journal-252.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    // A core stored in the journal is such a line: a byte array of megabytes. Here a long MESSAGE.
    const long = JSON.stringify({ ...(JSON.parse(real[10]!) as object), MESSAGE: 'x'.repeat(120_000) });
    for (const [name, text] of [
      ['with a final newline', `${[...real.slice(0, 30), long, ...real.slice(30)].join('\n')}\n`],
      ['the last line without one', [...real.slice(0, 30), long, ...real.slice(30)].join('\n')],
      ['the long line last', `${[...real, long].join('\n')}\n`],
    ] as const) {
      const path = join(dir, 'j.jsonl');
      writeFileSync(path, text);
      const full = await readJournal(path, 'j', () => {});
      expect(full.records, name).toBe(39);
      expect(full.skipped, name).toBe(0);
      for (const chunkBytes of [4096, 100_000, 200_000]) {
        const lines: number[] = [];
        const fast = await readJournalFast(path, 'j', { window: { sinceMs: null, untilMs: null }, chunkBytes }, (r) => lines.push(r.line));
        expect({ records: fast.records, skipped: fast.skipped, problems: fast.problems }, `${name}, chunk ${chunkBytes}`).toEqual({ records: 39, skipped: 0, problems: [] });
      }
    }
  });
});
