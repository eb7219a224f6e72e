// Which hosts share an outage window: instants, not clock readings; the
// analysis gap decides; merging is transitive; lone outages are listed too.
import { describe, it, expect } from 'vitest';
import { groupOutages } from '../../src/fleet/outage-groups.js';
import { buildFleetSummary } from '../../src/fleet/summary.js';
import { downHost, host } from './fixtures.js';

const GAP = 300;

describe('groupOutages', () => {
  // charger-a and charger-d are in Istanbul (+03:00), charger-b and charger-c in Central Europe (+01:00).
  // charger-a 22:10–22:12Z, charger-d 22:11–22:11:30Z (overlaps a), charger-b 22:16–22:18Z (4 min after a),
  // charger-c 22:24–22:25Z (6 min after b).
  const fleet = [
    downHost('charger-a', [['2025-12-10T01:10:00+03:00', '2025-12-10T01:12:00+03:00']]),
    downHost('charger-b', [['2025-12-09T23:16:00+01:00', '2025-12-09T23:18:00+01:00']]),
    downHost('charger-c', [['2025-12-09T23:24:00+01:00', '2025-12-09T23:25:00+01:00']]),
    downHost('charger-d', [['2025-12-10T01:11:00+03:00', '2025-12-10T01:11:30+03:00']]),
    host({ hostname: 'charger-e' }),
  ];

  it('compares instants across offsets: a 4-minute gap joins, a 6-minute gap does not', () => {
    const groups = groupOutages(fleet, GAP);
    expect(groups.map((g) => g.hosts.map((h) => h.label))).toEqual([['charger-a', 'charger-d', 'charger-b'], ['charger-c']]);
  });

  it('prints a window in the offset of the host that went down first, each host in its own', () => {
    const [shared, lone] = groupOutages(fleet, GAP);
    expect(shared).toMatchObject({ start: '2025-12-10T01:10:00+03:00', end: '2025-12-10T01:18:00+03:00', durationSeconds: 480 });
    expect(shared!.hosts[2]).toEqual({ label: 'charger-b', start: '2025-12-09T23:16:00+01:00', end: '2025-12-09T23:18:00+01:00', durationSeconds: 120 });
    expect(lone).toMatchObject({ start: '2025-12-09T23:24:00+01:00', end: '2025-12-09T23:25:00+01:00', durationSeconds: 60 });
  });

  it('merges transitively: a–b and b–c within the gap put a and c together though they are 8 minutes apart', () => {
    const chain = [
      downHost('a', [['2025-12-10T10:00:00Z', '2025-12-10T10:01:00Z']]),
      downHost('b', [['2025-12-10T12:05:00+02:00', '2025-12-10T12:06:00+02:00']]),
      downHost('c', [['2025-12-10T10:10:00Z', '2025-12-10T10:11:00Z']]),
    ];
    const groups = groupOutages(chain, GAP);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ start: '2025-12-10T10:00:00+00:00', end: '2025-12-10T10:11:00+00:00' });
    expect(groupOutages(chain, 200)).toHaveLength(3);
  });

  it('uses every episode, not only the longest: a host down twice joins two windows', () => {
    const twice = downHost('twice', [
      ['2025-12-10T01:00:00+03:00', '2025-12-10T01:30:00+03:00'],
      ['2025-12-10T03:00:00+03:00', '2025-12-10T03:01:00+03:00'],
    ]);
    const other = downHost('other', [['2025-12-10T00:02:00+00:00', '2025-12-10T00:03:00+00:00']]);
    const groups = groupOutages([twice, other], GAP);
    expect(groups.map((g) => g.hosts.map((h) => h.label))).toEqual([['twice', 'other'], ['twice']]);
  });

  it('orders windows by host count, then start; ignores hosts without an analysis', () => {
    const groups = groupOutages(
      [
        downHost('late', [['2025-12-10T05:00:00Z', '2025-12-10T05:01:00Z']]),
        downHost('early', [['2025-12-10T04:00:00Z', '2025-12-10T04:01:00Z']]),
        { ...downHost('gone', [['2025-12-10T04:00:00Z', '2025-12-10T04:01:00Z']]), status: 'unreadable' as const },
      ],
      GAP,
    );
    expect(groups.map((g) => g.hosts[0]!.label)).toEqual(['early', 'late']);
  });

  it('takes the gap from the summary options (thresholds.outageGapSeconds)', () => {
    const s = buildFleetSummary(fleet, { inputs: [], outageGapSeconds: 400, now: new Date(0) });
    expect(s.outageGroups.map((g) => g.hosts.length)).toEqual([4]);
    expect(s.outageGapSeconds).toBe(400);
  });
});
