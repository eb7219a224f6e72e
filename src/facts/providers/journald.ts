// Where journald keeps the journal (persistent or volatile): its configuration and the
// journal directories, else what the collector recorded in the manifest.
import { devicePathOf } from '../../bundle/sources.js';
import { journalStorage, type JournaldConfigInput } from '../../parse/journald.js';
import type { Provider } from './types.js';

export const journaldProvider: Provider = {
  name: 'journald',
  reads: ['journald'],
  provides: [{ kind: 'journald', from: [], reason: () => 'no journald.conf, no journal directory listing, and the manifest does not record host.journalStorage' }],
  async run(ctx, draft) {
    const configs: JournaldConfigInput[] = [];
    let dirs: { source: string; text: string } | null = null;
    for (const e of ctx.ok('journald')) {
      if (e.path!.endsWith('journal-dirs.txt')) dirs = { source: e.path!, text: await ctx.text(e) };
      else configs.push({ devicePath: devicePathOf(e.path!) ?? e.path!, bundlePath: e.path!, text: await ctx.text(e) });
      ctx.note(e, { records: 1, skipped: 0 });
    }
    const storage = configs.length > 0 || dirs ? journalStorage(configs, dirs) : null;
    draft.journalStorage = storage;
    const recorded = ctx.manifest.host?.journalStorage ?? null;
    const known = (storage && storage.storage !== 'unknown') || (recorded && recorded !== 'unknown');
    return { present: known ? ['journald'] : [] };
  },
};
