// What each section of the fleet report gets: the fleet summary (its only
// input), the catalogue of the report's language, and the detail budget.
import type { FleetSummary } from '../../fleet/schema.js';
import { md, type Md, type Translator } from '../i18n.js';
import { code } from '../markdown.js';
import type { FleetBudget } from './budget.js';

export interface FleetContext {
  s: FleetSummary;
  t: Translator;
  b: FleetBudget;
}

/** Host names as code spans (they come from devices), the first `max` of them, then "+N more". */
export function labelList(ctx: FleetContext, labels: string[], max = ctx.b.labels): Md {
  const shown = labels.slice(0, max).map(code);
  const rest = labels.length - shown.length;
  if (rest > 0) shown.push(ctx.t.t('fleet.more', { n: rest }));
  return md(shown.join(', '));
}

/** "… and 940 more hosts; see the summary JSON" under a table that was cut, or nothing. */
export function cutNote(ctx: FleetContext, key: 'fleet.cut.hosts' | 'fleet.cut.windows' | 'fleet.cut.rows', n: number): string {
  return n > 0 ? `\n\n_${ctx.t.t(key, { n })}_` : '';
}

/**
 * A word safe to paste into a shell: bundle paths can come from a collection
 * record, and a path like `x;rm -rf ~` must stay one argument.
 */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
