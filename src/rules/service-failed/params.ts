// The params of a service.failed finding (analysis JSON findings[].params).
import { z } from 'zod';

export const failedParams = z.object({
  unit: z.string(),
  failures: z.number(),
  results: z.array(z.string()),
  failedAtCollection: z.boolean(),
  first: z.string().nullable(),
  last: z.string().nullable(),
});
