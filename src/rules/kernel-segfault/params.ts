// The params of a kernel.segfault finding (analysis JSON findings[].params).
import { z } from 'zod';

export const segfaultParams = z.object({
  unit: z.string().nullable(),
  crashes: z.number(),
  kinds: z.array(z.string()),
  signals: z.array(z.string()),
  comm: z.string().nullable(),
  pids: z.array(z.number()),
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** systemd gave up restarting the unit after these crashes (absent from older analyses) */
  startLimitHit: z.boolean().optional(),
  /** the unit's effective Restart=, which decides whether it comes back (absent from older analyses) */
  restart: z.string().nullable().optional(),
});
