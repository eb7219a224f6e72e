// `charger-diag rules`: the catalogue with each rule's explanation.
import { RULES } from '../rules/index.js';
import type { CliIo } from './io.js';

export function rulesCommand(opts: { json?: boolean }, io: CliIo): number {
  if (opts.json) {
    const list = RULES.map((r) => ({ id: r.id, severity: r.severity, needs: r.needs, needsAny: r.needsAny ?? [], summary: r.summary, docs: r.docs }));
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
