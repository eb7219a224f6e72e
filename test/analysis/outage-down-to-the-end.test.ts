import { describe, it, expect } from 'vitest';
import { analyzeSpec } from '../helpers/bundle.js';
import { at, jsonl, listUnits, sd, serviceUnit } from '../helpers/raw.js';

const DESC = 'Charger OCPP client';
const UNIT = { 'files/etc/systemd/system/charger.service': serviceUnit({ description: DESC, execStart: '/opt/charger/bin/ocpp', service: ['Restart=on-failure'] }) };

describe('a site-local service that stays down', () => {
  it('is down from its failure to the end of the window, however long that is (samples/segfault-loop)', async () => {
    // Crash loop 01:02:00–01:02:20, then the start limit: nothing starts it again before collection at 01:15.
    const journal = jsonl([
      sd.mainExited('charger.service', at('01:02:00'), 'dumped', '11/SEGV'),
      sd.failed('charger.service', 'core-dump', at('01:02:00')),
      sd.restartScheduled('charger.service', 1, at('01:02:02')),
      sd.started('charger.service', DESC, at('01:02:02')),
      sd.mainExited('charger.service', at('01:02:05'), 'dumped', '11/SEGV'),
      sd.failed('charger.service', 'core-dump', at('01:02:05')),
      sd.startLimitHit('charger.service', at('01:02:07')),
      sd.failedToStart('charger.service', DESC, at('01:02:07')),
    ]);
    const units = listUnits([['charger.service', 'loaded', 'failed', 'failed', DESC]]);
    const a = await analyzeSpec({ files: { ...UNIT, 'commands/journal.jsonl': journal, 'commands/systemctl-list-units.txt': units } });
    expect(a.outages).toHaveLength(1);
    expect(a.outage).toMatchObject({ start: '2025-12-10T01:02:00+03:00', end: '2025-12-10T01:15:00+03:00', durationSeconds: 780, basis: ['service-down'] });
  });
});
