import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines, splitLines, type StreamedLine } from '../../src/parse/lines.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lines-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string, opts?: { maxLineBytes?: number }): Promise<StreamedLine[]> {
  const out: StreamedLine[] = [];
  for await (const l of readLines(path, opts)) out.push(l);
  return out;
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('readLines', () => {
  it('numbers lines from 1 and does not yield an empty line after the final newline', async () => {
    const p = file('a.log', 'Dec 10 01:10:00 charger-01 systemd[1]: Reloading.\nsecond\n\nfourth\n');
    const lines = await collect(p);
    expect(lines).toEqual([
      { line: 1, text: 'Dec 10 01:10:00 charger-01 systemd[1]: Reloading.' },
      { line: 2, text: 'second' },
      { line: 3, text: '' },
      { line: 4, text: 'fourth' },
    ]);
  });

  it('yields a last line without newline flagged partial', async () => {
    const p = file('cut.jsonl', '{"MESSAGE":"a"}\n{"MESSAGE":"b","__REAL');
    const lines = await collect(p);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ line: 2, text: '{"MESSAGE":"b","__REAL', partial: true });
    expect(lines[0]!.partial).toBeUndefined();
  });

  it('yields nothing for an empty file', async () => {
    expect(await collect(file('empty', ''))).toEqual([]);
  });

  it('strips CR of CRLF line ends and turns invalid UTF-8 into U+FFFD', async () => {
    const p = file('crlf', Buffer.concat([Buffer.from('one\r\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\r\n')]));
    const lines = await collect(p);
    expect(lines.map((l) => l.text)).toEqual(['one', 'bad \uFFFD\uFFFD']);
  });

  it('truncates overlong lines and keeps counting the following ones', async () => {
    const p = file('long', `short\n${'x'.repeat(100)}\nafter\n${'y'.repeat(50)}`);
    const lines = await collect(p, { maxLineBytes: 10 });
    expect(lines).toEqual([
      { line: 1, text: 'short' },
      { line: 2, text: 'xxxxxxxxxx', overlong: true },
      { line: 3, text: 'after' },
      { line: 4, text: 'yyyyyyyyyy', partial: true, overlong: true },
    ]);
  });

  it('reassembles lines that straddle the 1 MiB read chunks', async () => {
    // 3 MiB of numbered lines of varying length: many cross a chunk boundary.
    const parts: string[] = [];
    let total = 0;
    let n = 0;
    while (total < 3 * 1024 * 1024) {
      const s = `line ${n} ${'é'.repeat(n % 97)}`;
      parts.push(s);
      total += Buffer.byteLength(s) + 1;
      n++;
    }
    const p = file('big', parts.join('\n') + '\n');
    let count = 0;
    let bad = 0;
    for await (const l of readLines(p)) {
      if (l.text !== parts[l.line - 1] || l.partial || l.overlong) bad++;
      count++;
    }
    expect(count).toBe(n);
    expect(bad).toBe(0);
  });

  it('caps a line longer than a read chunk at the default 1 MiB', async () => {
    const p = file('huge', `${'z'.repeat(3 * 1024 * 1024)}\nnext\n`);
    const lines = await collect(p);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.overlong).toBe(true);
    expect(lines[0]!.text.length).toBe(1024 * 1024);
    expect(lines[1]).toEqual({ line: 2, text: 'next' });
  });
});

describe('splitLines', () => {
  it('splits with 1-based numbers, no phantom last line, CR removed', () => {
    expect(splitLines('a\r\nb\n\nc\n')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: '' },
      { line: 4, text: 'c' },
    ]);
    expect(splitLines('no newline')).toEqual([{ line: 1, text: 'no newline' }]);
    expect(splitLines('')).toEqual([]);
  });
});
