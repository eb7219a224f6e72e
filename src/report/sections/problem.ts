// Sorun Tespiti / Problem detection: the services as found, then every
// finding with what the bundle shows and the lines that show it.
import type { ServiceEntry } from '../../analysis/schema.js';
import { codes, evidenceBlock, linesBehind, type ReportContext } from '../context.js';
import { code, table } from '../markdown.js';
import { describeFinding, ruleName, severityWord } from '../findings.js';

function servicesTable(ctx: ReportContext): string {
  const { a, t } = ctx;
  const managed = (s: ServiceEntry) => t.t(`managedBy.${s.managedBy}`);
  const rows = a.services.map((s) => [
    code(s.name),
    `${s.managedBy === 'none' ? '**' : ''}${managed(s)}${s.managedBy === 'none' ? '**' : ''}`,
    s.unit ? code(s.unit) : '—',
    s.pid !== null ? code(String(s.pid)) : '—',
    s.ports.length ? s.ports.map(code).join(', ') : '—',
    s.startedBy?.length ? t.t('problem.services.startedBy', { timers: codes(s.startedBy) }) : s.restart ? code(`Restart=${s.restart}`) : '—',
    s.healthChecks.length ? s.healthChecks.map(code).join('<br>') : t.t('word.none'),
  ]);
  return [
    `### ${t.t('problem.services.heading')}`,
    t.t('problem.services.intro', { at: a.collectedAt ?? '' }),
    table([t.t('col.service'), t.t('col.managedBy'), t.t('col.unit'), t.t('col.pid'), t.t('col.ports'), t.t('col.restart'), t.t('col.healthCheck')], rows),
  ].join('\n\n');
}

export function problem(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  if (ctx.b.servicesTable && a.services.length > 0) out.push(servicesTable(ctx));
  if (ctx.findings.length === 0) {
    out.push(t.t('problem.none'));
    return out.join('\n\n');
  }
  out.push(t.t('problem.intro', { n: ctx.findings.length }));
  ctx.findings.forEach((f, i) => {
    const d = describeFinding(t, f);
    const parts = [`### ${i + 1}. ${d.title}`];
    parts.push(
      `**${severityWord(t, f.severity)}**${f.noise ? ` · **${t.t('noise.word')}**` : ''} · ${ruleName(t, f.rule)} (${code(f.rule)}) · ${t.t('word.subject')}: ${code(f.subject)}`,
    );
    if (ctx.b.stateBullets && d.state.length) parts.push(`**${t.t('problem.state')}**\n\n${d.state.map((s) => `- ${s}`).join('\n')}`);
    parts.push(`**${t.t('problem.evidence')}**`);
    parts.push(evidenceBlock(ctx, f.evidence, linesBehind(f)));
    out.push(parts.join('\n\n'));
  });
  return out.join('\n\n');
}
