// The params of a log.errors finding (analysis JSON findings[].params): one source's error
// lines, or (leftOutSources) the sources past the grouping limit counted together.
import { z } from 'zod';

export const logErrorsParams = z.object({
  source: z.string().optional(),
  count: z.number(),
  noise: z.number(),
  undated: z.number(),
  noiseReasons: z.array(z.string()).optional(),
  first: z.string().nullable().optional(),
  last: z.string().nullable().optional(),
  leftOutSources: z.number().optional(),
  sourcesAtLeast: z.boolean().optional(),
  groupLimit: z.number().optional(),
});
