// The params of a service.restart-loop finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const restartLoopParams = z.object({
  unit: z.string(),
  restarts: z.number(),
  maxCounter: z.nullable(z.number()),
  first: z.nullable(z.string()),
  last: z.nullable(z.string()),
  exitStatuses: z.array(z.string()),
});
