// The params of a process.unmanaged finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const unmanagedParams = z.object({
  pid: z.number(),
  program: z.string(),
  user: z.string(),
  command: z.string(),
  cgroup: z.nullable(z.string()),
  /** the service or scope the cgroup names */
  scope: z.nullable(z.string()),
  category: z.string(),
  ports: z.array(z.string()),
  workers: z.array(z.number()),
  cwd: z.nullable(z.string()),
  exe: z.nullable(z.string()),
  stdout: z.nullable(z.string()),
  startedAt: z.nullable(z.string()),
  suggestedUnit: z.string(),
  listenersKnown: z.optional(z.boolean()),
});
export type UnmanagedParams = z.output<typeof unmanagedParams>;
