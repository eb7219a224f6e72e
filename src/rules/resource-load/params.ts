// The params of a resource.load finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const loadParams = z.object({
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  cpus: z.number(),
  limit: z.number(),
  ioSomeAvg10: z.nullable(z.number()),
  cpuSomeAvg10: z.nullable(z.number()),
  at: z.nullable(z.string()),
});
