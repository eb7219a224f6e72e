// Cron tables: /etc/crontab and /etc/cron.d (with a user field) and each user's crontab -l (without).
import { parseCron } from '../../parse/cron.js';
import type { Provider } from './types.js';

export const cronProvider: Provider = {
  name: 'cron',
  reads: ['cron'],
  provides: [],
  async run(ctx, draft) {
    for (const e of ctx.ok('cron')) {
      const base = e.path!.split('/').pop()!;
      const userFile = /^crontab-(.+)\.txt$/.exec(base);
      const r = parseCron(await ctx.text(e), e.path!, userFile ? { hasUserField: false, user: userFile[1]! } : { hasUserField: true });
      ctx.note(e, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.cron.push(...r.records);
    }
    return { present: [] };
  },
};
