// Uygulama Adımları / Implementation steps: the commands of each fix in the
// order that works (a hand-started server is stopped before its unit starts,
// or the unit fails with "address already in use"), each with how to check it.
import type { ArtifactStep } from '../../analysis/schema.js';
import { num, str, type ReportContext } from '../context.js';
import { fence } from '../markdown.js';
import { md } from '../i18n.js';
import { fixItems, placeholderNotes, unitOf, type FixItem } from './plan.js';

function stepText(ctx: ReportContext, item: FixItem, step: ArtifactStep, fileIndex: number): string {
  const p = item.primary.params ?? {};
  const unit = unitOf(item.primary);
  const files = [item.primary, ...item.extra];
  const key = ctx.t.has(`step.${step.id}`) ? `step.${step.id}` : 'step.other';
  return ctx.t.t(key, {
    unit,
    path: files[fileIndex]?.path ?? item.primary.path,
    pid: String(num(p.pid) ?? '?'),
    port: str(p.port) ?? '?',
    url: str(p.healthUrl) ?? str(p.url) ?? '?',
    timer: str(p.healthTimer) ?? '?',
    service: str(p.healthService) ?? '?',
    id: step.id,
  });
}

function itemTitle(ctx: ReportContext, item: FixItem): string {
  const unit = unitOf(item.primary);
  const t = ctx.t;
  switch (item.kind) {
    case 'unit':
      return t.t('steps.title.unit', { unit });
    case 'restart':
      return t.t('steps.title.restart', { unit });
    case 'health':
      return t.t('steps.title.health', { unit, timer: str(item.primary.params?.healthTimer) ?? '?' });
    default:
      return t.t('steps.title.watchdog', { unit });
  }
}

export function steps(ctx: ReportContext): string {
  const { t } = ctx;
  const items = fixItems(ctx);
  if (items.length === 0) return t.t('steps.nothing');
  const out = [t.t('steps.intro')];
  items.forEach((item, i) => {
    const n = i + 1;
    const parts = [`### ${t.t('steps.heading', { n, title: md(itemTitle(ctx, item)) })}`, ...placeholderNotes(ctx, item)];
    let fileIndex = 0;
    (item.primary.steps ?? []).forEach((s, j) => {
      const text = stepText(ctx, item, s, fileIndex);
      if (s.id === 'write-file') fileIndex++;
      parts.push(`**${n}.${j + 1}** ${text}\n\n${fence(s.command, 'sh')}`);
      if (s.id === 'wait-port-free' || s.id === 'wait-process-gone') parts.push(`_${t.t('step.killHarder', { command: `sudo kill -9 ${num(item.primary.params?.pid) ?? '?'}` })}_`);
    });
    out.push(parts.join('\n\n'));
  });
  out.push(`### ${t.t('steps.verifyHeading')}`);
  out.push(t.t('steps.verify'));
  return out.join('\n\n');
}
