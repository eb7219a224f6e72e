// The params of a service.watchdog-timeout finding (analysis JSON findings[].params).
import { z } from 'zod';

export const watchdogTimeoutParams = z.object({
  unit: z.string(),
  timeouts: z.number(),
  watchdogSec: z.string().nullable(),
  first: z.string().nullable(),
  resultAtCollection: z.boolean(),
});
