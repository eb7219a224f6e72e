import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { openBundle } from '../../src/bundle/reader.js';
import { InputError } from '../../src/errors.js';
import { header, MINIMAL_MANIFEST, paxBody, rawTar, rawTarGz, type RawEntry } from './tar-fixtures.js';

// openBundle extracts into os.tmpdir(); point that at a private directory so
// "nothing left behind" can be checked without racing other test files.
const realTmp = tmpdir();
const work = mkdtempSync(join(realTmp, 'charger-diag-tartest-'));
const extractRoot = join(work, 'tmp');
const archives = join(work, 'archives');
let savedTmpdir: string | undefined;

beforeAll(() => {
  mkdirSync(extractRoot);
  mkdirSync(archives);
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = extractRoot;
});

afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  expect(readdirSync(extractRoot)).toEqual([]);
});

let counter = 0;
function writeArchive(data: Buffer, name = `bundle-${++counter}.tar.gz`): string {
  const p = join(archives, name);
  writeFileSync(p, data);
  return p;
}

async function refusal(path: string, limits?: Parameters<typeof openBundle>[1]): Promise<string> {
  const err = await openBundle(path, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const message = (err as InputError).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`${path}:`)).toBe(true);
  // Refused means refused: the private extraction directory is gone.
  expect(readdirSync(extractRoot)).toEqual([]);
  return message;
}

const UNIQUE = `charger-diag-evil-${process.pid}-${randomBytes(4).toString('hex')}`;

const PS_TXT = [
  '    PID    PPID USER                             STARTED                   ELAPSED   RSS %CPU CGROUP                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           COMMAND',
  '      1       0 root                             Wed Dec 10 00:58:02 2025     1018 11904  0.3 0::/init.scope                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   /sbin/init',
  ' 165162       1 basar                            Wed Dec 10 01:02:11 2025      769 61244  1.2 0::/user.slice/user-1000.slice/session-3.scope                                                                                                                                                                                                                                                                                                                                                                                                                                                   /home/basar/env/bin/python /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000',
  '',
].join('\n');

const UNIT = [
  '[Unit]',
  'Description=OCPP charger client',
  'After=network-online.target',
  '',
  '[Service]',
  'User=basar',
  'ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
  '',
].join('\n');

function bundleTree(dir: string): void {
  mkdirSync(join(dir, 'commands'), { recursive: true });
  mkdirSync(join(dir, 'files/etc/systemd/system'), { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ format: 'charger-diag-bundle', formatVersion: 1, host: { hostname: 'charger-01', utcOffset: '+03:00' } }, null, 2),
  );
  writeFileSync(join(dir, 'commands/ps.txt'), PS_TXT);
  writeFileSync(join(dir, 'files/etc/systemd/system/charger.service'), UNIT);
}

describe('well-formed archives', () => {
  it('opens a collector-style archive (one top-level directory, made by system tar) and strips that directory', async () => {
    const src = join(work, 'src-top');
    const top = 'charger-diag-charger-01-20251210-011500';
    bundleTree(join(src, top));
    const archive = join(archives, `${top}.tar.gz`);
    execFileSync('tar', ['czf', archive, '-C', src, top]);

    const b = await openBundle(archive);
    try {
      expect(b.displayPath).toBe(archive);
      expect(b.files).toEqual(['commands/ps.txt', 'files/etc/systemd/system/charger.service', 'manifest.json']);
      expect(b.refused).toEqual([]);
      expect(b.manifest.host?.hostname).toBe('charger-01');
      expect(b.root.startsWith(extractRoot)).toBe(true);
      expect(b.root.endsWith(top)).toBe(true);
      expect(await b.readText('files/etc/systemd/system/charger.service')).toBe(UNIT);
      expect(b.size('commands/ps.txt')).toBe(Buffer.byteLength(PS_TXT));
      expect(readFileSync(b.pathOf('commands/ps.txt'), 'utf8')).toBe(PS_TXT);
      expect(b.has('manifest.json')).toBe(true);
      expect(b.has(`${top}/manifest.json`)).toBe(false);
      const expected = createHash('sha256').update(readFileSync(archive)).digest('hex');
      expect(await b.sha256()).toBe(expected);
    } finally {
      await b.close();
    }
    expect(readdirSync(extractRoot)).toEqual([]);
    await b.close(); // idempotent
  });

  it('opens an archive without a top-level directory (made by the tar package, "./" prefixes)', async () => {
    const src = join(work, 'src-flat');
    bundleTree(src);
    const archive = join(archives, 'flat.tgz');
    await tar.c({ gzip: true, file: archive, cwd: src }, ['./manifest.json', './commands', './files']);

    const b = await openBundle(archive);
    try {
      expect(b.files).toEqual(['commands/ps.txt', 'files/etc/systemd/system/charger.service', 'manifest.json']);
      expect(b.manifest.format).toBe('charger-diag-bundle');
      expect(await b.readText('commands/ps.txt')).toBe(PS_TXT);
    } finally {
      await b.close();
    }
  });

  it('streams a large file through intact (backpressure between gunzip, parser and disk)', async () => {
    const big = Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.concat([randomBytes(200_000), Buffer.alloc(50_000, 0x30 + (i % 10))])));
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'commands/journal.jsonl', body: big },
        { name: 'commands/dmesg.txt', body: '2025-12-10T01:10:02,000000+03:00 Out of memory: Killed process 165162 (python)\n' },
      ]),
    );
    const b = await openBundle(archive);
    try {
      expect(b.size('commands/journal.jsonl')).toBe(big.length);
      const got = createHash('sha256').update(readFileSync(b.pathOf('commands/journal.jsonl'))).digest('hex');
      expect(got).toBe(createHash('sha256').update(big).digest('hex'));
      expect(await b.readText('commands/dmesg.txt')).toContain('Killed process 165162');
    } finally {
      await b.close();
    }
  });

  it('does not strip a top-level directory that holds no manifest.json', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'outer/', type: '5' },
        { name: 'outer/notes.txt', body: 'x' },
      ]),
    );
    expect(await refusal(archive)).toBe(`${archive}: not a charger-diag bundle (no manifest.json)`);
  });

  it('accepts pax long names (written by system tar for paths over 100 bytes)', async () => {
    const src = join(work, 'src-long');
    bundleTree(src);
    const deep = 'files/home/basar/charger/' + 'a-rather-long-directory-name-'.repeat(5) + '/nohup.out';
    mkdirSync(join(src, deep, '..'), { recursive: true });
    writeFileSync(join(src, deep), 'INFO:     Started server process [165162]\n');
    const archive = join(archives, 'long.tar.gz');
    execFileSync('tar', ['--format=pax', '-czf', archive, '-C', src, '.']);
    const b = await openBundle(archive);
    try {
      expect(b.files).toContain(deep);
    } finally {
      await b.close();
    }
  });
  it("accepts systemd's escaped unit names (a backslash is an ordinary character on Linux)", async () => {
    // systemd-escape writes '-' as \x2d and '@' in an instance as \x40; such files exist on devices.
    const src = join(work, 'src-escaped');
    bundleTree(src);
    const unit = 'files/etc/systemd/system/autossh@relay\\x2d1.service';
    mkdirSync(join(src, unit, '..'), { recursive: true });
    writeFileSync(join(src, unit), '[Service]\nExecStart=/usr/bin/autossh -N relay-1\n');
    const archive = join(archives, 'escaped.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', src, '.']);
    const b = await openBundle(archive);
    try {
      expect(b.files).toContain(unit);
    } finally {
      await b.close();
    }
  });
});

describe('hostile archives are refused and leave nothing behind', () => {
  it('refuses a ../ entry', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: `../${UNIQUE}`, body: 'pwned' }]));
    expect(await refusal(archive)).toBe(`${archive}: refused entry "../${UNIQUE}": path escapes the bundle (".." segment)`);
    expect(existsSync(join(extractRoot, '..', UNIQUE))).toBe(false);
    expect(existsSync(join(archives, '..', UNIQUE))).toBe(false);
  });

  it('refuses a .. segment in the middle of a path', async () => {
    const archive = writeArchive(rawTarGz([{ name: `commands/../../${UNIQUE}`, body: 'pwned' }]));
    expect(await refusal(archive)).toContain(`refused entry "commands/../../${UNIQUE}": path escapes the bundle`);
  });

  it('refuses ../ written by system tar -P --transform', async () => {
    const src = join(work, 'src-dotdot');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'evil'), 'pwned');
    const archive = join(archives, 'dotdot.tar.gz');
    execFileSync('tar', ['-czPf', archive, '-C', src, '--transform', `s,^evil,../${UNIQUE},`, 'evil'], { stdio: 'pipe' });
    expect(await refusal(archive)).toContain(`refused entry "../${UNIQUE}"`);
  });

  it('refuses an absolute path', async () => {
    const target = `/tmp/${UNIQUE}`;
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: target, body: 'pwned' }]));
    expect(await refusal(archive)).toBe(`${archive}: refused entry "${target}": absolute path`);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(extractRoot, target))).toBe(false);
  });

  it('refuses an absolute path written by system tar --absolute-names', async () => {
    const src = join(work, 'src-abs');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'x'), 'pwned');
    const archive = join(archives, 'abs.tar.gz');
    execFileSync('tar', ['-czf', archive, '--absolute-names', '-C', src, '--transform', `s,^x,/tmp/${UNIQUE}-x,`, 'x'], { stdio: 'pipe' });
    expect(await refusal(archive)).toBe(`${archive}: refused entry "/tmp/${UNIQUE}-x": absolute path`);
    expect(existsSync(`/tmp/${UNIQUE}-x`)).toBe(false);
  });

  it('refuses a symlink to /etc/passwd', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'commands/ps.txt', type: '2', linkname: '/etc/passwd' },
      ]),
    );
    expect(await refusal(archive)).toBe(
      `${archive}: refused entry "commands/ps.txt": symbolic link to "/etc/passwd" (only regular files and directories are accepted)`,
    );
  });

  it('refuses a symlink made by system tar (no -h)', async () => {
    const src = join(work, 'src-symlink');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'manifest.json'), MINIMAL_MANIFEST);
    execFileSync('ln', ['-s', '/etc/passwd', join(src, 'passwd')]);
    const archive = join(archives, 'symlink.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', src, 'manifest.json', 'passwd']);
    expect(await refusal(archive)).toContain('refused entry "passwd": symbolic link to "/etc/passwd"');
  });

  it('refuses a hard link to /etc/passwd', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'files/etc/passwd', type: '1', linkname: '/etc/passwd' },
      ]),
    );
    expect(await refusal(archive)).toBe(
      `${archive}: refused entry "files/etc/passwd": hard link to "/etc/passwd" (only regular files and directories are accepted)`,
    );
  });

  it('refuses a symlinked directory and never writes through it', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'link', type: '2', linkname: '/tmp' },
        { name: `link/${UNIQUE}`, body: 'pwned' },
      ]),
    );
    expect(await refusal(archive)).toContain('refused entry "link": symbolic link to "/tmp"');
    expect(existsSync(`/tmp/${UNIQUE}`)).toBe(false);
  });

  it('never reads the target of a refused link (its access time is unchanged)', async () => {
    const dir = join(work, 'sentinel');
    mkdirSync(dir, { recursive: true });
    const sentinel = join(dir, 'secret.txt');
    const probe = join(dir, 'probe.txt');
    for (const f of [sentinel, probe]) {
      writeFileSync(f, 'root:x:0:0:root:/root:/bin/bash\n');
      utimesSync(f, 1_000_000, 2_000_000); // atime before mtime: relatime updates it on any read
    }
    readFileSync(probe);
    if (statSync(probe).atimeMs === 1_000_000_000) return; // noatime mount: nothing to observe
    for (const type of ['1', '2']) {
      const archive = writeArchive(
        rawTarGz([
          { name: 'manifest.json', body: MINIMAL_MANIFEST },
          { name: 'files/etc/passwd', type, linkname: sentinel },
          { name: 'files/etc/shadow', type: '0', body: 'x' },
        ]),
      );
      await refusal(archive);
    }
    expect(statSync(sentinel).atimeMs).toBe(1_000_000_000);
  });

  it('refuses a path laundered through a pax header (ustar name harmless, pax path hostile)', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'commands/ok.txt', body: 'x', pax: { path: `../../${UNIQUE}` } }]));
    expect(await refusal(archive)).toContain(`refused entry "../../${UNIQUE}": path escapes the bundle`);
  });

  it('refuses a NUL byte in a pax path', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'commands/ok.txt', body: 'x', pax: { path: 'commands/ps.txt\0/../../x' } }]));
    expect(await refusal(archive)).toContain('NUL byte in path');
  });

  it.each([
    ['3', 'character device'],
    ['4', 'block device'],
    ['6', 'FIFO'],
  ])('refuses a special file (type %s: %s)', async (type, kind) => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: 'dev/null', type }]));
    expect(await refusal(archive)).toBe(`${archive}: refused entry "dev/null": ${kind} (only regular files and directories are accepted)`);
  });

  it('refuses an entry type it does not know (GNU sparse file)', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: 'sparse', type: 'S', body: 'x' }]));
    expect(await refusal(archive)).toContain('refused entry "sparse": unsupported entry type SparseFile');
  });

  it('refuses a pax header too large for the parser instead of silently dropping it', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST, pax: { comment: 'A'.repeat(1_100_000) } }]));
    expect(await refusal(archive)).toMatch(/refused entry ".*": ExtendedHeader metadata of \d+ bytes is over the parser's limit$/);
  });

  it('refuses duplicate file entries', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'commands/ps.txt', body: 'first' },
        { name: './commands/ps.txt', body: 'second' },
      ]),
    );
    expect(await refusal(archive)).toBe(`${archive}: refused entry "./commands/ps.txt": duplicate file entry`);
  });

  it('refuses a file that is later used as a directory', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'commands', body: 'a file' },
        { name: 'commands/ps.txt', body: 'x' },
      ]),
    );
    expect(await refusal(archive)).toContain('"commands" is both a file and a directory');
  });
});

describe('limits', () => {
  it('refuses more entries than maxEntries', async () => {
    const entries: RawEntry[] = [{ name: 'manifest.json', body: MINIMAL_MANIFEST }];
    for (let i = 0; i < 10; i++) entries.push({ name: `files/var/log/app-${i}.log`, body: `line ${i}\n` });
    const archive = writeArchive(rawTarGz(entries));
    expect(await refusal(archive, { maxEntries: 5 })).toBe(`${archive}: refused: more than 5 entries`);
    // The same archive is fine under the default limit.
    const b = await openBundle(archive);
    expect(b.files).toHaveLength(11);
    await b.close();
  });

  it('refuses more decompressed bytes than maxTotalBytes', async () => {
    const entries: RawEntry[] = [{ name: 'manifest.json', body: MINIMAL_MANIFEST }];
    for (let i = 0; i < 4; i++) entries.push({ name: `files/var/log/syslog-${i}`, body: Buffer.alloc(100_000, 0x61) });
    const archive = writeArchive(rawTarGz(entries));
    expect(await refusal(archive, { maxTotalBytes: 250_000 })).toBe(`${archive}: refused: more than 250000 bytes when decompressed`);
  });

  it('refuses one file over maxEntryBytes', async () => {
    const archive = writeArchive(
      rawTarGz([
        { name: 'manifest.json', body: MINIMAL_MANIFEST },
        { name: 'commands/journal.jsonl', body: Buffer.alloc(10_000, 0x7b) },
      ]),
    );
    expect(await refusal(archive, { maxEntryBytes: 4096 })).toBe(
      `${archive}: refused entry "commands/journal.jsonl": 10000 bytes is over the limit of 4096 bytes per file`,
    );
  });

  it('stops a gzip bomb early: a header claiming 5 GiB is refused before its body is read', async () => {
    // 64 MiB of zeros after the header compress to ~64 KiB; the claimed size is far larger.
    const head = rawTar([{ name: 'manifest.json', body: MINIMAL_MANIFEST }], { eof: false });
    const bomb = rawTar([{ name: 'files/var/log/syslog', declaredSize: 5 * 1024 ** 3 }], { eof: false });
    const archive = writeArchive(gzipSync(Buffer.concat([head, bomb, Buffer.alloc(64 * 1024 * 1024)])));
    const started = Date.now();
    expect(await refusal(archive)).toContain(`refused entry "files/var/log/syslog": ${5 * 1024 ** 3} bytes is over the limit`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops decompressing at maxTotalBytes when the bytes hide in metadata (pax headers count as no entry)', async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      const body = paxBody({ comment: 'A'.repeat(900_000) });
      parts.push(header({ name: `PaxHeaders/${i}`, type: 'x', size: body.length }), body, Buffer.alloc(512 - (body.length % 512)));
    }
    parts.push(rawTar([{ name: 'manifest.json', body: MINIMAL_MANIFEST }]));
    const archive = writeArchive(gzipSync(Buffer.concat(parts)));
    expect(await refusal(archive, { maxTotalBytes: 4 * 1024 * 1024 })).toBe(`${archive}: refused: more than 4194304 bytes when decompressed`);
    // Under the default limits the same archive is an ordinary bundle.
    const b = await openBundle(archive);
    expect(b.files).toEqual(['manifest.json']);
    await b.close();
  });

  it('refuses an archive over maxCompressedBytes without reading it', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }]));
    const size = statSync(archive).size;
    expect(await refusal(archive, { maxCompressedBytes: 10 })).toBe(`${archive}: refused: ${size} bytes is over the limit of 10 bytes`);
  });
});

describe('corrupt and unusable archives', () => {
  it('reports a file that is not gzip', async () => {
    const archive = writeArchive(Buffer.from('this is not an archive\n'));
    expect(await refusal(archive)).toBe(`${archive}: corrupt archive: not gzip-compressed; a bundle archive is a .tar.gz`);
  });

  it('reports a truncated gzip stream', async () => {
    const good = rawTarGz([
      { name: 'manifest.json', body: MINIMAL_MANIFEST },
      { name: 'commands/dmesg.txt', body: randomBytes(20_000).toString('base64') },
    ]);
    const archive = writeArchive(good.subarray(0, Math.floor(good.length / 2)));
    expect(await refusal(archive)).toBe(`${archive}: corrupt archive: the gzip data ends early; the file is truncated (an interrupted copy or download?)`);
  });

  it('reports a gzip stream cut inside a big file, which was being written when the cut was found', async () => {
    // Big enough that the tar parser waits for the file's writer (backpressure) when the cut shows:
    // the extraction once waited forever there, and the CLI ended with status 0 and no output.
    const good = rawTarGz([
      { name: 'manifest.json', body: MINIMAL_MANIFEST },
      { name: 'commands/journal.jsonl', body: randomBytes(3_000_000).toString('base64') },
    ]);
    for (const cut of [0.3, 0.6, 0.95]) {
      const archive = writeArchive(good.subarray(0, Math.floor(good.length * cut)));
      expect(await refusal(archive)).toBe(`${archive}: corrupt archive: the gzip data ends early; the file is truncated (an interrupted copy or download?)`);
    }
  }, 10_000);

  it('reports a header with a bad checksum', async () => {
    const tarBytes = rawTar([{ name: 'manifest.json', body: MINIMAL_MANIFEST }]);
    tarBytes[0] = 'X'.charCodeAt(0); // name changed after the checksum was computed
    const archive = writeArchive(gzipSync(tarBytes));
    expect(await refusal(archive)).toBe(`${archive}: corrupt archive: the gzip holds no tar archive; its first block is not a tar header`);
  });

  it('reports a tar cut inside a file body', async () => {
    const tarBytes = rawTar([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: 'commands/ps.txt', body: Buffer.alloc(5000, 0x61) }], {
      eof: false,
    });
    const archive = writeArchive(gzipSync(tarBytes.subarray(0, 512 * 4)));
    expect(await refusal(archive)).toMatch(/: corrupt archive: the tar data ends early, inside a file; the archive is truncated$/);
  });

  it('reports an archive compressed twice', async () => {
    const archive = writeArchive(gzipSync(rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }])));
    expect(await refusal(archive)).toBe(`${archive}: corrupt archive: compressed twice`);
  });

  it('reports an archive without manifest.json', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'commands/ps.txt', body: PS_TXT }]));
    expect(await refusal(archive)).toBe(`${archive}: not a charger-diag bundle (no manifest.json)`);
  });

  it('names the manifest inside the archive when it is invalid', async () => {
    const archive = writeArchive(rawTarGz([{ name: 'manifest.json', body: '{"format": "charger-diag-bundle", "formatVersion": 2}' }]));
    expect(await refusal(archive)).toBe(`${archive}:manifest.json: unsupported formatVersion 2 (this charger-diag reads 1)`);
  });

  it('names what is wrong in its own words, never the tar library\'s: random bytes, gzipped text, a header damaged after good entries', async () => {
    const words = /^.*: corrupt archive: (?!.*(base256|Unrecognized|TAR_|incorrect header|Z_))/;
    const random = writeArchive(gzipSync(randomBytes(3000)));
    expect(await refusal(random)).toBe(`${random}: corrupt archive: the gzip holds no tar archive; its first block is not a tar header`);
    const text = writeArchive(gzipSync(Buffer.from('# charger-diag\n\nIncident post-mortems\n')));
    expect(await refusal(text)).toMatch(words);
    const tarBytes = rawTar([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: 'commands/ps.txt', body: PS_TXT }]);
    const second = 512 * (1 + Math.ceil(Buffer.byteLength(MINIMAL_MANIFEST) / 512));
    randomBytes(512).copy(tarBytes, second);
    const damaged = writeArchive(gzipSync(tarBytes));
    expect(await refusal(damaged)).toMatch(/: corrupt archive: (a damaged tar header \(checksum mismatch or bad numbers\)|damaged tar data)( after 1 good entry)?$/);
    const bitFlip = rawTarGz([{ name: 'manifest.json', body: MINIMAL_MANIFEST }, { name: 'commands/dmesg.txt', body: randomBytes(20_000).toString('base64') }]);
    const mid = Math.floor(bitFlip.length / 2);
    bitFlip[mid] = bitFlip[mid]! ^ 0xff;
    expect(await refusal(writeArchive(bitFlip))).toMatch(words);
  });

  it('reports an empty archive as corrupt', async () => {
    const archive = writeArchive(gzipSync(Buffer.alloc(0)));
    expect(await refusal(archive)).toBe(`${archive}: corrupt archive: the gzip holds no tar archive; its first block is not a tar header`);
  });
});
