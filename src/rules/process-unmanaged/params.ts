// The params of a process.unmanaged finding (analysis JSON findings[].params).
import { z } from 'zod';

export const unmanagedParams = z.object({
  pid: z.number(),
  program: z.string(),
  user: z.string(),
  command: z.string(),
  cgroup: z.string().nullable(),
  /** the service or scope the cgroup names */
  scope: z.string().nullable(),
  category: z.string(),
  ports: z.array(z.string()),
  workers: z.array(z.number()),
  cwd: z.string().nullable(),
  exe: z.string().nullable(),
  stdout: z.string().nullable(),
  startedAt: z.string().nullable(),
  suggestedUnit: z.string(),
  listenersKnown: z.boolean().optional(),
});
export type UnmanagedParams = z.output<typeof unmanagedParams>;
