// The command-line conventions users know from eslint and shellcheck: a usage
// error is one `charger-diag: …` line and where the help is, exit 2; no
// arguments is a usage error; --out's extension decides the format; --help
// shows examples and exit codes. In process, but for one run of the built CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, callCli, expectOneLineError, expectUsageError, runCli } from '../helpers/cli.js';
import { colourFor } from '../../src/render/summary.js';

const SEED = join(__dirname, '../../samples/seed-incident');
const tmp = mkdtempSync(join(tmpdir(), 'cd-conventions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const EPOCH = { SOURCE_DATE_EPOCH: '1765321200' };

describe('usage errors', () => {
  it('no arguments at all is a usage error, exit 2 (the built CLI)', () => {
    expectUsageError(runCli([]), /^charger-diag: no command given \(collect, analyze, report, rules, check, redact, capture\)$/);
  });

  it("commander's own errors become one line and the command's Try line, never the whole help", async () => {
    expectUsageError(await callCli(['bogus']), /^charger-diag: unknown command 'bogus'$/);
    expectUsageError(await callCli(['analyze']), /^charger-diag: missing required argument 'bundle'$/, 'analyze');
    expectUsageError(await callCli(['analyze', SEED, '--bogus']), /^charger-diag: unknown option '--bogus'$/, 'analyze');
    expectUsageError(await callCli(['report', SEED, '--lang', 'de']), /^charger-diag: option '--lang <lang>' argument 'de' is invalid/, 'report');
    expectUsageError(await callCli(['check', SEED, '--fail-on']), /^charger-diag: option '--fail-on <severity>' argument missing$/, 'check');
    expectUsageError(await callCli(['redact', SEED]), /^charger-diag: required option '--out <path>' not specified$/, 'redact');
    expectUsageError(await callCli(['rules', 'extra']), /^charger-diag: too many arguments for 'rules'/, 'rules');
  });

  it('an option combination that cannot work is a usage error of its command', async () => {
    expectUsageError(await callCli(['collect', '--window', '5m']), /^charger-diag: --window needs --around/, 'collect');
    expectUsageError(await callCli(['collect', '--since', 'next week']), /^charger-diag: --since next week: not a valid time/, 'collect');
  });

  it('--help and --version are not errors; help shows examples and exit codes', async () => {
    const help = await callCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: charger-diag /);
    expect(help.stdout).toMatch(/\nExamples:\n {2}charger-diag collect --since -30m/);
    expect(help.stdout).toMatch(/\nExit codes:\n {2}0 {4}done\n {2}1 .*\n {2}2 {4}bad usage or unusable input/);
    const sub = await callCli(['report', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: charger-diag report /);
    expect(sub.stdout).toContain('Examples:');
    expect((await callCli(['--version'])).code).toBe(0);
  });
});

describe('--out decides the format', () => {
  it('report --out r.html writes HTML, r.json the analysis JSON, r.md Markdown', async () => {
    for (const [name, start] of [['r.html', '<!doctype html>'], ['r.json', '{'], ['r.md', '# Service outage post-mortem']] as const) {
      const out = join(tmp, name);
      const r = await callCli(['report', SEED, '--out', out], { env: EPOCH });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').startsWith(start), name).toBe(true);
    }
    // An extension that names no format keeps the default.
    const txt = join(tmp, 'r.txt');
    expect((await callCli(['report', SEED, '--out', txt], { env: EPOCH })).code).toBe(0);
    expect(readFileSync(txt, 'utf8')).toMatch(/^# Service outage post-mortem/);
  });

  it('a --format that agrees is fine; one that contradicts the extension is a usage error and writes nothing', async () => {
    expect((await callCli(['report', SEED, '--format', 'html', '--out', join(tmp, 'same.html')], { env: EPOCH })).code).toBe(0);
    const out = join(tmp, 'lies.html');
    expectUsageError(await callCli(['report', SEED, '--format', 'md', '--out', out]), /^charger-diag: --format md contradicts --out .*lies\.html \(a \.html file is html\)/, 'report');
    expect(existsSync(out)).toBe(false);
  });

  it('check --out x.sarif writes SARIF and x.xml JUnit', async () => {
    const sarif = join(tmp, 'c.sarif');
    expect((await callCli(['check', SEED, '--out', sarif])).code).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    const junit = join(tmp, 'c.xml');
    expect((await callCli(['check', SEED, '--out', junit])).code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites/);
    expectUsageError(await callCli(['check', SEED, '--format', 'junit', '--out', join(tmp, 'x.sarif')]), /--format junit contradicts --out/, 'check');
  });
});

describe('an archive that is not a bundle', () => {
  it('a random gzip or a file that is no gzip at all: one line naming the file and what is wrong, in our words', async () => {
    const random = join(tmp, 'random.tar.gz');
    writeFileSync(random, gzipSync(randomBytes(4096)));
    expectOneLineError(await callCli(['analyze', random]), /^charger-diag: .*random\.tar\.gz: corrupt archive: the gzip holds no tar archive; its first block is not a tar header$/);
    const plain = join(tmp, 'plain.tar.gz');
    writeFileSync(plain, 'not compressed at all\n');
    expectOneLineError(await callCli(['report', plain]), /^charger-diag: .*plain\.tar\.gz: corrupt archive: not gzip-compressed; a bundle archive is a \.tar\.gz$/);
  });
});

describe('colour', () => {
  const SEGFAULT = join(__dirname, '../../samples/segfault-loop');
  it('severities are coloured on a terminal only: never when piped or with NO_COLOR', () => {
    expect(colourFor({ isTTY: true }, { TERM: 'xterm' })).toBe(true);
    expect(colourFor({ isTTY: false }, { TERM: 'xterm' })).toBe(false);
    expect(colourFor({ isTTY: true }, { TERM: 'xterm', NO_COLOR: '1' })).toBe(false);
    expect(colourFor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourFor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourFor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('analyze: piped output has no escape codes; FORCE_COLOR colours the labels and nothing else; NO_COLOR wins', async () => {
    const piped = await callCli(['analyze', SEGFAULT], { env: { NO_COLOR: '', FORCE_COLOR: '0' } });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^CRITICAL /m);
    expect(piped.stdout).not.toContain('\x1b');
    const forced = await callCli(['analyze', SEGFAULT], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/^\x1b\[1;31mCRITICAL\x1b\[0m /m);
    expect(forced.stdout.replace(/\x1b\[[\d;]*m/g, '')).toBe(piped.stdout);
    const no = await callCli(['analyze', SEGFAULT], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(no.stdout).toBe(piped.stdout);
  });
});

describe('the bin on an older Node', () => {
  it('says in one line which Node it needs, before loading anything that would not parse (the built CLI)', () => {
    const fake = join(tmp, 'node18.cjs');
    writeFileSync(fake, "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.0' } });\nObject.defineProperty(process, 'version', { value: 'v18.19.0' });\n");
    const r = runCli(['analyze', SEED], { env: { NODE_OPTIONS: `--require ${fake}` } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('charger-diag: needs Node.js 20 or newer, this is v18.19.0 (on a device without it, run the collection script: charger-diag collect --print-script, see README)\n');
  });
});

describe('a reader that stops early', () => {
  it('`… | head -1`: the built CLI stops with status 141 (as SIGPIPE ends a C tool) and no stack trace', () => {
    // The script is ~100 kB: far more than a pipe holds, so the writes after head exits fail.
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" collect --print-script | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toBe('#!/bin/sh');
    expect(r.stderr).toBe('');
    const bash = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" collect --print-script | head -1 >/dev/null; echo $?`], { encoding: 'utf8' });
    expect(bash.stderr).toBe('');
    expect(bash.stdout.trim()).toBe('141');
  });
});
