// Hostile bundles whose JSON nests 20,000 deep, in every JSON file a bundle or
// a user hands us: the CLI never stops with "internal error: Maximum call
// stack size exceeded". A deep journal line is one counted skip (in the fast
// path, with small chunks, and the full parse) and the rest is analysed; a
// deep value elsewhere is ignored or is one line naming the file (exit 2).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callCli, expectOneLineError, type CliOptions, type CliResult } from '../helpers/cli.js';

const SAMPLE = join(import.meta.dirname, '../../samples/healthy');
const DEPTH = 20_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cd-hostile-deep-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function sampleCopy(): string {
  const dir = join(work, `b${n++}`);
  cpSync(SAMPLE, dir, { recursive: true });
  return dir;
}

function withField(line: string, name: string, raw: string): string {
  const e = JSON.parse(line) as Record<string, unknown>;
  delete e[name];
  return `${JSON.stringify(e).slice(0, -1)},${JSON.stringify(name)}:${raw}}`;
}

function noInternalError(r: { stderr: string }): void {
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack|\n\s+at /);
}

describe('a journal nested 20,000 deep in some lines', () => {
  let bundle: string;
  let plain: { records: number; skipped: number };
  const hostile = 6;
  beforeAll(async () => {
    bundle = sampleCopy();
    const path = join(bundle, 'commands/journal.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
    const journal = (JSON.parse((await callCli(['analyze', SAMPLE, '--json'])).stdout) as { sources: { id: string; records: number; skippedRecords?: number }[] }).sources.find((s) => s.id === 'journal')!;
    plain = { records: journal.records, skipped: journal.skippedRecords ?? 0 };
    const base = lines[5]!;
    lines.splice(
      7,
      0,
      withField(base, 'MESSAGE', deepArray),
      withField(base, 'MESSAGE', deepObject),
      withField(base, 'X_HOSTILE', deepArray),
      withField(base, '_SYSTEMD_UNIT', deepArray),
      withField(base, 'SYSLOG_IDENTIFIER', `[${deepArray}]`),
      deepObject,
    );
    writeFileSync(path, `${lines.join('\n')}\n`);
  });

  type Run = (args: string[], opts: CliOptions) => CliResult | Promise<CliResult>;
  const paths: [string, Record<string, string>, Run][] = [
    ['the fast path', {}, callCli],
    ['the fast path validating in JS', { CHARGER_DIAG_JOURNAL_WASM: '0' }, callCli],
    ['the fast path with small chunks', { CHARGER_DIAG_JOURNAL_CHUNK: '4096' }, callCli],
    ['the full parse', { CHARGER_DIAG_FULL_PARSE: '1' }, callCli],
  ];
  for (const [name, env, run] of paths) {
    it(`${name}: each deep line is one skipped record, the rest analysed`, async () => {
      const r = await run(['analyze', bundle, '--json'], { env });
      noInternalError(r);
      expect(r.code).toBe(0);
      const j = (JSON.parse(r.stdout) as { sources: { id: string; records: number; skippedRecords?: number; problems?: { line: number; reason: string }[] }[] }).sources.find((s) => s.id === 'journal')!;
      expect(j.records).toBe(plain.records);
      expect(j.skippedRecords).toBe(plain.skipped + hostile);
      // The analysis quotes the first five problems of a source and counts the rest.
      expect(j.problems!.map((p) => [p.line, p.reason])).toEqual([8, 9, 10, 11, 12].map((l) => [l, 'JSON nested more than 8 levels deep (journalctl writes at most 3)']));
    });
  }

  it('the summary and the report say so, and the fleet view reads the bundle', async () => {
    const a = await callCli(['analyze', bundle]);
    noInternalError(a);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(new RegExp(`${plain.skipped + hostile} unreadable record\\(s\\) skipped`));
    const rep = await callCli(['report', bundle], { env: { CHARGER_DIAG_FULL_PARSE: '1' } });
    noInternalError(rep);
    expect(rep.code).toBe(0);
    const s = await callCli(['analyze', bundle, '--summary', '--json']);
    noInternalError(s);
    expect(s.code).toBe(0);
    expect((JSON.parse(s.stdout) as { hosts: { status: string }[] }).hosts.map((h) => h.status)).not.toContain('unreadable');
  });
});

describe('deep JSON in the other files a bundle or a user hands over', () => {
  type Case = { name: string; make: (b: string) => string[]; error?: RegExp };
  const manifestWith = (b: string, edit: (text: string) => string) => {
    const p = join(b, 'manifest.json');
    writeFileSync(p, edit(JSON.stringify(JSON.parse(readFileSync(p, 'utf8')))));
  };
  const cases: Case[] = [
    { name: 'manifest.json, an unknown top-level field', make: (b) => (manifestWith(b, (t) => `${t.slice(0, -1)},"zz":${deepArray}}`), ['analyze', b]) },
    { name: 'manifest.json, inside host', make: (b) => (manifestWith(b, (t) => t.replace('"host":{', `"host":{"zz":${deepObject},`)), ['analyze', b]) },
    { name: 'manifest.json, inside a source', make: (b) => (manifestWith(b, (t) => t.replace('"sources":[{', `"sources":[{"zz":${deepArray},`)), ['analyze', b]) },
    { name: 'manifest.json, as redaction counts', make: (b) => (manifestWith(b, (t) => `${t.slice(0, -1)},"redaction":${deepObject}}`), ['analyze', b]) },
    // Host fields are each optional: an odd host is an unknown host.
    { name: 'manifest.json, as the host', make: (b) => (manifestWith(b, (t) => t.replace(/"host":\{[^}]*\}/, `"host":${deepObject}`)), ['analyze', b]) },
    {
      name: 'procinfo.json, a field and an element',
      make: (b) => (writeFileSync(join(b, 'commands/procinfo.json'), `{"processes":[{"pid":1,"exe":"/sbin/init","zz":${deepArray}},${deepObject}]}`), ['analyze', b]),
    },
    { name: 'procinfo.json, the whole file', make: (b) => (writeFileSync(join(b, 'commands/procinfo.json'), deepArray), ['analyze', b]) },
    {
      name: 'health-probes.json',
      make: (b) => (writeFileSync(join(b, 'commands/health-probes.json'), `{"probes":[{"url":"http://127.0.0.1/h","status":200,"zz":${deepObject}},${deepArray}]}`), ['analyze', b]),
    },
    {
      name: 'expected.json (check)',
      make: (b) => (writeFileSync(join(b, 'expected.json'), `{"findings":${deepArray}}`), ['check', b]),
      error: /expected\.json: invalid field findings\[0\]/,
    },
    {
      name: 'an --expect file',
      make: (b) => (writeFileSync(join(b, '..', 'expect-deep.json'), `{"absent":["log.errors"],"zz":${deepObject}}`), ['check', b, '--expect', join(b, '..', 'expect-deep.json')]),
    },
    {
      name: 'a --config file',
      make: (b) => (writeFileSync(join(b, '..', 'config-deep.json'), `{"thresholds":${deepObject}}`), ['analyze', b, '--config', join(b, '..', 'config-deep.json')]),
      error: /config-deep\.json: invalid field thresholds/,
    },
    {
      name: 'a fleet collection record',
      make: (b) => {
        const rec = join(b, '..', 'fleet-deep.json');
        writeFileSync(rec, `{"format":"charger-diag-fleet-collection","formatVersion":1,"hosts":${deepArray}}`);
        return ['analyze', '--summary', rec];
      },
      error: /fleet-deep\.json: invalid field/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await callCli(c.make(sampleCopy()));
      noInternalError(r);
      if (c.error) expectOneLineError(r, c.error);
      else expect(r.code, r.stderr).toBe(0);
    });
  }
});
