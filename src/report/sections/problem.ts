// Sorun Tespiti / Problem detection: the services as found, then every
// finding with what the bundle shows and the lines that show it.
import type { Finding, ServiceEntry } from '../../analysis/schema.js';
import { codes, evidenceBlock, linesBehind, quoteLine, someCodes, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
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

/** Length of the quoted text in a counted row: a row per check, so the table stays bounded. */
const FOLDED_QUOTE_MAX = 60;

/** The first finding's first quoted line, where it is and how it begins: no finding loses all of its quote. */
function firstQuoted(g: Finding[]): string {
  const e = g.find((f) => f.evidence.length > 0)?.evidence[0];
  if (!e) return '—';
  const text = e.text.length > FOLDED_QUOTE_MAX ? `${e.text.slice(0, FOLDED_QUOTE_MAX)}…` : e.text;
  return `${code(e.line !== null ? `${e.source}:${e.line}` : e.source)} ${code(text)}`;
}

/**
 * The findings this budget does not detail, one row per severity and check:
 * how many, the first subjects, how many lines stand behind them, and where
 * the full list is. Its size depends on the number of checks, not findings.
 */
function foldedBlock(ctx: ReportContext): string {
  const { t } = ctx;
  const groups = new Map<string, Finding[]>();
  for (const f of ctx.folded) {
    const key = `${f.severity}\u0000${f.rule}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const count = (s: Finding['severity']) => ctx.folded.filter((f) => f.severity === s).length;
  const rows = [...groups.values()].map((g) => {
    const f = g[0]!;
    return [
      `**${severityWord(t, f.severity)}**`,
      `${ruleName(t, f.rule)} (${code(f.rule)})`,
      t.n(g.length),
      someCodes(ctx, [...new Set(g.map((x) => x.subject))]).text,
      t.n(g.reduce((n, x) => n + linesBehind(x), 0)),
      firstQuoted(g),
    ];
  });
  const json = md(code('charger-diag analyze BUNDLE --json'));
  return [
    `### ${t.t('problem.folded.heading')}`,
    t.t('problem.folded.intro', { max: ctx.maxChars, n: ctx.folded.length, critical: count('critical'), warning: count('warning'), info: count('info'), json }),
    table([t.t('col.severity'), t.t('col.rule'), t.t('col.findings'), t.t('col.subjects'), t.t('col.linesBehind'), t.t('col.firstLine')], rows),
  ].join('\n\n');
}

/** All clear: each info finding as a note, its title, what the bundle shows and its first quoted line; no fix. */
function notesBlock(ctx: ReportContext): string {
  const { t } = ctx;
  const notes = ctx.findings.map((f, i) => {
    const d = describeFinding(t, f);
    const first = f.evidence[0];
    // What the bundle shows stays (which source decided, when): it is what makes the note worth reading.
    const state = d.state.length ? indent(d.state.map((x) => `- ${x}`).join('\n')) : '';
    return [`${i + 1}. ${d.title} · ${ruleName(t, f.rule)} (${code(f.rule)})`, state, first ? indent(quoteLine(ctx, first)) : ''].filter(Boolean).join('\n\n');
  });
  return [`### ${t.t('problem.notes.heading')}`, notes.join('\n\n')].join('\n\n');
}

function indent(s: string): string {
  return s.split('\n').map((l) => (l ? `   ${l}` : l)).join('\n');
}

export function problem(ctx: ReportContext): string {
  const { a, t } = ctx;
  const out: string[] = [];
  if (ctx.b.servicesTable && a.services.length > 0) out.push(servicesTable(ctx));
  if (ctx.findings.length === 0 && ctx.folded.length === 0) {
    out.push(t.t('problem.none'));
    return out.join('\n\n');
  }
  if (ctx.allClear) {
    out.push(t.t('problem.allClear'));
    if (ctx.findings.length) out.push(notesBlock(ctx));
    if (ctx.folded.length) out.push(foldedBlock(ctx));
    return out.join('\n\n');
  }
  if (ctx.findings.length) out.push(t.t('problem.intro', { n: ctx.findings.length }));
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
  if (ctx.folded.length) out.push(foldedBlock(ctx));
  return out.join('\n\n');
}
