// collect's progress on stderr at each verbosity, with and without a terminal:
// a CI log gets the summary only, --verbose a line per source with its command
// and duration, --quiet nothing but warnings.
import { describe, expect, it } from 'vitest';
import { Progress, type Verbosity } from '../../src/collect/progress.js';
import type { SourceRecord } from '../../src/collect/types.js';

class Sink {
  text = '';
  columns = 120;
  constructor(readonly isTTY: boolean) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

const PS = { id: 'ps', kind: 'command', path: 'commands/ps.txt', command: 'ps -eo pid,args', status: 'ok', bytes: 2048, durationMs: 12 } as unknown as SourceRecord;
const DENIED = { id: 'app-log', kind: 'file', path: 'files/var/log/app.log', status: 'denied', error: 'permission denied', durationMs: 1 } as unknown as SourceRecord;

function run(tty: boolean, level: Verbosity): string {
  const sink = new Sink(tty);
  const p = new Progress(sink as unknown as NodeJS.WriteStream, tty, level);
  p.step('processes');
  p.source(PS);
  p.source(DENIED);
  p.note('charger-diag: /mnt/sd: no time zone found on the disk');
  p.note('Collected 2 sources in 0.1 s: 1 ok, 0 missing, 1 denied, 0 timed out.');
  return sink.text.replaceAll('\r\x1b[2K', '');
}

describe('collect progress', () => {
  it('without a terminal: the summary and warnings only', () => {
    expect(run(false, 'normal')).toBe('charger-diag: /mnt/sd: no time zone found on the disk\nCollected 2 sources in 0.1 s: 1 ok, 0 missing, 1 denied, 0 timed out.\n');
  });

  it('--verbose: each source with its command and duration, terminal or not', () => {
    for (const tty of [false, true]) {
      const out = run(tty, 'verbose');
      expect(out).toContain('  ps commands/ps.txt: ok (2.0 KiB, 12 ms) $ ps -eo pid,args\n');
      expect(out).toContain('  app-log files/var/log/app.log: denied (permission denied, 1 ms)\n');
      expect(out).not.toContain('collecting:');
    }
  });

  it('--quiet: warnings only, terminal or not', () => {
    for (const tty of [false, true]) expect(run(tty, 'quiet')).toBe('charger-diag: /mnt/sd: no time zone found on the disk\n');
  });

  it('on a terminal: a live line, and what could not be read stays', () => {
    const out = run(true, 'normal');
    expect(out).toContain('collecting: processes (0 sources so far)');
    expect(out).toContain('  app-log files/var/log/app.log: denied (permission denied)\n');
    expect(out).not.toContain('  ps commands/ps.txt');
  });
});
