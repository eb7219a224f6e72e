// The params of a journal.volatile finding (analysis JSON findings[].params).
import { z } from 'zod';

export const volatileParams = z.object({
  storage: z.string(),
  configured: z.string().nullable(),
  reason: z.string(),
});
