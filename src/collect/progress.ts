// Progress on stderr: one live line on a terminal, a line per source
// otherwise (CI logs, `2> file`), then a closing summary.
import type { SourceRecord } from './types.js';
import { visibleLine } from '../render/visible.js';

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

export class Progress {
  private readonly tty: boolean;
  private count = 0;
  private live = false;

  constructor(
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    tty?: boolean,
  ) {
    this.tty = tty ?? Boolean(out?.isTTY);
  }

  step(label: string): void {
    if (!this.out || !this.tty) return;
    this.render(`collecting: ${label} (${this.count} sources so far)`);
  }

  source(r: SourceRecord): void {
    this.count++;
    if (!this.out) return;
    // Hundreds of unit files copied fine make one line, not hundreds.
    if (!this.tty && r.id === 'unit-files' && r.status === 'ok') {
      this.unitFiles.n++;
      this.unitFiles.bytes += r.bytes ?? 0;
      return;
    }
    this.flushUnitFiles();
    const where = r.path ?? r.command ?? '';
    const detail =
      r.status === 'ok' || r.status === 'truncated'
        ? `${humanBytes(r.bytes ?? 0)}${r.durationMs !== undefined ? `, ${r.durationMs} ms` : ''}${r.error ? `; ${r.error}` : ''}`
        : (r.error ?? '');
    const line = `  ${r.id}${where ? ` ${where}` : ''}: ${r.status}${detail ? ` (${detail})` : ''}`;
    // On a terminal what could not be read stays on screen; the rest only passes through the live line.
    if (this.tty && ['ok', 'missing', 'unavailable'].includes(r.status)) this.render(`collecting: ${r.id} ${r.status} (${this.count} sources so far)`);
    else {
      this.clear();
      this.out.write(`${oneLine(line)}\n`);
    }
  }

  private unitFiles = { n: 0, bytes: 0 };

  private flushUnitFiles(): void {
    if (this.unitFiles.n === 0 || !this.out) return;
    this.out.write(`  unit-files: ${this.unitFiles.n} files ok (${humanBytes(this.unitFiles.bytes)})\n`);
    this.unitFiles = { n: 0, bytes: 0 };
  }

  /** A line that stays (a phase change, the summary). */
  note(text: string): void {
    if (!this.out) return;
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
