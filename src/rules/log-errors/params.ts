// The params of a log.errors finding (analysis JSON findings[].params): one source's error
// lines, or (leftOutSources) the sources past the grouping limit counted together.
import * as z from '../../zod.js';

export const logErrorsParams = z.object({
  source: z.optional(z.string()),
  count: z.number(),
  noise: z.number(),
  undated: z.number(),
  noiseReasons: z.optional(z.array(z.string())),
  first: z.optional(z.nullable(z.string())),
  last: z.optional(z.nullable(z.string())),
  leftOutSources: z.optional(z.number()),
  sourcesAtLeast: z.optional(z.boolean()),
  groupLimit: z.optional(z.number()),
});
