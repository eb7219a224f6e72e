// A staged file copies each write into one buffer of its own and writes it out when full: what
// lands on disk must be every write, in order, byte for byte, whatever their sizes and encodings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Staging } from '../../src/collect/staging.js';
import { scratchDirs } from './helpers.js';

const scratch = scratchDirs();

describe('StagedFile', () => {
  it('writes text and bytes in order across its buffer: multi-byte characters at the edge, a write bigger than the buffer, an empty one', async () => {
    const staging = Staging.create(scratch.dir('staging-'));
    staging.begin('b');
    const f = await staging.open('commands/journal.jsonl');
    const pieces: (string | Buffer)[] = [];
    // Lines of a journal export, some with characters of 2 to 4 bytes, until well past the 256 KiB buffer.
    for (let i = 0; i < 3000; i++) pieces.push(`{"MESSAGE":"line ${i} şarj ünitesi ⚡ 🔌 ${'x'.repeat(i % 97)}"}\n`);
    pieces.push(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
    // The buffer is 256 KiB: a piece that fills it to one byte short, then a character of two bytes.
    pieces.push(Buffer.alloc(256 * 1024 - 1, 0x62), 'ş', 'x');
    pieces.push('');
    pieces.push(`${'é'.repeat(200_000)}\n`); // 400 kB: more than the buffer at once
    pieces.push(Buffer.alloc(300_000, 0x61));
    for (let i = 0; i < 50; i++) pieces.push(Buffer.from(`tail ${i}\n`));
    for (const p of pieces) await f.write(p);
    await f.close();
    const expected = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    expect(f.bytes).toBe(expected.length);
    expect(readFileSync(staging.pathOf('commands/journal.jsonl')).equals(expected)).toBe(true);
    await staging.cleanup();
  });
});
