// The params of a kernel.oom-kill finding (analysis JSON findings[].params).
import { z } from 'zod';

export const oomKillParams = z.object({
  unit: z.string().nullable(),
  kills: z.number(),
  pids: z.array(z.number()),
  comm: z.string().nullable(),
  memcg: z.string().nullable(),
  scope: z.enum(['cgroup', 'global']),
  // The cgroup whose limit was hit, and whether it is the unit's own MemoryMax= (absent from older analyses).
  limitMemcg: z.string().nullable().optional(),
  /** the unit reached its own MemoryMax= (memoryMax), not the machine's memory */
  ownLimit: z.boolean().optional(),
  memoryMax: z.string().nullable().optional(),
  first: z.string().nullable(),
  /** the unit's effective Restart=, which decides whether it comes back after the kill (absent from older analyses) */
  restart: z.string().nullable().optional(),
});
