import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openBundle } from '../../src/bundle/reader.js';
import { InputError } from '../../src/errors.js';

const work = mkdtempSync(join(tmpdir(), 'charger-diag-readertest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MANIFEST = JSON.stringify(
  {
    format: 'charger-diag-bundle',
    formatVersion: 1,
    host: { hostname: 'charger-01', timezone: 'Europe/Istanbul', utcOffset: '+03:00' },
    sources: [{ id: 'ps', path: 'commands/ps.txt', status: 'ok', exitCode: 0 }],
  },
  null,
  2,
);
const MEMINFO = 'MemTotal:        3882672 kB\nMemFree:          143260 kB\nMemAvailable:     402312 kB\n';
const LOADAVG = '3.91 2.05 1.12 5/312 165170\n';
const PS = '    PID    PPID USER     COMMAND\n      1       0 root     /sbin/init\n';

async function expectInputError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message;
}

function makeDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'commands'), { recursive: true });
  mkdirSync(join(dir, 'files/proc'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), MANIFEST);
  writeFileSync(join(dir, 'commands/ps.txt'), PS);
  writeFileSync(join(dir, 'files/proc/meminfo'), MEMINFO);
  writeFileSync(join(dir, 'files/proc/loadavg'), LOADAVG);
  return dir;
}

describe('directory bundles', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeDir('bundle');
    // What a careless or hostile bundle might hold: links out, a link to a
    // directory outside, and a FIFO that would block a naive reader forever.
    symlinkSync('/etc/passwd', join(dir, 'commands/passwd'));
    symlinkSync('/etc', join(dir, 'files/etc'));
    execFileSync('mkfifo', [join(dir, 'commands/fifo')]);
  });

  it('lists regular files sorted and records links and special files as refused', async () => {
    const b = await openBundle(dir);
    expect(b.files).toEqual(['commands/ps.txt', 'files/proc/loadavg', 'files/proc/meminfo', 'manifest.json']);
    expect(b.refused).toEqual([
      { path: 'commands/fifo', reason: 'special file (FIFO), not read' },
      { path: 'commands/passwd', reason: 'symbolic link (not followed)' },
      { path: 'files/etc', reason: 'symbolic link (not followed)' },
    ]);
    expect(b.displayPath).toBe(dir);
    expect(b.manifest.host?.timezone).toBe('Europe/Istanbul');
    expect(b.manifest.sources?.[0]?.exitCode).toBe(0);
  });

  it('gives paths and text of listed files only', async () => {
    const b = await openBundle(dir);
    expect(b.pathOf('files/proc/meminfo')).toBe(join(b.root, 'files/proc/meminfo'));
    expect(await b.readText('files/proc/meminfo')).toBe(MEMINFO);
    expect(b.size('files/proc/loadavg')).toBe(LOADAVG.length);
    expect(b.has('commands/passwd')).toBe(false);
    expect(() => b.pathOf('commands/passwd')).toThrow(InputError);
    expect(() => b.pathOf('files/etc/passwd')).toThrow(/no file "files\/etc\/passwd" in the bundle/);
    expect(() => b.pathOf('../../etc/passwd')).toThrow(InputError);
    expect(() => b.size('nope')).toThrow(InputError);
  });

  it('refuses a whole-file read over maxBytes, naming the file', async () => {
    const b = await openBundle(dir);
    const msg = await expectInputError(b.readText('files/proc/meminfo', 10));
    expect(msg).toBe(`${dir}: files/proc/meminfo: ${MEMINFO.length} bytes is over the limit of 10 bytes for a whole-file read`);
  });

  it('notices a listed file swapped for a link after opening', async () => {
    const d = makeDir('swapped');
    const b = await openBundle(d);
    rmSync(join(d, 'files/proc/loadavg'));
    symlinkSync('/etc/passwd', join(d, 'files/proc/loadavg'));
    expect(() => b.pathOf('files/proc/loadavg')).toThrow(/no longer a regular file/);
    await expect(b.readText('files/proc/loadavg')).rejects.toThrow(InputError);
  });

  it('notices a directory of the bundle swapped for a link to one outside after opening', async () => {
    const d = makeDir('dir-swapped');
    const b = await openBundle(d);
    // The same file name in a directory outside: only where the path leads shows the swap.
    const outside = mkdtempSync(join(work, 'outside-'));
    writeFileSync(join(outside, 'loadavg'), '9.99 9.99 9.99 1/1 1\n');
    rmSync(join(d, 'files/proc'), { recursive: true });
    symlinkSync(outside, join(d, 'files/proc'));
    expect(() => b.pathOf('files/proc/loadavg')).toThrow(/resolves outside the bundle/);
    await expect(b.readText('files/proc/loadavg')).rejects.toThrow(InputError);
  });

  it('hashes the sorted "path\\0size\\0sha256\\n" listing, and the hash follows the content', async () => {
    const d = makeDir('hashed');
    const b = await openBundle(d);
    const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
    let listing = '';
    for (const rel of ['commands/ps.txt', 'files/proc/loadavg', 'files/proc/meminfo', 'manifest.json']) {
      const content = readFileSync(join(d, rel));
      listing += `${rel}\0${content.length}\0${sha(content)}\n`;
    }
    const h = await b.sha256();
    expect(h).toBe(sha(listing));
    expect(await b.sha256()).toBe(h); // cached
    writeFileSync(join(d, 'files/proc/loadavg'), '0.01 0.02 0.00 1/200 300\n');
    const again = await openBundle(d);
    expect(await again.sha256()).not.toBe(h);
  });

  it('close() leaves a directory bundle in place', async () => {
    const d = makeDir('kept');
    const b = await openBundle(d);
    await b.close();
    await b.close();
    expect(existsSync(join(d, 'manifest.json'))).toBe(true);
  });

  it('accepts a trailing slash and a relative path', async () => {
    const d = makeDir('relative');
    const withSlash = await openBundle(`${d}/`);
    expect(withSlash.files).toContain('manifest.json');
    const rel = relative(process.cwd(), d);
    const b = await openBundle(rel);
    expect(b.displayPath).toBe(rel);
    expect(await b.readText('commands/ps.txt')).toBe(PS);
  });
});

describe('unusable input', () => {
  it('names a missing bundle', async () => {
    const p = join(work, 'does-not-exist');
    expect(await expectInputError(openBundle(p))).toBe(`no such bundle: ${p}`);
  });

  it('refuses a file that is not a .tar.gz/.tgz', async () => {
    const p = join(work, 'bundle.zip');
    writeFileSync(p, 'PK\u0003\u0004');
    expect(await expectInputError(openBundle(p))).toBe(`${p}: not a bundle (expected a bundle directory or a .tar.gz/.tgz of one)`);
  });

  it('refuses a directory without manifest.json', async () => {
    const d = join(work, 'no-manifest');
    mkdirSync(join(d, 'commands'), { recursive: true });
    writeFileSync(join(d, 'commands/ps.txt'), PS);
    expect(await expectInputError(openBundle(d))).toBe(`${d}: not a charger-diag bundle (no manifest.json)`);
  });

  it('does not follow a manifest.json that is a symlink', async () => {
    const d = join(work, 'linked-manifest');
    mkdirSync(d);
    const real = join(work, 'real-manifest.json');
    writeFileSync(real, MANIFEST);
    symlinkSync(real, join(d, 'manifest.json'));
    expect(await expectInputError(openBundle(d))).toBe(`${d}: not a charger-diag bundle (no manifest.json)`);
  });

  it('names manifest.json and the line of a JSON error', async () => {
    const d = join(work, 'bad-json');
    mkdirSync(d);
    writeFileSync(join(d, 'manifest.json'), '{\n  "format": "charger-diag-bundle",\n  "formatVersion": 1,\n}\n');
    const msg = await expectInputError(openBundle(d));
    expect(msg).toMatch(new RegExp(`^${d}/manifest\\.json: not valid JSON \\(.* at line 4 column 1\\)$`));
  });

  it('refuses more directory entries than maxEntries', async () => {
    const d = makeDir('many');
    for (let i = 0; i < 20; i++) writeFileSync(join(d, 'commands', `crontab-user${i}.txt`), '');
    expect(await expectInputError(openBundle(d, { maxEntries: 10 }))).toBe(`${d}: refused: more than 10 entries`);
  });
});
