// bundle → facts → rules → the analysis JSON (docs/analysis-json.md).
import type { Bundle } from '../bundle/reader.js';
import type { Config } from '../config.js';
import { buildFacts } from '../facts/build.js';
import type { ReadOptions } from '../facts/providers/types.js';
import { RULES, STANDING_CONDITIONS } from '../rules/index.js';
import { runRules } from './run-rules.js';
import { computeOutages } from './outage.js';
import { resourceRows, serviceEntries, timeline } from './views.js';
import type { Analysis } from './schema.js';
import { buildArtifacts, withPlaceholders } from './artifacts.js';
import { analyseCauses, causesJson } from './causes.js';
import type { RedactionCounts } from '../redact.js';
import { redactDeep } from '../redact.js';
import { buildPicture } from './picture.js';
import { TOOL } from '../version.js';
import { applyWaivers } from './waivers.js';

export interface AnalyzeOptions {
  /** the time waivers are judged at (their `until`); the wall clock unless a test fixes it */
  nowMs?: number;
  /** how a big journal is read: see ReadOptions */
  read?: ReadOptions;
}

export async function analyzeBundle(bundle: Bundle, givenConfig: Config, opts: AnalyzeOptions = {}): Promise<Analysis> {
  // Units named with `collect --unit` are site-local, as if the config named them (docs/rules.md).
  const collectorUnits = bundle.manifest.collector?.units ?? [];
  const config = collectorUnits.length
    ? { ...givenConfig, siteLocalUnits: [...new Set([...givenConfig.siteLocalUnits, ...collectorUnits])] }
    : givenConfig;
  const { facts, sources } = await buildFacts(bundle, config, opts.read);
  const counts: RedactionCounts = {};
  const ran = runRules(RULES, facts, config);
  const { skipped } = ran;
  // Waived findings leave here, before anything below counts them (recurrence, causes, outage basis, artifacts).
  const { findings, waived, waivers } = applyWaivers(ran.findings, config.waivers, facts.hostInfo.utcOffset, opts.nowMs ?? Date.now());
  // A basis whose every finding was waived is not a down signal either.
  const waivedBasis = new Set(waived.map((w) => w.rule).filter((id) => !findings.some((f) => f.rule === id)));
  const { outage, outages } = computeOutages(facts, config.thresholds.outageGapSeconds, waivedBasis);
  const fired = new Set(findings.map((f) => f.rule));
  const because = STANDING_CONDITIONS.filter((id) => fired.has(id));
  const tl = timeline(facts, config.thresholds.outageGapSeconds);
  const analysis: Analysis = {
    formatVersion: 1,
    tool: TOOL,
    bundle: { path: bundle.displayPath, sha256: await bundle.sha256() },
    host: facts.hostname,
    window: { since: facts.fmt(facts.window.sinceMs), until: facts.fmt(facts.window.untilMs) },
    collectedAt: facts.fmt(facts.collectedAtMs),
    outage,
    outages,
    findings,
    skipped,
    recurrence: { likely: because.length > 0, because: [...because] },
    resources: resourceRows(facts, config.thresholds),
    services: serviceEntries(facts),
    timeline: tl.entries,
    timelineTotal: tl.total,
    artifacts: buildArtifacts(facts, findings, config, counts),
    sources,
    logSourcesRead: [...new Set([...facts.logSourcesRead.kernel, ...facts.logSourcesRead.system])].sort(),
    hostInfo: facts.hostInfo,
  };
  if (config.waivers.length > 0) {
    analysis.waived = waived;
    analysis.waivers = waivers;
  }
  const collector = bundle.manifest.collector;
  if (collector) analysis.collector = { mode: collector.mode ?? null, target: collector.target ?? null };
  const trigger = bundle.manifest.trigger;
  if (trigger) {
    const stoppedMs = trigger.time ? Date.parse(trigger.time) : NaN;
    const after = Number.isFinite(stoppedMs) && facts.collectedAtMs !== null ? Math.max(0, Math.round((facts.collectedAtMs - stoppedMs) / 1000)) : null;
    analysis.trigger = { unit: trigger.unit, result: trigger.result, exitCode: trigger.exitCode ?? null, exitStatus: trigger.exitStatus ?? null, time: trigger.time ?? null, hook: trigger.hook ?? null, capturedAfterSeconds: after };
  }
  // Whatever the bundle holds (a --no-redact bundle included), nothing printed carries a secret:
  // the whole JSON, names included, is redacted here, before any renderer sees it.
  const redacted = redactDeep(analysis, counts);
  // A file or command to apply never carries a redaction mark: a placeholder to fill in stands there.
  redacted.artifacts = redacted.artifacts.map(withPlaceholders);
  // The keys in the contract's order (docs/analysis-json.md), as every version has printed them.
  const { waived: waivedOut, waivers: waiversOut, trigger: triggerOut, ...head } = redacted;
  const clean: Analysis = {
    ...head,
    redaction: { bundle: bundle.manifest.redaction?.replacements ?? null, output: counts },
    // Read from the analysis as every renderer gets it (redacted), so the verdict is the one they show.
    causes: causesJson(analyseCauses(redacted)),
    ...(waivedOut !== undefined ? { waived: waivedOut } : {}),
    ...(waiversOut !== undefined ? { waivers: waiversOut } : {}),
    ...(triggerOut !== undefined ? { trigger: triggerOut } : {}),
  };
  // Drawn from the redacted analysis and the facts; its few device words (unit names, sources)
  // are redacted here too, uncounted: they repeat what the analysis already counted.
  const picture = buildPicture(facts, clean);
  if (picture) clean.picture = redactDeep(picture, {});
  // Not parsed again with AnalysisSchema: building that schema and checking the whole JSON was a
  // tenth of a small analyze's start-up, for an object the compiler already holds to the type;
  // test/analysis/schema-conformance.test.ts holds every sample's output to the schema instead.
  return clean;
}
