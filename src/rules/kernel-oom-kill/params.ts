// The params of a kernel.oom-kill finding (analysis JSON findings[].params).
import { z } from 'zod';

export const oomKillParams = z.object({
  unit: z.string().nullable(),
  kills: z.number(),
  pids: z.array(z.number()),
  comm: z.string().nullable(),
  memcg: z.string().nullable(),
  scope: z.enum(['cgroup', 'global']),
  limitMemcg: z.string().nullable(),
  /** the unit reached its own MemoryMax= (memoryMax), not the machine's memory */
  ownLimit: z.boolean(),
  memoryMax: z.string().nullable(),
  first: z.string().nullable(),
});
