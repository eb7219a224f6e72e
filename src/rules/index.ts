// The rule catalogue v1 (docs/rules.md): ids are a contract. Each rule is one
// module (src/rules/<id>/rule.ts) holding everything about it; this list is
// the only place that enumerates them, and its order is the order findings of
// equal severity are listed in.
import type { AnyRule, Messages } from './define.js';
import type { Lang } from '../report/i18n.js';
import { rule as processUnmanaged } from './process-unmanaged/rule.js';
import { rule as serviceNoRestart } from './service-no-restart/rule.js';
import { rule as serviceNoMemoryLimit } from './service-no-memory-limit/rule.js';
import { rule as serviceNoHealthCheck } from './service-no-health-check/rule.js';
import { rule as serviceRestartLoop } from './service-restart-loop/rule.js';
import { rule as serviceStartLimitHit } from './service-start-limit-hit/rule.js';
import { rule as serviceFailed } from './service-failed/rule.js';
import { rule as serviceWatchdogTimeout } from './service-watchdog-timeout/rule.js';
import { rule as kernelOomKill } from './kernel-oom-kill/rule.js';
import { rule as kernelSegfault } from './kernel-segfault/rule.js';
import { rule as processPortConflict } from './process-port-conflict/rule.js';
import { rule as resourceMemory } from './resource-memory/rule.js';
import { rule as resourceDisk } from './resource-disk/rule.js';
import { rule as resourceLoad } from './resource-load/rule.js';
import { rule as proxyUpstreamErrors } from './proxy-upstream-errors/rule.js';
import { rule as journalVolatile } from './journal-volatile/rule.js';
import { rule as hostRebooted } from './host-rebooted/rule.js';
import { rule as logErrors } from './log-errors/rule.js';

export const RULES = [
  processUnmanaged,
  serviceNoRestart,
  serviceNoHealthCheck,
  serviceRestartLoop,
  serviceStartLimitHit,
  serviceFailed,
  serviceWatchdogTimeout,
  kernelOomKill,
  serviceNoMemoryLimit,
  kernelSegfault,
  processPortConflict,
  resourceMemory,
  resourceDisk,
  resourceLoad,
  proxyUpstreamErrors,
  journalVolatile,
  hostRebooted,
  logErrors,
] as const;

/** The id of a registered rule: derived from the modules, so a misspelt id does not compile. */
export type RuleId = (typeof RULES)[number]['id'];

/** The catalogue as the engine and the renderers iterate it. */
export const ALL_RULES: readonly AnyRule[] = RULES;

const BY_ID = new Map<string, AnyRule>(ALL_RULES.map((r) => [r.id, r]));

/** The rule module of an id (a finding's `rule`, which may come from another version's JSON), or undefined. */
export function ruleById(id: string): AnyRule | undefined {
  return BY_ID.get(id);
}

/** Conditions that remain after the outage and make it likely to happen again (docs/analysis-json.md), in catalogue order. */
export const STANDING_CONDITIONS: readonly RuleId[] = RULES.filter((r) => 'standing' in r && r.standing === true).map((r) => r.id);

/** Every rule's messages of one language, under the report catalogue's rule.<id>. namespace. */
export function ruleMessages(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of ALL_RULES) {
    const own: Messages = r.messages[lang];
    for (const [k, v] of Object.entries(own)) out[`rule.${r.id}.${k}`] = v;
  }
  return out;
}
