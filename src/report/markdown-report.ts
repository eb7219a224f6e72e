// The Markdown report: the docs/report.md sections in order, rendered at the
// most detailed budget that fits under --max-chars.
import type { Analysis } from '../analysis/schema.js';
import { InputError } from '../errors.js';
import { ALL_CLEAR, BUDGETS, DEFAULT_MAX_CHARS } from './budget.js';
import { foldFindings, isAllClear, orderedFindings, type ReportContext } from './context.js';
import { causesOf } from '../analysis/causes.js';
import { Translator, type Lang } from './i18n.js';
import { header } from './sections/header.js';
import { summary } from './sections/summary.js';
import { problem } from './sections/problem.js';
import { crash } from './sections/crash.js';
import { why } from './sections/why.js';
import { recurrence } from './sections/recurrence.js';
import { plan } from './sections/plan.js';
import { steps } from './sections/steps.js';
import { monitoring } from './sections/monitoring.js';
import { improvements } from './sections/improvements.js';
import { conclusion } from './sections/conclusion.js';
import { notes } from './sections/notes.js';
import { appendix } from './sections/appendix.js';
import { pictureMarkdown } from './picture.js';
import { pictureOf } from '../analysis/picture.js';

/** docs/report.md, in this order; the catalogue key of each heading. */
/** `clear`: the section's one line in the all-clear report, where info notes call for no fix. */
export const SECTIONS: readonly { key: string; render: (ctx: ReportContext) => string; clear?: string }[] = [
  { key: 'summary', render: summary },
  { key: 'problem', render: problem },
  { key: 'crash', render: crash },
  { key: 'why', render: why },
  { key: 'recur', render: recurrence },
  { key: 'plan', render: plan, clear: 'plan.nothing' },
  { key: 'steps', render: steps, clear: 'steps.nothing' },
  { key: 'monitoring', render: monitoring },
  { key: 'improvements', render: improvements, clear: 'improve.nothing' },
  { key: 'conclusion', render: conclusion },
  { key: 'notes', render: notes },
  { key: 'appendix', render: appendix },
];

export interface MarkdownOptions {
  lang: Lang;
  maxChars?: number;
  /** ISO time with offset; defaults to now in the device's offset */
  createdAt: string;
}

function render(ctx: ReportContext, picture: string | null): string {
  // The timeline picture stands above the findings, under the header.
  const parts = [picture ? `${header(ctx)}\n\n${picture}` : header(ctx)];
  for (const s of SECTIONS) parts.push(`## ${ctx.t.t(`heading.${s.key}`)}\n\n${ctx.allClear && s.clear ? ctx.t.t(s.clear) : s.render(ctx)}`);
  return parts.join('\n\n---\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function renderMarkdown(a: Analysis, opts: MarkdownOptions): string {
  const t = new Translator(opts.lang);
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const ordered = orderedFindings(a);
  const allClear = isAllClear(a);
  const base = { a, t, createdAt: opts.createdAt, causes: causesOf(a), maxChars, allClear };
  let smallest = '';
  let previous: string | null = null;
  // The picture is the first thing cut: the most detailed level is tried with it, then every level without.
  const drawn = pictureOf(a);
  const picture = drawn ? pictureMarkdown(drawn, t).block : null;
  const budgets = allClear ? ALL_CLEAR : BUDGETS;
  const levels = [...(picture ? [{ b: budgets[0]!, picture }] : []), ...budgets.map((b) => ({ b, picture: null }))];
  for (const { b, picture: withPicture } of levels) {
    const { detailed, folded } = foldFindings(ordered, b.fold);
    // A level that folds nothing more than the one before, at the same detail, would render the same report.
    const { level: _level, fold, ...detail } = b;
    const key = JSON.stringify({ detail, detailed: detailed.length, subjects: fold.subjects, picture: withPicture !== null });
    if (key === previous) continue;
    previous = key;
    const md = render({ ...base, b, findings: detailed, folded }, withPicture);
    if (md.length <= maxChars) return md;
    smallest = md;
  }
  throw new InputError(`--max-chars ${maxChars}: too small for this bundle's report (its shortest form is ${smallest.length} characters)`);
}
