// The params of a host.rebooted finding (analysis JSON findings[].params).
import { z } from 'zod';

export const rebootedParams = z.object({
  bootId: z.string().nullable(),
  at: z.string().nullable(),
  current: z.boolean(),
  /** the most trustworthy source that placed the boot, and every source that did (absent from older analyses) */
  decidedBy: z.string().optional(),
  sources: z.array(z.string()).optional(),
});
