// How the analysis reads a journal (src/facts/providers/types.ts, ReadOptions): a collection's
// report, made on the device, reads a big journal without a reading thread beside it (for the
// memory of a small board); `analyze` decides by the journal's size. Which way a journal was read
// does not show in the analysis (the same by design, test/perf/journal-fast.test.ts), so the
// journal reader is watched here for the options it is given.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import * as journalFast from '../../src/parse/journal-fast.js';
import { collect } from '../../src/collect/collect.js';
import { analyzePath } from '../../src/commands/analyze.js';
import { defaultConfig } from '../../src/config.js';
import { journalLine } from '../helpers/bundle.js';
import { scratchDirs } from './helpers.js';
import { fakeJournalctl } from './journal-fake.js';

vi.mock('../../src/parse/journal-fast.js', async (importOriginal) => {
  const real = await importOriginal<typeof journalFast>();
  return { ...real, readJournalFast: vi.fn(real.readJournalFast) };
});

const { dir } = scratchDirs();
const PATH0 = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH0;
  vi.mocked(journalFast.readJournalFast).mockClear();
});

/** The `thread` option of each journal read so far. */
const threadOptions = () => vi.mocked(journalFast.readJournalFast).mock.calls.map((c) => c[2].thread);

describe('how the analysis reads a journal', () => {
  it("a collection's report reads it without a reading thread", async () => {
    const d = dir('cd-report-read-');
    // This machine's journal may be empty: a journalctl that exports one entry.
    const entry = journalLine({ PRIORITY: 3, SYSLOG_IDENTIFIER: 'charger', MESSAGE: 'connection lost' }, new Date(Date.now() - 60_000).toISOString());
    fakeJournalctl(d, `${entry}\n`);
    process.env.PATH = `${d}:${PATH0}`;
    const r = await collect({ since: '-15m', out: join(d, 'b.tar.gz') }, { progress: null });
    expect(r.reportPath).not.toBeNull();
    expect(threadOptions()).toEqual([false]);
  }, 120_000);

  it('analyze leaves it to the journal size', async () => {
    await analyzePath('samples/seed-incident', defaultConfig());
    expect(threadOptions()).toEqual([undefined]);
  });
});
