// The fleet's picture: hosts in different zones line up on absolute time, shared windows are
// the outage groups of two hosts or more, and at most a dozen rows are drawn.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Analysis } from '../../src/analysis/schema.js';
import { buildFleetSummary, digestAnalysis } from '../../src/fleet/summary.js';
import { MAX_FLEET_ROWS } from '../../src/fleet/picture.js';
import { Translator } from '../../src/report/i18n.js';
import { fleetPictureGantt, fleetPictureSvg } from '../../src/report/fleet/picture.js';
import { analyzeSample, NOW } from '../report/render.js';
import { inUtc, ganttProblems } from '../helpers/picture.js';
import { xmlProblems } from '../helpers/xml.js';

const twin = (a: Analysis, name: string, utc: boolean) => {
  const b = { ...a, host: name, hostInfo: { ...a.hostInfo!, hostname: name, ...(utc ? { timezone: 'UTC', utcOffset: '+00:00' } : {}) } };
  return utc ? inUtc(b) : b;
};

describe('fleet picture', () => {
  let seed: Analysis;
  beforeAll(async () => {
    seed = await analyzeSample('seed-incident');
  });

  it('a +03:00 host and a UTC host down at the same instants share one window, in UTC', () => {
    const s = buildFleetSummary([digestAnalysis(seed), digestAnalysis(twin(seed, 'charger-02', true))], { inputs: ['a', 'b'], outageGapSeconds: 300, now: NOW });
    const p = s.picture!;
    expect(p.start).toBe('2025-12-09T22:00:00Z');
    expect(p.end).toBe('2025-12-09T22:15:00Z');
    expect(p.windows).toEqual([{ from: '2025-12-09T22:10:00Z', to: '2025-12-09T22:12:00Z', hosts: 2 }]);
    expect(p.rows.map((r) => r.down)).toEqual([
      [{ from: '2025-12-09T22:09:58Z', to: '2025-12-09T22:12:02Z' }],
      [{ from: '2025-12-09T22:09:58Z', to: '2025-12-09T22:12:02Z' }],
    ]);
    // The digest keeps each host's own offset; the picture converts.
    expect(s.hosts.find((h) => h.label === 'charger-02')!.down).toEqual([{ from: '2025-12-09T22:09:58+00:00', to: '2025-12-09T22:12:02+00:00' }]);
    const t = new Translator('en');
    expect(xmlProblems(fleetPictureSvg(p, t))).toEqual([]);
    expect(ganttProblems(fleetPictureGantt(p, t))).toEqual([]);
  });

  it('draws a dozen hosts and names the rest', () => {
    const hosts = Array.from({ length: MAX_FLEET_ROWS + 3 }, (_, i) => digestAnalysis(twin(seed, `charger-${String(i).padStart(2, '0')}`, false)));
    const p = buildFleetSummary(hosts, { inputs: ['x'], outageGapSeconds: 300, now: NOW }).picture!;
    expect(p.rows).toHaveLength(MAX_FLEET_ROWS);
    expect(p.rowsLeftOut).toHaveLength(3);
    expect(p.windows[0]!.hosts).toBe(MAX_FLEET_ROWS + 3);
  });

  it('no picture when no host was down', async () => {
    const healthy = await analyzeSample('healthy');
    expect(buildFleetSummary([digestAnalysis(healthy)], { inputs: ['h'], outageGapSeconds: 300, now: NOW }).picture).toBeUndefined();
  });
});
