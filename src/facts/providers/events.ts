// Boots (journalctl --list-boots), core dumps (coredumpctl list) and the health probes made from the device.
import { parseBoots } from '../../parse/boots.js';
import { parseCoredumpctl } from '../../parse/coredumpctl.js';
import { parseHealthProbes } from '../../parse/resources.js';
import { parseTimestamp } from '../../time.js';
import type { Provider } from './types.js';

export const bootsProvider: Provider = {
  name: 'boots',
  reads: ['boots'],
  provides: [{ kind: 'boots', from: [{ source: 'boots', what: 'journalctl --list-boots output' }] }],
  async run(ctx, draft) {
    const e = ctx.first('boots');
    if (!e) return { present: [] };
    const r = parseBoots(await ctx.text(e), e.path!, ctx.clock);
    ctx.note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    draft.boots = r.records;
    return { present: r.records.length > 0 ? ['boots'] : [] };
  },
};

export const coredumpsProvider: Provider = {
  name: 'coredumps',
  reads: ['coredumps'],
  provides: [],
  async run(ctx, draft) {
    const e = ctx.first('coredumps');
    if (e) {
      const t = await ctx.text(e);
      const r = parseCoredumpctl(t, e.path!, ctx.clock);
      ctx.note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      const lines = t.split('\n');
      for (const c of r.records) draft.coredumps.push({ ...c, text: lines[c.line - 1] ?? '' });
    }
    return { present: [] };
  },
};

export const healthProbesProvider: Provider = {
  name: 'health-probes',
  reads: ['health'],
  provides: [],
  async run(ctx, draft) {
    const e = ctx.first('health');
    if (e) {
      const r = parseHealthProbes(await ctx.text(e), e.path!);
      ctx.note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      for (const p of r.records) draft.healthProbes.push({ ...p, epochMs: p.at ? parseTimestamp(p.at, ctx.clock) : ctx.collectedAtMs });
    }
    return { present: [] };
  },
};
