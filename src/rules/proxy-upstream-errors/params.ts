// The params of a proxy.upstream-errors finding (analysis JSON findings[].params).
import * as z from '../../zod.js';

export const proxyParams = z.object({
  proxy: z.string(),
  upstreams: z.array(z.string()),
  kinds: z.array(z.string()),
  statuses: z.array(z.number()),
  /** log lines */
  count: z.number(),
  /** each failed request once; analyses made before it existed have only the line count */
  failedRequests: z.optional(z.number()),
  failedRequestsFrom: z.optional(z.enum(['gateway-answers', 'upstream-failures'])),
  first: z.nullable(z.string()),
  last: z.nullable(z.string()),
  sources: z.array(z.string()),
});
export type ProxyParams = z.output<typeof proxyParams>;
