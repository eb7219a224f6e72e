// The params of a service.no-restart finding (analysis JSON findings[].params).
import { z } from 'zod';

export const noRestartParams = z.object({
  unit: z.string(),
  restart: z.string(),
  restartExplicit: z.boolean(),
  fragment: z.string().nullable(),
  dropins: z.array(z.string()),
  exitedInWindow: z.number(),
  lastExit: z.string().nullable(),
  user: z.string().nullable(),
  execStart: z.string().nullable(),
});
export type NoRestartParams = z.output<typeof noRestartParams>;
