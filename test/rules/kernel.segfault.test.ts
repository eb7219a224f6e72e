import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { appEntry, at, coredumpEntry, dmesgLine, jsonl, kernelEntry, sd, showService } from '../helpers/raw.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/kernel-segfault/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'kernel.segfault');

const X86 = 'python3[1290]: segfault at 8 ip 00007f3b2c1d0d0a sp 00007ffd6b1e4a10 error 4 in libc.so.6[7f3b2c153000+155000] likely on CPU 2 (core 2, socket 0)';
const ARM64 = 'python3[1290]: unhandled exception: DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in libc.so.6[ffff8f2a0000+17e000]';
const APP = { unit: 'charger.service', identifier: 'python3', pid: 1290 };

describe('kernel.segfault fires', () => {
  it('on an x86 segfault line in dmesg, naming the process', async () => {
    const dmesg = [
      dmesgLine(at('01:11:20'), X86, '118204'),
      dmesgLine(at('01:11:20'), 'Code: 48 8b 45 08 48 89 c7 e8 2c fe ff ff 48 8b 45 f8 <48> 8b 40 08 48 89 c6 bf 01 00 00 00 e8 d7 fd ff ff 90 c9 c3', '118290'),
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesg } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subject: 'python3 (pid 1290)',
      params: { unit: null, crashes: 1, kinds: ['segfault'], comm: 'python3', pids: [1290], first: '2025-12-10T01:11:20+03:00' },
    });
    expect(f!.evidence).toEqual([{ source: 'commands/dmesg.txt', line: 1, time: '2025-12-10T01:11:20+03:00', text: X86 }]);
  });

  it('on an arm64 unhandled exception, named after the unit whose main process dumped core (code=dumped)', async () => {
    const journal = jsonl([
      kernelEntry(ARM64, at('01:11:20'), 6),
      coredumpEntry({ pid: 1290, comm: 'python3', exe: '/usr/bin/python3.11', unit: 'charger.service' }, at('01:11:21')),
      sd.mainExited('charger.service', at('01:11:21'), 'dumped', '11/SEGV'),
      sd.failed('charger.service', 'core-dump', at('01:11:21')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    // The fault, its core dump and the dumped exit are one crash, not three.
    expect(f).toMatchObject({ subject: 'charger.service', params: { unit: 'charger.service', comm: 'python3', pids: [1290], crashes: 1, kinds: ['unhandled-fault'] } });
    expect(f!.title).toContain('crashed once');
    expect(f!.evidence[0]).toEqual({ source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:11:20+03:00', text: ARM64 });
    expect(f!.evidence).toContainEqual({
      source: 'commands/journal.jsonl',
      line: 3,
      time: '2025-12-10T01:11:21+03:00',
      text: 'charger.service: Main process exited, code=dumped, status=11/SEGV',
    });
  });

  it('counts the same segfault once when the journal and dmesg both have it', async () => {
    const a = await analyzeSpec({
      files: { 'commands/journal.jsonl': jsonl([kernelEntry(X86, at('01:11:20'))]), 'commands/dmesg.txt': dmesgLine(at('01:11:20'), X86, '118204') + '\n' },
    });
    expect(findings(a).map((f) => [f.subject, f.params.crashes])).toEqual([['python3 (pid 1290)', 1]]);
  });

  it('on the 4.x arm64 form "unhandled level 2 translation fault (11)"', async () => {
    const line = 'python3[1290]: unhandled level 2 translation fault (11) at 0x00000008, esr 0x92000006, in libc-2.28.so[b6e1c000+121000]';
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesgLine(at('01:11:20'), line) + '\n' } });
    expect(findings(a)[0]).toMatchObject({ subject: 'python3 (pid 1290)', params: { kinds: ['unhandled-fault'] } });
  });

  it('on x86 traps: general protection fault and divide error', async () => {
    const dmesg = [
      dmesgLine(at('01:04:00'), 'traps: ocpp-agent[2210] general protection fault ip:55d0c2a1b3c4 sp:7ffc1e2d3f40 error:0 in ocpp-agent[55d0c2a00000+2c000]'),
      dmesgLine(at('01:06:00'), 'traps: meter-reader[2302] trap divide error ip:5610a2b3c4d5 sp:7ffe5d6c7b80 error:0 in meter-reader[5610a2b00000+6000]'),
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesg } });
    expect(findings(a).map((f) => [f.subject, f.params.kinds])).toEqual([
      ['meter-reader (pid 2302)', ['trap']],
      ['ocpp-agent (pid 2210)', ['general-protection']],
    ]);
  });

  it('names the unit from COREDUMP_UNIT when no systemd exit line is in the bundle', async () => {
    const journal = jsonl([
      kernelEntry(ARM64, at('01:11:20'), 6),
      coredumpEntry({ pid: 1290, comm: 'python3', exe: '/usr/bin/python3.11', unit: 'charger.service' }, at('01:11:21')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a).map((f) => [f.subject, f.params.crashes])).toEqual([['charger.service', 1]]);
    expect(findings(a)[0]!.evidence.map((e) => e.line)).toEqual([1, 2]);
  });

  it('on a systemd "code=dumped" exit alone', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger-api.service', at('01:07:00'), 'dumped', '6/ABRT')]) } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'charger-api.service', params: { unit: 'charger-api.service', kinds: ['dumped'], crashes: 1 } });
    expect(f.evidence[0]).toMatchObject({ source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:07:00+03:00' });
  });

  it('on an abort() without systemd-coredump ("code=killed, status=6/ABRT")', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger-api.service', at('01:07:00'), 'killed', '6/ABRT')]) } });
    expect(findings(a).map((f) => [f.subject, f.params.kinds, f.params.signals, f.params.crashes])).toEqual([['charger-api.service', ['fatal-signal'], ['SIGABRT'], 1]]);
  });

  it('links a live fault line to the unit\'s exit though the printk clock drifted 30 s (a board up for weeks)', async () => {
    // journald read it at the exit; its _SOURCE_MONOTONIC_TIMESTAMP is 30 s behind, as on a long uptime.
    const journal = jsonl([kernelEntry(X86, at('01:11:20'), 6, 30_000), sd.mainExited('charger.service', at('01:11:20'), 'killed', '11/SEGV')]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a).map((f) => [f.subject, f.params.crashes, f.params.kinds, f.params.first])).toEqual([['charger.service', 1, ['segfault'], '2025-12-10T01:11:20+03:00']]);
  });

  it('keeps a fault line replayed at journald start apart from a unit\'s crash minutes later', async () => {
    const journal = jsonl([kernelEntry(X86, at('01:05:00'), 6, 30_000), sd.mainExited('charger.service', at('01:11:20'), 'killed', '11/SEGV')]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a).map((f) => [f.subject, f.params.crashes, f.params.first])).toEqual([
      ['charger.service', 1, '2025-12-10T01:11:20+03:00'],
      ['python3 (pid 1290)', 1, '2025-12-10T01:04:30+03:00'],
    ]);
  });

  it('names the unit whose last main process had the faulting pid (ExecMainPID), with no systemd line in the bundle', async () => {
    const show = showService({ id: 'charger.service', description: 'Charger OCPP client', execStart: '/usr/bin/python3 /opt/charger/ocpp.py', mainPid: 1290, result: 'signal', activeState: 'failed', subState: 'failed' }).replace(/^MainPID=1290$/m, 'MainPID=0');
    expect(show).toMatch(/^ExecMainPID=1290$/m);
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesgLine(at('01:11:20'), X86) + '\n', 'commands/systemctl-show.txt': show } });
    expect(findings(a).map((f) => [f.subject, f.params.pids])).toEqual([['charger.service', [1290]]]);
    // The same pid running as its main process now is a reused pid, not the one that crashed.
    const running = showService({ id: 'charger.service', description: 'Charger OCPP client', execStart: '/usr/bin/python3 /opt/charger/ocpp.py', mainPid: 1290 });
    const b = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesgLine(at('01:11:20'), X86) + '\n', 'commands/systemctl-show.txt': running } });
    expect(findings(b).map((f) => f.subject)).toEqual(['python3 (pid 1290)']);
  });

  it('on a coredumpctl list row', async () => {
    const list = [
      'TIME                         PID  UID  GID SIG     COREFILE EXE                 SIZE',
      'Wed 2025-12-10 01:11:20 +03 1290 1000 1000 SIGSEGV present  /usr/bin/python3.11 1.1M',
      '',
    ].join('\n');
    const a = await analyzeSpec({ files: { 'commands/coredumpctl.txt': list, 'commands/journal.jsonl': jsonl([]) } });
    const f = findings(a)[0]!;
    expect(f).toMatchObject({ subject: 'python3.11 (pid 1290)', params: { kinds: ['coredump'], pids: [1290] } });
    expect(f.evidence).toEqual([{ source: 'commands/coredumpctl.txt', line: 2, time: '2025-12-10T01:11:20+03:00', text: list.split('\n')[1] }]);
  });
});

describe('kernel.segfault stays quiet', () => {
  it('on an application line saying a "segfault handler" was installed, or quoting a kernel line', async () => {
    const journal = jsonl([
      appEntry(APP, 'faulthandler: segfault handler installed', at('01:02:00')),
      appEntry(APP, `crash reporter saw: ${X86}`, at('01:03:00')),
      appEntry(APP, X86, at('01:03:01')),
    ]);
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('kernel.segfault');
  });

  it('on an exit by signal that dumped no core (code=killed, 9/KILL)', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger.service', at('01:07:00'), 'killed', '9/KILL')]) } });
    expect(findings(a)).toEqual([]);
  });

  it('on a crash before the window', async () => {
    const a = await analyzeSpec({ files: { 'commands/dmesg.txt': dmesgLine(at('00:30:00'), X86) + '\n' } });
    expect(findings(a)).toEqual([]);
  });

  it('counts unreadable coredumpctl rows as skipped', async () => {
    const list = 'TIME                         PID  UID  GID SIG     COREFILE EXE                 SIZE\nWed 2025-12-10 01:11:20 +03 SIGSEGV\n';
    const a = await analyzeSpec({ files: { 'commands/coredumpctl.txt': list, 'commands/journal.jsonl': jsonl([]) } });
    expect(a.sources.find((s) => s.id === 'coredumps')).toMatchObject({ records: 0, skippedRecords: 1 });
    expect(findings(a)).toEqual([]);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'an application line quoting a kernel line', bundle: { files: { 'commands/journal.jsonl': jsonl([appEntry(APP, X86, at('01:03:01'))]) } } },
    { name: 'an exit by SIGKILL without a core', bundle: { files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger.service', at('01:07:00'), 'killed', '9/KILL')]) } } },
  ],
  invalid: [
    {
      name: 'an x86 segfault line in dmesg',
      bundle: { files: { 'commands/dmesg.txt': dmesgLine(at('01:11:20'), X86, '118204') + '\n' } },
      findings: [{ subject: 'python3 (pid 1290)', severity: 'critical', params: { unit: null, kinds: ['segfault'], pids: [1290] } }],
    },
    {
      name: 'a systemd code=dumped exit alone',
      bundle: { files: { 'commands/journal.jsonl': jsonl([sd.mainExited('charger-api.service', at('01:07:00'), 'dumped', '6/ABRT')]) } },
      findings: [{ subject: 'charger-api.service', params: { unit: 'charger-api.service', kinds: ['dumped'] } }],
    },
  ],
});

describe('kernel.segfault: the fix says whether the unit comes back', () => {
  const dumped = jsonl([sd.mainExited('charger-api.service', at('01:07:00'), 'dumped', '6/ABRT')]);
  const unitWith = (restart: string) => `[Unit]\nDescription=API\n\n[Service]\nExecStart=/usr/bin/python3 /opt/api.py\nRestart=${restart}\n`;
  const FRAGMENT = 'files/etc/systemd/system/charger-api.service';

  it('Restart=on-failure brings it back; the crash stays', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': dumped, [FRAGMENT]: unitWith('on-failure') } });
    expect(findings(a)[0]!.params.restart).toBe('on-failure');
    expect(findings(a)[0]!.remediation).toContain('Restart=on-failure brings charger-api.service back, but the crash will recur');
  });

  it('Restart=no leaves it down: the fix says to add Restart=on-failure, never that Restart= brings it back', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': dumped, [FRAGMENT]: unitWith('no') } });
    expect(findings(a)[0]!.remediation).toContain('With Restart=no nothing brings charger-api.service back after a crash: add Restart=on-failure');
    expect(findings(a)[0]!.remediation).not.toMatch(/brings charger-api.service back, but/);
  });

  it('without its unit file the fix does not guess', async () => {
    const a = await analyzeSpec({ files: { 'commands/journal.jsonl': dumped } });
    expect(findings(a)[0]!.remediation).toMatch(/The crash will recur until the faulting code is fixed\.$/);
  });
});
