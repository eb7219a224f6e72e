// The params of a service.restart-loop finding (analysis JSON findings[].params).
import { z } from 'zod';

export const restartLoopParams = z.object({
  unit: z.string(),
  restarts: z.number(),
  maxCounter: z.number().nullable(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  exitStatuses: z.array(z.string()),
});
