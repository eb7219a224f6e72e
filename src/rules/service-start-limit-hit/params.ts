// The params of a service.start-limit-hit finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const startLimitHitParams = z.object({
  unit: z.string(),
  at: z.nullable(z.string()),
  startLimitBurst: z.nullable(z.number()),
  startLimitIntervalSec: z.nullable(z.number()),
  activeState: z.nullable(z.string()),
});
