// The POSIX collection script's journal export over its cap (collect --ssh,
// --print-script, captures on devices without Node): the newest entries are
// kept, in time order, with bounded memory, under dash and busybox ash, with
// the system's tools and with busybox's applets (awk, split, tail, od, tee ...).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScript } from '../../src/collect/script.js';
import { windowSpec } from '../../src/collect/window.js';
import { LIMITS } from '../../src/sources/catalogue.js';
import { extract, manifestOf, scratchDirs } from './helpers.js';
import { collect } from '../../src/collect/collect.js';
import { jsonLineRedactor } from '../../src/collect/redact-stream.js';
import { fakeJournalctl, journalText, T0_US } from './journal-fake.js';
import { formatDeviceTime } from '../../src/time.js';
import { itWith, need } from '../helpers/needs.js';

const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
const BUSYBOX = [need(busybox !== undefined, 'no busybox to run the script under ash (apt-get install busybox)')];
const BD = '@@jcap';

const { dir } = scratchDirs();

/**
 * The script up to its catalogue, with the given cap, then only the journal step against the fake
 * journalctl; in tar mode it prints the journal file and its manifest record instead of a tarball.
 */
function journalScript(cap: number, bin: string, tools: 'system' | 'busybox'): string {
  const s = renderScript({ boundary: BD, timeoutMs: 10_000, window: windowSpec({ since: '-15m' }), units: [], logs: [], healthUrls: [], redact: true });
  const at = s.indexOf('\n# ---------------------------------------------------------------- the catalogue, in order\n');
  expect(at).toBeGreaterThan(0);
  const head = s.slice(0, at).replace(/^CD_JOURNAL_CAP=\d+$/m, `CD_JOURNAL_CAP=${cap}`);
  expect(head).toContain(`CD_JOURNAL_CAP=${cap}\n`);
  const applets = tools === 'busybox' ? ['awk', 'split', 'tail', 'od', 'tee', 'mkfifo', 'wc', 'head', 'tr', 'sed', 'cat'].map((a) => `${a}() { ${busybox} ${a} "$@"; }`) : [];
  return [
    head,
    ...applets,
    `jcmd journal commands/journal.jsonl '${bin}' -o json --all --no-pager`,
    'if [ "$MODE" = tar ]; then cat "$B/commands/journal.jsonl"; printf "%s\\n" "@@manifest"; cat "$T/sources"; fi',
    '',
  ].join('\n');
}

interface Run {
  journal: string;
  record: { status: string; error?: string; bytes?: number };
}

function runTar(shell: string[], script: string): Run {
  const r = spawnSync(shell[0]!, [...shell.slice(1), '-c', script, 'sh', '--tar'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TZ: 'Europe/Istanbul' } });
  expect(r.status, r.stderr).toBe(0);
  const [journal = '', manifest = ''] = r.stdout.split('@@manifest\n');
  return { journal, record: JSON.parse(manifest.trim().split('\n').find((l) => l.includes('"id":"journal"'))!) };
}

/** Stream mode: the journal section's data, with what came before an R frame dropped, and the R frames. */
function runStream(shell: string[], script: string): { data: string; r: string[]; rc: string } {
  const r = spawnSync(shell[0]!, [...shell.slice(1), '-c', script, 'sh'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  let b64: string[] = [];
  const rs: string[] = [];
  let phase = '';
  let rc = '';
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith(`${BD}\t`)) {
      const f = line.split('\t');
      if (f[1] === 'B') phase = 'data';
      else if (f[1] === 'R') {
        rs.push(f.slice(2).join('\t'));
        if (f[2] === '') b64 = [];
      } else if (f[1] === 'E') {
        phase = 'stderr';
        rc = f[2]!;
      }
    } else if (phase === 'data' && line !== '') b64.push(line);
  }
  return { data: Buffer.from(b64.join(''), 'base64').toString('utf8'), r: rs, rc };
}

const entryNo = (line: string) => (Number((JSON.parse(line) as { __REALTIME_TIMESTAMP: string }).__REALTIME_TIMESTAMP) - T0_US) / 1_000_000;

const shells: [string, string[], 'system' | 'busybox'][] = [
  ['dash', ['dash'], 'system'],
  ['busybox ash, busybox applets', [busybox ?? 'busybox', 'sh'], 'busybox'],
  ['dash, busybox applets', ['dash'], 'busybox'],
];

for (const [name, shell, tools] of shells) {
  const test = tools === 'busybox' || shell[0] !== 'dash' ? (n: string, fn: () => void) => itWith(BUSYBOX, n, fn, 60_000) : (n: string, fn: () => void) => it(n, fn, 60_000);
  describe(`the script's journal export over its cap (${name})`, () => {
    const n = 1500;
    // A private key logged one line per entry near the newest end: redaction must see its BEGIN first.
    const KEY = ['MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0', 'YWxsIHRoZSBrZXlzIGJvZHkgbGluZXMgYXJlIGJhc2U2NCBvZiBzaXh0eSBmb3VyIGNoYXJhY3Rl'];
    const extra: Record<number, { msg: string; who?: string }> = {
      [n - 30]: { msg: '-----BEGIN RSA PRIVATE KEY-----', who: 'keylog' },
      [n - 29]: { msg: KEY[0]!, who: 'keylog' },
      [n - 28]: { msg: KEY[1]!, who: 'keylog' },
      [n - 27]: { msg: '-----END RSA PRIVATE KEY-----', who: 'keylog' },
      // A traceback-sized entry, longer than most.
      [n - 5]: { msg: `Traceback ${'frame '.repeat(1500)}end` },
    };
    const raw = journalText(n, extra);
    const rawLines = raw.trimEnd().split('\n');
    const cap = 48 * 1024;

    test('--tar: the newest entries, whole, in time order, redacted, the record truncated and saying so', () => {
      const fake = fakeJournalctl(dir('cd-jcap-sh-'), raw);
      const { journal, record } = runTar(shell, journalScript(cap, fake.bin, tools));
      const lines = journal.trimEnd().split('\n');
      const nums = lines.map(entryNo);
      expect(nums[nums.length - 1]).toBe(n);
      expect(nums[0]).toBeGreaterThan(1);
      nums.forEach((v, i) => expect(v).toBe(nums[0]! + i));
      expect(journal).not.toContain('hunter2secret');
      for (const k of KEY) expect(journal).not.toContain(k);
      expect(fake.calls()).toEqual(['-o json --all --no-pager', '-o json --all --no-pager --reverse']);
      // The same as the script writes for those raw entries when they fit: redaction saw them in time order.
      const fits = fakeJournalctl(dir('cd-jcap-sh-'), `${rawLines.slice(nums[0]! - 1).join('\n')}\n`);
      expect(runTar(shell, journalScript(cap * 4, fits.bin, tools)).journal).toBe(journal);
      // Under the cap: one pass, status ok.
      expect(fits.calls()).toEqual(['-o json --all --no-pager']);
      expect(record.status).toBe('truncated');
      const local = formatDeviceTime(T0_US / 1000 + nums[0]! * 1000, { timezone: 'Europe/Istanbul' });
      expect(record.error).toBe(`over the 0.0 MiB cap: the newest lines of the window were kept, from ${local}; older entries were cut`);
    });

    test('stream (--ssh): an R frame, then the newest raw entries up to the cap, whole lines in time order', () => {
      const fake = fakeJournalctl(dir('cd-jcap-sh-'), raw);
      const { data, r } = runStream(shell, journalScript(cap, fake.bin, tools));
      expect(r).toEqual(['']);
      const lines = data.trimEnd().split('\n');
      const k = entryNo(lines[0]!);
      expect(data).toBe(`${rawLines.slice(k - 1).join('\n')}\n`);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(cap);
      expect(Buffer.byteLength(data)).toBeGreaterThan(cap - Buffer.byteLength(rawLines[k - 2]!) - 1);
    });

    test('stream: a failed newest-first export keeps the forward one and says why', () => {
      const fake = fakeJournalctl(dir('cd-jcap-sh-'), raw, { failReverse: true });
      const { data, r } = runStream(shell, journalScript(cap, fake.bin, tools));
      expect(r).toEqual(['the newest-first export failed (exit 1)']);
      expect(data).toBe(raw.slice(0, cap));
    });
  });
}

describe('collect --ssh receiving a journal over its cap', () => {
  const limits = LIMITS as { -readonly [K in keyof typeof LIMITS]: (typeof LIMITS)[K] };
  const CAP0 = LIMITS.journalBytes;
  const PATH0 = process.env.PATH;
  afterEach(() => {
    limits.journalBytes = CAP0;
    process.env.PATH = PATH0;
  });

  /**
   * An `ssh` that runs the script here, as the device would, with the script's journal step
   * pointed at the fake journalctl and its cap lowered to the receiver's.
   */
  function fakeSsh(d: string, journalctl: string, cap: number): void {
    writeFileSync(
      join(d, 'ssh'),
      `#!/bin/sh\nsed -e 's|^CD_JOURNAL_CAP=[0-9]*$|CD_JOURNAL_CAP=${cap}|' -e 's|^jcmd journal commands/journal.jsonl journalctl |jcmd journal commands/journal.jsonl ${journalctl} |' | exec sh -s\n`,
    );
    chmodSync(join(d, 'ssh'), 0o755);
    process.env.PATH = `${d}:${PATH0}`;
  }

  async function viaSsh(raw: string, cap: number, opts: { failReverse?: boolean } = {}) {
    const d = dir('cd-jcap-ssh-');
    const fake = fakeJournalctl(d, raw, opts);
    fakeSsh(d, fake.bin, cap);
    limits.journalBytes = cap;
    const r = await collect({ since: '-15m', ssh: 'root@device.invalid', out: join(d, 'b.tar.gz'), report: false }, { progress: null });
    const x = extract(r.bundlePath);
    try {
      const m = manifestOf(x.dir);
      const rec = m.sources!.find((s) => s.id === 'journal')!;
      return { rec, text: readFileSync(join(x.dir, 'commands/journal.jsonl'), 'utf8'), calls: fake.calls() };
    } finally {
      x.cleanup();
    }
  }

  const n = 1500;
  const KEY = ['MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0', 'YWxsIHRoZSBrZXlzIGJvZHkgbGluZXMgYXJlIGJhc2U2NCBvZiBzaXh0eSBmb3VyIGNoYXJhY3Rl'];
  const raw = journalText(n, {
    [n - 30]: { msg: '-----BEGIN RSA PRIVATE KEY-----', who: 'keylog' },
    [n - 29]: { msg: KEY[0]!, who: 'keylog' },
    [n - 28]: { msg: KEY[1]!, who: 'keylog' },
    [n - 27]: { msg: '-----END RSA PRIVATE KEY-----', who: 'keylog' },
  });
  const rawLines = raw.trimEnd().split('\n');

  it('keeps the newest entries, redacted in time order, the record truncated and saying from when', async () => {
    const cap = 48 * 1024;
    const { rec, text, calls } = await viaSsh(raw, cap);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(/ --reverse$/);
    const lines = text.trimEnd().split('\n');
    const nums = lines.map(entryNo);
    expect(nums[nums.length - 1]).toBe(n);
    nums.forEach((v, i) => expect(v).toBe(nums[0]! + i));
    const r = jsonLineRedactor({});
    expect(text).toBe(rawLines.slice(nums[0]! - 1).map((l) => `${r(l)}\n`).join(''));
    for (const k of KEY) expect(text).not.toContain(k);
    expect(text).not.toContain('hunter2secret');
    expect(rec.status).toBe('truncated');
    expect(rec.bytes).toBe(Buffer.byteLength(text));
    expect(rec.error).toMatch(/^over the 0\.0 MiB cap: the newest lines of the window were kept, from 2025-12-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d; older entries were cut$/);
    // The time given is the first kept entry's.
    expect(Date.parse(/from (\S+);/.exec(rec.error!)![1]!)).toBe(T0_US / 1000 + nums[0]! * 1000);
  }, 120_000);

  it('keeps the oldest, and says why, when the device could not read the newest first', async () => {
    const { rec, text } = await viaSsh(raw, 48 * 1024, { failReverse: true });
    expect(entryNo(text.split('\n')[0]!)).toBe(1);
    expect(rec.status).toBe('truncated');
    expect(rec.error).toMatch(/^over the 0\.0 MiB cap: the oldest lines of the window were kept, entries after 2025-12-\d\dT\S+ are not in the bundle \(the newest-first export failed \(exit 1\)\)$/);
  }, 120_000);
});
