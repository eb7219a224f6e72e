// The params of a service.start-limit-hit finding (analysis JSON findings[].params).
import { z } from 'zod';

export const startLimitHitParams = z.object({
  unit: z.string(),
  at: z.string().nullable(),
  startLimitBurst: z.number().nullable(),
  startLimitIntervalSec: z.number().nullable(),
  activeState: z.string().nullable(),
});
