import { describe, it, expect } from 'vitest';
import { parseDmesg } from '../../src/parse/dmesg.js';

const SRC = 'commands/dmesg.txt';

// util-linux 2.38's dmesg prints a record written by one printk() with embedded newlines (an OOM
// report's Mem-Info, a memory cgroup's stats) as its first line after the stamp and the others
// under it, indented by the stamp's width (checked on Debian 12 with a three-line /dev/kmsg record).
const OOM = `2025-12-10T14:07:41,383070+03:00 Mem-Info:
2025-12-10T14:07:41,383106+03:00 active_anon:1537 inactive_anon:890412 isolated_anon:0
                                  active_file:118 inactive_file:231 isolated_file:0
                                  free:2901 free_pcp:233 free_cma:604
2025-12-10T14:07:50,207617+03:00 Memory cgroup stats for /system.slice/charger-api.service:
2025-12-10T14:07:50,207665+03:00 anon 261443584
                                 file 2654208
2025-12-10T14:07:50,207725+03:00 Tasks state (memory values in pages):
`;

describe('parseDmesg and multi-line records', () => {
  it('keeps the further lines of a record with it instead of skipping them', () => {
    const res = parseDmesg(OOM, SRC);
    expect(res.skipped).toBe(0);
    expect(res.records.map((r) => [r.line, r.text])).toEqual([
      [1, 'Mem-Info:'],
      [2, 'active_anon:1537 inactive_anon:890412 isolated_anon:0\n active_file:118 inactive_file:231 isolated_file:0\n free:2901 free_pcp:233 free_cma:604'],
      [5, 'Memory cgroup stats for /system.slice/charger-api.service:'],
      [6, 'anon 261443584\nfile 2654208'],
      [8, 'Tasks state (memory values in pages):'],
    ]);
  });

  it('still counts a line without a stamp that follows no record, or is not indented', () => {
    const res = parseDmesg('    orphan continuation\n2025-12-10T14:07:41,383070+03:00 Mem-Info:\ngarbage\n', SRC);
    expect(res.records).toHaveLength(1);
    expect(res.skipped).toBe(2);
  });
});
