// Regression: systemd aborts a unit whose watchdog expired with SIGABRT (WatchdogSignal=) so that it
// dumps core; systemd 252 then logs "code=dumped, status=6/ABRT". That is a hang the watchdog ended,
// not a crash: kernel.segfault must leave it to service.watchdog-timeout (samples/watchdog-timeout).
import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, coredumpEntry, jsonl, kernelEntry, sd } from '../helpers/raw.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const rule = (a: Analysis, id: string) => a.findings.filter((f) => f.rule === id);

// The order systemd 252.39 logged a watchdog expiry with LimitCORE=infinity, restart included.
const WATCHDOG_ABORT = [
  sd.watchdog('charger.service', '30s', at('01:08:41')),
  sd.killing('charger.service', 809, 'python', 'SIGABRT', at('01:08:41')),
  sd.mainExited('charger.service', at('01:08:41'), 'dumped', '6/ABRT'),
  sd.failed('charger.service', 'watchdog', at('01:08:41')),
  sd.restartScheduled('charger.service', 1, at('01:08:46')),
  sd.stopped('charger.service', 'Charger OCPP client', at('01:08:46'), 252, 'restart'),
  sd.starting('charger.service', 'Charger OCPP client', at('01:08:46')),
  sd.started('charger.service', 'Charger OCPP client', at('01:08:46')),
];

describe('kernel.segfault and a watchdog abort', () => {
  it('stays quiet on the core dump systemd caused by aborting a unit whose watchdog expired', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(WATCHDOG_ABORT) } });
    expect(rule(a, 'kernel.segfault')).toEqual([]);
    expect(rule(a, 'service.watchdog-timeout').map((f) => f.subject)).toEqual(['charger.service']);
  });

  it('stays quiet on the same abort without a core (code=killed, status=6/ABRT, as the lab logged it)', async () => {
    const noCore = [...WATCHDOG_ABORT.slice(0, 2), sd.mainExited('charger.service', at('01:08:41'), 'killed', '6/ABRT'), ...WATCHDOG_ABORT.slice(3)];
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl(noCore) } });
    expect(rule(a, 'kernel.segfault')).toEqual([]);
    expect(rule(a, 'service.watchdog-timeout').map((f) => f.subject)).toEqual(['charger.service']);
  });

  it('stays quiet on systemd-coredump\'s "dumped core" of that abort too', async () => {
    const journal = jsonl([
      ...WATCHDOG_ABORT.slice(0, 2),
      coredumpEntry({ pid: 809, comm: 'python', exe: '/usr/bin/python3.11', unit: 'charger.service', signal: [6, 'SIGABRT'] }, at('01:08:42')),
      ...WATCHDOG_ABORT.slice(2),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(rule(a, 'kernel.segfault')).toEqual([]);
  });

  it('still fires when the restarted process then crashes on its own', async () => {
    const crash = 'python[1402]: unhandled exception: DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in libc.so.6[7f8a2c0000+17e000]';
    const journal = jsonl([
      ...WATCHDOG_ABORT,
      kernelEntry(crash, at('01:10:05')),
      sd.mainExited('charger.service', at('01:10:05'), 'dumped', '11/SEGV'),
      sd.failed('charger.service', 'core-dump', at('01:10:05')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const [f, ...rest] = rule(a, 'kernel.segfault');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ subject: 'charger.service', params: { crashes: 1, pids: [1402], first: '2025-12-10T01:10:05+03:00' } });
    expect(f!.evidence.map((e) => e.text)).not.toContain('charger.service: Main process exited, code=dumped, status=6/ABRT');
  });

  it('still fires on a SIGABRT core dump that no watchdog caused (an abort() in the program)', async () => {
    const journal = jsonl([
      sd.started('charger.service', 'Charger OCPP client', at('01:05:00')),
      sd.mainExited('charger.service', at('01:08:41'), 'dumped', '6/ABRT'),
      sd.failed('charger.service', 'core-dump', at('01:08:41')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(rule(a, 'kernel.segfault').map((f) => [f.subject, f.params.kinds])).toEqual([['charger.service', ['dumped']]]);
  });
});
