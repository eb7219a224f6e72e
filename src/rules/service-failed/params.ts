// The params of a service.failed finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const failedParams = z.object({
  unit: z.string(),
  failures: z.number(),
  results: z.array(z.string()),
  failedAtCollection: z.boolean(),
  first: z.nullable(z.string()),
  last: z.nullable(z.string()),
});
