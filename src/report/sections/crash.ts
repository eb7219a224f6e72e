// Çökme Nedeni Analizi / Crash cause analysis: the outage and its window, the
// resources at collection, kernel OOM/crash lines or their absence (naming
// what was read), log errors with noise marked, and what was ruled out.
import type { Resource } from '../../analysis/schema.js';
import { evidenceBlock, ref, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code, table } from '../markdown.js';
import { bytes, duration, secondsBetween, span, time } from '../format.js';
import { describeFinding } from '../findings.js';
import { readLogSources, asEvidence } from '../../analysis/causes.js';
import { basisWords } from './summary.js';
import { ALL_RULES, ruleById } from '../../rules/index.js';
import { rule as proxyRule } from '../../rules/proxy-upstream-errors/rule.js';

/** Checks that, when they ran and found nothing, rule a cause out (rules marked `ruledOut`, in its order). */
export const RULED_OUT: readonly string[] = ALL_RULES.filter((r) => r.ruledOut !== undefined)
  .sort((x, y) => x.ruledOut! - y.ruledOut!)
  .map((r) => r.id);

/** The rules the crash section lists under `section` (kernel OOM/crash lines, log error groups). */
const inSection = (section: 'kernel' | 'logs') => (rule: string): boolean => ruleById(rule)?.crashSection === section;
const KERNEL_RULES = ALL_RULES.filter((r) => r.crashSection === 'kernel').length;

function outageBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('crash.outage.heading')}`];
  const o = a.outage;
  if (!o) {
    const skipped = a.skipped.find((s) => s.rule === proxyRule.id);
    out.push(t.t('crash.outage.none'));
    if (skipped) out.push(t.t('crash.outage.noProxyLog', { reason: skipped.reason }));
    return out.join('\n\n');
  }
  const bullets = [
    t.t('crash.outage.window', { span: span(o.start, o.end) }),
    t.t('crash.outage.duration', { duration: md(duration(t, o.durationSeconds)) }),
    t.t('crash.outage.basis', { basis: md(basisWords(ctx, o.basis)), signals: o.signals ?? 0 }),
    o.recoveredAt ? t.t('crash.outage.recovered', { at: time(o.recoveredAt) }) : t.t('crash.outage.notRecovered'),
  ];
  out.push(bullets.map((b) => `- ${b}`).join('\n'));
  const recovery = o.recoveredAt ? a.timeline.find((e) => e.kind === 'proxy-ok' && e.time === o.recoveredAt) : undefined;
  const ev = [...(o.evidence ?? []), ...(recovery ? [asEvidence(recovery)] : [])];
  if (ev.length) {
    out.push(`**${t.t('crash.outage.evidence')}**`);
    out.push(evidenceBlock(ctx, ev, ev.length, ev.length));
  }
  const others = a.outages.filter((x) => x.start !== o.start || x.end !== o.end);
  if (others.length) {
    out.push(t.t('crash.outage.others', { n: others.length }));
    out.push(others.map((x) => `- ${span(x.start, x.end).text} (${duration(t, x.durationSeconds)})`).join('\n'));
  }
  return out.join('\n\n');
}

function resourceCells(ctx: ReportContext, r: Resource): [string, string, string] {
  const t = ctx.t;
  const pct = r.percent !== null && r.percent !== undefined ? t.t('unit.percent', { v: r.percent }) : '—';
  switch (r.unit) {
    case 'bytes':
      return [bytes(t, r.used), bytes(t, r.total), pct];
    case 'inodes':
      return [r.used !== null ? t.n(r.used) : '—', r.total !== null ? t.n(r.total) : '—', pct];
    case 'load': {
      // The row's detail starts with the three load averages as /proc/loadavg has them.
      const avgs = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)/.exec(r.detail ?? '');
      const used =
        r.used === null ? '—' : avgs ? t.t('crash.resources.loadAll', { l1: Number(avgs[1]), l5: r.used, l15: Number(avgs[3]) }) : t.t('crash.resources.load5', { v: r.used });
      return [used, r.total !== null ? t.t('crash.resources.loadLimit', { v: r.total }) : '—', '—'];
    }
    case 'percent':
      return [r.used !== null ? t.t('crash.resources.avg10', { v: r.used }) : '—', '—', '—'];
    default:
      return [r.used !== null ? t.n(r.used) : '—', r.total !== null ? t.n(r.total) : '—', pct];
  }
}

function resourcesBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('crash.resources.heading')}`];
  if (a.resources.length === 0) {
    out.push(t.t('crash.resources.none'));
    return out.join('\n\n');
  }
  const at = a.resources.find((r) => r.at)?.at ?? a.collectedAt ?? null;
  const after = a.outage ? secondsBetween(a.outage.end, at) : null;
  out.push(
    t.t(ctx.allClear ? 'crash.resources.introClear' : 'crash.resources.intro', { at: time(at) }) +
      (after !== null && after > 0 ? ' ' + t.t('crash.resources.afterOutage', { duration: md(duration(t, after)) }) : '') +
      (a.trigger && a.trigger.capturedAfterSeconds !== null
        ? ' ' + t.t('crash.resources.afterTrigger', { seconds: a.trigger.capturedAfterSeconds, unit: a.trigger.unit, result: a.trigger.result })
        : ''),
  );
  const name = (r: Resource) => {
    const key = r.name === 'memory' || r.name === 'load' ? r.name : r.name.startsWith('pressure ') ? 'pressure' : 'disk';
    return t.t(`resourceName.${key}`, { name: r.name.replace(/^pressure /, '') });
  };
  // Compact: the sentence below names what is not normal; only those rows stay.
  const rows = ctx.b.compact ? a.resources.filter((r) => r.verdict !== 'normal') : a.resources;
  if (rows.length) out.push(
    table(
      [t.t('col.resource'), t.t('col.used'), t.t('col.total'), t.t('col.percent'), t.t('col.verdict'), t.t('col.source')],
      rows.map((r) => {
        const [used, total, pct] = resourceCells(ctx, r);
        const verdict = t.t(`verdict.${r.verdict}`);
        return [name(r), used, total, pct, r.verdict === 'normal' ? verdict : `**${verdict}**`, code(r.line ? `${r.source}:${r.line}` : r.source)];
      }),
    ),
  );
  const bad = a.resources.filter((r) => r.verdict !== 'normal');
  // Compact, the table is gone: the one line still says what was measured and how much.
  const measured = () =>
    md(
      a.resources
        .map((r) => {
          const [used, , pct] = resourceCells(ctx, r);
          return `${name(r)} ${pct !== '—' ? pct : used}`;
        })
        .join(', '),
    );
  out.push(
    bad.length === 0
      ? ctx.b.compact
        ? t.t('crash.resources.allNormalList', { list: measured() })
        : t.t('crash.resources.allNormal')
      : t.t('crash.resources.notNormal', { list: md(bad.map((r) => code(r.name)).join(', ')) }),
  );
  return out.join('\n\n');
}

function kernelBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('crash.kernel.heading')}`];
  const kernel = inSection('kernel');
  const found = ctx.findings.filter((f) => kernel(f.rule));
  const skipped = a.skipped.filter((s) => kernel(s.rule));
  const kernelSources = (a.logSourcesRead ?? []).length ? a.logSourcesRead! : readLogSources(a).filter((s) => !s.startsWith('files/home'));
  if (found.length) {
    out.push(found.map((f) => `- **${t.t('crash.kernel.found')}:** ${describeFinding(t, f).title} ${ref(ctx, f)}`).join('\n'));
  } else if (skipped.length === KERNEL_RULES) {
    out.push(t.t('crash.kernel.skipped', { reason: skipped[0]!.reason }));
  } else {
    out.push(`**${t.t('crash.kernel.noneWord')}** — ${t.t('crash.kernel.none', { sources: md(kernelSources.map(code).join(', ')), n: kernelSources.length })}`);
  }
  for (const s of skipped) if (skipped.length < KERNEL_RULES) out.push(t.t('crash.kernel.oneSkipped', { rule: s.rule, reason: s.reason }));
  const unavailable = a.sources.filter((s) => ['journal', 'dmesg', 'syslog', 'coredumps'].includes(s.id) && s.status !== 'ok' && s.status !== 'truncated');
  if (unavailable.length) {
    out.push(
      t.t('crash.kernel.unavailable') +
        '\n\n' +
        unavailable.map((s) => `- ${code(s.path ?? s.id)}: ${t.t(`status.${statusKey(s.status)}`)}${s.error ? ` — ${code(s.error)}` : ''}`).join('\n'),
    );
  }
  return out.join('\n\n');
}

export function statusKey(status: string): string {
  return ['ok', 'missing', 'denied', 'timeout', 'failed', 'truncated', 'unavailable'].includes(status) ? status : 'other';
}

function logsBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out = [`### ${t.t('crash.logs.heading')}`];
  const logs = inSection('logs');
  const groups = ctx.findings.filter((f) => logs(f.rule));
  const skipped = a.skipped.find((s) => logs(s.rule));
  const lines: string[] = [];
  for (const f of groups) {
    const count = typeof f.params.count === 'number' ? f.params.count : f.evidenceTotal;
    const noise = typeof f.params.noise === 'number' ? f.params.noise : 0;
    const verdict = noise >= count && noise > 0 ? `**${t.t('crash.logs.verdictNoise')}**` : noise > 0 ? t.t('crash.logs.verdictMixed', { n: count - noise }) : `**${t.t('crash.logs.verdictReal')}**`;
    lines.push(`- ${t.t('crash.logs.group', { subject: f.subject, n: count, noise })} → ${verdict} ${ref(ctx, f)}`);
  }
  const withErrors = new Set(groups.map((f) => (typeof f.params.source === 'string' ? f.params.source : '')));
  const clean = a.sources.filter((s) => s.id === 'app-log' && s.path && (s.status === 'ok' || s.status === 'truncated') && !withErrors.has(s.path));
  // Compact: logs without errors are only counted (the appendix of a full report lists them).
  if (ctx.b.compact && clean.length) lines.push(`- ${t.t('crash.logs.cleanCount', { n: clean.length })}`);
  else for (const s of clean) lines.push(`- ${t.t('crash.logs.clean', { path: s.path!, n: s.inWindow ?? s.records ?? 0 })}`);
  if (skipped) lines.push(`- ${t.t('crash.logs.skipped', { reason: skipped.reason })}`);
  out.push(lines.length ? lines.join('\n') : t.t('crash.logs.none'));
  return out.join('\n\n');
}

function ruledOutBlock(ctx: ReportContext): string {
  const { a, t } = ctx;
  const fired = new Set(a.findings.map((f) => f.rule));
  const skipped = new Set(a.skipped.map((s) => s.rule));
  const clear = RULED_OUT.filter((r) => !fired.has(r) && !skipped.has(r));
  const out = [`### ${t.t('crash.ruledOut.heading')}`];
  // Compact: the checks by id on one line; each one's sentence is in the rule catalogue (charger-diag rules).
  if (clear.length && ctx.b.compact) out.push(t.t('crash.ruledOut.compact', { rules: md(clear.map(code).join(', ')) }));
  else out.push(clear.length ? clear.map((r) => `- ${t.t(`rule.${r}.ruledOut`)} (${code(r)})`).join('\n') : t.t('crash.ruledOut.none'));
  const notChecked = RULED_OUT.filter((r) => skipped.has(r));
  if (notChecked.length) out.push(t.t('crash.ruledOut.notChecked', { rules: md(notChecked.map(code).join(', ')) }));
  return out.join('\n\n');
}

export function crash(ctx: ReportContext): string {
  return [outageBlock(ctx), resourcesBlock(ctx), kernelBlock(ctx), logsBlock(ctx), ruledOutBlock(ctx)].join('\n\n');
}

