// Memory, load, uptime and pressure from /proc, disk use from df, the CPU count from the manifest.
import { parseDf, parseLoadavg, parseMeminfo, parsePressure, parseUptime } from '../../parse/resources.js';
import type { FactKind } from '../types.js';
import type { Provider } from './types.js';

export const resourcesProvider: Provider = {
  name: 'resources',
  reads: ['memory', 'load', 'disk'],
  provides: [
    { kind: 'memory', from: [{ source: 'memory', what: '/proc/meminfo' }] },
    { kind: 'uptime', from: [{ source: 'load', what: '/proc/uptime', file: '/proc/uptime' }] },
    { kind: 'load', from: [{ source: 'load', what: '/proc/loadavg', file: '/proc/loadavg' }] },
    { kind: 'cpus', from: [], reason: () => 'the manifest does not record the CPU count (host.cpus)' },
    { kind: 'disk', from: [{ source: 'disk', what: 'df output' }] },
  ],
  async run(ctx, draft) {
    const present: FactKind[] = [];
    const mem = ctx.first('memory');
    if (mem) {
      const r = parseMeminfo(await ctx.text(mem), mem.path!);
      ctx.note(mem, { records: r.record ? 1 : 0, skipped: r.skipped, problems: r.problems });
      draft.memory = r.record;
    }
    if (draft.memory) present.push('memory');

    for (const e of ctx.ok('load')) {
      const t = await ctx.text(e);
      if (e.path!.endsWith('/loadavg')) draft.load = parseLoadavg(t, e.path!);
      else if (e.path!.endsWith('/uptime')) draft.uptime = parseUptime(t, e.path!);
      else {
        const res = e.path!.split('/').pop() as 'cpu' | 'memory' | 'io';
        const p = ['cpu', 'memory', 'io'].includes(res) ? parsePressure(t, e.path!, res) : null;
        if (p) draft.pressure.push(p);
      }
      ctx.note(e, { records: 1, skipped: 0 });
    }
    if (draft.uptime) present.push('uptime');
    if (draft.load) present.push('load');

    const cpus = ctx.manifest.host?.cpus;
    if (typeof cpus === 'number' && cpus > 0) present.push('cpus');

    for (const e of ctx.ok('disk')) {
      const r = parseDf(await ctx.text(e), e.path!, e.path!.includes('inode') ? 'inodes' : 'bytes');
      ctx.note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.disks.push(...r.records);
    }
    if (draft.disks.length > 0) present.push('disk');
    return { present };
  },
};
