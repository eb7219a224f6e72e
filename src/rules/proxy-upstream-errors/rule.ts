// proxy.upstream-errors: visitors got 502/503/504 because the app behind the proxy was gone.
import type { RuleFinding } from '../types.js';
import type { ProxyEventFact } from '../../facts/types.js';
import { quote, spread } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { code, codes, md, time, yes } from '../describe-kit.js';
import { proxyParams } from './params.js';
import { messages } from './messages.js';

/** The kinds of proxy error the report names (report catalogue proxyKind.*). */
const PROXY_KINDS = ['upstream-refused', 'upstream-timeout', 'upstream-error', 'http-5xx'];

export const rule = defineRule({
  id: 'proxy.upstream-errors',
  severity: 'warning',
  needs: ['proxy-log'],
  summary: 'A reverse proxy or tunnel could not reach its upstream, or answered 502/503/504',
  docs: `Fires per proxy (nginx, ngrok) when, inside the window, its logs show it could not reach the
application behind it: ngrok's "failed to open private leg ... connection refused" (visitors get 502
ERR_NGROK_8012), nginx error.log "connect() failed (111: Connection refused) while connecting to
upstream", "upstream timed out", or access.log lines with status 502, 503 or 504. These lines are the
best clock of an outage: first and last give its start and end.
Counts: "count" is the proxy's log lines; "failedRequests" counts each failed request once, and
"failedRequestsFrom" says how: "gateway-answers" when the proxy logged its 502/503/504 answers (an
access.log line is one request; the error.log lines about it are not counted again), otherwise
"upstream-failures" (its error lines, one per connection, request and second: nginx logs a line per
upstream address it tried, ngrok one per connection id).
Ignores: 500 answers (the application answered), proxy lines outside the window.
Fix: the upstream's own cause (an unmanaged or crashed process); then health checks so it is
restarted before visitors notice.`,
  params: proxyParams,
  messages,
  countsLines: true,
  describe(p, { t, f, k }) {
    const state: string[] = [];
    const upstreams = p.upstreams;
    const statuses = p.statuses.map(String);
    if (p.kinds.length) state.push(k('state.kinds', { kinds: md(p.kinds.map((x) => t.t(`proxyKind.${PROXY_KINDS.includes(x) ? x : 'other'}`)).join(', ')) }));
    if (statuses.length) state.push(k('state.statuses', { statuses: codes(statuses) }));
    if (p.sources.length) state.push(k('state.sources', { sources: codes(p.sources) }));
    // Each failed request once (failedRequests); analyses made before it existed have only the line count.
    const failed = p.failedRequests ?? null;
    if (failed !== null) state.push(k('state.counted', { n: failed, from: md(p.failedRequestsFrom === 'gateway-answers' ? 'answers' : 'failures'), lines: p.count }));
    return {
      title: k(upstreams.length ? 'title' : 'titleNoUpstream', { proxy: p.proxy || f.subject, upstreams: codes(upstreams), n: failed ?? p.count, first: time(p.first), last: time(p.last) }),
      state,
      fix: k('fix', { upstreams: upstreams.length ? codes(upstreams) : md(code(f.subject)), hasUpstream: yes(upstreams.length > 0) }),
    };
  },
  run(facts) {
    const byProxy = new Map<string, ProxyEventFact[]>();
    for (const e of facts.proxyEvents) {
      if (!facts.inWindow(e.at.epochMs)) continue;
      byProxy.set(e.proxy, [...(byProxy.get(e.proxy) ?? []), e]);
    }
    const findings: RuleFinding<z.input<typeof proxyParams>>[] = [];
    for (const [proxy, events] of [...byProxy].sort(([a], [b]) => a.localeCompare(b))) {
      events.sort((a, b) => (a.at.epochMs ?? 0) - (b.at.epochMs ?? 0));
      const total = facts.proxyTimes.filter((t) => t.proxy === proxy).length || events.length;
      const counted = facts.proxyRequests.get(proxy);
      const byAnswers = counted !== undefined && counted.answers > 0;
      const failedRequests = counted ? (byAnswers ? counted.answers : counted.failures) : total;
      const failedRequestsFrom = byAnswers ? 'gateway-answers' : 'upstream-failures';
      const upstreams = [...new Set(events.map((e) => e.upstream).filter((u): u is string => !!u))].sort();
      const kinds = [...new Set(events.map((e) => e.kind))].sort();
      const statuses = [...new Set(events.map((e) => e.status).filter((s): s is number => s !== undefined))].sort();
      const first = events[0]!;
      const last = events[events.length - 1]!;
      findings.push({
        subject: proxy,
        params: {
          proxy,
          upstreams,
          kinds,
          statuses,
          count: total,
          failedRequests,
          failedRequestsFrom,
          first: facts.fmt(first.at.epochMs),
          last: facts.fmt(last.at.epochMs),
          sources: [...new Set(events.map((e) => e.at.source))].sort(),
        },
        evidence: quote(facts, spread(events, 8).map((e) => e.at)),
      });
    }
    return findings;
  },
});
