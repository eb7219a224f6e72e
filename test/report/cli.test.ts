// `charger-diag report` as users run it: formats, --out, --max-chars, and the
// one-line errors of bad usage. In process, but for one run of the built CLI.
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callCli, expectOneLineError, expectUsageError, runCli } from '../helpers/cli.js';

const SEED = join(__dirname, '../../samples/seed-incident');
const tmp = mkdtempSync(join(tmpdir(), 'cd-report-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const EPOCH = { SOURCE_DATE_EPOCH: '1765321200' };
const run = (args: string[]) => callCli(args, { env: EPOCH });


describe('charger-diag report', () => {
  it('prints English Markdown by default, Turkish with --lang tr', async () => {
    const en = await run(['report', SEED]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^# Service outage post-mortem: charger-01, 2025-12-10\n/);
    expect(en.stdout).toContain('- **Created:** 2025-12-10 02:00:00+03:00');
    const tr = await run(['report', SEED, '--lang', 'tr']);
    expect(tr.code).toBe(0);
    expect(tr.stdout).toMatch(/^# Servis Çökme Analizi ve Çözüm Raporu: charger-01, 2025-12-10\n/);
  });

  it('--out writes the file and prints its path', async () => {
    const out = join(tmp, 'seed.tr.md');
    const r = await run(['report', SEED, '--lang', 'tr', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe((await run(['report', SEED, '--lang', 'tr'])).stdout);
  });

  it('--out into a directory that does not exist is an error, and creates nothing (the built CLI)', () => {
    const out = join(tmp, 'no/such/dir/report.md');
    expectOneLineError(runCli(['report', SEED, '--out', out], { env: EPOCH }), /no\/such\/dir\/report\.md: directory .* does not exist/);
    expect(existsSync(join(tmp, 'no'))).toBe(false);
  });

  it('--format json is the analysis JSON, the same as analyze --json', async () => {
    const r = await run(['report', SEED, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse((await run(['analyze', SEED, '--json'])).stdout));
    expect(JSON.parse(r.stdout).artifacts.length).toBeGreaterThan(0);
  });

  it('--format html is one page', async () => {
    const r = await run(['report', SEED, '--format', 'html', '--lang', 'tr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>\n<html lang="tr">/);
    // Sections carry ids, and the table of contents (in Turkish) links to each.
    const id = /<h2 id="(s\d+)">Tekrarlayacak mı\?<\/h2>/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(r.stdout).toContain(`<nav class="toc" aria-label="İçindekiler">`);
    expect(r.stdout).toContain(`<li><a href="#${id}">Tekrarlayacak mı?</a></li>`);
    // A4 print style; identifiers marked whole, quoted lines wrapped.
    expect(r.stdout).toContain('@page { size: A4;');
    expect(r.stdout).toMatch(/<code class="id">charger\.service<\/code>/);
    expect(r.stdout).toMatch(/pre code \{[^}]*white-space: pre-wrap/);
  });

  it('--max-chars caps the Markdown, and refuses what is not a size or cannot be met', async () => {
    const r = await run(['report', SEED, '--max-chars', '32767']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(32_767);
    expectUsageError(await run(['report', SEED, '--max-chars', 'lots']), /--max-chars lots: expected a positive whole number/, 'report');
    expectOneLineError(await run(['report', SEED, '--max-chars', '2000']), /--max-chars 2000: too small/);
  });

  it('bad usage and unusable input exit 2 with one line', async () => {
    expect((await run(['report', SEED, '--lang', 'de'])).code).toBe(2);
    expect((await run(['report', SEED, '--format', 'pdf'])).code).toBe(2);
    expectOneLineError(await run(['report', '/nonexistent/bundle-x']), /\/nonexistent\/bundle-x/);
  });
});
