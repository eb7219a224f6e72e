import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { ThresholdsSchema } from '../../src/config.js';
import { appEntry, at, jsonl, sd, serviceUnit, showAll, showService } from '../helpers/raw.js';

const leg = (hms: string) =>
  `t=2025-12-10T${hms}+0300 lvl=warn msg="failed to open private leg" id=6d3f7a1b2c4e privaddr=localhost:8000 err="dial tcp 127.0.0.1:8000: connect: connection refused"`;
const join = (hms: string) => `t=2025-12-10T${hms}+0300 lvl=info msg="join connections" obj=join id=2b7d1a0e5c3f l=127.0.0.1:8000 r=203.0.113.7:51234`;
const ngrokLog = (lines: string[]) => ({ 'files/var/log/ngrok.log': [...lines, ''].join('\n') });

const DESC = 'Charger OCPP client';
const CHARGER_UNIT = { 'files/etc/systemd/system/charger.service': serviceUnit({ description: DESC, execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', service: ['Restart=always'] }) };

describe('outage episodes', () => {
  it('splits down signals more than 5 minutes apart and picks the longest episode', async () => {
    // 01:01:00–01:01:30 (30 s), then 6 min 1 s of silence, then 01:07:31–01:10:31 (180 s).
    const a = await analyzeSpec({ files: ngrokLog([leg('01:01:00'), leg('01:01:30'), leg('01:07:31'), leg('01:09:00'), leg('01:10:31'), join('01:10:50')]) });
    expect(a.outages.map((o) => [o.start, o.end, o.durationSeconds])).toEqual([
      ['2025-12-10T01:01:00+03:00', '2025-12-10T01:01:30+03:00', 30],
      ['2025-12-10T01:07:31+03:00', '2025-12-10T01:10:31+03:00', 180],
    ]);
    expect(a.outage).toMatchObject({
      start: '2025-12-10T01:07:31+03:00',
      end: '2025-12-10T01:10:31+03:00',
      durationSeconds: 180,
      basis: ['proxy.upstream-errors'],
      recoveredAt: '2025-12-10T01:10:50+03:00',
      signals: 3,
    });
    expect(a.outage!.evidence).toEqual([
      { source: 'files/var/log/ngrok.log', line: 3, time: '2025-12-10T01:07:31+03:00', text: leg('01:07:31') },
      { source: 'files/var/log/ngrok.log', line: 5, time: '2025-12-10T01:10:31+03:00', text: leg('01:10:31') },
    ]);
    // The first episode had no "join connections" before the next error: no recovery for it.
    expect(a.outages[0]!.recoveredAt).toBeNull();
  });

  it('keeps signals exactly 5 minutes apart in one episode', async () => {
    const a = await analyzeSpec({ files: ngrokLog([leg('01:01:00'), leg('01:06:00')]) });
    expect(a.outages).toHaveLength(1);
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:01:00+03:00', end: '2025-12-10T01:06:00+03:00', durationSeconds: 300 });
  });

  it('follows a configured gap', async () => {
    const a = await analyzeSpec({ files: ngrokLog([leg('01:01:00'), leg('01:03:00')]) }, { thresholds: ThresholdsSchema.parse({ outageGapSeconds: 60 }) });
    expect(a.outages).toHaveLength(2);
  });

  it('is null when nothing shows one', async () => {
    const api = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 1877 };
    const a = await analyzeSpec({
      files: {
        ...CHARGER_UNIT,
        ...ngrokLog([join('01:02:00'), join('01:08:00')]),
        'commands/journal.jsonl': jsonl([appEntry(api, 'INFO:     127.0.0.1:51234 - "GET /api/status HTTP/1.1" 200 OK', at('01:05:00')), sd.started('charger.service', DESC, at('01:03:00'))]),
      },
    });
    expect(a.outage).toBeNull();
    expect(a.outages).toEqual([]);
  });

  it('ignores down signals outside the window', async () => {
    const a = await analyzeSpec({ files: ngrokLog([leg('00:50:00'), leg('00:55:00'), leg('01:16:00')]) });
    expect(a.outage).toBeNull();
  });
});

describe('service-down signals', () => {
  it('a site-local service is down from its failure to its next start', async () => {
    const journal = jsonl([
      sd.mainExited('charger.service', at('01:05:00'), 'exited', '1/FAILURE'),
      sd.failed('charger.service', 'exit-code', at('01:05:00')),
      sd.restartScheduled('charger.service', 1, at('01:06:30')),
      sd.stopped('charger.service', DESC, at('01:06:30'), 252, 'restart'),
      sd.starting('charger.service', DESC, at('01:06:30')),
      sd.started('charger.service', DESC, at('01:06:30')),
    ]);
    const a = await analyzeSpec({ files: { ...CHARGER_UNIT, 'commands/journal.jsonl': journal } });
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:05:00+03:00', end: '2025-12-10T01:06:30+03:00', durationSeconds: 90, basis: ['service-down'], recoveredAt: null });
    expect(a.outage!.evidence).toEqual([
      { source: 'commands/journal.jsonl', line: 1, time: '2025-12-10T01:05:00+03:00', text: 'charger.service: Main process exited, code=exited, status=1/FAILURE' },
      { source: 'commands/journal.jsonl', line: 6, time: '2025-12-10T01:06:30+03:00', text: 'Started charger.service - Charger OCPP client.' },
    ]);
  });

  it('an operator\'s stop counts from "Stopped" to the next start', async () => {
    const journal = jsonl([
      sd.stopping('charger.service', DESC, at('01:03:00')),
      sd.deactivated('charger.service', at('01:03:01')),
      sd.stopped('charger.service', DESC, at('01:03:01')),
      sd.starting('charger.service', DESC, at('01:04:01')),
      sd.started('charger.service', DESC, at('01:04:01')),
    ]);
    const a = await analyzeSpec({ files: { ...CHARGER_UNIT, 'commands/journal.jsonl': journal } });
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:03:01+03:00', end: '2025-12-10T01:04:01+03:00', durationSeconds: 60 });
  });

  it('a service still failed at collection is down until the end of the window', async () => {
    const journal = jsonl([sd.mainExited('charger.service', at('01:12:00'), 'killed', '9/KILL'), sd.failed('charger.service', 'signal', at('01:12:00'))]);
    const show = showAll([showService({ id: 'charger.service', description: DESC, execStart: '/home/basar/env/bin/python /home/basar/charger/ocpp/main.py', activeState: 'failed', subState: 'failed', result: 'signal' })]);
    const a = await analyzeSpec({ files: { ...CHARGER_UNIT, 'commands/journal.jsonl': journal, 'commands/systemctl-show.txt': show } });
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:12:00+03:00', end: '2025-12-10T01:15:00+03:00', durationSeconds: 180, basis: ['service-down'] });
  });

  it('a vendor unit\'s failure is not an outage of the site', async () => {
    const journal = jsonl([sd.failed('apt-daily.service', 'exit-code', at('01:05:00')), sd.started('apt-daily.service', 'Daily apt download activities', at('01:07:00'))]);
    const a = await analyzeSpec({
      files: {
        'files/lib/systemd/system/apt-daily.service': serviceUnit({ description: 'Daily apt download activities', execStart: '/usr/lib/apt/apt.systemd.daily update', service: ['Type=oneshot'] }),
        'commands/journal.jsonl': journal,
      },
    });
    expect(a.outage).toBeNull();
  });

  it('proxy errors and a service failure in one episode give both bases', async () => {
    const journal = jsonl([sd.failed('charger.service', 'exit-code', at('01:09:50')), sd.started('charger.service', DESC, at('01:12:40'))]);
    const a = await analyzeSpec({ files: { ...CHARGER_UNIT, 'commands/journal.jsonl': journal, ...ngrokLog([leg('01:10:05'), leg('01:12:02')]) } });
    expect(a.outages).toHaveLength(1);
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:09:50+03:00', end: '2025-12-10T01:12:40+03:00', basis: ['proxy.upstream-errors', 'service-down'] });
  });

  it('failed health probes are down signals', async () => {
    const probes = JSON.stringify(
      {
        probes: [
          { url: 'http://127.0.0.1:8000/health', status: null, ms: 5003, error: 'connect ECONNREFUSED 127.0.0.1:8000', at: '2025-12-10T01:14:50+03:00' },
          { url: 'https://charger-01.ngrok.app/health', status: 502, ms: 312, error: null, at: '2025-12-10T01:14:55+03:00' },
        ],
      },
      null,
      2,
    );
    const a = await analyzeSpec({ files: { 'commands/health-probes.json': probes } });
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:14:50+03:00', end: '2025-12-10T01:14:55+03:00', basis: ['health-probe'], signals: 2 });
    expect(a.outage!.evidence![0]).toMatchObject({ source: 'commands/health-probes.json', time: '2025-12-10T01:14:50+03:00' });
  });
});
