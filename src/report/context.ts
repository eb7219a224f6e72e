// What every section renderer gets: the analysis (its only input), the
// catalogue of the report's language, and the detail budget.
import type { Analysis, Evidence, Finding } from '../analysis/schema.js';
import type { Budget } from './budget.js';
import type { CauseAnalysis } from '../analysis/causes.js';
import { md, type Md, type Translator } from './i18n.js';
import { code, details, fence } from './markdown.js';
import { location } from './format.js';
import { ruleById } from '../rules/index.js';

export interface ReportContext {
  a: Analysis;
  t: Translator;
  b: Budget;
  /** when the report was made (ISO with offset) */
  createdAt: string;
  /** the findings detailed one by one, in report order (their number in Problem detection is index + 1) */
  findings: Finding[];
  /** the findings this budget only counts, by check (Problem detection's folded table), in report order */
  folded: Finding[];
  causes: CauseAnalysis;
  /** --max-chars, for the note that says the report was shortened */
  maxChars: number;
  /** nothing reached warning and there was no outage: the short all-clear report (isAllClear) */
  allClear: boolean;
}

/** No outage and no finding at warning or above: the report says so briefly, and info findings are notes. */
export function isAllClear(a: Analysis): boolean {
  return a.outage === null && a.findings.every((f) => f.severity === 'info');
}

/** "(finding 3)": where a finding is detailed; a folded one is counted in Problem detection's folded table. */
export function ref(ctx: ReportContext, f: Finding): string {
  const i = ctx.findings.indexOf(f);
  return i < 0 ? ctx.t.t('ref.folded', { n: 1 }) : ctx.t.t('ref.finding', { n: i + 1 });
}

export function refs(ctx: ReportContext, list: Finding[]): string {
  const numbers = list.map((f) => ctx.findings.indexOf(f)).filter((i) => i >= 0);
  const folded = list.length - numbers.length;
  const shown = numbers.slice(0, ctx.b.fold.subjects);
  const parts: string[] = [];
  if (shown.length) {
    const more = numbers.length - shown.length;
    parts.push(ctx.t.t('ref.findings', { list: md(shown.map((i) => String(i + 1)).join(', ') + (more ? `, +${more}` : '')), n: numbers.length }));
  }
  if (folded) parts.push(ctx.t.t('ref.folded', { n: folded }));
  return parts.join(' ');
}

/**
 * A list of bundle values as code spans, the first few of a long one and how
 * many more (the budget's fold says how many): a list of every unit of a big
 * device would not fit a ticket.
 */
export function someCodes(ctx: ReportContext, values: string[]): Md {
  const max = ctx.b.fold.subjects;
  if (values.length <= max) return codes(values);
  return md(`${values.slice(0, max).map(code).join(', ')} ${ctx.t.t('list.more', { n: values.length - max })}`);
}

/**
 * Which of the ordered findings are detailed and which only counted: per
 * severity the first `fold[severity]` in report order (noise comes last in
 * that order, so it is folded first).
 */
export function foldFindings(ordered: Finding[], fold: Budget['fold']): { detailed: Finding[]; folded: Finding[] } {
  const taken = { critical: 0, warning: 0, info: 0 };
  const detailed: Finding[] = [];
  const folded: Finding[] = [];
  for (const f of ordered) {
    if (taken[f.severity] < fold[f.severity]) {
      taken[f.severity]++;
      detailed.push(f);
    } else folded.push(f);
  }
  return { detailed, folded };
}

/** A param read defensively: rules may grow params, a renderer must not crash on a missing one. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A list of bundle values as code spans joined by commas. */
export function codes(values: string[]): Md {
  return md(values.map(code).join(', '));
}

/** One quoted line: where it is, then the line itself, shortened if the budget says so. */
export function quoteLine(ctx: ReportContext, e: Evidence): string {
  const max = ctx.b.lineMax;
  const long = e.text.length > max;
  const body = long ? e.text.slice(0, max) : e.text;
  const parts = [location(e.source, e.line, e.time), fence(body)];
  if (long) parts.push(`_${ctx.t.t('evidence.shortened', { shown: max, total: e.text.length })}_`);
  return parts.join('\n\n');
}

/**
 * Evidence of a claim: the first lines in the open, more folded into
 * <details>, the rest cut with a count and where to find them in the bundle.
 * `total` is how many lines there were in all (evidenceTotal).
 */
export function evidenceBlock(ctx: ReportContext, evidence: Evidence[], total = evidence.length, minInline = 1): string {
  if (evidence.length === 0) return '';
  const inline = Math.max(minInline, ctx.b.evidenceInline);
  const open = evidence.slice(0, inline);
  const folded = evidence.slice(inline, inline + ctx.b.evidenceFolded);
  const shown = open.length + folded.length;
  const out = open.map((e) => quoteLine(ctx, e));
  if (folded.length > 0) {
    out.push(details(ctx.t.t('evidence.moreLines', { n: folded.length }), folded.map((e) => quoteLine(ctx, e)).join('\n\n')));
  }
  const rest = Math.max(total, evidence.length) - shown;
  if (rest > 0) {
    const sources = [...new Set(evidence.map((e) => e.source))];
    out.push(`_${ctx.t.t('evidence.cut', { n: rest, sources: codes(sources) })}_`);
  }
  return out.join('\n\n');
}

/**
 * How many bundle lines stand behind a finding: evidenceTotal, or the full
 * count the rule reports when it quotes only samples (log errors, proxy errors).
 */
export function linesBehind(f: Finding): number {
  const count = ruleById(f.rule)?.countsLines ? num(f.params.count) : null;
  return Math.max(f.evidenceTotal, f.evidence.length, count ?? 0);
}

/** The findings in report order: severity, then noise last, then the analysis's own order. */
export function orderedFindings(a: Analysis): Finding[] {
  const rank = (f: Finding) => (f.severity === 'critical' ? 0 : f.severity === 'warning' ? 1 : 2) + (f.noise ? 3 : 0);
  return a.findings.map((f, i) => ({ f, i })).sort((x, y) => rank(x.f) - rank(y.f) || x.i - y.i).map((x) => x.f);
}
