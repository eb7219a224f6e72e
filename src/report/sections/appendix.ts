// Ek / Appendix: the timeline, every source with its status, the checks that
// were skipped and why, and the lines parsers could not read.
import type { SourceSummary, TimelineEntry } from '../../analysis/schema.js';
import { md } from '../i18n.js';
import { describeFinding, severityWord } from '../findings.js';
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
  // No rows at this detail: what kinds of events there were, still in one line.
  if (max === 0) {
    const kinds = new Map<string, number>();
    for (const e of a.timeline) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    const list = [...kinds].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([k, n]) => `${kindWord(ctx, k)} × ${t.n(n)}`);
    out.push(t.t('appendix.timeline.kinds', { total: a.timeline.length, list: md(list.join(', ')) }));
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
  // Vendor unit files read without a problem (a device has a hundred of them) are one row with their count.
  const vendor = listed.filter(isVendorUnitFile);
  const rows: (SourceSummary | { vendor: number; dirs: string[] })[] =
    vendor.length >= 2 ? [...listed.filter((s) => !isVendorUnitFile(s)), { vendor: vendor.length, dirs: [...new Set(vendor.map((s) => vendorDir(s.path!)))] }] : listed;
  if (rows.length) out.push(
    table(
      [t.t('col.sourceId'), t.t('col.path'), t.t('col.status'), t.t('col.records'), t.t('col.skipped'), t.t('col.inWindow'), t.t('col.note')],
      rows.map((s) => 'vendor' in s ? [code('unit-files'), t.t('appendix.sources.vendor', { n: s.vendor, dirs: md(s.dirs.map(code).join(', ')) }), t.t('status.ok'), t.n(s.vendor), '0', '—', ''] : [
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

const VENDOR_DIR = /^files\/((?:usr\/)?lib\/systemd\/[^/]+)\//;

function isVendorUnitFile(s: SourceSummary): boolean {
  return s.id === 'unit-files' && s.status === 'ok' && s.skippedRecords === 0 && s.path !== null && VENDOR_DIR.test(s.path);
}

function vendorDir(path: string): string {
  return `/${VENDOR_DIR.exec(path)?.[1] ?? path}`;
}

/** Findings the configuration waives, with their reason; waivers that expired or matched nothing. */
function waivedBlock(ctx: ReportContext): string | null {
  const { a, t } = ctx;
  const waived = a.waived ?? [];
  const expired = (a.waivers ?? []).filter((w) => w.status === 'expired');
  const unmatched = (a.waivers ?? []).filter((w) => w.status === 'unmatched');
  if (!waived.length && !expired.length && !unmatched.length) return null;
  const out = [`### ${t.t('appendix.waived.heading')}`];
  if (waived.length) {
    out.push(t.t('appendix.waived.intro'));
    out.push(
      table(
        [t.t('col.severity'), t.t('col.finding'), t.t('col.rule'), t.t('col.waiverReason'), t.t('col.until')],
        waived.map((w) => [severityWord(t, w.severity), describeFinding(t, w).title, code(w.rule), code(w.waiver.reason), w.waiver.until ? code(w.waiver.until) : '—']),
      ),
    );
  }
  const name = (w: { rule: string; subject: string | null; until: string | null }) => code(`${w.rule}${w.subject ? ` ${w.subject}` : ''}${w.until ? ` (${w.until})` : ''}`);
  if (expired.length) out.push(t.t('appendix.waivers.expired', { list: md(expired.map(name).join(', ')) }));
  if (unmatched.length) out.push(t.t('appendix.waivers.unmatched', { list: md(unmatched.map(name).join(', ')) }));
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
  return [timelineBlock(ctx), sourcesBlock(ctx), skippedBlock(ctx), waivedBlock(ctx), problemsBlock(ctx)].filter((x): x is string => x !== null).join('\n\n');
}
