// The params of a journal.volatile finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const volatileParams = z.object({
  storage: z.string(),
  configured: z.nullable(z.string()),
  reason: z.string(),
});
