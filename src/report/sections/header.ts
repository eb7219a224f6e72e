// The title (host and date) and the metadata block every report starts with.
import type { ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code } from '../markdown.js';
import { datePart, span, time } from '../format.js';

/** A hostname is shown as is when it is one, else as data. */
export function hostLabel(host: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(host) ? host : code(host);
}

export function header(ctx: ReportContext): string {
  const { a, t } = ctx;
  const date = datePart(a.outage?.start) ?? datePart(a.window.since) ?? datePart(a.collectedAt) ?? datePart(ctx.createdAt) ?? '';
  const h = a.hostInfo;
  const hostBits = [
    h?.os ? t.t('meta.os', { os: h.os }) : null,
    h?.kernel ? t.t('meta.kernel', { kernel: h.kernel }) : null,
    h?.arch ? t.t('meta.arch', { arch: h.arch }) : null,
    h?.cpus ? t.t('meta.cpus', { n: h.cpus }) : null,
    h?.journalStorage ? t.t('meta.journal', { storage: h.journalStorage }) : null,
  ].filter((x): x is string => x !== null);
  const zone = [h?.timezone, h?.utcOffset].filter(Boolean).join(', ');
  const lines = [
    `# ${t.t('title', { host: md(hostLabel(a.host)), date: md(date) })}`,
    '',
    `- **${t.t('meta.created')}:** ${time(ctx.createdAt).text}`,
    `- **${t.t('meta.tool')}:** ${code(`${a.tool.name} ${a.tool.version}`)}`,
    `- **${t.t('meta.bundle')}:** ${code(a.bundle.path)}`,
    `- **${t.t('meta.sha256')}:** ${code(a.bundle.sha256)}`,
    `- **${t.t('meta.window')}:** ${a.window.since || a.window.until ? span(a.window.since, a.window.until).text : t.t('meta.windowAll')}${zone ? ` (${code(zone)})` : ''}`,
    `- **${t.t('meta.collected')}:** ${time(a.collectedAt).text}`,
    // A capture (charger-diag capture) names the unit whose stop started it.
    ...(a.trigger
      ? [`- **${t.t('meta.captured')}:** ${t.t('meta.capturedText', { seconds: a.trigger.capturedAfterSeconds ?? '?', unit: a.trigger.unit, result: a.trigger.result })}`]
      : []),
    `- **${t.t('meta.host')}:** ${hostLabel(a.host)}${hostBits.length ? ` — ${hostBits.join(', ')}` : ''}`,
    `- **${t.t('meta.owner')}:** _${t.t('human.fill')}_`,
  ];
  return lines.join('\n');
}
