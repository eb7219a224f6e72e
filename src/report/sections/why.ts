// Neden Oldu? / Why did it happen?: causes ranked by confidence with the
// findings and lines behind them, then what stays unknown and what was read
// to say so.
import type { Cause, Unknown } from '../../analysis/causes.js';
import { evidenceBlock, refs, someCodes, str, strs, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { duration, time } from '../format.js';
import { describeFinding } from '../findings.js';
import { portOf } from '../../net/address.js';


/** One sentence for a cause, in the report's language. */
export function causeSentence(ctx: ReportContext, c: Cause): string {
  const { a, t } = ctx;
  const f = c.findings[0]!;
  switch (c.id) {
    case 'unmanaged-down': {
      const proxy = c.findings[1]!;
      const ports = strs(f.params.ports);
      const upstreams = strs(proxy.params.upstreams);
      let s = t.t('cause.unmanaged-down', {
        subject: f.subject,
        port: portOf(ports[0] ?? ''),
        scope: str(f.params.scope) ?? str(f.params.cgroup) ?? '?',
        proxy: str(proxy.params.proxy) ?? proxy.subject,
        upstream: upstreams[0] ?? '?',
        n: typeof proxy.params.failedRequests === 'number' ? proxy.params.failedRequests : typeof proxy.params.count === 'number' ? proxy.params.count : proxy.evidenceTotal,
        duration: md(a.outage ? duration(t, a.outage.durationSeconds) : '?'),
      });
      if (c.recovery?.restartedAt) {
        s += ' ' + t.t(c.recovery.login ? 'cause.recovery.login' : 'cause.recovery', {
          subject: f.subject,
          at: time(c.recovery.restartedAt),
          loginAt: time(c.recovery.login?.time),
          session: c.recovery.login?.subject ?? '',
        });
      }
      return s;
    }
    case 'unmanaged-risk':
      return t.t('cause.unmanaged-risk', { subject: f.subject });
    case 'no-restart-exited':
      return t.t('cause.no-restart-exited', { unit: f.subject, n: typeof f.params.exitedInWindow === 'number' ? f.params.exitedInWindow : 0, restart: `Restart=${str(f.params.restart) ?? 'no'}` });
    case 'no-restart-risk':
      return t.t('cause.no-restart-risk', { unit: f.subject, restart: `Restart=${str(f.params.restart) ?? 'no'}` });
    case 'no-health-check':
    case 'no-health-check-outage':
      return t.t(`cause.${c.id}`, { units: someCodes(ctx, c.findings.map((x) => x.subject)), n: c.findings.length });
    default:
      return t.t(`cause.${c.id}`, { finding: md(describeFinding(t, f).title) });
  }
}

function unknownBlock(ctx: ReportContext, u: Unknown): string {
  const t = ctx.t;
  const out = [`**${t.t('confidence.unknownLabel')}** ${t.t(`unknown.${u.id}`, { subject: u.subject, port: u.port ?? '?' })}`];
  out.push(t.t('unknown.read', { sources: md(u.read.map(code).join(', ')), n: u.read.length }));
  if (u.unavailable.length) {
    out.push(t.t('unknown.unavailable', { list: md(u.unavailable.map((s) => `${code(s.path ?? s.id)} (${t.t(`status.${['missing', 'denied', 'timeout', 'failed', 'unavailable'].includes(s.status) ? s.status : 'other'}`)})`).join(', ')) }));
  }
  if (u.clue) {
    out.push(t.t('unknown.clue', { scope: u.clue.subject ?? '?', at: time(u.clue.time), n: u.clueSecondsBefore ?? 0 }));
    out.push(evidenceBlock(ctx, [{ source: u.clue.source, line: u.clue.line, time: u.clue.time, text: u.clue.text }]));
  } else {
    out.push(t.t('unknown.noClue'));
  }
  out.push(t.t(`unknown.next.${u.id}`));
  return out.join('\n\n');
}

function causeBlock(ctx: ReportContext, c: Cause, n: number): string {
  const t = ctx.t;
  // A risk that did not cause this outage has no confidence to rank by.
  const label = c.related || !ctx.a.outage ? t.t('confidence.label', { confidence: md(t.t(`confidence.${c.confidence}`)) }) : t.t('why.riskLabel');
  const parts = [`**${n}. ${label}** ${causeSentence(ctx, c)}`];
  parts.push(t.t('why.basis', { rules: md([...new Set(c.findings.map((f) => code(f.rule)))].join(', ')), refs: md(refs(ctx, c.findings)) }));
  if (c.evidence.length) parts.push(evidenceBlock(ctx, c.evidence, c.evidence.length, c.id === 'unmanaged-down' ? 2 : 1));
  return parts.join('\n\n');
}

export function why(ctx: ReportContext): string {
  const { a, t } = ctx;
  const { causes, unknowns } = ctx.causes;
  const out: string[] = [];
  if (causes.length === 0 && unknowns.length === 0) return t.t(a.outage ? 'why.outageNoCause' : 'why.nothing');
  // A cause whose findings are all folded is only counted, as they are: a
  // device where hundreds of units failed has hundreds of such causes.
  const spelled = (c: Cause) => ctx.folded.length === 0 || c.findings.some((f) => ctx.findings.includes(f));
  const related = causes.filter((c) => c.related && spelled(c));
  const risks = causes.filter((c) => !c.related && spelled(c));
  const counted = causes.length - related.length - risks.length;
  if (a.outage) {
    out.push(related.length ? t.t('why.intro') : t.t('why.outageNoCause'));
    related.forEach((c, i) => out.push(causeBlock(ctx, c, i + 1)));
  }
  if (unknowns.length) {
    out.push(`### ${t.t('why.unknownHeading')}`);
    for (const u of unknowns) out.push(unknownBlock(ctx, u));
  }
  if (risks.length) {
    if (a.outage) out.push(`### ${t.t('why.risksHeading')}`);
    out.push(t.t(a.outage ? 'why.risksIntro' : 'why.noOutage'));
    risks.forEach((c, i) => out.push(causeBlock(ctx, c, i + 1)));
  }
  if (counted) out.push(`_${t.t('why.folded', { n: counted })}_`);
  return out.join('\n\n');
}
