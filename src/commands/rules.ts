// `charger-diag rules`: the catalogue with each rule's explanation.
import { ALL_RULES as RULES } from '../rules/index.js';
import { paramsOf } from '../rules/describe-params.js';
import { LANGS } from '../report/i18n.js';
import type { CliIo } from './io.js';

export function rulesCommand(opts: { json?: boolean }, io: CliIo): number {
  if (opts.json) {
    const list = RULES.map((r) => ({
      id: r.id,
      severity: r.severity,
      needs: r.needs,
      needsAny: r.needsAny ?? [],
      summary: r.summary,
      docs: r.docs,
      // Added with one-module rules; the keys above are unchanged.
      /** a condition that stays after the outage (analysis recurrence.because) */
      standing: r.standing === true,
      /** a fault that happened, not a condition a configuration change removes */
      event: r.event !== undefined,
      /** it proposes ready-to-apply files (analysis artifacts[].for) */
      artifacts: r.artifacts !== undefined,
      /** the kinds of cause its findings give (analysis causes[].id), when it takes part in cause analysis */
      causes: r.cause?.event ? [r.cause.event.id] : r.cause ? (r.cause.kinds ?? []) : [],
      /** findings[].params: each param's type, and whether a finding may lack it */
      params: paramsOf(r.params),
      /** the report languages its messages are written in */
      languages: LANGS.filter((l) => Object.keys(r.messages[l]).length > 0),
    }));
    io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const r of RULES) {
    out.push(`${r.id}  [${r.severity}]`);
    out.push(`  ${r.summary}`);
    const needs = [...r.needs, ...(r.needsAny?.length ? [`one of ${r.needsAny.join('/')}`] : [])];
    if (needs.length) out.push(`  needs: ${needs.join(', ')}`);
    for (const l of r.docs.split('\n')) out.push(`  ${l}`);
    out.push('');
  }
  io.stdout.write(out.join('\n'));
  return 0;
}
