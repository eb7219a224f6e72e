import { describe, it, expect } from 'vitest';
import { parseLogfmt } from '../../src/parse/app-log.js';

describe('parseLogfmt', () => {
  it('reads bare and quoted values', () => {
    expect(
      parseLogfmt('t=2025-12-10T01:10:00+0300 lvl=warn msg="failed to open private leg" id=2f7c9e1a privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"'),
    ).toEqual({
      t: '2025-12-10T01:10:00+0300',
      lvl: 'warn',
      msg: 'failed to open private leg',
      id: '2f7c9e1a',
      privaddr: 'localhost:8000',
      err: 'dial tcp 127.0.0.1:8000: connect: connection refused',
    });
  });

  it('decodes Go escapes inside quotes', () => {
    expect(parseLogfmt('msg="say \\"hi\\"\\n" path="C:\\\\x" u="\\u00e9\\x41"')).toEqual({ msg: 'say "hi"\n', path: 'C:\\x', u: 'éA' });
  });

  it('keeps empty values, bare words and the rest of a cut quoted value', () => {
    expect(parseLogfmt('l=nil r= flag msg="failed to op')).toEqual({ l: 'nil', r: '', flag: '', msg: 'failed to op' });
  });

  it('returns an empty map for an empty line', () => {
    expect(parseLogfmt('   ')).toEqual({});
  });
});
