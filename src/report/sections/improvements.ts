// Beklenen İyileştirmeler / Expected improvements: before (as the bundle
// shows it) and after (once the plan is applied), row by row.
import { num, str, type ReportContext } from '../context.js';
import { md } from '../i18n.js';
import { code, table } from '../markdown.js';
import { duration } from '../format.js';
import { describeFinding } from '../findings.js';
import { commandUnit, fixItems, planExtras, unitOf } from './plan.js';

// Text symbols rather than emoji: they print, and render with the fonts a
// minimal Linux desktop or a headless browser has (DejaVu Sans carries them).
const BEFORE = '✗';
const AFTER = '✓';
const OPEN = '⚠';

export function improvements(ctx: ReportContext): string {
  const { a, t } = ctx;
  const items = fixItems(ctx);
  const rows: string[][] = [];
  const health = items.filter((i) => i.kind === 'health');
  const down = ctx.causes.causes.find((c) => c.id === 'unmanaged-down');
  if (a.outage) {
    rows.push([
      t.t('improve.area.outage'),
      `${BEFORE} ${t.t(down?.recovery?.restartedAt ? 'improve.before.outageManual' : 'improve.before.outage', { duration: md(duration(t, a.outage.durationSeconds)) })}`,
      `${AFTER} ${t.t(health.length ? 'improve.after.outageHealth' : 'improve.after.outage', { restartSec: 5, every: 30 })}`,
    ]);
  }
  for (const item of items) {
    const p = item.primary.params ?? {};
    const unit = unitOf(item.primary);
    if (item.kind === 'unit') {
      rows.push([t.t('improve.area.management'), `${BEFORE} ${t.t('improve.before.unmanaged', { subject: item.primary.subject ?? '?', scope: str(p.scope) ?? '?' })}`, `${AFTER} ${t.t('improve.after.unmanaged', { unit })}`]);
      if (str(p.stdout)) rows.push([t.t('improve.area.logs'), `${BEFORE} ${t.t('improve.before.logs', { stdout: str(p.stdout) })}`, `${AFTER} ${t.t('improve.after.logs', { command: `journalctl -u ${commandUnit(unit)}` })}`]);
    } else if (item.kind === 'restart') {
      rows.push([t.t('improve.area.restart'), `${BEFORE} ${t.t('improve.before.restart', { unit, restart: `Restart=${str(p.restart) ?? 'no'}` })}`, `${AFTER} ${t.t('improve.after.restart', { restartSec: num(p.restartSec) ?? 5, burst: num(p.startLimitBurst) ?? 5, interval: num(p.startLimitIntervalSec) ?? 300 })}`]);
    } else if (item.kind === 'health') {
      rows.push([t.t('improve.area.health'), `${BEFORE} ${t.t('improve.before.health', { unit })}`, `${AFTER} ${t.t('improve.after.health', { timer: str(p.healthTimer) ?? '?', every: num(p.everySec) ?? 30 })}`]);
    } else {
      rows.push([t.t('improve.area.health'), `${BEFORE} ${t.t('improve.before.health', { unit })}`, `${AFTER} ${t.t('improve.after.watchdog', { sec: num(p.watchdogSec) ?? 30 })}`]);
    }
  }
  const extras = planExtras(ctx);
  for (const f of extras.healthMissing) {
    rows.push([t.t('improve.area.health'), `${BEFORE} ${t.t('improve.before.health', { unit: f.subject })}`, `${OPEN} ${t.t('improve.after.healthMissing')}`]);
  }
  if (extras.noise.length) {
    const n = extras.noise.reduce((s, f) => s + (typeof f.params.noise === 'number' ? f.params.noise : 0), 0);
    rows.push([t.t('improve.area.noise'), `${BEFORE} ${t.t('improve.before.noise', { n })}`, `${AFTER} ${t.t('improve.after.noise')}`]);
  }
  for (const f of extras.other) rows.push([code(f.rule), `${BEFORE} ${describeFinding(t, f).title}`, `${AFTER} ${t.t('improve.after.other')}`]);
  if (rows.length === 0) return t.t('improve.nothing');
  return [t.t('improve.intro'), table([t.t('col.area'), t.t('col.before'), t.t('col.after')], rows)].join('\n\n');
}
