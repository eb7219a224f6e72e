// Monitoring ve Alerting Önerileri / Monitoring and alerting: what to watch
// on this device after the fix, tied to what the bundle showed.
import { someCodes, str, strs, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { commandUnit, fixItems, unitOf } from './plan.js';
import { rule as proxyRule } from '../../rules/proxy-upstream-errors/rule.js';
import { rule as noHealthCheckRule } from '../../rules/service-no-health-check/rule.js';
import { rule as journalVolatileRule } from '../../rules/journal-volatile/rule.js';
import { rule as logErrorsRule } from '../../rules/log-errors/rule.js';

export function monitoring(ctx: ReportContext): string {
  const { a, t } = ctx;
  const items = fixItems(ctx);
  const out: string[] = [];
  const health = items.filter((i) => i.kind === 'health');
  for (const h of health) {
    const service = str(h.primary.params?.healthService) ?? '?';
    out.push(t.t('monitor.health', { timer: str(h.primary.params?.healthTimer) ?? '?', service, url: str(h.primary.params?.url) ?? '?', unit: unitOf(h.primary), command: `journalctl -u ${commandUnit(service)} --grep curl` }));
  }
  const restarted = [...new Set(items.filter((i) => i.kind === 'unit' || i.kind === 'restart').map((i) => unitOf(i.primary)))];
  for (const s of a.services) if (s.managedBy === 'systemd' && s.siteLocal && s.unit && s.restart && s.restart !== 'no' && !restarted.includes(s.unit)) restarted.push(s.unit);
  if (restarted.length) out.push(t.t('monitor.restarts', { units: someCodes(ctx, restarted), command: `systemctl show -p NRestarts ${commandUnit(restarted[0]!)}` }));
  const proxies = a.findings.filter((f) => f.rule === proxyRule.id);
  for (const p of proxies.slice(0, ctx.b.fold.subjects)) {
    const proxy = str(p.params.proxy) ?? p.subject;
    const sources = strs(p.params.sources);
    out.push(t.t(proxy === 'ngrok' ? 'monitor.proxyNgrok' : proxy === 'nginx' ? 'monitor.proxyNginx' : 'monitor.proxy', { proxy, sources: md(sources.map(code).join(', ')) }));
  }
  const missing = a.findings.filter((f) => f.rule === noHealthCheckRule.id && !a.artifacts.some((x) => x.for === f.rule && x.subject === f.subject));
  if (missing.length) out.push(t.t('monitor.healthMissing', { units: someCodes(ctx, missing.map((f) => f.subject)) }));
  out.push(t.t('monitor.resources'));
  const volatile = a.findings.some((f) => f.rule === journalVolatileRule.id);
  out.push(volatile ? t.t('monitor.journalVolatile') : a.hostInfo?.journalStorage ? t.t('monitor.journalOk', { storage: a.hostInfo.journalStorage }) : t.t('monitor.journalUnknown'));
  const noise = a.findings.filter((f) => f.rule === logErrorsRule.id && f.noise);
  if (noise.length) out.push(t.t('monitor.noise', { subjects: someCodes(ctx, noise.map((f) => f.subject)) }));
  out.push(t.t('monitor.rerun'));
  return out.map((x, i) => `${i + 1}. ${x}`).join('\n');
}
