// The params of a process.port-conflict finding (analysis JSON findings[].params): a bind
// failure on a port (address, port, holder, ...) or one program started twice (duplicates).
import * as z from '../../zod.js';

export const portConflictParams = z.object({
  address: z.nullable(z.string()),
  port: z.nullable(z.union([z.number(), z.string()])),
  failures: z.number(),
  loggedBy: z.optional(z.array(z.string())),
  holder: z.optional(z.nullable(z.string())),
  holderUnit: z.optional(z.nullable(z.string())),
  holderPid: z.optional(z.nullable(z.number())),
  failedUnits: z.optional(z.array(z.string())),
  portFrom: z.optional(z.nullable(z.string())),
  duplicates: z.array(z.string()),
  command: z.optional(z.string()),
  pids: z.optional(z.array(z.number())),
  cgroups: z.optional(z.array(z.nullable(z.string()))),
});
