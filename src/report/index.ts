// Rendering a report from the analysis JSON (its only input): Markdown in
// English or Turkish, the same as one HTML page, or the analysis JSON itself.
// `collect` calls renderReport to write report.md in --lang.
import type { Analysis } from '../analysis/schema.js';
import { formatDeviceTime } from '../time.js';
import { renderMarkdown } from './markdown-report.js';
import { renderHtml } from './html.js';
import { LANGS, type Lang } from './i18n.js';
import { DEFAULT_MAX_CHARS } from './budget.js';
import { jsonText } from '../render/visible.js';
import { Translator } from './i18n.js';
import { pictureMarkdown, pictureSvg } from './picture.js';
import { pictureOf } from '../analysis/picture.js';

export { LANGS, type Lang, DEFAULT_MAX_CHARS };
export const FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface ReportOptions {
  format?: ReportFormat;
  lang?: Lang;
  maxChars?: number;
  /** when the report is made; tests pin it (SOURCE_DATE_EPOCH does the same from outside) */
  now?: Date;
}

/** Now, in the device's offset: the report's times all read in one clock. */
export function createdAt(a: Analysis, now: Date): string {
  return formatDeviceTime(now.getTime(), { timezone: a.hostInfo?.timezone ?? null, utcOffset: a.hostInfo?.utcOffset ?? null });
}

/** Now, or SOURCE_DATE_EPOCH when set: reproducible output for tests and builds. */
export function defaultNow(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

export function renderReport(a: Analysis, opts: ReportOptions = {}): string {
  const format = opts.format ?? 'md';
  if (format === 'json') return jsonText(a);
  const lang = opts.lang ?? 'en';
  const markdown = renderMarkdown(a, { lang, maxChars: opts.maxChars ?? DEFAULT_MAX_CHARS, createdAt: createdAt(a, opts.now ?? defaultNow()) });
  if (format === 'md') return markdown;
  const title = markdown.split('\n', 1)[0]!.replace(/^#\s*/, '').replace(/`/g, '');
  // The HTML shows the SVG where the Markdown has the gantt (when the budget kept it), never both.
  let figure: { gantt: string; svg: string } | undefined;
  const picture = pictureOf(a);
  if (picture) {
    const t = new Translator(lang);
    const { gantt } = pictureMarkdown(picture, t);
    if (markdown.includes(gantt)) figure = { gantt, svg: pictureSvg(picture, t) };
  }
  return renderHtml(markdown, lang, title, figure);
}
