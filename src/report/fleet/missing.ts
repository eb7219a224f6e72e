// Hosts without a bundle to read: failed collections (with the record's
// reason) and bundles that could not be read (with the one-line error). Both
// messages are device or bundle text: only ever in code spans.
import { code, table } from '../markdown.js';
import { cutNote, type FleetContext } from './context.js';

export function missing(ctx: FleetContext): string {
  const { s, t, b } = ctx;
  const notCollected = s.hosts.filter((h) => h.status === 'not-collected');
  const unreadable = s.hosts.filter((h) => h.status === 'unreadable');
  if (notCollected.length === 0 && unreadable.length === 0) return t.t('fleet.missing.none');
  const out: string[] = [];
  if (notCollected.length) {
    const rows = notCollected.slice(0, b.missingRows).map((h) => [
      code(h.label),
      // The kind's id too: it is what the record, stderr and scripts say.
      `${code(h.failureKind ?? 'failed')}: ${t.t(`fleet.failure.${h.failureKind ?? 'failed'}`)}`,
      h.error ? code(h.error) : t.t('fleet.missing.noMessage'),
    ]);
    out.push(
      `${t.t('fleet.missing.notCollected', { n: notCollected.length })}\n\n` +
        table([t.t('fleet.col.host'), t.t('fleet.col.reason'), t.t('fleet.col.message')], rows) +
        cutNote(ctx, 'fleet.cut.hosts', notCollected.length - rows.length),
    );
  }
  if (unreadable.length) {
    const rows = unreadable.slice(0, b.missingRows).map((h) => [code(h.input ?? h.label), code(h.error ?? '')]);
    out.push(
      `${t.t('fleet.missing.unreadable', { n: unreadable.length })}\n\n` +
        table([t.t('meta.bundle'), t.t('fleet.col.error')], rows) +
        cutNote(ctx, 'fleet.cut.rows', unreadable.length - rows.length),
    );
  }
  return out.join('\n\n');
}
