// The params of a service.no-health-check finding (analysis JSON findings[].params).
import { z } from 'zod';

export const noHealthCheckParams = z.object({
  unit: z.string(),
  ports: z.array(z.string()),
  watchdogSec: z.string().nullable(),
  timersSearched: z.number(),
  cronEntriesSearched: z.number(),
  execStartPost: z.array(z.string()),
  restart: z.string().nullable(),
  execStart: z.string().nullable(),
  /** scripts of timers and cron lines read for a probe of this unit, and why one could not be read (absent from older analyses) */
  scriptsRead: z.array(z.object({ path: z.string(), via: z.string(), source: z.string().nullable().optional(), unread: z.string().nullable().optional() })).optional(),
});
export type NoHealthCheckParams = z.output<typeof noHealthCheckParams>;
