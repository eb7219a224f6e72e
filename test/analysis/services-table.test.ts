// The services of the analysis (the report's "Servers and site-local services" table): servers and
// long-running site-local services, not the oneshots a timer starts.
import { describe, it, expect } from 'vitest';
import { analyzeSample } from '../report/render.js';

describe('analysis services', () => {
  it('samples/healthy: the oneshot health check charger-api-health.service is not listed as a server; the API lists it as its check', async () => {
    const a = await analyzeSample('healthy');
    expect(a.services.map((s) => s.name)).toEqual(['charger', 'charger-api', 'nginx', 'ssh']);
    const api = a.services.find((s) => s.unit === 'charger-api.service')!;
    expect(api.healthChecks.some((h) => h.includes('charger-api-health.timer → charger-api-health.service'))).toBe(true);
  });
});
