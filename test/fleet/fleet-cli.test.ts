// `analyze BUNDLE... --summary` and `report BUNDLE... --summary` as users run
// them (in process): real sample bundles arranged as `collect` leaves them, with a record.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callCli, expectOneLineError, expectUsageError } from '../helpers/cli.js';
import { loadCatalogue } from '../../src/report/i18n.js';
import { FLEET_SECTIONS } from '../../src/report/fleet/render.js';
import { FleetSummarySchema, type FleetSummary } from '../../src/fleet/schema.js';
import { copySample, failedHost, okHost, record, scratch } from './fixtures.js';

const EPOCH = { SOURCE_DATE_EPOCH: '1765357200' }; // 2025-12-10T09:00:00Z
const HOSTILE_NAME = 'charger-04|`x`<script>alert(1)</script>';
const HOSTILE_MESSAGE = 'ssh: connect to host 10.0.0.9 port 22: No route to host | `y` <script>alert(2)</script> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl';

let root: string;
let cleanup: () => void;
let fleet: string;
const RECORD = 'charger-diag-fleet-20251210-020000.json';

beforeAll(() => {
  ({ root, cleanup } = scratch());
  fleet = join(root, 'fleet');
  mkdirSync(fleet);
  copySample('seed-incident', join(fleet, 'charger-diag-charger-01'));
  // Two devices cloned from one image: both call themselves raspberrypi.
  copySample('healthy', join(fleet, 'healthy-pi'), 'raspberrypi');
  copySample('global-oom', join(root, 'global-oom-pi'), 'raspberrypi');
  execFileSync('tar', ['czf', join(fleet, 'global-oom-pi.tar.gz'), 'global-oom-pi'], { cwd: root });
  copySample('segfault-loop', join(fleet, 'segfault'), HOSTILE_NAME);
  mkdirSync(join(fleet, 'broken'));
  writeFileSync(join(fleet, 'broken', 'manifest.json'), '{ "format": "charger-diag-bundle", "formatVersion": 1,\n  oops }');
  writeFileSync(
    join(fleet, RECORD),
    JSON.stringify(record([okHost('pi@10.0.0.5', 'healthy-pi'), okHost('pi@10.0.0.6', 'global-oom-pi.tar.gz'), failedHost('pi@10.0.0.9', 'unreachable', HOSTILE_MESSAGE)])),
  );
});
afterAll(() => cleanup());

async function summary(args: string[]): Promise<{ code: number | null; s: FleetSummary; stderr: string }> {
  const r = await callCli(['analyze', ...args, '--summary', '--json'], { env: EPOCH });
  return { code: r.code, s: FleetSummarySchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

describe('analyze --summary', () => {
  it('one view of a directory: labels unique, worst first, unreadable and not-collected hosts kept with their reasons', async () => {
    const { code, s, stderr } = await summary([fleet]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(s.counts).toMatchObject({ total: 6, analyzed: 4, unreadable: 1, notCollected: 1, withOutage: 3, recurrenceLikely: 2 });
    expect(s.hosts.map((h) => [h.label, h.status])).toEqual([
      [HOSTILE_NAME, 'analyzed'],
      ['raspberrypi (pi@10.0.0.6)', 'analyzed'],
      ['charger-01', 'analyzed'],
      ['raspberrypi (pi@10.0.0.5)', 'analyzed'],
      ['broken', 'unreadable'],
      ['pi@10.0.0.9', 'not-collected'],
    ]);
    expect(s.hosts[4]!.error).toMatch(/broken\/manifest\.json: not valid JSON/);
    expect(s.hosts[5]).toMatchObject({ failureKind: 'unreachable', record: join(fleet, RECORD) });
    expect(s.hosts[5]!.error).toContain('No route to host');
    expect(s.hosts[5]!.error).not.toContain('c2lnbmF0dXJl');
    expect(s.rules[0]).toMatchObject({ rule: 'log.errors', hosts: 3 });
    expect(s.rules.find((r) => r.rule === 'service.failed')).toMatchObject({ worst: 'critical', hosts: 2, subjects: [{ subject: 'charger.service', hosts: 2 }] });
    expect(s.outageGroups.map((g) => g.hosts.length)).toEqual([1, 1, 1]);
    expect(s.generatedAt).toBe('2025-12-10T12:00:00+03:00');
    expect(s.differences).toEqual([]);
    expect(s.sameEverywhere.map((x) => x.field)).toEqual(['os', 'kernel', 'journalStorage', 'toolVersion']);
  });

  it('reads each bundle once however it is named: by hand, through the directory, through the record', async () => {
    const { s } = await summary([join(fleet, 'healthy-pi'), fleet, `${join(fleet, 'healthy-pi')}/`, join(fleet, RECORD)]);
    expect(s.counts.total).toBe(6);
    expect(s.hosts.filter((h) => h.hostname === 'raspberrypi').map((h) => h.target).sort()).toEqual(['pi@10.0.0.5', 'pi@10.0.0.6']);
  });

  it('a record alone: its collected hosts and its failed host', async () => {
    const { s } = await summary([join(fleet, RECORD)]);
    expect(s.hosts.map((h) => h.label)).toEqual(['raspberrypi (pi@10.0.0.6)', 'raspberrypi (pi@10.0.0.5)', 'pi@10.0.0.9']);
  });

  it('--fail-on: 1 when a host has a finding at or above it, 0 otherwise', async () => {
    expect((await callCli(['analyze', fleet, '--summary', '--fail-on', 'critical'])).code).toBe(1);
    expect((await callCli(['analyze', join(fleet, 'healthy-pi'), join(fleet, 'broken'), '--summary', '--fail-on', 'info'])).code).toBe(0);
  });

  it('prints a readable summary, device text kept on its line', async () => {
    const r = await callCli(['analyze', fleet, '--summary'], { env: EPOCH });
    expect(r.code).toBe(0);
    const out = r.stdout;
    for (const s of ['Fleet of 6 hosts: 4 analysed, 1 unreadable, 1 not collected', 'Hosts, worst first:', 'Rules, on most hosts first:', 'Outage windows', 'Not collected:', 'Unreadable bundles:', 'Differences between analysed hosts:']) {
      expect(out).toContain(s);
    }
    expect(out).toMatch(/^ {2}CRITICAL raspberrypi \(pi@10\.0\.0\.6\)/m);
    expect(out).toMatch(/^ {2}pi@10\.0\.0\.9: unreachable: ssh: connect to host 10\.0\.0\.9/m);
    expect(out).toContain('same on every host: os Debian GNU/Linux 12 (bookworm)');
  });

  it('several bundles without --summary, or nothing readable at all: exit 2 with one line', async () => {
    expectUsageError(await callCli(['analyze', join(fleet, 'healthy-pi'), join(fleet, 'segfault')]), /analyze: 2 bundles given; add --summary/, 'analyze');
    expectUsageError(await callCli(['report', join(fleet, 'healthy-pi'), join(fleet, 'segfault')]), /report: 2 bundles given; add --summary/, 'report');
    expectOneLineError(await callCli(['analyze', join(fleet, 'broken'), '--summary']), /broken: none of the 1 bundle could be analysed \(first: .*manifest\.json: not valid JSON/);
    expectOneLineError(await callCli(['analyze', join(root, 'nothing-here'), '--summary']), /nothing-here: no such file or directory/);
    expectOneLineError(
      await callCli(['report', join(root, 'nothing-here'), join(fleet, 'broken'), join(root, 'gone.tar.gz'), '--summary']),
      /: none of the 3 inputs could be analysed \(first: .*nothing-here: no such file or directory\)$/,
    );
  });

  it('a missing path among bundles is a host without a bundle, as a corrupt archive is; the others are analysed', async () => {
    const missing = join(root, 'charger-09.tar.gz');
    const args = [join(fleet, 'healthy-pi'), missing, join(fleet, 'charger-diag-charger-01')];
    const { code, s, stderr } = await summary(args);
    expect(code).toBe(0);
    expect(s.counts).toMatchObject({ total: 3, analyzed: 2, unreadable: 1 });
    expect(s.hosts.find((h) => h.status === 'unreadable')).toMatchObject({ input: missing, error: `${missing}: no such file or directory` });
    expect(stderr).toBe(`unreadable: ${missing}: no such file or directory\n`);
    const text = await callCli(['analyze', ...args, '--summary'], { env: EPOCH });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Fleet of 3 hosts: 2 analysed, 1 unreadable');
    expect(text.stdout).toContain(`${missing}: no such file or directory`);
    for (const format of ['md', 'html']) {
      const rep = await callCli(['report', ...args, '--summary', '--format', format], { env: EPOCH });
      expect(rep.code, rep.stderr).toBe(0);
      expect(rep.stdout).toContain('charger-09.tar.gz: no such file or directory');
    }
  });
});

describe('report --summary', () => {
  const headings = (lang: 'en' | 'tr') => FLEET_SECTIONS.map((s) => `## ${loadCatalogue(lang)[`fleet.heading.${s.key}`]}`);

  it('writes the fleet report in English and Turkish with every section, device text inert', async () => {
    for (const lang of ['en', 'tr'] as const) {
      const r = await callCli(['report', fleet, '--summary', '--lang', lang], { env: EPOCH });
      expect(r.code, r.stderr).toBe(0);
      const md = r.stdout;
      expect(md.split('\n')[0]).toBe(lang === 'en' ? '# Fleet post-mortem: 6 hosts, 2025-12-10' : '# Filo olay sonrası analizi: 6 cihaz, 2025-12-10');
      const at = headings(lang).map((h) => md.split('\n').indexOf(h));
      expect(at.every((i) => i > 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(md).not.toContain('c2lnbmF0dXJl');
      // The hostile hostname is a code span in a cell whose `|` is escaped: the hosts table row keeps its 8 cells.
      const row = md.split('\n').find((l) => l.startsWith('| ``charger-04\\|`x`<script>') && l.split(/(?<!\\)\|/).length === 10);
      expect(row, md).toBeDefined();
    }
    const html = (await callCli(['report', fleet, '--summary', '--format', 'html'], { env: EPOCH })).stdout;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('--out writes the file and prints its path; --format json is the summary', async () => {
    const out = join(root, 'fleet-report.md');
    const r = await callCli(['report', fleet, '--summary', '--out', out], { env: EPOCH });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('## Next steps');
    rmSync(out);
    const json = await callCli(['report', join(fleet, RECORD), '--summary', '--format', 'json'], { env: EPOCH });
    expect(FleetSummarySchema.parse(JSON.parse(json.stdout)).kind).toBe('fleet-summary');
  });
});
