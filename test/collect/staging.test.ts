// A staged file: what is written, text and chunks in any sizes, is what the
// file holds, byte for byte, whatever falls on the edges of its write buffer.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scratchStagings } from './helpers.js';

const staging = scratchStagings('cd-staging-');

describe('StagedFile', () => {
  it('holds every write in order: multi-byte text across the buffer edges, chunks bigger than the buffer, chunks reused by the writer', async () => {
    const s = staging();
    const f = await s.open('commands/journal.jsonl');
    const expected: Buffer[] = [];
    const reused = Buffer.alloc(1000);
    for (let i = 0; i < 3000; i++) {
      // Lines of 1 to 4 bytes a character, of varying lengths, so the buffer fills at every kind of offset.
      const text = `${i} ${'ağ€😀'.repeat(i % 97)} şifre=\u{1F511}\n`;
      await f.write(text);
      expected.push(Buffer.from(text));
      if (i % 500 === 0) {
        // A chunk bigger than the buffer, and an empty one.
        const big = Buffer.alloc(300 * 1024 + i, 0x41 + (i % 26));
        await f.write(big);
        expected.push(big);
        await f.write('');
        await f.write(Buffer.alloc(0));
      }
      if (i % 7 === 0) {
        // The caller's buffer is filled again once its write resolved: the file keeps what was written.
        reused.fill(0x30 + (i % 10));
        await f.write(reused.subarray(0, 1 + (i % 1000)));
        expected.push(Buffer.from(reused.subarray(0, 1 + (i % 1000))));
      }
    }
    await f.close();
    const want = Buffer.concat(expected);
    const got = readFileSync(s.pathOf('commands/journal.jsonl'));
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
    expect(f.bytes).toBe(want.length);
  });

  it('text that meets the end of the buffer: every gap left and every width of character, a lone surrogate as U+FFFD (as Buffer.from writes it)', async () => {
    const s = staging();
    const texts: string[] = [];
    const f = await s.open('edges.txt');
    for (let gap = 0; gap <= 5; gap++) {
      for (const piece of ['ş', '€', '😀', '\ud800', 'ab', 'x\udc00y']) {
        // The buffer is 256 KiB, filled from its start: after the filler, `gap` bytes are left.
        const used = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) % (256 * 1024);
        const filler = 'f'.repeat((2 * 256 * 1024 - used - gap) % (256 * 1024));
        for (const t of [filler, piece, '\n']) {
          await f.write(t);
          texts.push(t);
        }
      }
    }
    await f.close();
    const want = Buffer.concat(texts.map((t) => Buffer.from(t)));
    expect(readFileSync(s.pathOf('edges.txt')).equals(want)).toBe(true);
    expect(f.bytes).toBe(want.length);
  });
});
