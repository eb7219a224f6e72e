// Signs that a reverse proxy or tunnel (nginx, ngrok) could not reach the
// application behind it, from its own lines only: an app that logs the number
// 502 is not a proxy error.
import { LogRecord } from '../parse/types.js';
import { nginxAccessStatus } from '../parse/app-log.js';
import { parseLogfmt } from '../parse/logfmt.js';

export interface ProxyEvent {
  proxy: 'nginx' | 'ngrok';
  kind: 'upstream-refused' | 'upstream-timeout' | 'upstream-error' | 'http-5xx';
  /** "127.0.0.1:8000" */
  upstream?: string;
  status?: number;
  /**
   * What the line is about, for counting each failed request once: nginx's connection number,
   * client and request line; ngrok's connection id. Absent for a gateway answer (one access-log
   * line is one request) and for lines that name neither.
   */
  about?: string;
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Texts (any case) of which every line of nginx (or ngrok) that classifyProxy
 * classifies holds at least one, as long as the line holds no backslash
 * (which logfmt or JSON could unescape into one): the journal's quiet-line
 * filter forwards the proxies' other lines only when they could settle a
 * recovery (parse/journal-quiet.ts); test/classify/filter-words.test.ts checks it.
 */
export const NGINX_EVENT_WORDS: readonly string[] = ['upstream', 'while', ...[...GATEWAY_STATUSES].map(String)];
export const NGROK_EVENT_WORDS: readonly string[] = ['failed to open private leg', 'err_ngrok_8012', 'status'];

function proxyOf(r: LogRecord): 'nginx' | 'ngrok' | null {
  const id = (r.identifier ?? '').toLowerCase();
  if (id === 'nginx' || id === 'ngrok') return id;
  // Journal lines whose identifier is a wrapper but whose unit is the proxy's own.
  const unit = (r.unit ?? '').toLowerCase();
  const m = /^(nginx|ngrok)(?:[-_@][\w@.-]*)?\.service$/.exec(unit);
  return m ? (m[1] as 'nginx' | 'ngrok') : null;
}

/** host:port out of an nginx upstream URL ("http://127.0.0.1:8000/api", "http://unix:/run/app.sock:/api"). */
function upstreamFromUrl(url: string): string | undefined {
  const unix = /^\w+:\/\/(unix:[^:]+)/.exec(url);
  if (unix) return unix[1];
  const m = /^\w+:\/\/([^/]+)/.exec(url);
  return m ? m[1] : undefined;
}

function withUpstream(e: ProxyEvent, upstream: string | undefined): ProxyEvent {
  if (upstream) e.upstream = upstream;
  return e;
}

// Ordered: the first that matches decides the kind.
const NGINX_UPSTREAM: [RegExp, ProxyEvent['kind']][] = [
  [/connect\(\) (?:to \S+ )?failed \(111: Connection refused\) while connecting to upstream/, 'upstream-refused'],
  [/upstream timed out \(110: [^)]*\)/, 'upstream-timeout'],
  [/connect\(\) (?:to \S+ )?failed \(110: [^)]*\) while connecting to upstream/, 'upstream-timeout'],
  [/no live upstreams while connecting to upstream/, 'upstream-error'],
  [/upstream prematurely closed connection/, 'upstream-error'],
  [/upstream sent (?:too big header|invalid header|invalid status|no valid HTTP\/1\.0 header)/, 'upstream-error'],
  [/\w+\(\) (?:to \S+ )?failed \(\d+: [^)]*\) while (?:connecting to|reading response header from|sending request to|reading upstream)/, 'upstream-error'],
];

function classifyNginx(text: string): ProxyEvent | null {
  const status = nginxAccessStatus(text);
  if (status !== null) return GATEWAY_STATUSES.has(status) ? { proxy: 'nginx', kind: 'http-5xx', status } : null;
  for (const [re, kind] of NGINX_UPSTREAM) {
    if (re.test(text)) {
      const url = /\bupstream: "([^"]*)"/.exec(text);
      const e = withUpstream({ proxy: 'nginx', kind }, url ? upstreamFromUrl(url[1]!) : undefined);
      // One request tried on several upstream addresses ("localhost" is ::1 and 127.0.0.1) logs a
      // line per address, all with the same connection number and request.
      const conn = /(?:\d+#\d+: |^)\*(\d+) /.exec(text);
      if (conn) {
        const client = /, client: ([^,]+)/.exec(text)?.[1] ?? '';
        const request = /, request: "([^"]*)"/.exec(text)?.[1] ?? '';
        e.about = `*${conn[1]} ${client} ${request}`;
      }
      return e;
    }
  }
  return null;
}

function ngrokFields(text: string): Record<string, string> {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as unknown;
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
          if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
        return out;
      }
    } catch {
      // not JSON after all: read it as logfmt below
    }
  }
  return parseLogfmt(t);
}

function ngrokKind(err: string): ProxyEvent['kind'] {
  if (/connection refused|actively refused/i.test(err)) return 'upstream-refused';
  if (/i\/o timeout|timed out|deadline exceeded/i.test(err)) return 'upstream-timeout';
  return 'upstream-error';
}

function classifyNgrok(text: string): ProxyEvent | null {
  const f = ngrokFields(text);
  const msg = f.msg ?? text;
  const err = f.err ?? '';
  if (/failed to open private leg/.test(msg) || /ERR_NGROK_8012/.test(text)) {
    // The dial error names the address really tried (localhost resolved); privaddr is the configured one.
    const dial = /dial (?:tcp[46]?|unix) (\S+?):? (?:connect|i\/o|connection|getsockopt|dial)/.exec(err || text);
    const upstream = dial?.[1] ?? f.privaddr ?? f.addr;
    const e = withUpstream({ proxy: 'ngrok', kind: ngrokKind(err || text) }, upstream);
    if (f.id) e.about = `id ${f.id}`;
    return e;
  }
  const status = f.status !== undefined ? Number(f.status) : NaN;
  if (GATEWAY_STATUSES.has(status)) return { proxy: 'ngrok', kind: 'http-5xx', status };
  return null;
}

/**
 * A proxy-side upstream failure, or null. r.identifier (or the unit) says
 * which program wrote the line, so file lines and journal lines are judged
 * alike.
 */
export function classifyProxy(r: LogRecord): ProxyEvent | null {
  const proxy = proxyOf(r);
  if (proxy === 'nginx') return classifyNginx(r.text);
  if (proxy === 'ngrok') return classifyNgrok(r.text);
  return null;
}
