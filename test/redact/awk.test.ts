// The corpus (corpus.ts) against the awk redaction of the printed collection
// script (`collect --print-script --tar`), as a device runs it: the awk file
// written by the script's own heredoc under dash and busybox ash, run by
// Debian 12's mawk and by busybox awk. Text lines, journal records (one JSON
// record a line), key blocks over lines and records, idempotence, and the
// counts file the manifest's redaction counts are made from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderScript } from '../../src/collect/script.js';
import { windowSpec } from '../../src/collect/window.js';
import { redact } from '../../src/redact.js';
import { CLEAN, MULTI, SECRETS } from './corpus.js';
import { journalRecord, loggerRecord } from './journal-record.js';
import { HOSTILE } from './hostile.js';
import { itWith, need } from '../helpers/needs.js';

const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
const mawk = ['/usr/bin/mawk', '/bin/mawk'].find((p) => existsSync(p));

function script(): string {
  return renderScript({ boundary: '@@b', timeoutMs: 10_000, window: windowSpec({ since: '-15m' }), units: [], logs: [], healthUrls: [], redact: true });
}

/** The script's redact_err(): a command's error line for the manifest. */
function redactErrFunction(): string {
  const s = script();
  const start = s.indexOf('redact_err() {\n');
  return s.slice(start, s.indexOf('\n}\n', start) + 3);
}

/** The part of the script that writes the awk program. */
function awkWriter(): string {
  const script = renderScript({ boundary: '@@b', timeoutMs: 10_000, window: windowSpec({ since: '-15m' }), units: [], logs: [], healthUrls: [], redact: true });
  const start = script.indexOf(`  cat >"$T/redact.awk" <<'AWK'\n`);
  const end = script.indexOf('\nAWK\n', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return script.slice(start, end + 5);
}

interface Combo {
  shell: string[];
  awk: string[];
  name: string;
}

const combos: Combo[] = [];
for (const [shellName, shell] of [['dash', ['dash', '-c']], ...(busybox ? [['busybox ash', [busybox, 'sh', '-c']]] : [])] as [string, string[]][]) {
  if (mawk) combos.push({ shell, awk: [mawk], name: `${shellName}, mawk` });
  if (busybox) combos.push({ shell, awk: [busybox, 'awk'], name: `${shellName}, busybox awk` });
}

describe('the printed script\'s awk redaction', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cd-awk-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // The combinations below run under what this machine has; CI installs both, and fails without them.
  itWith(
    [need(mawk !== undefined, 'no mawk, the awk of Debian 12 (apt-get install mawk)'), need(busybox !== undefined, 'no busybox awk (apt-get install busybox)')],
    'has mawk and busybox to run under (CI installs them)',
    () => {
      expect(mawk, 'mawk').toBeDefined();
      expect(busybox, 'busybox').toBeDefined();
    },
  );

  describe.each(combos)('$name', (combo) => {
    let dir: string;
    let n = 0;
    /** Run the awk over the lines as the script would; the output lines and the counts it wrote. */
    const run = (lines: string[]): { out: string[]; counts: Record<string, number> } => {
      const id = n++;
      const input = join(dir, `in.${id}`);
      writeFileSync(input, lines.map((l) => `${l}\n`).join(''));
      const cmd = `${combo.awk.map((a) => `'${a}'`).join(' ')} -v counts="$T/counts.${id}" -f "$T/redact.awk" <"$T/in.${id}" >"$T/out.${id}"`;
      const r = spawnSync(combo.shell[0]!, [...combo.shell.slice(1), cmd], { env: { ...process.env, T: dir, LC_ALL: 'C' }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const out = readFileSync(join(dir, `out.${id}`), 'utf8');
      const counts: Record<string, number> = {};
      const countsFile = join(dir, `counts.${id}`);
      if (existsSync(countsFile)) {
        for (const l of readFileSync(countsFile, 'utf8').split('\n').filter(Boolean)) {
          const [k, v] = l.split(' ');
          counts[k!] = Number(v);
        }
      }
      return { out: out === '' ? [] : out.replace(/\n$/, '').split('\n'), counts };
    };

    beforeAll(() => {
      dir = mkdtempSync(join(work, 'run-'));
      const r = spawnSync(combo.shell[0]!, [...combo.shell.slice(1), awkWriter()], { env: { ...process.env, T: dir }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });

    it('writes the awk program byte for byte through the shell\'s heredoc', () => {
      const w = awkWriter();
      const body = w.slice(w.indexOf('\n') + 1, w.lastIndexOf('\nAWK\n'));
      expect(readFileSync(join(dir, 'redact.awk'), 'utf8')).toBe(`${body}\n`);
    });

    it('redacts every secret of the corpus, as charger-diag does, and counts by kind', () => {
      const { out, counts } = run(SECRETS.map((c) => c.line));
      expect(out).toHaveLength(SECRETS.length);
      SECRETS.forEach((c, i) => {
        const got = out[i]!;
        for (const s of c.secrets) expect(got, `${c.source}: ${c.line}`).not.toContain(s);
        for (const k of c.keep ?? []) expect(got, `${c.source}: ${c.line}`).toContain(k);
        // The collector's streams: redact, then user:password@host in names.
        expect(got, `${c.source}: ${c.line}`).toBe(redact(c.line));
      });
      const ts: Record<string, number> = {};
      for (const c of SECRETS) redact(c.line, ts);
      expect(counts).toEqual(ts);
      // Idempotent: a second pass changes nothing and counts nothing.
      const again = run(out);
      expect(again.out).toEqual(out);
      expect(again.counts).toEqual({});
    });

    it('leaves every clean line of the corpus byte for byte', () => {
      const { out, counts } = run(CLEAN.map((c) => c.line));
      CLEAN.forEach((c, i) => expect(out[i], `${c.source}: ${c.line}`).toBe(c.line));
      expect(counts).toEqual({});
    });

    it('redacts the corpus inside journal records, keeping each record valid JSON and clean records byte for byte', () => {
      const { out } = run(SECRETS.map((c) => journalRecord(c.line)));
      SECRETS.forEach((c, i) => {
        const doc = JSON.parse(out[i]!) as Record<string, string>;
        expect(doc._PID).toBe('812');
        for (const s of c.secrets) {
          expect(doc.MESSAGE, `${c.source}: ${c.line}`).not.toContain(s);
          expect(out[i], `${c.source}: ${c.line}`).not.toContain(JSON.stringify(s).slice(1, -1));
        }
        for (const k of c.keep ?? []) expect(doc.MESSAGE, `${c.source}: ${c.line}`).toContain(k);
      });
      const clean = CLEAN.map((c) => journalRecord(c.line));
      expect(run(clean).out).toEqual(clean);
    });

    // The shell only writes the program (byte for byte, checked above under each) and starts
    // awk on a file: the long lines are worth running once per awk, not once per shell as well.
    const firstWithThisAwk = combos.find((c) => c.awk.join(' ') === combo.awk.join(' ')) === combo;
    if (firstWithThisAwk) it('gets through hostile long lines, in pieces cut at blanks, each about as long as it was', () => {
      // A quarter of each: awk is an interpreter, and the test runs under each awk.
      const lines = HOSTILE.map(([, l]) => l.slice(0, l.length / 4));
      const { out } = run(lines);
      expect(out).toHaveLength(HOSTILE.length);
      lines.forEach((line, i) => {
        const name = HOSTILE[i]![0];
        expect(out[i]!.length, name).toBeGreaterThan(line.length / 4);
        expect(out[i]!.length, name).toBeLessThan(line.length * 4);
      });
    }, 120_000);

    it('takes user:password@host out of names as the collector does (units, process titles), and leaves look-alikes', () => {
      const lines = [
        '  autossh@pi:Relay0PassW@relay.service loaded active running Tunnel to pi:Relay0PassW@relay',
        'Id=autossh@pi:Relay0PassW\\x40relay.service',
        '   4242 pi  python3 ocpp[CP01:Proc0PassWd@csms]',
        'mailto:ops@example.com sip:cp01@pbx.local image nginx:1.25@sha256:0123abcd at 12:30:45@boot',
      ];
      const { out } = run(lines);
      expect(out).toEqual(lines.map((l) => redact(l)));
      expect(out.join('\n')).not.toMatch(/Relay0PassW|Proc0PassWd/);
      expect(out[3]).toBe(lines[3]);
    });

    it('redacts a command\'s error line for the manifest, counting apart from the output', () => {
      const cmd = `${redactErrFunction()}\nawk() { ${combo.awk.map((a) => `'${a}'`).join(' ')} "$@"; }\nSEQ=7 CD_REDACT=yes\nredact_err "mysqldump: Got error 1045 running mysqldump -u root -pErrPw_1 charger"`;
      const r = spawnSync(combo.shell[0]!, [...combo.shell.slice(1), cmd], { env: { ...process.env, T: dir }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('mysqldump: Got error 1045 running mysqldump -u root -p[redacted:secret-arg] charger\n');
      expect(readFileSync(join(dir, 'counts.7.err'), 'utf8')).toBe('secret-arg 1\n');
    });

    it.each(MULTI.map((c) => [c.name, c] as const))('over lines: %s', (_n, c) => {
      const { out } = run(c.lines);
      for (const s of c.secrets) expect(out.join('\n'), s).not.toContain(s);
      for (const k of c.keep) expect(out, k).toContain(k);
    });

    it.each(MULTI.filter((c) => !c.name.includes('Kubernetes')).map((c) => [c.name, c] as const))('logged with one logger call per line: %s', (_n, c) => {
      const { out } = run(c.lines.map((line, i) => loggerRecord(line, 4000 + i)));
      for (const s of c.secrets) expect(out.join('\n'), s).not.toContain(s);
      for (const l of out) JSON.parse(l);
    });

    it.each(MULTI.filter((c) => !c.name.includes('Kubernetes')).map((c) => [c.name, c] as const))('over journal records, another process logging in between: %s', (_n, c) => {
      const records: string[] = [];
      c.lines.forEach((line, i) => {
        records.push(journalRecord(line));
        if (i === 2) records.push(journalRecord('heartbeat ok', '999'));
      });
      const { out } = run(records);
      const messages = out.map((l) => (JSON.parse(l) as Record<string, string>).MESSAGE);
      for (const s of c.secrets) expect(messages.join('\n'), s).not.toContain(s);
      expect(messages).toContain('heartbeat ok');
      for (const k of c.keep) expect(messages, k).toContain(k);
    });
  });
});
