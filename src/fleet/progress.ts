// Progress of a fleet analysis on stderr. On a terminal one live line
// (`analysed 12/300: charger-07`), and unreadable bundles stay on screen; in a
// log (CI, `2> file`) a line per hundred bundles, so a long run shows it is
// alive without a line per host. The data itself goes to stdout.
import { visibleLine } from '../render/visible.js';

export class FleetProgress {
  private readonly tty: boolean;
  private live = false;

  constructor(
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    tty?: boolean,
  ) {
    this.tty = tty ?? Boolean(out?.isTTY);
  }

  analysed(done: number, total: number, label: string, error: string | null): void {
    if (!this.out) return;
    const line = oneLine(`analysed ${done}/${total}: ${label}`);
    if (this.tty) {
      if (error) this.note(oneLine(`unreadable: ${error}`));
      const width = Math.max(20, (this.out.columns || 80) - 1);
      this.out.write(`\r\x1b[2K${line.slice(0, width)}`);
      this.live = true;
    } else if (done % 100 === 0 && done < total) {
      this.out.write(`${line}\n`);
    }
  }

  /** A line that stays. */
  note(text: string): void {
    if (!this.out) return;
    this.clear();
    this.out.write(`${oneLine(text)}\n`);
  }

  clear(): void {
    if (this.out && this.tty && this.live) {
      this.out.write('\r\x1b[2K');
      this.live = false;
    }
  }
}

/** Names and errors from devices, shown and not obeyed; our own cursor moves are added after. */
function oneLine(s: string): string {
  return visibleLine(s);
}
