// One command's output on its way into the bundle: split into lines,
// redacted (the journal's JSON kept valid), capped at a line boundary, and
// written only once there is something to write, so a command that printed
// nothing and failed leaves no empty file claiming to be its output.
import { rm } from 'node:fs/promises';
import type { RedactionCounts } from '../redact.js';
import { jsonLineRedactor, LineSplitter, textLineRedactor, type LineRedactor } from './redact-stream.js';
import type { StagedFile, Staging } from './staging.js';

export interface SourceWriterOptions {
  staging: Staging;
  rel: string;
  counts: RedactionCounts | null;
  json?: boolean;
  /** bytes after which the output is cut (at a line boundary) */
  cap?: number;
  /** rewrite each line before redaction (strip a --root prefix) */
  mapLine?: (line: string) => string;
}

export class SourceWriter {
  private file: StagedFile | null = null;
  private readonly redactLine: LineRedactor;
  private readonly splitter: LineSplitter;
  private pending: { text: string; complete: boolean }[] = [];
  capped = false;
  /** the last complete line written (the journal's last entry, to say where a cut happened) */
  lastLine: string | null = null;

  constructor(private readonly o: SourceWriterOptions) {
    this.redactLine = o.json ? jsonLineRedactor(o.counts) : textLineRedactor(o.counts);
    this.splitter = new LineSplitter((buf, complete) => this.pending.push({ text: buf.toString('utf8'), complete }));
  }

  get bytes(): number {
    return this.file?.bytes ?? 0;
  }

  /** Feed a chunk; false once the cap is reached (stop reading). */
  async push(chunk: Buffer): Promise<boolean> {
    if (this.capped) return false;
    this.splitter.push(chunk);
    await this.drain();
    return !this.capped;
  }

  private async drain(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    for (const { text, complete } of lines) {
      if (this.capped) return;
      const mapped = this.o.mapLine ? this.o.mapLine(text) : text;
      const red = this.redactLine(mapped);
      if (red === null) continue;
      // Text, encoded once into the file's buffer: a Buffer for each line was garbage that outlived the young generation.
      const out = complete ? `${red}\n` : red;
      if (this.o.cap !== undefined && this.bytes + Buffer.byteLength(out) > this.o.cap) {
        this.capped = true;
        return;
      }
      this.file ??= await this.o.staging.open(this.o.rel);
      await this.file.write(out);
      if (complete) this.lastLine = red;
    }
  }

  /** The producer cut the output (the remote's head -c): the last, incomplete line is dropped. */
  markCapped(): void {
    this.capped = true;
  }

  /** Flush and close; with `keepEmpty` an empty output still becomes an (empty) file. */
  async finish(keepEmpty: boolean): Promise<{ path: string | null; bytes: number }> {
    if (!this.capped) {
      this.splitter.end();
      await this.drain();
    }
    if (!this.file && keepEmpty) this.file = await this.o.staging.open(this.o.rel);
    if (!this.file) return { path: null, bytes: 0 };
    await this.file.close();
    return { path: this.o.rel, bytes: this.file.bytes };
  }

  /** Close without deciding (used when a fallback command replaces this output). */
  async abandon(): Promise<void> {
    if (this.file) {
      await this.file.close();
      await rm(this.o.staging.pathOf(this.o.rel), { force: true });
      this.file = null;
    }
  }
}
