// The params of a service.no-health-check finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const noHealthCheckParams = z.object({
  unit: z.string(),
  ports: z.array(z.string()),
  watchdogSec: z.nullable(z.string()),
  timersSearched: z.number(),
  cronEntriesSearched: z.number(),
  execStartPost: z.array(z.string()),
  restart: z.nullable(z.string()),
  execStart: z.nullable(z.string()),
  /** scripts of timers and cron lines read for a probe of this unit, and why one could not be read (absent from older analyses) */
  scriptsRead: z.optional(z.array(z.object({ path: z.string(), via: z.string(), source: z.optional(z.nullable(z.string())), unread: z.optional(z.nullable(z.string())) }))),
});
export type NoHealthCheckParams = z.output<typeof noHealthCheckParams>;
