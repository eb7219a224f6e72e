// The params of a resource.load finding (analysis JSON findings[].params).
import { z } from 'zod';

export const loadParams = z.object({
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  cpus: z.number(),
  limit: z.number(),
  ioSomeAvg10: z.number().nullable(),
  cpuSomeAvg10: z.number().nullable(),
  at: z.string().nullable(),
});
