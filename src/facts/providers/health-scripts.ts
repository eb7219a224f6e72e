// The scripts run by timers, ExecStartPost= and cron (read in full: each is capped at collection),
// and the ones the collector recorded without a copy (a program, missing, unreadable).
import { canonicalSourceOf, devicePathOf } from '../../bundle/sources.js';
import { LIMITS } from '../../sources/catalogue.js';
import type { Provider } from './types.js';

export const healthScriptsProvider: Provider = {
  name: 'health-scripts',
  reads: ['health-script'],
  provides: [],
  async run(ctx, draft) {
    const { scripts } = draft;
    for (const e of ctx.entries('health-script')) {
      const copied = (e.status === 'ok' || e.status === 'truncated') && e.path !== null && ctx.bundle.has(e.path);
      if (copied) {
        const devicePath = devicePathOf(e.path!) ?? e.path!;
        const t = await ctx.text(e);
        scripts.texts.set(devicePath, { source: e.path!, text: t, truncated: e.status === 'truncated' });
        ctx.note(e, { records: t.split('\n').length, skipped: 0 });
      } else {
        const m = /^copy of (\/\S+)$/.exec(e.command ?? '');
        if (m) scripts.notes.push({ devicePath: m[1]!, status: e.status, error: e.error ?? null });
      }
    }
    // A bundle written by hand, without manifest.sources, names no source of its files: a copy of a
    // script is any small file under files/ that no canonical source claims.
    if (!ctx.manifest.sources) {
      for (const rel of ctx.bundle.files) {
        const devicePath = devicePathOf(rel);
        if (devicePath === null || canonicalSourceOf(rel) !== null || scripts.texts.has(devicePath) || ctx.bundle.size(rel) > LIMITS.scriptBytes) continue;
        scripts.texts.set(devicePath, { source: rel, text: await ctx.bundle.readText(rel, LIMITS.scriptBytes), truncated: false });
      }
    }
    return { present: [] };
  },
};
