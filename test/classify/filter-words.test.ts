// The journal's quiet-line filter (parse/journal-quiet.ts) forwards a line to
// the classifiers only when it holds one of the words they export. This
// checks each classifier against its own words on every log line the
// repository holds (the samples' journals and kernel logs, and the varied
// journal of the fast-path tests): a line a classifier recognises without one
// of its words would be dropped on a big journal, so a new pattern whose word
// is missing fails here.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyKernel, KERNEL_BOOT, KERNEL_EVENT_WORDS } from '../../src/classify/kernel-events.js';
import { classifyPortConflict, PORT_CONFLICT_WORDS } from '../../src/classify/port-conflict.js';
import { classifyProxy, NGINX_EVENT_WORDS, NGROK_EVENT_WORDS } from '../../src/classify/proxy-events.js';
import { ERROR_TEXT_WORDS, isErrorRecord } from '../../src/classify/log-level.js';
import { HEALTH_REQUEST_WORD, HEALTH_WORDS, HealthPathScanner } from '../../src/facts/health-paths.js';
import type { LogRecord } from '../../src/parse/types.js';
import { variedJournal } from '../perf/varied-journal.js';

const SAMPLES = join(__dirname, '../../samples');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(name)) out.push(p);
  }
  return out;
}

function messageOf(line: string): string | null {
  try {
    const o = JSON.parse(line) as { MESSAGE?: unknown };
    if (typeof o.MESSAGE === 'string') return o.MESSAGE;
    if (Array.isArray(o.MESSAGE) && o.MESSAGE.every((x) => typeof x === 'number')) return Buffer.from(o.MESSAGE as number[]).toString('utf8');
  } catch {
    // not a journal line: not a text of the corpus
  }
  return null;
}

/** Every message text of the repository's logs: journal MESSAGEs and the lines of text logs. */
function corpus(): string[] {
  const texts: string[] = [];
  for (const f of filesUnder(SAMPLES, (n) => n.endsWith('.jsonl'))) {
    for (const l of readFileSync(f, 'utf8').split('\n')) {
      const m = messageOf(l);
      if (m !== null) texts.push(m);
    }
  }
  for (const f of filesUnder(SAMPLES, (n) => n === 'dmesg.txt' || n.endsWith('.log') || n === 'syslog' || n === 'kern.log' || n === 'messages')) {
    for (const l of readFileSync(f, 'utf8').split('\n')) {
      texts.push(l, l.replace(/^\[[\s\d.]+\]\s*/, ''));
    }
  }
  for (const l of variedJournal(3, 4000).text.split('\n')) {
    const m = messageOf(l);
    if (m !== null) texts.push(m);
  }
  return texts;
}

const holds = (text: string, words: readonly string[]) => words.some((w) => text.toLowerCase().includes(w));
const record = (text: string, more: Partial<LogRecord> = {}): LogRecord => ({ source: 'j', line: 1, epochMs: 0, text, ...more });

describe('the quiet-line filter words: every line a classifier recognises holds one of its words', () => {
  const texts = corpus();

  it('kernel events and the boot banner', () => {
    const seen = texts.filter((t) => classifyKernel(t) !== null || KERNEL_BOOT.test(t));
    expect(seen.length, 'the corpus holds kernel events').toBeGreaterThan(20);
    for (const t of seen) expect(holds(t, KERNEL_EVENT_WORDS), t).toBe(true);
  });

  it('port conflicts', () => {
    const seen = texts.filter((t) => classifyPortConflict(t) !== null);
    expect(seen.length, 'the corpus holds port conflicts').toBeGreaterThan(5);
    for (const t of seen) expect(holds(t, PORT_CONFLICT_WORDS), t).toBe(true);
  });

  it("nginx's and ngrok's upstream errors (lines without a backslash)", () => {
    for (const [proxy, words] of [
      ['nginx', NGINX_EVENT_WORDS],
      ['ngrok', NGROK_EVENT_WORDS],
    ] as const) {
      const seen = texts.filter((t) => !t.includes('\\') && classifyProxy(record(t, { identifier: proxy })) !== null);
      expect(seen.length, `the corpus holds ${proxy} events`).toBeGreaterThan(3);
      for (const t of seen) expect(holds(t, words), `${proxy}: ${t}`).toBe(true);
    }
  });

  it("a service's stdout line at error level by its own words", () => {
    const seen = texts.filter((t) => isErrorRecord(record(t, { priority: 6, fields: { _TRANSPORT: 'stdout' } })));
    expect(seen.length, 'the corpus holds error lines').toBeGreaterThan(20);
    for (const t of seen) expect(holds(t, ERROR_TEXT_WORDS), t).toBe(true);
  });

  it('requests to health paths', () => {
    let seen = 0;
    for (const t of texts) {
      const s = new HealthPathScanner();
      s.add(record(t), 0);
      if (s.results().length === 0) continue;
      seen++;
      expect(holds(t, [HEALTH_REQUEST_WORD]) && holds(t, HEALTH_WORDS), t).toBe(true);
    }
    expect(seen, 'the corpus holds health requests').toBeGreaterThan(5);
  });
});
