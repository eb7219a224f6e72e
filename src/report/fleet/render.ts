// The fleet report for a ticket, rendered from the fleet summary only:
// Markdown in English or Turkish, the same as one HTML page, or the summary
// JSON. Sections in a fixed order, at the most detailed budget that fits.
import { InputError } from '../../errors.js';
import type { FleetSummary } from '../../fleet/schema.js';
import { DEFAULT_MAX_CHARS } from '../budget.js';
import { renderHtml } from '../html.js';
import { Translator, type Lang } from '../i18n.js';
import { FLEET_BUDGETS } from './budget.js';
import type { FleetContext } from './context.js';
import { fleetHeader } from './header.js';
import { overview } from './overview.js';
import { outages } from './outages.js';
import { fleetRules } from './rules.js';
import { fleetHosts } from './hosts.js';
import { missing } from './missing.js';
import { differences } from './differences.js';
import { nextSteps } from './next-steps.js';
import { jsonText } from '../../render/visible.js';
import { fleetPictureMarkdown, fleetPictureSvg } from './picture.js';

/** The level-2 sections in order, by their catalogue key under fleet.heading. */
export const FLEET_SECTIONS: readonly { key: string; render: (ctx: FleetContext, lang: Lang) => string }[] = [
  { key: 'overview', render: overview },
  { key: 'outages', render: outages },
  { key: 'rules', render: fleetRules },
  { key: 'hosts', render: fleetHosts },
  { key: 'missing', render: missing },
  { key: 'differences', render: differences },
  { key: 'next', render: nextSteps },
];

function render(ctx: FleetContext, lang: Lang, picture: string | null): string {
  // Hosts × time stands under the header, above the sections.
  const parts = [picture ? `${fleetHeader(ctx)}\n\n${picture}` : fleetHeader(ctx)];
  for (const s of FLEET_SECTIONS) parts.push(`## ${ctx.t.t(`fleet.heading.${s.key}`)}\n\n${s.render(ctx, lang)}`);
  return parts.join('\n\n---\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function renderFleetMarkdown(s: FleetSummary, opts: { lang: Lang; maxChars?: number }): string {
  const t = new Translator(opts.lang);
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  let smallest = '';
  // The picture is cut first: the most detailed level with it, then every level without.
  const picture = s.picture ? fleetPictureMarkdown(s.picture, t).block : null;
  const levels = [...(picture ? [{ b: FLEET_BUDGETS[0]!, picture }] : []), ...FLEET_BUDGETS.map((b) => ({ b, picture: null }))];
  for (const { b, picture: withPicture } of levels) {
    const md = render({ s, t, b }, opts.lang, withPicture);
    if (md.length <= maxChars) return md;
    smallest = md;
  }
  throw new InputError(`--max-chars ${maxChars}: too small for this fleet's report (its shortest form is ${smallest.length} characters)`);
}

export function renderFleetReport(s: FleetSummary, opts: { format: 'md' | 'html' | 'json'; lang: Lang; maxChars?: number }): string {
  if (opts.format === 'json') return jsonText(s);
  const markdown = renderFleetMarkdown(s, opts);
  if (opts.format === 'md') return markdown;
  const title = markdown.split('\n', 1)[0]!.replace(/^#\s*/, '').replace(/`/g, '');
  let figure: { gantt: string; svg: string } | undefined;
  if (s.picture) {
    const t = new Translator(opts.lang);
    const { gantt } = fleetPictureMarkdown(s.picture, t);
    if (markdown.includes(gantt)) figure = { gantt, svg: fleetPictureSvg(s.picture, t) };
  }
  return renderHtml(markdown, opts.lang, title, figure);
}
