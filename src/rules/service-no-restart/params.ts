// The params of a service.no-restart finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const noRestartParams = z.object({
  unit: z.string(),
  restart: z.string(),
  restartExplicit: z.boolean(),
  fragment: z.nullable(z.string()),
  dropins: z.array(z.string()),
  exitedInWindow: z.number(),
  lastExit: z.nullable(z.string()),
  user: z.nullable(z.string()),
  execStart: z.nullable(z.string()),
});
export type NoRestartParams = z.output<typeof noRestartParams>;
