// Regression (issue 11, item 3): a unit whose program segfaults, restarted by Restart=always until
// start-limit-hit, was reported as five "python3 (pid N) crashed once" findings that never named
// the unit. The journal records are the real ones from the lab (test/lab/crash-loop.test.ts): Debian
// without systemd-coredump, so systemd says "code=killed, status=11/SEGV"; the kernel's lines carry
// the host's pids (the lab is another pid namespace), so only systemd's exits name the unit. The
// kernel lines of earlier crashes, replayed by the lab's journald at its start, are in the file too.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../helpers/bundle.js';
import { describeFinding } from '../../src/report/findings.js';
import { Translator } from '../../src/report/i18n.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const rule = (a: Analysis, id: string) => a.findings.filter((f) => f.rule === id);

const JOURNAL = readFileSync(join(__dirname, '../fixtures/lab/segfault-loop/journal.jsonl'), 'utf8');
const LAB = {
  host: { hostname: 'lab-explore', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.18.44-fc-v1300', arch: 'x86_64', timezone: 'Etc/UTC', utcOffset: '+00:00', cpus: 2 },
  collectedAt: '2026-12-06T21:22:25+00:00',
  window: { since: '2026-12-06T21:22:17+00:00', until: '2026-12-06T21:22:25+00:00' },
};
// The five crashes the lab staged, as the kernel numbered them (host pids).
const PIDS = [18525, 18549, 18627, 18665, 18750];

describe('kernel.segfault on a crash loop without systemd-coredump', () => {
  it('is one finding on the unit, counting five crashes, quoting kernel and systemd lines', async () => {
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': JOURNAL } });
    const [f, ...rest] = rule(a, 'kernel.segfault');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subject: 'charger-ocpp.service',
      params: { unit: 'charger-ocpp.service', crashes: 5, kinds: ['segfault'], signals: ['SIGSEGV'], comm: 'python3', pids: PIDS },
    });
    expect(f!.title).toBe('charger-ocpp.service crashed 5 times, first at 2026-12-06 21:22:18+00:00');
    expect(f!.evidenceTotal).toBe(10);
    expect(f!.evidence[0]!.text).toMatch(/^python3\[18525\]: segfault at 0 /);
    expect(f!.evidence[1]!.text).toBe('charger-ocpp.service: Main process exited, code=killed, status=11/SEGV');
    // No line of a crash before the window (replayed at the lab's boot) is quoted.
    for (const e of f!.evidence) expect(e.time! >= '2026-12-06T21:22:17+00:00').toBe(true);
    // systemd gave up after the fifth crash: the fix says so instead of "Restart= brings it back".
    expect(f!.params.startLimitHit).toBe(true);
    // The JSON's remediation is the report's fix (fixStartLimit), as plain text.
    expect(f!.remediation).toContain('systemd stopped restarting it after these crashes (start limit hit): once the crash is fixed, systemctl reset-failed and systemctl start it.');
    for (const lang of ['en', 'tr'] as const) expect(describeFinding(new Translator(lang), f!).fix).toContain('`systemctl reset-failed`');
    expect(rule(a, 'service.restart-loop').map((x) => [x.subject, x.params.restarts])).toEqual([['charger-ocpp.service', 5]]);
    expect(rule(a, 'service.start-limit-hit').map((x) => x.subject)).toEqual(['charger-ocpp.service']);
  });

  it('still counts every crash when the kernel rate-limited some fault lines (systemd logs each exit)', async () => {
    const limited = JOURNAL.split('\n')
      .filter((l) => !/python3\[(18627|18665|18750)\]: segfault/.test(l))
      .join('\n');
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': limited } });
    const [f, ...rest] = rule(a, 'kernel.segfault');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ subject: 'charger-ocpp.service', params: { crashes: 5, kinds: ['segfault', 'fatal-signal'], pids: [18525, 18549] } });
  });

  it('does not say systemd gave up when the loop did not reach the start limit', async () => {
    const going = JOURNAL.split('\n')
      .filter((l) => !/Start request repeated too quickly|Failed to start charger-ocpp/.test(l))
      .join('\n');
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': going } });
    const [f] = rule(a, 'kernel.segfault');
    expect(f).toMatchObject({ subject: 'charger-ocpp.service', params: { crashes: 5, startLimitHit: false } });
    expect(f!.remediation).not.toContain('start limit');
    // The bundle holds no unit file: whether Restart= brings it back is not known, so the fix does not say it does.
    expect(describeFinding(new Translator('en'), f!).fix).toContain('The crash will recur until the faulting code is fixed.');
  });

  it('keeps another program\'s segfault apart from a unit that aborted at the same moment', async () => {
    // The first crash's exit says SIGABRT: the SIGSEGV line beside it is some other process's.
    const lines = JOURNAL.split('\n');
    const i = lines.findIndex((l) => l.includes('code=killed, status=11/SEGV'));
    lines[i] = lines[i]!.replace('code=killed, status=11/SEGV', 'code=killed, status=6/ABRT').replace('"EXIT_STATUS":"11"', '"EXIT_STATUS":"6"');
    expect(lines[i]).toContain('"EXIT_STATUS":"6"');
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': lines.join('\n') } });
    expect(rule(a, 'kernel.segfault').map((f) => [f.subject, f.params.crashes, f.params.signals])).toEqual([
      ['charger-ocpp.service', 5, ['SIGABRT', 'SIGSEGV']],
      ['python3 (pid 18525)', 1, ['SIGSEGV']],
    ]);
  });

  it('stays quiet when the unit exits by SIGKILL or SIGTERM and no fault line is in the window', async () => {
    const killed = JOURNAL.split('\n')
      .filter((l) => !/: segfault at /.test(l))
      .map((l) => l.replace('code=killed, status=11/SEGV', 'code=killed, status=9/KILL').replace('"EXIT_STATUS":"11"', '"EXIT_STATUS":"9"'))
      .join('\n');
    const a = await analyzeSpec({ manifest: LAB, files: { 'commands/journal.jsonl': killed } });
    expect(rule(a, 'kernel.segfault')).toEqual([]);
  });
});
