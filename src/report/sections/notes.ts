// Notlar / Notes: how to read this report (times, snapshots, caps) and the
// limits of what the bundle can say.
import { linesBehind, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { fixItems } from './plan.js';
import { ALL_RULES } from '../../rules/index.js';

export function notes(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  const zone = a.hostInfo?.timezone ?? null;
  const offset = a.hostInfo?.utcOffset ?? null;
  // Validated values read better as plain text; anything else stays quoted data.
  const plain = (v: string | null, re: RegExp) => (v && re.test(v) ? md(v) : v ?? '?');
  out.push(zone || offset ? t.t('notes.times', { zone: plain(zone, /^[A-Za-z0-9_+\/-]+$/), offset: plain(offset, /^[+-]\d{2}:\d{2}$/) }) : t.t('notes.timesUnknown'));
  if (a.resources.length) out.push(t.t('notes.snapshots'));
  if (fixItems(ctx).some((i) => i.kind === 'unit')) {
    out.push(t.t('notes.execStart'));
    out.push(t.t('notes.environment'));
  }
  const capped = a.findings.filter((f) => linesBehind(f) > f.evidence.length);
  out.push(t.t('notes.evidence', { n: capped.length }));
  if (a.timelineTotal !== undefined && a.timelineTotal > a.timeline.length) out.push(t.t('notes.timelineCap', { kept: a.timeline.length, total: a.timelineTotal }));
  const redaction = a.redaction;
  if (redaction) {
    const fmt = (r: Record<string, number> | null) =>
      r && Object.keys(r).length ? md(Object.entries(r).map(([k, v]) => `${code(k)} ×${v}`).join(', ')) : md(t.t('word.none'));
    out.push(t.t(redaction.bundle === null ? 'notes.redactionUnknown' : 'notes.redaction', { bundle: fmt(redaction.bundle), output: fmt(redaction.output) }));
  }
  if (ctx.b.level > 0) out.push(`**${t.t('notes.shortened', { max: ctx.maxChars, level: ctx.b.level })}**`);
  if (ctx.folded.length) out.push(`**${t.t('notes.folded', { n: ctx.folded.length })}**`);
  // The catalogue's first rule as the example of a check name written in code.
  out.push(t.t('notes.ruleIds', { example: ALL_RULES[0]!.id }));
  return out.map((x) => `- ${x}`).join('\n');
}
