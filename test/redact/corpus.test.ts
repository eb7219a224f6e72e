// The corpus (corpus.ts) against the TypeScript redactors: `redact`, and the
// collector's text and journal line redactors. The printed script's awk runs
// the same corpus in awk.test.ts.
import { describe, expect, it } from 'vitest';
import { redact, type RedactionCounts } from '../../src/redact.js';
import { jsonLineRedactor, textLineRedactor } from '../../src/collect/redact-stream.js';
import { CLEAN, MULTI, SECRETS } from './corpus.js';
import { journalRecord, loggerRecord } from './journal-record.js';

const label = (c: { source: string; line: string }): string => `${c.source}: ${c.line.slice(0, 110)}`;


it('holds at least 150 cases, each secret case with a secret', () => {
  expect(SECRETS.length + CLEAN.length + MULTI.length).toBeGreaterThanOrEqual(150);
  for (const c of SECRETS) expect(c.secrets.length, label(c)).toBeGreaterThan(0);
});

describe('redact', () => {
  it.each(SECRETS.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const counts: RedactionCounts = {};
    const out = redact(c.line, counts);
    for (const s of c.secrets) expect(out, s).not.toContain(s);
    for (const k of c.keep ?? []) expect(out, k).toContain(k);
    expect(out).toMatch(/\[redacted:[a-z-]+\]/);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const again: RedactionCounts = {};
    expect(redact(out, again)).toBe(out);
    expect(again).toEqual({});
  });

  it.each(CLEAN.map((c) => [label(c), c] as const))('untouched: %s', (_l, c) => {
    const counts: RedactionCounts = {};
    expect(redact(c.line, counts)).toBe(c.line);
    expect(counts).toEqual({});
  });

  it.each(MULTI.map((c) => [c.name, c] as const))('whole text: %s', (_l, c) => {
    const out = redact(c.lines.join('\n'));
    for (const s of c.secrets) expect(out, s).not.toContain(s);
    for (const k of c.keep) expect(out.split('\n'), k).toContain(k);
    expect(redact(out)).toBe(out);
  });
});

describe('the collector\'s text line redactor', () => {
  it('redacts every secret case and leaves every clean line as it is', () => {
    const counts: RedactionCounts = {};
    const r = textLineRedactor(counts);
    for (const c of SECRETS) {
      const out = r(c.line) ?? '';
      for (const s of c.secrets) expect(out, label(c)).not.toContain(s);
      for (const k of c.keep ?? []) expect(out, label(c)).toContain(k);
    }
    for (const c of CLEAN) expect(r(c.line), label(c)).toBe(c.line);
  });

  it('is idempotent: its output through it again changes nothing and counts nothing', () => {
    const once = SECRETS.map((c) => c.line).map(textLineRedactor({}));
    const counts: RedactionCounts = {};
    const twice = once.map((l) => l ?? '').map(textLineRedactor(counts));
    expect(twice).toEqual(once);
    expect(counts).toEqual({});
  });

  it.each(MULTI.map((c) => [c.name, c] as const))('%s', (_l, c) => {
    const r = textLineRedactor({});
    const out = c.lines.map(r).filter((l): l is string => l !== null);
    for (const s of c.secrets) expect(out.join('\n'), s).not.toContain(s);
    for (const k of c.keep) expect(out, k).toContain(k);
  });
});

describe('the collector\'s journal redactor (one record a line)', () => {
  it('redacts every secret case, keeps every record valid JSON, and every clean record byte for byte', () => {
    const counts: RedactionCounts = {};
    const r = jsonLineRedactor(counts);
    for (const c of SECRETS) {
      const out = r(journalRecord(c.line)) ?? '';
      const doc = JSON.parse(out) as Record<string, string>;
      expect(doc._PID).toBe('812');
      for (const s of c.secrets) {
        expect(doc.MESSAGE, label(c)).not.toContain(s);
        expect(out, label(c)).not.toContain(JSON.stringify(s).slice(1, -1));
      }
      for (const k of c.keep ?? []) expect(doc.MESSAGE, label(c)).toContain(k);
    }
    for (const c of CLEAN) {
      const rec = journalRecord(c.line);
      expect(r(rec), label(c)).toBe(rec);
    }
  });

  it('is idempotent: its output through it again changes nothing and counts nothing', () => {
    const once = SECRETS.map((c) => journalRecord(c.line)).map(jsonLineRedactor({}));
    const counts: RedactionCounts = {};
    const twice = once.map((l) => l ?? '').map(jsonLineRedactor(counts));
    expect(twice).toEqual(once);
    expect(counts).toEqual({});
  });

  it.each(MULTI.filter((c) => !c.name.includes('Kubernetes')).map((c) => [c.name, c] as const))('%s, logged with one logger call per line (a new pid each, the line in _CMDLINE too)', (_l, c) => {
    const r = jsonLineRedactor({});
    const out = c.lines.map((line, i) => r(loggerRecord(line, 4000 + i))).filter((l): l is string => l !== null);
    for (const s of c.secrets) expect(out.join('\n'), s).not.toContain(s);
    for (const l of out) JSON.parse(l);
  });

  it.each(MULTI.map((c) => [c.name, c] as const))('%s, one record per line, with another process logging in between', (_l, c) => {
    const r = jsonLineRedactor({});
    const records: string[] = [];
    c.lines.forEach((line, i) => {
      records.push(journalRecord(line));
      if (i === 2) records.push(journalRecord('heartbeat ok', '999'));
    });
    const out = records.map(r).filter((l): l is string => l !== null);
    const messages = out.map((l) => (JSON.parse(l) as Record<string, string>).MESSAGE);
    for (const s of c.secrets.filter((s) => !s.startsWith('K8s'))) expect(messages.join('\n'), s).not.toContain(s);
    expect(messages).toContain('heartbeat ok');
    for (const k of c.keep.filter((k) => !k.includes('value:') && !k.includes('name:'))) expect(messages, k).toContain(k);
  });
});
