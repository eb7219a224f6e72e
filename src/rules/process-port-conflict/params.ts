// The params of a process.port-conflict finding (analysis JSON findings[].params): a bind
// failure on a port (address, port, holder, ...) or one program started twice (duplicates).
import { z } from 'zod';

export const portConflictParams = z.object({
  address: z.string().nullable(),
  port: z.union([z.number(), z.string()]).nullable(),
  failures: z.number(),
  loggedBy: z.array(z.string()).optional(),
  holder: z.string().nullable().optional(),
  holderUnit: z.string().nullable().optional(),
  holderPid: z.number().nullable().optional(),
  failedUnits: z.array(z.string()).optional(),
  portFrom: z.string().nullable().optional(),
  duplicates: z.array(z.string()),
  command: z.string().optional(),
  pids: z.array(z.number()).optional(),
  cgroups: z.array(z.string().nullable()).optional(),
});
