// The params of a service.no-memory-limit finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const noMemoryLimitParams = z.object({
  unit: z.string(),
  /** the effective MemoryMax= as systemctl show or the unit file gives it ("infinity" when nothing sets it) */
  memoryMax: z.string(),
  /** system-wide (not cgroup) OOM kills in the window, and the first one */
  oomKills: z.number(),
  firstOom: z.nullable(z.string()),
  /** one of its own processes was among those the kernel killed */
  victim: z.boolean(),
  /** its memory at collection (MemoryCurrent=, else the RSS of its processes); null when the bundle does not say */
  currentBytes: z.nullable(z.number()),
  totalBytes: z.nullable(z.number()),
  /** the MemoryMax= the fix proposes (half the device's memory, in MiB steps of 64); null without /proc/meminfo */
  proposedMax: z.nullable(z.string()),
  /** it uses more than proposedMax now: applying the limit ends it at once */
  aboveProposed: z.boolean(),
});
export type NoMemoryLimitParams = z.output<typeof noMemoryLimitParams>;
