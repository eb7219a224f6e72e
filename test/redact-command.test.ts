// `charger-diag redact BUNDLE --out PATH`: a bundle collected with
// --no-redact, secrets of several classes planted in its files, file names and
// manifest, becomes a bundle without any of them that the analyzer still
// reads; a second run changes nothing; hostile archives and outputs that
// would touch the input are refused with one line; the input stays as it was.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { create } from 'tar';
import { redactBundle, summary } from '../src/commands/redact.js';
import { openBundle } from '../src/bundle/reader.js';
import { analyzeBundle } from '../src/analysis/analyze.js';
import { defaultConfig } from '../src/config.js';
import { InputError } from '../src/errors.js';
import { writeBundle } from './helpers/bundle.js';
import { at, jsonl, sd, serviceUnit, systemdEntry } from './helpers/raw.js';
import { rawTarGz, MINIMAL_MANIFEST } from './bundle/tar-fixtures.js';
import { callCli, expectOneLineError, runCli } from './helpers/cli.js';

const S = {
  env: 'envTok3nVal9',
  url: 'urlPassw0rd7',
  bearer: 'bearerTok5n4xyz',
  key: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  keyBody: 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  name: 'nameSecr3t',
  dir: 'dirSecr3t5',
  report: 'reportPw8x',
  manifest: 'manifPw4x',
  kv: 'kvS3cretVal',
};
const ALL = Object.values(S);

// systemd's own spelling (systemd-escape) in the journal; the unit file named as a person writes it.
const TUNNEL = `autossh@pi:${S.name}\\x40relay.service`;
const TUNNEL_FILE = `autossh@pi:${S.name}@relay.service`;
const APP_DIR = `/srv/token=${S.dir}`;

function plantedBundle(): { dir: string; cleanup: () => void } {
  return writeBundle({
    manifest: {
      redaction: { enabled: false, replacements: {} },
      collector: { command: `charger-diag collect --no-redact --health-url https://ops:${S.manifest}@127.0.0.1:8000/health`, mode: 'live', user: 'root', privileged: true },
      sources: [
        { id: 'journal', path: 'commands/journal.jsonl', status: 'ok' },
        { id: 'app-log', path: `files${APP_DIR}/app.log`, status: 'ok' },
      ],
      futureField: { note: `kept, redacted: DB_PASSWORD=${S.kv}` },
    },
    files: {
      'files/etc/systemd/system/charger.service': serviceUnit({
        description: 'Charger OCPP client',
        execStart: '/usr/bin/python3 /srv/charger/main.py',
        service: [`Environment=OCPP_AUTH_TOKEN=${S.env}`, 'Restart=always'],
      }),
      [`files/etc/systemd/system/${TUNNEL_FILE}`]: serviceUnit({ description: 'reverse tunnel', execStart: '/usr/bin/autossh -M 0 -N relay' }),
      'commands/journal.jsonl': jsonl([
        sd.started(TUNNEL, 'reverse tunnel', at('01:02:03')),
        systemdEntry('charger.service', `connecting to wss://cp01:${S.url}@csms.example.com/ocpp/CP01`, at('01:03:00'), 6),
        systemdEntry('charger.service', `aws s3 cp --region eu-central-1 with key ${S.aws}`, at('01:03:01'), 6),
      ]),
      [`files${APP_DIR}/app.log`]: [
        `2025-12-10 01:04:00 INFO GET /api Authorization: Bearer ${S.bearer}`,
        '2025-12-10 01:04:01 INFO plain line, nothing to hide',
        '',
      ].join('\n'),
      'files/etc/charger/tls.pem': ['-----BEGIN PRIVATE KEY-----', S.key, S.keyBody, '-----END PRIVATE KEY-----', 'after the key', ''].join('\n'),
      'commands/procinfo.json': JSON.stringify({ processes: [{ pid: 4242, exe: '/usr/bin/node', cwd: APP_DIR, stdout: `${APP_DIR}/app.log`, stderr: null }] }, null, 2),
      'report.md': `# Report\n\nThe unit had \`DB_PASSWORD=${S.report}\` in its environment.\n`,
    },
  });
}

/** Every file under dir: relative name → content. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function fingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const [rel, body] of [...tree(dir)].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${rel}\0${statSync(join(dir, rel)).mtimeMs}\0`).update(body);
  return h.digest('hex');
}

function leaksIn(t: Map<string, Buffer>): string[] {
  const found = new Set<string>();
  for (const [rel, body] of t) {
    const text = `${rel}\n${body.toString('utf8')}`.toLowerCase();
    for (const s of ALL) if (text.includes(s.toLowerCase())) found.add(`${s} in ${rel}`);
  }
  return [...found];
}

/** The bundle files of an output, a .tar.gz or a directory, as the reader sees them. */
async function bundleFiles(path: string): Promise<Map<string, Buffer>> {
  const b = await openBundle(path);
  try {
    const out = new Map<string, Buffer>();
    for (const rel of b.files) out.set(rel, readFileSync(b.pathOf(rel)));
    return out;
  } finally {
    await b.close();
  }
}

let input: { dir: string; cleanup: () => void };
let work: string;

beforeAll(() => {
  input = plantedBundle();
  work = mkdtempSync(join(tmpdir(), 'cd-redact-'));
});
afterAll(() => {
  input.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('redact', () => {
  it('the planted bundle leaks every secret before (the test can fail)', () => {
    expect(leaksIn(tree(input.dir)).length).toBeGreaterThanOrEqual(ALL.length);
  });

  it('writes a .tar.gz without any secret, which the analyzer reads, and counts what it replaced by kind', async () => {
    const before = fingerprint(input.dir);
    const out = join(work, 'clean.tar.gz');
    const r = await redactBundle(input.dir, out);
    expect(fingerprint(input.dir)).toBe(before);
    const files = await bundleFiles(out);
    expect(leaksIn(files)).toEqual([]);
    expect(r.counts).toMatchObject({
      'secret-env': expect.any(Number),
      'url-credentials': expect.any(Number),
      'authorization-header': 1,
      'private-key': 1,
      'cloud-key': 1,
    });
    expect(r.renamed).toBe(2);
    expect([...files.keys()]).toContain('files/srv/token=[redacted:secret-kv]/app.log');
    expect([...files.keys()]).toContain('files/etc/systemd/system/autossh@pi:[redacted:url-credentials]@relay.service');
    // The manifest keeps fields this version does not know, points at the renamed files, and says what was done.
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.futureField.note).toBe('kept, redacted: DB_PASSWORD=[redacted:secret-kv]');
    expect(manifest.sources[1].path).toBe('files/srv/token=[redacted:secret-kv]/app.log');
    expect(manifest.redaction).toEqual({ enabled: true, replacements: r.counts });
    // Lines with nothing to hide are kept as they were; the key block goes whole, the line after it stays.
    expect(files.get('files/srv/token=[redacted:secret-kv]/app.log')!.toString()).toContain('2025-12-10 01:04:01 INFO plain line, nothing to hide\n');
    expect(files.get('files/etc/charger/tls.pem')!.toString()).toBe('[redacted:private-key]\nafter the key\n');
    // Still a bundle: the journal is valid JSON, the analysis runs and finds the renamed unit.
    const journal = files.get('commands/journal.jsonl')!.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    // systemd's escaped spelling inside a JSON string (a backslash escaped again) is found too.
    expect(journal[0]!.UNIT).toBe('autossh@pi:[redacted:url-credentials]\\x40relay.service');
    const b = await openBundle(out);
    try {
      const a = await analyzeBundle(b, defaultConfig());
      expect(a.redaction?.bundle).toEqual(r.counts);
      // Nothing left for the analysis' own redaction to find.
      expect(a.redaction?.output).toEqual({});
      expect(a.sources.find((s) => s.id === 'journal')?.skippedRecords).toBe(0);
    } finally {
      await b.close();
    }
    expect(summary(r)).toMatch(/^redact: 8 files, replaced \d+: authorization-header 1, cloud-key 1, .*; 2 file names redacted$/);
  });

  it('a second run changes nothing and counts nothing more', async () => {
    const first = join(work, 'once');
    const second = join(work, 'twice');
    const r1 = await redactBundle(input.dir, first);
    expect(Object.keys(r1.counts).length).toBeGreaterThan(0);
    const r2 = await redactBundle(first, second);
    expect(r2.counts).toEqual({});
    expect(r2.renamed).toBe(0);
    expect(summary(r2)).toBe('redact: 8 files, nothing to replace');
    const a = tree(first);
    const b = tree(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [rel, body] of a) expect(b.get(rel)?.equals(body), rel).toBe(true);
    // And from an archive: the same files again.
    const third = join(work, 'thrice.tar.gz');
    expect((await redactBundle(second, third)).counts).toEqual({});
    const c = await bundleFiles(third);
    for (const [rel, body] of a) expect(c.get(rel)?.equals(body), rel).toBe(true);
  });

  it('reads a .tar.gz input as analyze does, and leaves it untouched', async () => {
    const tarball = join(work, 'input.tar.gz');
    await create({ gzip: true, file: tarball, cwd: input.dir, portable: true }, readdirSync(input.dir));
    const before = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    const out = join(work, 'from-tar');
    const r = await redactBundle(tarball, out);
    expect(createHash('sha256').update(readFileSync(tarball)).digest('hex')).toBe(before);
    expect(leaksIn(tree(out))).toEqual([]);
    expect(r.counts['private-key']).toBe(1);
  });

  it('refuses a hostile archive with one line, and leaves nothing behind', async () => {
    const hostile = join(work, 'hostile.tar.gz');
    writeFileSync(hostile, rawTarGz([
      { name: 'b/manifest.json', body: MINIMAL_MANIFEST },
      { name: 'b/commands/ps.txt', type: '2', linkname: '/etc/shadow' },
    ]));
    const out = join(work, 'never.tar.gz');
    const err = await redactBundle(hostile, out).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/hostile\.tar\.gz: refused entry "b\/commands\/ps\.txt": symbolic link to "\/etc\/shadow"/);
    expect((err as Error).message).not.toContain('\n');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('leaves out what is not a regular file in a directory bundle, and says so', async () => {
    const linked = plantedBundle();
    try {
      symlinkSync('/etc/shadow', join(linked.dir, 'commands', 'shadow.txt'));
      const r = await redactBundle(linked.dir, join(work, 'linked.tar.gz'));
      expect(r.leftOut).toBe(1);
      expect(summary(r)).toMatch(/; 1 entry not a regular file left out$/);
      expect([...(await bundleFiles(join(work, 'linked.tar.gz'))).keys()]).not.toContain('commands/shadow.txt');
    } finally {
      linked.cleanup();
    }
  });

  it('never writes over anything, nor into its input', async () => {
    const taken = join(work, 'taken.tar.gz');
    writeFileSync(taken, 'mine');
    await expect(redactBundle(input.dir, taken)).rejects.toThrow(/taken\.tar\.gz: already exists/);
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    await expect(redactBundle(input.dir, input.dir)).rejects.toThrow(/is the input bundle/);
    await expect(redactBundle(input.dir, join(input.dir, 'files', 'clean.tar.gz'))).rejects.toThrow(/inside the input bundle/);
    await expect(redactBundle(input.dir, join(input.dir, '..', relative(join(input.dir, '..'), input.dir), 'x'))).rejects.toThrow(/inside the input bundle/);
    await expect(redactBundle(input.dir, join(work, 'no', 'such', 'dir.tar.gz'))).rejects.toThrow(/no such directory/);
    expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('charger-diag redact', () => {
  it('prints the output path on stdout and what it replaced on stderr; exit 0', async () => {
    const out = join(work, 'cli.tar.gz');
    const r = await callCli(['redact', input.dir, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(r.stderr).toMatch(/^redact: 8 files, replaced \d+: authorization-header 1, /);
    expect(existsSync(out)).toBe(true);
  });

  it('bad input: one line, exit 2 (the first by the built CLI)', async () => {
    expectOneLineError(runCli(['redact', join(work, 'missing'), '--out', join(work, 'm.tar.gz')]), /no such bundle/);
    expectOneLineError(await callCli(['redact', input.dir, '--out', input.dir]), /is the input bundle/);
    const r = await callCli(['redact', input.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--out <path>'/);
  });
});
