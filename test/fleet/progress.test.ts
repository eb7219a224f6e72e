// Progress on stderr: a live line on a terminal, quiet in a log.
import { describe, it, expect } from 'vitest';
import { FleetProgress } from '../../src/fleet/progress.js';

function stream(): { out: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const out = { write: (s: string) => chunks.push(s), columns: 60 } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join('') };
}

describe('FleetProgress', () => {
  it('on a terminal: one live line rewritten in place; an unreadable bundle stays on screen', () => {
    const s = stream();
    const p = new FleetProgress(s.out, true);
    p.analysed(1, 3, 'charger-01', null);
    p.analysed(2, 3, 'broken', 'broken/manifest.json: not valid JSON');
    p.analysed(3, 3, 'charger-\x1b[31mred', null);
    p.clear();
    expect(s.text()).toBe(
      '\r\x1b[2Kanalysed 1/3: charger-01' +
        '\r\x1b[2Kunreadable: broken/manifest.json: not valid JSON\n' +
        '\r\x1b[2Kanalysed 2/3: broken' +
        '\r\x1b[2Kanalysed 3/3: charger-\\x1b[31mred' +
        '\r\x1b[2K',
    );
  });

  it('in a log: a line per hundred bundles, nothing per host', () => {
    const s = stream();
    const p = new FleetProgress(s.out, false);
    for (let i = 1; i <= 250; i++) p.analysed(i, 250, `h${i}`, i === 7 ? 'bad' : null);
    p.clear();
    expect(s.text()).toBe('analysed 100/250: h100\nanalysed 200/250: h200\n');
  });
});
