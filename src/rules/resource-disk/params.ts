// The params of a resource.disk finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const diskParams = z.object({
  mountpoint: z.string(),
  filesystem: z.nullable(z.string()),
  type: z.nullable(z.string()),
  kind: z.enum(['bytes', 'inodes']),
  usePercent: z.number(),
  used: z.nullable(z.number()),
  size: z.nullable(z.number()),
  available: z.nullable(z.number()),
  at: z.nullable(z.string()),
});
