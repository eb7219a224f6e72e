// The journal export over its cap keeps the newest entries of the window (the
// minutes before a failure), in time order, whole lines, redacted as the
// forward export is; under the cap the export is one forward pass, as always.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommandSource, type CommandRun } from '../../src/collect/run-command.js';
import { dropHeadToFit, linesBackward } from '../../src/collect/reverse-lines.js';
import { jsonLineRedactor } from '../../src/collect/redact-stream.js';
import { Staging } from '../../src/collect/staging.js';
import { LIMITS } from '../../src/sources/catalogue.js';
import { formatDeviceTime } from '../../src/time.js';
import type { RunContext, SourceRecord } from '../../src/collect/types.js';
import { scratchDirs } from './helpers.js';
import { fakeJournalctl, journalText, T0_US } from './journal-fake.js';

const limits = LIMITS as { -readonly [K in keyof typeof LIMITS]: (typeof LIMITS)[K] };
const CAP0 = LIMITS.journalBytes;
const clock = { utcOffset: '+03:00' };

const { dir } = scratchDirs();
beforeEach(() => {
  limits.journalBytes = CAP0;
});
afterEach(() => {
  limits.journalBytes = CAP0;
});

async function collectJournal(bin: string): Promise<{ record: SourceRecord; text: string | null; staging: Staging; counts: Record<string, number> }> {
  const out = dir('cd-jcap-out-');
  const staging = Staging.create(out);
  staging.begin('bundle');
  const records: SourceRecord[] = [];
  const counts: Record<string, number> = {};
  const ctx: RunContext = {
    staging,
    counts,
    timeoutMs: 20_000,
    sinceMs: T0_US / 1000,
    untilMs: T0_US / 1000 + 3_600_000,
    clock,
    collectedAtMs: T0_US / 1000 + 3_600_000,
    logs: [],
    units: [],
    healthUrls: [],
    serverPatterns: [],
    record: (r) => records.push(r),
    step: () => undefined,
  };
  const run: CommandRun = { id: 'journal', path: 'commands/journal.jsonl', argv: [bin, '-o', 'json', '--all', '--no-pager'], journal: true };
  const record = await runCommandSource(ctx, run);
  const p = staging.pathOf('commands/journal.jsonl');
  return { record, text: existsSync(p) ? readFileSync(p, 'utf8') : null, staging, counts };
}

/** What the forward pass writes for these raw lines: the JSON redactor, in time order, from a fresh state. */
function redactedInOrder(lines: string[], counts: Record<string, number> = {}): string {
  const r = jsonLineRedactor(counts);
  return lines.map((l) => `${r(l)}\n`).join('');
}

const entryNo = (line: string) => (Number((JSON.parse(line) as { __REALTIME_TIMESTAMP: string }).__REALTIME_TIMESTAMP) - T0_US) / 1_000_000;

describe('the journal export over its cap (local runner)', () => {
  it('keeps the newest whole entries in time order, redacted as the forward pass redacts, and says so', async () => {
    const n = 2000;
    // A private key logged one line per entry near the end: its body is redacted only by a redactor that saw BEGIN first.
    const body = ['MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0', 'YWxsIHRoZSBrZXlzIGJvZHkgbGluZXMgYXJlIGJhc2U2NCBvZiBzaXh0eSBmb3VyIGNoYXJhY3Rl', 'cnMgZWFjaCBsaWtlIGEgcmVhbCBwcml2YXRlIGtleSBibG9jayB3b3VsZCBiZSBpbiBhIGxvZyBzbw'];
    const extra: Record<number, { msg: string; who?: string }> = { [n - 20]: { msg: '-----BEGIN RSA PRIVATE KEY-----', who: 'keylog' }, [n - 16]: { msg: '-----END RSA PRIVATE KEY-----', who: 'keylog' } };
    body.forEach((b, i) => (extra[n - 19 + i] = { msg: b, who: 'keylog' }));
    const raw = journalText(n, extra);
    const d = dir('cd-jcap-');
    const fake = fakeJournalctl(d, raw);
    limits.journalBytes = 32 * 1024;
    const { record, text, counts } = await collectJournal(fake.bin);
    expect(text).not.toBeNull();
    const lines = text!.split('\n');
    expect(lines.pop()).toBe('');
    const nums = lines.map(entryNo);
    expect(nums[nums.length - 1]).toBe(n);
    expect(nums[0]).toBeGreaterThan(1);
    nums.forEach((v, i) => expect(v).toBe(nums[0]! + i));
    expect(Buffer.byteLength(text!)).toBeLessThanOrEqual(32 * 1024);
    // Close to the cap: only the partial oldest line is missing.
    expect(Buffer.byteLength(text!)).toBeGreaterThan(32 * 1024 - 400);
    // Exactly what a forward pass over the same entries writes.
    const rawLines = raw.split('\n').slice(nums[0]! - 1, n);
    const keptCounts: Record<string, number> = {};
    expect(text).toBe(redactedInOrder(rawLines, keptCounts));
    // What was redacted in the bundle, not also in the forward output it replaced.
    expect(counts).toEqual(keptCounts);
    expect(Object.keys(counts).length).toBeGreaterThan(0);
    expect(text).not.toContain('hunter2secret');
    for (const b of body) expect(text).not.toContain(b);
    expect(record.status).toBe('truncated');
    expect(record.bytes).toBe(Buffer.byteLength(text!));
    const from = formatDeviceTime((T0_US + nums[0]! * 1_000_000) / 1000, clock);
    expect(record.error).toBe(`over the 32 KiB cap: the newest lines of the window were kept, from ${from}; older entries were cut`.replace('32 KiB', '0.0 MiB'));
    expect(fake.calls()).toEqual(['-o json --all --no-pager', '-o json --all --no-pager --reverse']);
  });

  it('under the cap: one forward pass, the whole export, status ok', async () => {
    const raw = journalText(50);
    const d = dir('cd-jcap-');
    const fake = fakeJournalctl(d, raw);
    limits.journalBytes = 64 * 1024;
    const { record, text, counts } = await collectJournal(fake.bin);
    const want: Record<string, number> = {};
    expect(text).toBe(redactedInOrder(raw.trimEnd().split('\n'), want));
    expect(counts).toEqual(want);
    expect(record.status).toBe('ok');
    expect(record.error).toBeUndefined();
    expect(fake.calls()).toEqual(['-o json --all --no-pager']);
  });

  it('keeps an entry longer than the chunk the reversal reads', async () => {
    const n = 3000;
    const long = `traceback ${'x'.repeat(150 * 1024)} end`;
    const raw = journalText(n, { [n - 3]: { msg: long } });
    const fake = fakeJournalctl(dir('cd-jcap-'), raw);
    limits.journalBytes = 256 * 1024;
    const { record, text } = await collectJournal(fake.bin);
    const lines = text!.trimEnd().split('\n');
    expect(lines.map(entryNo)).toEqual(Array.from({ length: lines.length }, (_, i) => n - lines.length + 1 + i));
    expect((JSON.parse(lines[lines.length - 4]!) as { MESSAGE: string }).MESSAGE).toBe(long);
    expect(record.status).toBe('truncated');
    expect(record.error).toMatch(/^over the 0\.3 MiB cap: the newest lines of the window were kept, from 2025-12-10T/);
  });

  it('keeps the forward export, and says why, when the newest-first pass fails', async () => {
    const raw = journalText(1000);
    const fake = fakeJournalctl(dir('cd-jcap-'), raw, { failReverse: true });
    limits.journalBytes = 16 * 1024;
    const { record, text } = await collectJournal(fake.bin);
    const nums = text!.trimEnd().split('\n').map(entryNo);
    expect(nums[0]).toBe(1);
    expect(nums[nums.length - 1]).toBeLessThan(1000);
    expect(record.status).toBe('truncated');
    const last = formatDeviceTime((T0_US + nums[nums.length - 1]! * 1_000_000) / 1000, clock);
    expect(record.error).toBe(`over the 0.0 MiB cap: the oldest lines of the window were kept, entries after ${last} are not in the bundle (the newest-first export failed (exit 1))`);
  });

  it('leaves no scratch file in the staging area', async () => {
    const fake = fakeJournalctl(dir('cd-jcap-'), journalText(1000));
    limits.journalBytes = 16 * 1024;
    const { staging } = await collectJournal(fake.bin);
    expect(readdirSync(staging.root)).toEqual(['bundle']);
  });
});

describe('linesBackward', () => {
  const cases = ['a\nbb\n\nccc\n', 'a\nbb\nno newline at the end', '\n\n\n', 'one', '', `${'y'.repeat(100)}\nshort\n${'z'.repeat(37)}\n`];
  for (const text of cases) {
    for (const chunk of [1, 2, 3, 7, 64, 4096]) {
      it(`gives the lines of ${JSON.stringify(text.slice(0, 20))} last first, read ${chunk} bytes at a time`, async () => {
        const p = join(dir('cd-rev-'), 'f');
        writeFileSync(p, text);
        const got: string[] = [];
        for await (const l of linesBackward(p, chunk)) got.push(l.toString());
        const want = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').reverse();
        expect(got).toEqual(want);
      });
    }
  }

  it('reads from the end a chunk at a time: the last lines of a 3 GiB file come without reading the rest', async () => {
    // Sparse: no disk used. Reading it whole would fail (over the largest Buffer) or take minutes.
    const p = join(dir('cd-rev-'), 'big');
    writeFileSync(p, '');
    truncateSync(p, 3 * 1024 ** 3);
    appendFileSync(p, '\nnext to last\nlast\n');
    const got: string[] = [];
    for await (const l of linesBackward(p, 4096)) {
      got.push(l.toString());
      if (got.length === 2) break;
    }
    expect(got).toEqual(['last', 'next to last']);
  });
});

describe('dropHeadToFit', () => {
  it('drops the first lines until the rest fits, at a line boundary', async () => {
    const p = join(dir('cd-fit-'), 'f');
    writeFileSync(p, 'aaaa\nbbbb\ncccc\ndddd\n');
    expect(await dropHeadToFit(p, 11, 3)).toEqual({ bytes: 10, lines: 2 });
    expect(readFileSync(p, 'utf8')).toBe('cccc\ndddd\n');
    writeFileSync(p, 'aaaa\nbbbb\n');
    expect(await dropHeadToFit(p, 10)).toEqual({ bytes: 0, lines: 0 });
    expect(readFileSync(p, 'utf8')).toBe('aaaa\nbbbb\n');
    writeFileSync(p, 'aaaa\nbbbb\ncccc\n');
    expect(await dropHeadToFit(p, 10, 4)).toEqual({ bytes: 5, lines: 1 });
    expect(readFileSync(p, 'utf8')).toBe('bbbb\ncccc\n');
  });
});
