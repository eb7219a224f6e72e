// Ready-to-apply fixes for the findings: each rule proposes its own files
// (src/rules/*/artifacts.ts: a unit file for a server started by hand, a
// Restart= drop-in, a health-check service + timer, WatchdogSec=); this engine
// runs them in finding order with one set of taken paths, so two proposals
// never claim the same file, and records which rule each file is for. Built
// from facts in the analysis stage so every renderer (and every language)
// prints the same files.
import type { Artifact, Finding } from './schema.js';
import type { Config } from '../config.js';
import type { Facts } from '../facts/types.js';
import type { RedactionCounts } from '../redact.js';
import { ruleById } from '../rules/index.js';
import { Applicable, takenPaths, withPlaceholders, type ArtifactKit } from './artifact-kit.js';

export { withPlaceholders, resolveHealthUrl, UNIT_PLACEHOLDER, SECRET_PLACEHOLDER } from './artifact-kit.js';

export function buildArtifacts(facts: Facts, findings: Finding[], config: Config, counts?: RedactionCounts): Artifact[] {
  const out: Artifact[] = [];
  const kit: ArtifactKit = { facts, config, ap: new Applicable(counts), taken: takenPaths(facts) };
  for (const f of findings) {
    const rule = ruleById(f.rule);
    if (!rule?.artifacts) continue;
    const p = rule.params.safeParse(f.params);
    if (!p.success) continue;
    for (const { kind, path, content, subject, params, steps, evidence, ...rest } of rule.artifacts(f, p.data, kit)) {
      // Keys in the contract's order (docs/analysis-json.md), as every version has printed them.
      out.push({
        kind,
        for: rule.id,
        path,
        content,
        ...(subject !== undefined ? { subject } : {}),
        ...(params !== undefined ? { params } : {}),
        ...(steps !== undefined ? { steps } : {}),
        ...(evidence !== undefined ? { evidence } : {}),
        ...rest,
      });
    }
  }
  return out.map(withPlaceholders);
}
