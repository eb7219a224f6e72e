// Çözüm Planı / Solution plan: what to change and why, each ready-made file
// with where its settings came from; what is missing where no file can be
// made yet; the remaining findings' fixes.
import type { Artifact, Finding } from '../../analysis/schema.js';
import { codes, evidenceBlock, num, ref, str, strs, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code, fence } from '../markdown.js';
import { describeFinding } from '../findings.js';
import { hasMark } from '../../redact-names.js';
import { ruleById } from '../../rules/index.js';
import { rule as noHealthCheckRule } from '../../rules/service-no-health-check/rule.js';
import { rule as logErrorsRule } from '../../rules/log-errors/rule.js';
import { portOf } from '../../net/address.js';

export interface FixItem {
  kind: 'unit' | 'restart' | 'health' | 'watchdog';
  primary: Artifact;
  /** files written with it (the health timer next to its service) */
  extra: Artifact[];
}

/** An artifact made for a finding this report only counts (it is in the analysis JSON). */
export function foldedArtifact(ctx: ReportContext, art: Artifact): boolean {
  return ctx.folded.length > 0 && ctx.folded.some((f) => f.rule === art.for && f.subject === art.subject) && !ctx.findings.some((f) => f.rule === art.for && f.subject === art.subject);
}

/** The artifacts as the fixes a person applies, in the order to apply them (those of folded findings left out). */
export function fixItems(ctx: ReportContext): FixItem[] {
  const items: FixItem[] = [];
  for (const art of ctx.a.artifacts) {
    if (foldedArtifact(ctx, art)) continue;
    const setting = art.params?.setting;
    if (art.kind === 'unit-file') items.push({ kind: 'unit', primary: art, extra: [] });
    else if (art.kind === 'drop-in' && setting === 'restart') items.push({ kind: 'restart', primary: art, extra: [] });
    else if (art.kind === 'drop-in' && setting === 'watchdog') items.push({ kind: 'watchdog', primary: art, extra: [] });
    else if (art.kind === 'health-check-service') items.push({ kind: 'health', primary: art, extra: [] });
    else if (art.kind === 'health-check-timer') {
      const owner = [...items].reverse().find((i) => i.kind === 'health' && i.primary.params?.healthTimer === art.params?.healthTimer);
      if (owner) owner.extra.push(art);
    }
  }
  const rank = { unit: 0, restart: 1, health: 2, watchdog: 3 } as const;
  // A unit's own health check (made for the same finding as a unit file) follows the units; the rest keep their kind's order.
  const ownsUnit = (art: Artifact) => items.some((i) => i.kind === 'unit' && i.primary.for === art.for && i.primary.subject === art.subject);
  return items
    .map((item, i) => ({ item, i, key: item.kind === 'health' && ownsUnit(item.primary) ? 0.5 : rank[item.kind] }))
    .sort((x, y) => x.key - y.key || x.i - y.i)
    .map((x) => x.item);
}

export function unitOf(art: Artifact): string {
  return str(art.params?.unit) ?? art.subject ?? art.path;
}

/** A file the device has already is never overwritten: say what was proposed instead, and why. */
function existsNote(ctx: ReportContext, art: Artifact): string[] {
  const e = art.params?.exists as { path?: unknown; instead?: unknown } | undefined;
  if (!e || typeof e !== 'object' || !str(e.path)) return [];
  const instead = str(e.instead) === 'drop-in' ? 'drop-in' : 'renamed';
  return [`**${ctx.t.t(`plan.exists.${instead}`, { path: codes([str(e.path)!]), file: codes([art.path]) })}**`];
}

function placeholderKinds(item: FixItem): Set<string> {
  return new Set([item.primary, ...item.extra].flatMap((a) => (a.placeholders ?? []).map((p) => p.kind)));
}

/** A unit's name as a command in the text may use it: `<unit-name>.service` when the name held a secret (its redaction mark is no name to run). */
export function commandUnit(unit: string): string {
  return hasMark(unit) ? `<unit-name>${/\.[a-z]+$/.exec(unit)?.[0] ?? ''}` : unit;
}

/** What to fill in before the files and commands of a fix can be applied, one bold line each. */
export function placeholderNotes(ctx: ReportContext, item: FixItem): string[] {
  const kinds = placeholderKinds(item);
  const out: string[] = [];
  if (kinds.has('unit-name')) out.push(`**${ctx.t.t('plan.placeholder.unitName', { unit: unitOf(item.primary) })}**`);
  if (kinds.has('secret')) out.push(`**${ctx.t.t('plan.redacted')}**`);
  return out;
}

function fileBlock(ctx: ReportContext, art: Artifact, step: number): string {
  if (!ctx.b.filesInPlan) return ctx.t.t('plan.fileInStep', { path: art.path, step });
  return `${code(art.path)}\n\n${fence(art.content, 'ini')}`;
}

function unitItem(ctx: ReportContext, item: FixItem, n: number): string {
  const { t } = ctx;
  const p = item.primary.params ?? {};
  const unit = unitOf(item.primary);
  const out = [`### ${n}. ${t.t('plan.unit.heading', { unit, subject: item.primary.subject ?? '' })}`];
  out.push(t.t('plan.unit.goal', { unit }));
  const bullets = [
    t.t('plan.unit.restart', { restartSec: num(p.restartSec) ?? 5 }),
    t.t('plan.unit.startLimit', { burst: num(p.startLimitBurst) ?? 5, interval: num(p.startLimitIntervalSec) ?? 300, unit }),
    t.t('plan.unit.boot'),
    str(p.stdout) ? t.t('plan.unit.journal', { stdout: str(p.stdout), command: `journalctl -u ${commandUnit(unit)}` }) : t.t('plan.unit.journalPlain', { command: `journalctl -u ${commandUnit(unit)}` }),
  ];
  out.push(bullets.map((b) => `- ${b}`).join('\n'));
  const from = [
    t.t('plan.unit.fromUser', { user: str(p.user) ?? '?' }),
    str(p.workingDirectory) ? t.t('plan.unit.fromCwd', { cwd: str(p.workingDirectory) }) : `**${t.t('plan.unit.cwdUnknown')}**`,
    t.t('plan.unit.fromExec'),
  ];
  if (str(p.execStartResolved)) from.push(t.t('plan.unit.resolved', { from: str(p.execStartResolved) }));
  out.push(`${t.t('plan.unit.from')}\n\n${from.map((b) => `- ${b}`).join('\n')}`);
  out.push(...placeholderNotes(ctx, item));
  const existing = p.existingUnit as { fragment?: unknown; activeState?: unknown } | null | undefined;
  if (existing && typeof existing === 'object') {
    out.push(`**${t.t('plan.unit.existing', { unit, fragment: str(existing.fragment) ?? '?', state: str(existing.activeState) ?? '?' })}**`);
  }
  out.push(...existsNote(ctx, item.primary));
  out.push(fileBlock(ctx, item.primary, n));
  if (item.primary.evidence?.length) out.push(evidenceBlock(ctx, item.primary.evidence, item.primary.evidence.length, item.primary.evidence.length));
  return out.join('\n\n');
}

function restartItem(ctx: ReportContext, item: FixItem, n: number): string {
  const { t } = ctx;
  const p = item.primary.params ?? {};
  const unit = unitOf(item.primary);
  return [
    `### ${n}. ${t.t('plan.restart.heading', { unit })}`,
    t.t('plan.restart.why', { unit, restart: `Restart=${str(p.restart) ?? 'no'}`, restartSec: num(p.restartSec) ?? 5, burst: num(p.startLimitBurst) ?? 5, interval: num(p.startLimitIntervalSec) ?? 300 }),
    t.t('plan.restart.noInterruption', { unit }),
    ...existsNote(ctx, item.primary),
    ...placeholderNotes(ctx, item),
    fileBlock(ctx, item.primary, n),
  ].join('\n\n');
}

function healthItem(ctx: ReportContext, item: FixItem, n: number): string {
  const { t } = ctx;
  const p = item.primary.params ?? {};
  const unit = unitOf(item.primary);
  const out = [`### ${n}. ${t.t('plan.health.heading', { unit })}`];
  out.push(t.t('plan.health.what', { url: str(p.url) ?? '?', unit, every: num(p.everySec) ?? 30, timer: str(p.healthTimer) ?? '?' }));
  const seen = p.seen as { path?: unknown; count?: unknown; statuses?: unknown; log?: unknown } | null | undefined;
  const source = str(p.urlSource);
  if (source === 'access-log' && seen && typeof seen === 'object') {
    const statuses = seen.statuses && typeof seen.statuses === 'object' ? Object.entries(seen.statuses as Record<string, number>).map(([k, v]) => `${k} ×${v}`) : [];
    out.push(t.t('plan.health.seen', { path: str(seen.path) ?? '?', n: num(seen.count) ?? 0, statuses: md(statuses.map(code).join(', ')), log: str(seen.log) ?? '?' }));
    out.push(t.t('plan.health.preferDedicated', { path: str(seen.path) ?? '?' }));
  } else if (source === 'probe') out.push(t.t('plan.health.fromProbe'));
  else if (source === 'config') out.push(t.t('plan.health.fromConfig'));
  if (item.primary.evidence?.length) out.push(evidenceBlock(ctx, item.primary.evidence, item.primary.evidence.length));
  out.push(t.t('plan.health.maintenance', { timer: str(p.healthTimer) ?? '?', unit }));
  out.push(...existsNote(ctx, item.primary));
  out.push(...placeholderNotes(ctx, item));
  out.push(fileBlock(ctx, item.primary, n));
  for (const x of item.extra) out.push(fileBlock(ctx, x, n));
  return out.join('\n\n');
}

function watchdogItem(ctx: ReportContext, item: FixItem, n: number): string {
  const { t } = ctx;
  const p = item.primary.params ?? {};
  const unit = unitOf(item.primary);
  return [
    `### ${n}. ${t.t('plan.watchdog.heading', { unit })}`,
    t.t('plan.watchdog.why', { unit, signal: str(p.notify) ?? '?', sec: num(p.watchdogSec) ?? 30, half: Math.floor((num(p.watchdogSec) ?? 30) / 2) }),
    ...existsNote(ctx, item.primary),
    ...placeholderNotes(ctx, item),
    fileBlock(ctx, item.primary, n),
  ].join('\n\n');
}

/** A service.no-health-check finding that got no file: say what is missing and how to supply it. */
function healthMissingItem(ctx: ReportContext, f: Finding, n: number): string {
  const { a, t } = ctx;
  const unit = str(f.params.unit) ?? f.subject;
  const ports = strs(f.params.ports);
  const svc = a.services.find((s) => s.unit === unit);
  const type = svc?.type ?? null;
  const port = ports[0] ? portOf(ports[0]) : t.t('placeholder.port');
  const example = `http://127.0.0.1:${port}/${t.t('placeholder.path')}`;
  return [
    `### ${n}. ${t.t('plan.healthMissing.heading', { unit })}`,
    ports.length ? t.t('plan.healthMissing.withPort', { unit, ports: md(ports.map(code).join(', ')) }) : t.t('plan.healthMissing.noPort', { unit }),
    t.t('plan.healthMissing.how', { unit }),
    ...(hasMark(unit) ? [`**${t.t('plan.placeholder.unitName', { unit })}**`] : []),
    fence(`charger-diag collect --health-url ${example}`, 'sh'),
    t.t('plan.healthMissing.orConfig'),
    fence(JSON.stringify({ healthUrls: [{ unit: commandUnit(unit), url: example }] }, null, 2), 'json'),
    t.t('plan.healthMissing.noWatchdog', { unit, type: `Type=${type ?? 'simple'}` }),
  ].join('\n\n');
}

export interface PlanExtras {
  healthMissing: Finding[];
  noise: Finding[];
  other: Finding[];
}

export function planExtras(ctx: ReportContext): PlanExtras {
  const covered = new Set(ctx.a.artifacts.filter((x) => x.for === noHealthCheckRule.id).map((x) => x.subject));
  // A rule that proposes files is answered by them (or, for a health check, by what is missing to make one).
  const withArtifacts = (rule: string) => ruleById(rule)?.artifacts !== undefined;
  const noise = (f: Finding) => f.rule === logErrorsRule.id && f.noise === true;
  return {
    healthMissing: ctx.findings.filter((f) => f.rule === noHealthCheckRule.id && !covered.has(f.subject)),
    noise: ctx.findings.filter(noise),
    other: ctx.findings.filter((f) => !withArtifacts(f.rule) && !noise(f)),
  };
}

export function plan(ctx: ReportContext): string {
  const { t } = ctx;
  const items = fixItems(ctx);
  const extras = planExtras(ctx);
  const out: string[] = [];
  let n = 0;
  if (items.length + extras.healthMissing.length + extras.noise.length + extras.other.length === 0 && ctx.folded.length === 0) return t.t('plan.nothing');
  out.push(t.t('plan.intro'));
  for (const item of items) {
    n++;
    if (item.kind === 'unit') out.push(unitItem(ctx, item, n));
    else if (item.kind === 'restart') out.push(restartItem(ctx, item, n));
    else if (item.kind === 'health') out.push(healthItem(ctx, item, n));
    else out.push(watchdogItem(ctx, item, n));
  }
  for (const f of extras.healthMissing) out.push(healthMissingItem(ctx, f, ++n));
  if (extras.noise.length) {
    out.push(
      [`### ${++n}. ${t.t('plan.noise.heading')}`, t.t('plan.noise.what', { subjects: md(extras.noise.map((f) => `${code(f.subject)} ${ref(ctx, f)}`).join(', ')) })].join('\n\n'),
    );
  }
  for (const f of extras.other) {
    const d = describeFinding(t, f);
    out.push([`### ${++n}. ${d.title}`, `${d.fix} ${ref(ctx, f)}`].join('\n\n'));
  }
  const foldedFiles = ctx.a.artifacts.filter((art) => foldedArtifact(ctx, art)).length;
  if (foldedFiles) out.push(`_${t.t('plan.foldedFiles', { n: foldedFiles })}_`);
  return out.join('\n\n');
}
