// The params of a resource.memory finding (analysis JSON findings[].params).
import { z } from 'zod';

export const memoryParams = z.object({
  availableBytes: z.number().nullable(),
  totalBytes: z.number().nullable(),
  availablePercent: z.number(),
  pressureSomeAvg10: z.number().nullable(),
  estimated: z.boolean(),
  largestProcess: z.object({ pid: z.number(), program: z.string(), rssKiB: z.number().nullable() }).nullable(),
  at: z.string().nullable(),
});
