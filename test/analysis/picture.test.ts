// The picture's lanes and spans, from the samples: what each part of the device was doing.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { AnalysisSchema, type Analysis, type Picture } from '../../src/analysis/schema.js';
import { analyzeSample } from '../helpers/bundle.js';

const analyze = analyzeSample;

const lane = (p: Picture, id: string) => p.lanes.find((l) => l.id === id || l.label === id);
const hms = (iso: string) => iso.slice(11, 19);

describe('picture: seed-incident', () => {
  let p: Picture;
  beforeAll(async () => {
    const a = await analyze('seed-incident');
    AnalysisSchema.parse(a);
    p = a.picture!;
  });

  it('spans the window in the device offset', () => {
    expect(p.start).toBe('2025-12-10T01:00:00+03:00');
    expect(p.end).toBe('2025-12-10T01:15:00+03:00');
    expect(p.offset).toBe('+03:00');
    expect(p.outage).toMatchObject({ from: '2025-12-10T01:10:00+03:00', to: '2025-12-10T01:12:00+03:00', durationSeconds: 120 });
  });

  it('draws the hand-started API down from the session ending to its new start, and first', () => {
    const api = lane(p, 'charger-api')!;
    expect(api.kind).toBe('process');
    expect(p.lanes[0]).toBe(api);
    expect(api.spans.map((s) => [s.state, hms(s.from), hms(s.to)])).toEqual([
      ['running', '01:00:00', '01:09:58'],
      ['down', '01:09:58', '01:12:02'],
      ['running', '01:12:02', '01:15:00'],
    ]);
    const down = api.spans[1]!;
    expect(down.evidence).toContainEqual({ source: 'commands/journal.jsonl', line: 14 });
    expect(down.evidence).toContainEqual({ source: 'commands/ps.txt', line: 106 });
  });

  it("shows ngrok's failed requests as density on its unit's lane, every request counted", () => {
    const ngrok = lane(p, 'ngrok.service')!;
    expect(ngrok.kind).toBe('proxy');
    const failed = ngrok.marks.filter((m) => m.kind === 'failed-requests');
    expect(failed.reduce((n, m) => n + m.count, 0)).toBe(24);
    expect(hms(failed[0]!.at)).toBe('01:10:00');
    expect(hms(failed[failed.length - 1]!.at)).toBe('01:12:00');
    expect(failed[0]!.evidence[0]).toEqual({ source: 'files/var/log/ngrok/ngrok.log', line: 124 });
    for (const m of failed) expect(m.evidence[0]!.source).toBe('files/var/log/ngrok/ngrok.log');
  });

  it('marks the login and the collection', () => {
    expect(lane(p, 'logins')!.marks).toEqual([{ at: '2025-12-10T01:11:35+03:00', kind: 'login', count: 1, evidence: [{ source: 'commands/journal.jsonl', line: 66 }] }]);
    expect(lane(p, 'device')!.marks.map((m) => [m.kind, hms(m.at)])).toEqual([['collection', '01:15:00']]);
  });

  it('every mark has its evidence line', () => {
    for (const l of p.lanes) for (const m of l.marks) expect(m.evidence.length).toBeGreaterThan(0);
  });
});

describe('picture: other samples', () => {
  it('segfault-loop: crashes merged below the resolution with a count, the start limit, down to the end', async () => {
    const p = (await analyze('segfault-loop')).picture!;
    const unit = lane(p, 'charger.service')!;
    expect(unit.marks.filter((m) => m.kind === 'crash').reduce((n, m) => n + m.count, 0)).toBeGreaterThan(5);
    expect(unit.marks.some((m) => m.kind === 'crash' && m.count > 1)).toBe(true);
    expect(unit.marks.map((m) => m.kind)).toContain('start-limit');
    const last = unit.spans[unit.spans.length - 1]!;
    expect([last.state, last.to]).toEqual(['down', p.end]);
  });

  it('cgroup-oom: the OOM kill on the unit, nginx failed requests, the unit back running', async () => {
    const p = (await analyze('cgroup-oom')).picture!;
    const api = lane(p, 'charger-api.service')!;
    expect(api.marks.map((m) => m.kind)).toContain('oom-kill');
    expect(api.spans.map((s) => s.state)).toEqual(['running', 'down', 'restarting', 'running']);
    expect(lane(p, 'nginx')!.marks.every((m) => m.kind === 'failed-requests')).toBe(true);
  });

  it('volatile-kernlog: the reboot is marked', async () => {
    const p = (await analyze('volatile-kernlog')).picture!;
    expect(lane(p, 'device')!.marks.map((m) => m.kind)).toContain('reboot');
  });

  it('healthy: nothing happened, no picture', async () => {
    expect((await analyze('healthy')).picture).toBeUndefined();
  });
});

describe('picture of an analysis made before pictures were written into it', () => {
  it("the lab's seed incident: the hand-started server down from its session's end to its restart, nginx's failed requests, both logins", async () => {
    const { readFileSync } = await import('node:fs');
    const { pictureOf } = await import('../../src/analysis/picture.js');
    const a = AnalysisSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'lab', 'seed-incident', 'analysis.json'), 'utf8')));
    expect(a.picture).toBeUndefined();
    const p = pictureOf(a)!;
    expect(p.offset).toBe('+00:00');
    const server = lane(p, 'server')!;
    expect(server.kind).toBe('process');
    expect(server.spans.map((s) => [s.state, hms(s.from), hms(s.to)])).toEqual([
      ['running', '21:15:35', '21:15:40'],
      ['down', '21:15:40', '21:15:42'],
      ['running', '21:15:42', '21:15:47'],
    ]);
    expect(lane(p, 'nginx')!.marks.every((m) => m.kind === 'failed-requests' && m.evidence[0]!.source.startsWith('files/var/log/nginx/'))).toBe(true);
    expect(lane(p, 'logins')!.marks.map((m) => hms(m.at))).toEqual(['21:15:36', '21:15:43']);
  });

  it('the same lanes as from the bundle for seed-incident, coarser density', async () => {
    const { pictureFromAnalysis } = await import('../../src/analysis/picture.js');
    const a = await analyze('seed-incident');
    const { picture, causes: _causes, ...older } = a;
    const p = pictureFromAnalysis(older as Analysis)!;
    expect(p.lanes.map((l) => l.id)).toEqual(picture!.lanes.map((l) => l.id));
    expect(lane(p, 'charger-api')!.spans).toEqual(lane(picture!, 'charger-api')!.spans);
  });
});

describe('picture of a busy device', () => {
  it('at most a dozen lanes, the down ones first, the rest named', async () => {
    const { pictureFromAnalysis, MAX_LANES } = await import('../../src/analysis/picture.js');
    const a = await analyze('seed-incident');
    const extra = Array.from({ length: 14 }, (_, i) => `worker-${String(i).padStart(2, '0')}.service`);
    const busy: Analysis = {
      ...a,
      picture: undefined,
      services: [...a.services, ...extra.map((unit) => ({ ...a.services[0]!, name: unit.replace('.service', ''), unit, siteLocal: true, activeState: 'active' }))],
      timeline: [
        ...a.timeline,
        // one worker crashed; the others only started
        { time: '2025-12-10T01:05:00+03:00', source: 'commands/journal.jsonl', line: 900, kind: 'unit-failed', text: 'failed', subject: extra[13] },
        ...extra.map((unit, i) => ({ time: '2025-12-10T01:01:00+03:00', source: 'commands/journal.jsonl', line: 800 + i, kind: 'unit-started', text: 'Started', subject: unit })),
      ],
    };
    const p = pictureFromAnalysis(busy)!;
    expect(p.lanes).toHaveLength(MAX_LANES);
    expect(p.lanes.slice(0, 2).map((l) => l.label).sort()).toEqual(['charger-api', extra[13]]);
    expect(p.lanes[p.lanes.length - 1]!.kind).toBe('device');
    // site-local unit lanes, the hand-started API and the logins, less the eleven drawn beside the device
    expect(p.density.lanesLeftOut.length).toBe(busy.services.filter((s) => s.siteLocal).length + 2 - (MAX_LANES - 1));
    expect(p.density.lanesLeftOut.every((l) => l.startsWith('worker-'))).toBe(true);
  });
});
