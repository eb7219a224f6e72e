// commands/health-probes.json: the collector's own GET of each health URL,
// from the device (127.0.0.1 means the device itself). A probe that gets no
// answer is evidence too, so every probe is recorded.
import { InputError } from '../errors.js';

export interface Probe {
  url: string;
  status: number | null;
  ms: number | null;
  error: string | null;
  at: string;
}

export function checkHealthUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--health-url ${url}: not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`--health-url ${url}: only http and https URLs can be probed`);
}

function describe(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err?.message ?? String(e);
}

export async function probe(url: string, timeoutMs: number, formatTime: (ms: number) => string): Promise<Probe> {
  const startedAt = Date.now();
  try {
    // Redirects are not followed: a health endpoint that redirects (to a login page) says so by its status.
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    // The body is not needed, but reading it ends the connection cleanly.
    await res.arrayBuffer().catch(() => undefined);
    return { url, status: res.status, ms: Date.now() - startedAt, error: null, at: formatTime(startedAt) };
  } catch (e) {
    return { url, status: null, ms: Date.now() - startedAt, error: describe(e, timeoutMs), at: formatTime(startedAt) };
  }
}
