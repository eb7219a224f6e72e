// The redactors on hostile 1 MB lines (hostile.ts): they finish and return a
// line of about the same size, the journal redactor a valid JSON record.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/redact.js';
import { jsonLineRedactor, textLineRedactor } from '../../src/collect/redact-stream.js';
import { HOSTILE } from './hostile.js';

describe('hostile lines', () => {
  it.each(HOSTILE)('%s', (_name, line) => {
    const out = redact(line);
    expect(out.length).toBeGreaterThan(line.length / 4);
    expect(out.length).toBeLessThan(line.length * 4);
    expect(redact(out)).toBe(out);
    expect(textLineRedactor({})(line)?.length ?? 0).toBe(out.length);
    const record = JSON.stringify({ MESSAGE: line, _PID: '1' });
    const doc = JSON.parse(jsonLineRedactor({})(record)!) as Record<string, string>;
    expect(doc._PID).toBe('1');
  });
});
