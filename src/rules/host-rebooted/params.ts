// The params of a host.rebooted finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const rebootedParams = z.object({
  bootId: z.nullable(z.string()),
  at: z.nullable(z.string()),
  current: z.boolean(),
  /** the most trustworthy source that placed the boot, and every source that did (absent from older analyses) */
  decidedBy: z.optional(z.string()),
  sources: z.optional(z.array(z.string())),
});
