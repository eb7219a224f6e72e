import { describe, it, expect } from 'vitest';
import { parseDmesg } from '../../src/parse/dmesg.js';

const SRC = 'commands/dmesg.txt';

// First lines as `TZ=Europe/Istanbul dmesg --time-format=iso` printed them on
// a Debian 12 host (util-linux 2.38), then kernel lines of an OOM kill and an
// arm64 fault in the same format.
const OUTPUT = `2026-11-26T10:05:02,000000+03:00 Linux version 6.18.44-fc-v657 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0
2026-11-26T10:05:02,000000+03:00 [Firmware Bug]: TSC doesn't count with P0 frequency!
2026-11-26T10:05:02,003101+03:00   node   0: [mem 0x0000000100000000-0x000000063fffffff]
2026-11-26T10:05:02,630381+03:00     HOME=/
2026-11-26T10:12:10,515221+03:00 systemd-journald[37]: Received client request to flush runtime journal.
2025-12-10T01:09:58,412000+03:00 python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
2025-12-10T01:09:58,433100+03:00 Out of memory: Killed process 812 (python3) total-vm:1843200kB, anon-rss:912340kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:0
2025-12-09T22:11:20,000000+00:00 python3[1290]: unhandled exception: DABT (lower EL), ESR 0x0000000092000006, level 2 translation fault in libc.so.6[ffff8f2a0000+17e000]
`;

describe('parseDmesg', () => {
  it('reads iso lines with the comma fraction and the offset', () => {
    const res = parseDmesg(OUTPUT, SRC);
    expect(res.skipped).toBe(0);
    expect(res.records).toHaveLength(8);
    expect(res.records[0]).toEqual({
      source: SRC,
      line: 1,
      epochMs: Date.parse('2026-11-26T07:05:02Z'),
      identifier: 'kernel',
      text: 'Linux version 6.18.44-fc-v657 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0',
    });
    expect(res.records[6]).toMatchObject({ line: 7, epochMs: Date.parse('2025-12-10T01:09:58.433+03:00') });
    expect(res.records[7]!.epochMs).toBe(Date.parse('2025-12-09T22:11:20Z'));
  });

  it("keeps the kernel's leading indentation in the text", () => {
    const res = parseDmesg(OUTPUT, SRC);
    expect(res.records[2]!.text).toBe('  node   0: [mem 0x0000000100000000-0x000000063fffffff]');
    expect(res.records[3]!.text).toBe('    HOME=/');
  });

  it('counts lines it cannot read and keeps line numbers', () => {
    const text = [
      'dmesg: read kernel buffer failed: Operation not permitted',
      '2025-12-10T01:09:58,433100+03:00 Out of memory: Killed process 812 (python3)',
      '2025-13-10T01:09:58,433100+03:00 month 13',
      '2025-12-10T01:09:5', // cut
    ].join('\n');
    const res = parseDmesg(text, SRC);
    expect(res.records.map((r) => r.line)).toEqual([2]);
    expect(res.skipped).toBe(3);
    expect(res.problems).toEqual([
      { line: 1, reason: 'no dmesg timestamp' },
      { line: 3, reason: 'invalid date in timestamp' },
      { line: 4, reason: 'no dmesg timestamp' },
    ]);
  });

  it('accepts plain dmesg output with uptime stamps, without a time', () => {
    const res = parseDmesg('[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n[61798.433012] Out of memory: Killed process 812 (python3)\n', SRC);
    expect(res.records[0]).toMatchObject({ epochMs: null, uptimeSeconds: 0, text: 'Booting Linux on physical CPU 0x0000000000 [0x410fd083]' });
    expect(res.records[1]).toMatchObject({ uptimeSeconds: 61798.433012 });
  });

  it('gives an empty result for empty output', () => {
    expect(parseDmesg('', SRC)).toEqual({ records: [], skipped: 0, problems: [] });
  });
});
