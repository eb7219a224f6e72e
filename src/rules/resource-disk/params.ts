// The params of a resource.disk finding (analysis JSON findings[].params).
import { z } from 'zod';

export const diskParams = z.object({
  mountpoint: z.string(),
  filesystem: z.string().nullable(),
  type: z.string().nullable(),
  kind: z.enum(['bytes', 'inodes']),
  usePercent: z.number(),
  used: z.number().nullable(),
  size: z.number().nullable(),
  available: z.number().nullable(),
  at: z.string().nullable(),
});
