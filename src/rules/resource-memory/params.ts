// The params of a resource.memory finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const memoryParams = z.object({
  availableBytes: z.nullable(z.number()),
  totalBytes: z.nullable(z.number()),
  availablePercent: z.number(),
  pressureSomeAvg10: z.nullable(z.number()),
  estimated: z.boolean(),
  largestProcess: z.nullable(z.object({ pid: z.number(), program: z.string(), rssKiB: z.nullable(z.number()) })),
  at: z.nullable(z.string()),
});
