// Terminal escapes, other control characters and bidi overrides from a bundle
// (host name, process and unit names, journal messages, log lines, file names,
// error texts) never reach the reader raw: text outputs show them as visible
// escapes, JSON as JSON escapes, Markdown and HTML as visible escapes inside
// inert text. The CLI (in process) on a real sample made hostile.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callCli } from '../helpers/cli.js';
import { hasInvisible, visible, visibleLine } from '../../src/render/visible.js';
import { Progress } from '../../src/collect/progress.js';
import { FleetProgress } from '../../src/fleet/progress.js';

const SAMPLE = join(import.meta.dirname, '../../samples/port-collision');
const ESC = '\u001b';
/** Sets the window title, recolours, a DEL, a C1 CSI clearing the screen, a right-to-left override. */
const EVIL = `${ESC}]0;owned\u0007${ESC}[31m\u007f\u009b2J\u202e`;
const SHOWN = '\\x1b]0;owned\\x07\\x1b[31m\\x7f\\u009b2J\\u202e';
const NOHUP = `no${ESC}[31mhup\u009b.out`;
const UNIT = `ev${ESC}[31mil.service`;

let work: string;
let bundle: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cd-hostile-ctl-'));
  bundle = join(work, 'charger');
  cpSync(SAMPLE, bundle, { recursive: true });
  const manifestPath = join(bundle, 'manifest.json');
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host: { hostname: string }; sources: { id: string; path?: string; status: string; error?: string; bytes?: number }[] };
  m.host.hostname = `charger${EVIL}-06`;
  for (const s of m.sources) {
    if (s.path === 'files/home/basar/charger/nohup.out') s.path = `files/home/basar/charger/${NOHUP}`;
    if (s.id === 'syslog') s.error = `none of /var/log/syslog exists ${EVIL}`;
  }
  m.sources.push({ id: 'unit-files', path: `files/etc/systemd/system/${UNIT}`, status: 'ok', bytes: 40 });
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));

  // A log file whose name and error lines carry escapes.
  const nohup = join(bundle, 'files/home/basar/charger');
  const log = readFileSync(join(nohup, 'nohup.out'), 'utf8').replace(/^(ERROR:.*)$/gm, `$1 ${EVIL}`);
  rmSync(join(nohup, 'nohup.out'));
  writeFileSync(join(nohup, NOHUP), log);

  // A unit file with such a name, and its service logging errors with such a name and identifier.
  writeFileSync(join(bundle, 'files/etc/systemd/system', UNIT), '[Service]\nExecStart=/usr/bin/false\n');
  const journalPath = join(bundle, 'commands/journal.jsonl');
  const lines = readFileSync(journalPath, 'utf8').split('\n').filter((l) => l !== '');
  const base = JSON.parse(lines[5]!) as Record<string, string>;
  const t0 = Number(base.__REALTIME_TIMESTAMP);
  for (let k = 0; k < 3; k++) {
    lines.push(
      JSON.stringify({
        ...base,
        __REALTIME_TIMESTAMP: String(t0 + (k + 1) * 1_000_000),
        PRIORITY: '3',
        _SYSTEMD_UNIT: UNIT,
        SYSLOG_IDENTIFIER: `ev${ESC}]0;t\u0007il`,
        _COMM: `ev${ESC}il`,
        MESSAGE: `boom ${k} ${EVIL} end`,
      }),
    );
  }
  writeFileSync(journalPath, `${lines.join('\n')}\n`);

  // A process whose arguments carry them.
  const psPath = join(bundle, 'commands/ps.txt');
  writeFileSync(psPath, readFileSync(psPath, 'utf8').replace('api.main:app --host 127.0.0.1 --port 8000', `api.main:app --host 127.0.0.1 --port 8000 --name x${EVIL}`));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Nothing a terminal or a viewer would obey; the hostile text is still there, as escapes. */
function inert(text: string, what: string): void {
  const at = [...text].findIndex((c) => hasInvisible(c));
  expect(at, `${what}: raw control at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 20))}`).toBe(-1);
}

describe('visible()', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes; keeps tab and line feed; is idempotent', () => {
    expect(visible(`a${EVIL}\t\nb\r`)).toBe(`a${SHOWN}\t\nb\\x0d`);
    expect(visible(visible(EVIL))).toBe(SHOWN);
    expect(visible('\u2066x\u2069 \u200f \u2028')).toBe('\\u2066x\\u2069 \\u200f \\u2028');
    expect(visibleLine('one\r\ntwo\tthree')).toBe('one ⏎ two three');
    expect(visible('Ünïcödé, 日本語, emoji 🙂 and a backslash \\x1b stay')).toBe('Ünïcödé, 日本語, emoji 🙂 and a backslash \\x1b stay');
  });
});

describe('a bundle full of terminal escapes', () => {
  it('analyze prints them as visible escapes, and a tool colour-free summary', async () => {
    const r = await callCli(['analyze', bundle]);
    expect(r.code, r.stderr).toBe(0);
    inert(r.stdout, 'analyze');
    expect(r.stdout).toContain(`charger${SHOWN}-06: window`);
    expect(r.stdout).toContain(`no\\x1b[31mhup\\u009b.out`);
    expect(r.stdout).toContain(`boom 0 ${SHOWN} end`);
    expect(r.stdout).toContain(`none of /var/log/syslog exists ${SHOWN}`);
    expect(r.stderr).toBe('');
  });

  it('analyze --json and report --format json keep them as JSON escapes, the same values', async () => {
    for (const args of [['analyze', bundle, '--json'], ['report', bundle, '--format', 'json']]) {
      const r = await callCli(args);
      expect(r.code, r.stderr).toBe(0);
      inert(r.stdout, args.join(' '));
      expect(r.stdout).toContain('\\u001b]0;owned\\u0007\\u001b[31m\\u007f\\u009b2J\\u202e');
      const a = JSON.parse(r.stdout) as { host: string };
      expect(a.host).toBe(`charger${EVIL}-06`);
    }
  });

  it('report: Markdown (en, tr) and HTML carry no raw control character', async () => {
    for (const [format, lang] of [['md', 'en'], ['md', 'tr'], ['html', 'en'], ['html', 'tr']]) {
      const r = await callCli(['report', bundle, '--format', format!, '--lang', lang!]);
      expect(r.code, r.stderr).toBe(0);
      inert(r.stdout, `report ${format} ${lang}`);
      expect(r.stdout).toContain(`charger${SHOWN}-06`);
    }
  });

  it('the fleet view: text, JSON, Markdown and HTML', async () => {
    const other = join(SAMPLE, '../healthy');
    const s = await callCli(['analyze', bundle, other, '--summary']);
    expect(s.code, s.stderr).toBe(0);
    inert(s.stdout, 'analyze --summary');
    expect(s.stdout).toContain(`charger${SHOWN}-06`);
    inert((await callCli(['analyze', bundle, other, '--summary', '--json'])).stdout, 'analyze --summary --json');
    for (const format of ['md', 'html']) inert((await callCli(['report', bundle, other, '--summary', '--format', format])).stdout, `report --summary ${format}`);
  });

  it('check: text, JUnit and SARIF', async () => {
    const t = await callCli(['check', bundle, '--fail-on', 'info']);
    expect(t.code).toBe(1);
    inert(t.stdout, 'check text');
    expect(t.stdout).toContain('\\x1b');
    for (const format of ['junit', 'sarif']) {
      const r = await callCli(['check', bundle, '--fail-on', 'info', '--format', format], { env: { GITHUB_ACTIONS: 'true' } });
      expect(r.code).toBe(1);
      inert(r.stdout, `check ${format}`);
      // The workflow commands for GitHub Actions, on stderr beside a document.
      expect(r.stderr).toMatch(/^::error /m);
      inert(r.stderr, `check ${format} annotations`);
    }
  });

  it('error lines on stderr quoting a file name show its escapes', async () => {
    const name = join(work, `gone${EVIL}`);
    for (const args of [['analyze', name], ['report', name], ['check', name], ['analyze', name, bundle, '--summary']]) {
      const r = await callCli(args);
      inert(r.stderr, args[0]!);
      expect(r.stderr).toContain(`gone${SHOWN}`);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('progress lines echo names from the device escaped, with the tool’s own cursor moves kept', () => {
  class Sink {
    text = '';
    isTTY: boolean;
    columns = 200;
    constructor(tty: boolean) {
      this.isTTY = tty;
    }
    write(s: string): boolean {
      this.text += s;
      return true;
    }
  }
  it('collect', () => {
    for (const tty of [false, true]) {
      const sink = new Sink(tty);
      // Without a terminal source lines are printed only with --verbose.
      const p = new Progress(sink as unknown as NodeJS.WriteStream, tty, tty ? 'normal' : 'verbose');
      p.step(`unit ${UNIT}`);
      p.source({ id: 'app-log', path: `/var/log/${NOHUP}`, status: 'denied', error: `permission denied ${EVIL}` } as never);
      p.note(`Bundle: ${join(work, `out${EVIL}.tar.gz`)}`);
      const ours = sink.text.replaceAll('\r\x1b[2K', '');
      inert(ours, `collect progress tty=${tty}`);
      expect(ours).toContain(`/var/log/no\\x1b[31mhup\\u009b.out: denied (permission denied ${SHOWN})`);
      expect(ours).toContain(`out${SHOWN}.tar.gz`);
      if (tty) expect(sink.text).toContain('\r\x1b[2K');
    }
  });

  it('the fleet analysis', () => {
    const sink = new Sink(true);
    const p = new FleetProgress(sink as unknown as NodeJS.WriteStream, true);
    p.analysed(1, 2, `charger${EVIL}`, `broken${EVIL}/manifest.json: not valid JSON`);
    p.analysed(2, 2, `charger${EVIL}`, null);
    p.clear();
    const ours = sink.text.replaceAll('\r\x1b[2K', '');
    inert(ours, 'fleet progress');
    expect(ours).toContain(`unreadable: broken${SHOWN}/manifest.json`);
    expect(ours).toContain(`analysed 2/2: charger${SHOWN}`);
  });
});
