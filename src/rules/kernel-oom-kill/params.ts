// The params of a kernel.oom-kill finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const oomKillParams = z.object({
  unit: z.nullable(z.string()),
  kills: z.number(),
  pids: z.array(z.number()),
  comm: z.nullable(z.string()),
  memcg: z.nullable(z.string()),
  scope: z.enum(['cgroup', 'global']),
  // The cgroup whose limit was hit, and whether it is the unit's own MemoryMax= (absent from older analyses).
  limitMemcg: z.optional(z.nullable(z.string())),
  /** the unit reached its own MemoryMax= (memoryMax), not the machine's memory */
  ownLimit: z.optional(z.boolean()),
  memoryMax: z.optional(z.nullable(z.string())),
  first: z.nullable(z.string()),
  /** the unit's effective Restart=, which decides whether it comes back after the kill (absent from older analyses) */
  restart: z.optional(z.nullable(z.string())),
});
