// Ek / Appendix: the timeline, every source with its status, the checks that
// were skipped and why, and the lines parsers could not read.
import type { TimelineEntry } from '../../analysis/schema.js';
import type { ReportContext } from '../context.js';
import { code, details, table } from '../markdown.js';
import { time } from '../format.js';
import { statusKey } from './crash.js';

function kindWord(ctx: ReportContext, kind: string): string {
  return ctx.t.has(`timeline.${kind}`) ? ctx.t.t(`timeline.${kind}`) : code(kind);
}

function timelineBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('appendix.timeline.heading')}`];
  if (a.timeline.length === 0) {
    out.push(t.t('appendix.timeline.empty'));
    return out.join('\n\n');
  }
  const max = ctx.b.timelineRows;
  // Keep both ends of a long story: how it began and how it ended.
  let rows: (TimelineEntry | null)[] = a.timeline;
  if (a.timeline.length > max) {
    const head = Math.ceil(max / 2);
    rows = max > 0 ? [...a.timeline.slice(0, head), null, ...a.timeline.slice(a.timeline.length - (max - head))] : [];
  }
  const cut = a.timeline.length - rows.filter((r) => r !== null).length;
  const total = Math.max(a.timelineTotal ?? a.timeline.length, a.timeline.length);
  if (rows.length) {
    const tbl = table(
      [t.t('col.time'), t.t('col.event'), t.t('col.subject'), t.t('col.where'), t.t('col.line')],
      rows.map((e) =>
        e === null
          ? ['…', t.t('appendix.timeline.gap', { n: cut }), '', '', '']
          : [time(e.time).text, kindWord(ctx, e.kind), e.subject ? code(e.subject) : '—', code(e.line !== null ? `${e.source}:${e.line}` : e.source), code(e.text.length > ctx.b.lineMax ? `${e.text.slice(0, ctx.b.lineMax)}…` : e.text)],
      ),
    );
    out.push(rows.length > 15 ? details(t.t('appendix.timeline.summary', { n: rows.filter((r) => r !== null).length }), tbl) : tbl);
  }
  if (cut > 0 || total > a.timeline.length) out.push(`_${t.t('appendix.timeline.cut', { shown: a.timeline.length - cut, total })}_`);
  return out.join('\n\n');
}

function sourcesBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('appendix.sources.heading')}`];
  // Compact: the sources read fine are only counted.
  const listed = ctx.b.compact ? a.sources.filter((s) => s.status !== 'ok' || s.skippedRecords > 0) : a.sources;
  if (listed.length < a.sources.length) out.push(t.t('appendix.sources.compact', { n: a.sources.length - listed.length, total: a.sources.length }));
  if (listed.length) out.push(
    table(
      [t.t('col.sourceId'), t.t('col.path'), t.t('col.status'), t.t('col.records'), t.t('col.skipped'), t.t('col.inWindow'), t.t('col.note')],
      listed.map((s) => [
        code(s.id),
        s.path ? code(s.path) : '—',
        s.status === 'ok' ? t.t('status.ok') : `**${t.t(`status.${statusKey(s.status)}`)}**`,
        s.records !== null ? t.n(s.records) : '—',
        s.skippedRecords ? `**${t.n(s.skippedRecords)}**` : '0',
        s.inWindow !== null && s.inWindow !== undefined ? t.n(s.inWindow) : '—',
        s.error ? code(s.error) : '',
      ]),
    ),
  );
  return out.join('\n\n');
}

function skippedBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('appendix.skipped.heading')}`];
  if (a.skipped.length === 0) out.push(t.t('appendix.skipped.none'));
  else {
    out.push(t.t('appendix.skipped.intro'));
    out.push(table([t.t('col.rule'), t.t('col.reason')], a.skipped.map((s) => [code(s.rule), code(s.reason)])));
  }
  return out.join('\n\n');
}

function problemsBlock(ctx: ReportContext): string | null {
  const { a, t } = ctx;
  const withProblems = a.sources.filter((s) => s.problems && s.problems.length > 0);
  if (withProblems.length === 0) return null;
  const lines = withProblems.flatMap((s) => s.problems!.slice(0, 5).map((p) => `- ${code(`${s.path ?? s.id}:${p.line}`)} — ${code(p.reason)}`));
  const body = lines.join('\n');
  return [`### ${t.t('appendix.problems.heading')}`, t.t('appendix.problems.intro'), ctx.b.evidenceFolded > 0 ? details(t.t('appendix.problems.summary', { n: lines.length }), body) : body].join('\n\n');
}

export function appendix(ctx: ReportContext): string {
  return [timelineBlock(ctx), sourcesBlock(ctx), skippedBlock(ctx), problemsBlock(ctx)].filter((x): x is string => x !== null).join('\n\n');
}
