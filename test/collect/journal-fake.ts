// A fake journalctl for the journal cap's tests: prints a given export, newest
// first with --reverse (as journalctl does), and logs its arguments.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const T0_US = Date.parse('2025-12-10T01:00:00+03:00') * 1000;

/** A journal export of n entries, one a second; `extra` replaces some entries' MESSAGE (and emitter). */
export function journalText(n: number, extra: Record<number, { msg: string; who?: string }> = {}): string {
  let out = '';
  for (let i = 1; i <= n; i++) {
    const e = extra[i];
    const msg = e?.msg ?? `entry ${i} of a chatty logger, login password=hunter2secret${i} padded to a realistic length`;
    out += `${JSON.stringify({ __CURSOR: `s=${i}`, __REALTIME_TIMESTAMP: String(T0_US + i * 1_000_000), _BOOT_ID: 'b1', SYSLOG_IDENTIFIER: e?.who ?? 'app', MESSAGE: msg })}\n`;
  }
  return out;
}

/** A journalctl that prints the given export, newest first with --reverse, and logs how it was called. */
export function fakeJournalctl(d: string, text: string, opts: { failReverse?: boolean } = {}): { bin: string; calls: () => string[] } {
  writeFileSync(join(d, 'export'), text);
  const bin = join(d, 'journalctl');
  writeFileSync(
    bin,
    `#!/bin/sh\necho "$*" >>'${d}/calls'\nfor a in "$@"; do\n  if [ "$a" = --reverse ]; then\n    ${opts.failReverse ? 'echo "journalctl: unrecognized option --reverse" >&2; exit 1' : `exec tac '${d}/export'`}\n  fi\ndone\nexec cat '${d}/export'\n`,
  );
  chmodSync(bin, 0o755);
  return { bin, calls: () => (existsSync(join(d, 'calls')) ? readFileSync(join(d, 'calls'), 'utf8').trim().split('\n') : []) };
}

