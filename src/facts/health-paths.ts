// HTTP requests to health-like endpoints seen in access logs (nginx combined,
// uvicorn's `"GET /api/health HTTP/1.1" 200`), so that a health check can be
// proposed for a URL the service is known to answer. Bounded: a few sources,
// a few paths each, counts in full.
import type { LogRecord } from '../parse/types.js';
import type { Line } from './types.js';

export interface HealthPathFact {
  /** bundle path of the log that showed the request */
  source: string;
  /** the unit whose journal lines showed it (uvicorn under systemd logs to the journal) */
  unit: string | null;
  /** the program that wrote the line: nginx, uvicorn, ... */
  identifier: string | null;
  method: string;
  /** path without its query string */
  path: string;
  count: number;
  /** HTTP status → how many times */
  statuses: Record<string, number>;
  /** the last 2xx answer, else the last line seen */
  last: Line;
  lastStatus: string;
}

/**
 * Every request line HealthPathScanner counts holds REQUEST_WORD and one of
 * HEALTH_WORDS (any case): the journal's quiet-line filter forwards only lines
 * holding both (parse/journal-quiet.ts); test/classify/filter-words.test.ts checks it.
 */
export const HEALTH_REQUEST_WORD = 'http/';
export const HEALTH_WORDS: readonly string[] = ['health', 'status', 'ping'];

// The quoted request of both nginx's combined format and uvicorn's access log.
const REQUEST = /"(GET|HEAD) (\/[^\s"?#]*)(?:[?#][^\s"]*)? HTTP\/\d(?:\.\d)?" (\d{3})\b/;
// The last segment decides: /health, /api/health, /healthz, /v1/status, /ping.
const HEALTH_SEGMENT = /\/(health|healthz|status|ping)\/?$/i;

const MAX_SOURCES = 32;
const MAX_PATHS_PER_SOURCE = 8;

export class HealthPathScanner {
  private readonly bySource = new Map<string, Map<string, HealthPathFact>>();

  add(r: LogRecord, ms: number | null): void {
    if (!r.text.includes('HTTP/')) return;
    const m = REQUEST.exec(r.text);
    if (!m || !HEALTH_SEGMENT.test(m[2]!)) return;
    const key = r.unit ? `${r.source}\0${r.unit}` : r.source;
    let paths = this.bySource.get(key);
    if (!paths) {
      if (this.bySource.size >= MAX_SOURCES) return;
      paths = new Map();
      this.bySource.set(key, paths);
    }
    const method = m[1]!;
    const path = m[2]!;
    const status = m[3]!;
    const line: Line = { source: r.source, line: r.line, epochMs: ms, text: r.text };
    let f = paths.get(`${method} ${path}`);
    if (!f) {
      if (paths.size >= MAX_PATHS_PER_SOURCE) return;
      f = { source: r.source, unit: r.unit ?? null, identifier: r.identifier ?? null, method, path, count: 0, statuses: {}, last: line, lastStatus: status };
      paths.set(`${method} ${path}`, f);
    }
    f.count++;
    f.statuses[status] = (f.statuses[status] ?? 0) + 1;
    if (status.startsWith('2') || !f.lastStatus.startsWith('2')) {
      f.last = line;
      f.lastStatus = status;
    }
  }

  results(): HealthPathFact[] {
    return [...this.bySource.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => a.source.localeCompare(b.source) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
