// The README's promise for bad input, tried on a real sample spoiled one file
// at a time as a hostile or broken device would leave it: every command gives
// either a result with the bad records counted (exit 0) or one line naming
// the file and what is wrong (exit 2); never a stack trace, never a hang.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { callCli, expectOneLineError, type CliResult } from '../helpers/cli.js';

const SAMPLE = join(import.meta.dirname, '../../samples/port-collision');
/** Bytes no parser expects: every value 0..255, NULs and invalid UTF-8 included. */
const JUNK = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cd-hostile-b-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dirOf = (name: string) => join(work, name.replace(/\W+/g, '-'));
function bundle(name: string, spoil: (dir: string) => void): string {
  const dir = dirOf(name);
  cpSync(SAMPLE, dir, { recursive: true });
  spoil(dir);
  return dir;
}
const put = (dir: string, rel: string, data: string | Buffer) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), data);
};
const manifest = (dir: string, edit: (m: Record<string, any>) => void) => {
  const p = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>;
  edit(m);
  writeFileSync(p, JSON.stringify(m));
};
const replaceBy = (dir: string, rel: string, make: (path: string) => void) => {
  rmSync(join(dir, rel));
  make(join(dir, rel));
};

function noTrace(r: CliResult): void {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack/);
  expect([0, 1, 2]).toContain(r.code);
}

interface Journal {
  id: string;
  status: string;
  skippedRecords: number;
  problems?: { line: number; reason: string }[];
  error?: string;
}
const sourcesOf = (r: CliResult) => (JSON.parse(r.stdout) as { sources: Journal[] }).sources;

/** Spoiled files whose records are counted or whose source is marked, the rest analysed. */
const COUNTED: [string, (dir: string) => void, ((s: Journal[]) => void)?][] = [
  ['a journal of binary junk', (d) => put(d, 'commands/journal.jsonl', JUNK), (s) => expect(s.find((x) => x.id === 'journal')!.skippedRecords).toBeGreaterThan(0)],
  ['NUL bytes in journal lines', (d) => put(d, 'commands/journal.jsonl', '\0\0\0\n{"MESSAGE":"x\\u0000y","__REALTIME_TIMESTAMP":"1"}\n')],
  [
    'a 10 MB journal line',
    (d) => appendFileSync(join(d, 'commands/journal.jsonl'), `{"MESSAGE":"${'a'.repeat(10 * 1024 * 1024)}"}\n`),
    (s) => expect(s.find((x) => x.id === 'journal')!.problems).toContainEqual(expect.objectContaining({ reason: 'line longer than 8388608 bytes' })),
  ],
  ['absurd numbers in the journal', (d) => appendFileSync(join(d, 'commands/journal.jsonl'), '{"__REALTIME_TIMESTAMP":"99999999999999999999","MESSAGE":"x","PRIORITY":"3","_PID":"99999999999999"}\n{"__REALTIME_TIMESTAMP":"-5","MESSAGE":[1,2,300]}\n')],
  ['the journal a FIFO', (d) => replaceBy(d, 'commands/journal.jsonl', (p) => execFileSync('mkfifo', [p])), (s) => expect(s.find((x) => x.id === 'journal')!.status).toBe('missing')],
  ['the journal a link to /etc/passwd', (d) => replaceBy(d, 'commands/journal.jsonl', (p) => symlinkSync('/etc/passwd', p)), (s) => expect(s.find((x) => x.id === 'journal')!.status).toBe('missing')],
  ['the journal a directory', (d) => replaceBy(d, 'commands/journal.jsonl', (p) => mkdirSync(p))],
  ['ps of binary junk', (d) => put(d, 'commands/ps.txt', JUNK)],
  ['ss of binary junk', (d) => put(d, 'commands/ss-ltnup.txt', JUNK)],
  ['systemctl show of binary junk', (d) => put(d, 'commands/systemctl-show.txt', JUNK)],
  ['systemctl list-units of binary junk', (d) => put(d, 'commands/systemctl-list-units.txt', JUNK)],
  ['dmesg of binary junk', (d) => put(d, 'commands/dmesg.txt', JUNK)],
  ['df of binary junk', (d) => put(d, 'commands/df.txt', JUNK)],
  ['meminfo of binary junk', (d) => put(d, 'files/proc/meminfo', JUNK)],
  ['loadavg, pressure and uptime of nonsense numbers', (d) => {
    put(d, 'files/proc/loadavg', 'NaN Infinity -1e999 x/y 9999999999999999999\n');
    put(d, 'files/proc/pressure/cpu', 'some avg10=NaN avg60=x total=-1\nfull\n');
    put(d, 'files/proc/uptime', '-1e308 x\n');
  }],
  ['os-release, crontab, nginx log and localtime of binary junk', (d) => {
    for (const f of ['files/etc/os-release', 'files/etc/crontab', 'files/var/log/nginx/error.log', 'files/etc/localtime']) put(d, f, JUNK);
  }],
  ['a unit file of binary junk', (d) => put(d, 'files/etc/systemd/system/charger.service', JUNK)],
  // It took minutes (each continuation line copied everything before it).
  ['a unit file of 200,000 continuation lines and a line of a million backslashes', (d) =>
    put(d, 'files/etc/systemd/system/charger.service', `[Service]\nExecStart=/bin/x \\\n${'\\\n'.repeat(200_000)}x\nRestart=${'\\'.repeat(1_000_001)}x\n`)],
  ['procinfo.json cut short', (d) => put(d, 'commands/procinfo.json', '{"processes":[{"pid":1,'), (s) => expect(s.find((x) => x.id === 'procinfo')!.skippedRecords).toBe(1)],
  ['procinfo.json of wrong shapes', (d) => put(d, 'commands/procinfo.json', '{"processes":[{"pid":"x"},{"pid":-1},null,5,"a"]}')],
  ['health-probes.json of wrong shapes, and of junk', (d) => put(d, 'commands/health-probes.json', '{"probes":[{"url":5},null,{"url":"http://x","status":99999}]}')],
  ['a time zone and offset that do not exist', (d) => manifest(d, (m) => { m.host.timezone = 'Mars/Olympus_Mons'; m.host.utcOffset = '+99:99'; })],
  ['times that are not times, a window the wrong way round', (d) => manifest(d, (m) => { m.collectedAt = 'yesterday'; m.window = { since: '2025-12-10T11:00:00+03:00', until: '2025-13-45T99:99:99Z' }; })],
  [
    'sources listed outside the bundle or as a directory',
    (d) => manifest(d, (m) => {
      m.sources.push({ id: 'app-log', path: '../../../etc/passwd', status: 'ok' }, { id: 'app-log', path: '/etc/shadow', status: 'ok' }, { id: 'app-log', path: 'files/etc', status: 'ok' });
    }),
    (s) => expect(s.filter((x) => x.id === 'app-log' && x.status === 'missing')).toHaveLength(3),
  ],
];

/** Spoiled files without which there is no bundle: one line naming the file. */
const REFUSED: [string, (dir: string) => void, RegExp][] = [
  ['an empty manifest.json', (d) => put(d, 'manifest.json', ''), /manifest\.json: not valid JSON \(Unexpected end of input at line 1 column 1\)$/],
  ['a manifest.json of binary junk (its bytes not quoted back)', (d) => put(d, 'manifest.json', JUNK), /manifest\.json: not valid JSON \(Unexpected token '\\x07' at line 1 column 1\)$/],
  ['a NUL inside a manifest string', (d) => put(d, 'manifest.json', '\ufeff{"format":"charger-diag-bundle","formatVersion":1,"host":{"hostname":"a\u0000b"}}'), /manifest\.json: not valid JSON \(Bad control character/],
  ['a manifest.json over the size limit', (d) => put(d, 'manifest.json', `{"format":"charger-diag-bundle","formatVersion":1,"x":"${'a'.repeat(9 * 1024 * 1024)}"}`), /manifest\.json: \d+ bytes is over the limit/],
  ['sources that are not a list', (d) => manifest(d, (m) => { m.sources = { a: 1 }; }), /manifest\.json: invalid field sources = an object: expected array/],
  ['manifest.json a directory', (d) => replaceBy(d, 'manifest.json', (p) => mkdirSync(p)), /: not a charger-diag bundle \(no manifest\.json\)$/],
  ['manifest.json a link to /etc/passwd', (d) => replaceBy(d, 'manifest.json', (p) => symlinkSync('/etc/passwd', p)), /: not a charger-diag bundle \(no manifest\.json\)$/],
];

describe('hostile bundles: counted, or one line naming the file', () => {
  beforeAll(() => {
    for (const [name, spoil] of [...COUNTED, ...REFUSED]) bundle(name, spoil);
  });

  for (const [name, , check] of COUNTED) {
    it(`${name}: analysed, exit 0`, async () => {
      const dir = dirOf(name);
      const r = await callCli(['analyze', dir, '--json']);
      noTrace(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      check?.(sourcesOf(r));
      const html = await callCli(['report', dir, '--format', 'html']);
      noTrace(html);
      expect(html.code, html.stderr).toBe(0);
    });
  }

  for (const [name, , error] of REFUSED) {
    it(`${name}: exit 2 with one line`, async () => {
      const dir = dirOf(name);
      for (const cmd of ['analyze', 'report']) expectOneLineError(await callCli([cmd, dir]), error);
    });
  }

  it('check: an expected.json of junk is one line naming it', async () => {
    const dir = bundle('expected-junk', (d) => put(d, 'expected.json', JUNK));
    expectOneLineError(await callCli(['check', dir]), /expected\.json: not valid JSON \(Unexpected token '\\x07' at line 1 column 1\)$/);
  });

  it('the fleet view of all of them: the refused ones are unreadable hosts, the rest analysed', async () => {
    const r = await callCli(['analyze', '--summary', '--json', ...[...COUNTED, ...REFUSED].map(([name]) => dirOf(name))]);
    noTrace(r);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: { analyzed: number; unreadable: number } };
    expect(s.counts).toMatchObject({ analyzed: COUNTED.length, unreadable: REFUSED.length });
  });
});
