// The params of a service.watchdog-timeout finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const watchdogTimeoutParams = z.object({
  unit: z.string(),
  timeouts: z.number(),
  watchdogSec: z.nullable(z.string()),
  first: z.nullable(z.string()),
  /** the unit's Result= at collection was watchdog (absent from older analyses) */
  resultAtCollection: z.optional(z.boolean()),
});
