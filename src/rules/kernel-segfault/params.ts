// The params of a kernel.segfault finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const segfaultParams = z.object({
  unit: z.nullable(z.string()),
  crashes: z.number(),
  kinds: z.array(z.string()),
  signals: z.array(z.string()),
  comm: z.nullable(z.string()),
  pids: z.array(z.number()),
  first: z.nullable(z.string()),
  last: z.nullable(z.string()),
  /** systemd gave up restarting the unit after these crashes (absent from older analyses) */
  startLimitHit: z.optional(z.boolean()),
  /** the unit's effective Restart=, which decides whether it comes back (absent from older analyses) */
  restart: z.optional(z.nullable(z.string())),
});
