// Progress on stderr. On a terminal: one live line, the sources that could
// not be read staying on screen. Without one (CI logs, `2> file`): only the
// closing summary, so a CI job's log is a few lines. --verbose: a line per
// source with its command and duration, terminal or not; --quiet: nothing but
// warnings (lines starting "charger-diag:"), as errors go elsewhere anyway.
import type { SourceRecord } from './types.js';
import { visibleLine } from '../render/visible.js';

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** How much progress to print: --quiet, the default, --verbose. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export class Progress {
  private readonly tty: boolean;
  private count = 0;
  private live = false;

  constructor(
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    tty?: boolean,
    private readonly verbosity: Verbosity = 'normal',
  ) {
    this.tty = tty ?? Boolean(out?.isTTY);
  }

  /** The live line exists only on a terminal, at the default verbosity. */
  private get liveLine(): boolean {
    return this.tty && this.verbosity === 'normal';
  }

  step(label: string): void {
    if (!this.out || !this.liveLine) return;
    this.render(`collecting: ${label} (${this.count} sources so far)`);
  }

  source(r: SourceRecord): void {
    this.count++;
    if (!this.out || this.verbosity === 'quiet') return;
    if (this.liveLine) {
      // What could not be read stays on screen; the rest only passes through the live line.
      if (['ok', 'missing', 'unavailable'].includes(r.status)) this.render(`collecting: ${r.id} ${r.status} (${this.count} sources so far)`);
      else {
        this.clear();
        this.out.write(`${oneLine(sourceLine(r, false))}\n`);
      }
      return;
    }
    if (this.verbosity !== 'verbose') return;
    // Hundreds of unit files copied fine make one line, not hundreds.
    if (r.id === 'unit-files' && r.status === 'ok') {
      this.unitFiles.n++;
      this.unitFiles.bytes += r.bytes ?? 0;
      return;
    }
    this.flushUnitFiles();
    this.out.write(`${oneLine(sourceLine(r, true))}\n`);
  }

  private unitFiles = { n: 0, bytes: 0 };

  private flushUnitFiles(): void {
    if (this.unitFiles.n === 0 || !this.out) return;
    this.out.write(`  unit-files: ${this.unitFiles.n} files ok (${humanBytes(this.unitFiles.bytes)})\n`);
    this.unitFiles = { n: 0, bytes: 0 };
  }

  /** A line that stays (a phase change, the summary); with --quiet only warnings, which start "charger-diag:". */
  note(text: string): void {
    if (!this.out) return;
    if (this.verbosity === 'quiet' && !text.startsWith('charger-diag:')) return;
    this.flushUnitFiles();
    this.clear();
    this.out.write(`${oneLine(text)}\n`);
  }

  clear(): void {
    if (this.out && this.tty && this.live) {
      this.out.write('\r\x1b[2K');
      this.live = false;
    }
  }

  private render(text: string): void {
    const width = Math.max(20, (this.out?.columns || 80) - 1);
    this.out!.write(`\r\x1b[2K${oneLine(text).slice(0, width)}`);
    this.live = true;
  }
}

/** `  ps commands/ps.txt: ok (1.2 KiB, 14 ms)`; verbose adds the command that produced it. */
function sourceLine(r: SourceRecord, withCommand: boolean): string {
  const where = r.path ?? r.command ?? '';
  const detail =
    r.status === 'ok' || r.status === 'truncated'
      ? `${humanBytes(r.bytes ?? 0)}${r.durationMs !== undefined ? `, ${r.durationMs} ms` : ''}${r.error ? `; ${r.error}` : ''}`
      : `${r.error ?? ''}${withCommand && r.durationMs !== undefined ? `${r.error ? ', ' : ''}${r.durationMs} ms` : ''}`;
  const command = withCommand && r.command && r.command !== where ? ` $ ${r.command}` : '';
  return `  ${r.id}${where ? ` ${where}` : ''}: ${r.status}${detail ? ` (${detail})` : ''}${command}`;
}

/** Names and error texts from the device, shown and not obeyed; our own cursor moves are added after. */
function oneLine(s: string): string {
  return visibleLine(s);
}

export function summaryLine(sources: SourceRecord[], elapsedMs: number): string {
  const n = (s: string) => sources.filter((r) => r.status === s).length;
  const parts = [`${n('ok')} ok`, `${n('missing')} missing`, `${n('denied')} denied`, `${n('timeout')} timed out`];
  for (const [s, label] of [['truncated', 'truncated'], ['failed', 'failed'], ['unavailable', 'unavailable']] as const) {
    if (n(s) > 0) parts.push(`${n(s)} ${label}`);
  }
  return `Collected ${sources.length} sources in ${(elapsedMs / 1000).toFixed(1)} s: ${parts.join(', ')}.`;
}
