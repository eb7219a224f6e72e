// The params of a proxy.upstream-errors finding (analysis JSON findings[].params).
import { z } from 'zod';

export const proxyParams = z.object({
  proxy: z.string(),
  upstreams: z.array(z.string()),
  kinds: z.array(z.string()),
  statuses: z.array(z.number()),
  /** log lines */
  count: z.number(),
  /** each failed request once; analyses made before it existed have only the line count */
  failedRequests: z.number().optional(),
  failedRequestsFrom: z.enum(['gateway-answers', 'upstream-failures']).optional(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  sources: z.array(z.string()),
});
export type ProxyParams = z.output<typeof proxyParams>;
