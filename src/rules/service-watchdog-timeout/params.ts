// The params of a service.watchdog-timeout finding (analysis JSON findings[].params).
import { z } from 'zod';

export const watchdogTimeoutParams = z.object({
  unit: z.string(),
  timeouts: z.number(),
  watchdogSec: z.string().nullable(),
  first: z.string().nullable(),
  /** the unit's Result= at collection was watchdog (absent from older analyses) */
  resultAtCollection: z.boolean().optional(),
});
