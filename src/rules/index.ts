// The rule catalogue v1 (docs/rules.md): ids are a contract.
import type { Rule } from './types.js';
import { rule as processUnmanaged } from './process-unmanaged.js';
import { rule as serviceNoRestart } from './service-no-restart.js';
import { rule as serviceNoHealthCheck } from './service-no-health-check.js';
import { rule as serviceRestartLoop } from './service-restart-loop.js';
import { rule as serviceStartLimitHit } from './service-start-limit-hit.js';
import { rule as serviceFailed } from './service-failed.js';
import { rule as serviceWatchdogTimeout } from './service-watchdog-timeout.js';
import { rule as kernelOomKill } from './kernel-oom-kill.js';
import { rule as kernelSegfault } from './kernel-segfault.js';
import { rule as processPortConflict } from './process-port-conflict.js';
import { rule as resourceMemory } from './resource-memory.js';
import { rule as resourceDisk } from './resource-disk.js';
import { rule as resourceLoad } from './resource-load.js';
import { rule as proxyUpstreamErrors } from './proxy-upstream-errors.js';
import { rule as journalVolatile } from './journal-volatile.js';
import { rule as hostRebooted } from './host-rebooted.js';
import { rule as logErrors } from './log-errors.js';

export const RULES: readonly Rule[] = [
  processUnmanaged,
  serviceNoRestart,
  serviceNoHealthCheck,
  serviceRestartLoop,
  serviceStartLimitHit,
  serviceFailed,
  serviceWatchdogTimeout,
  kernelOomKill,
  kernelSegfault,
  processPortConflict,
  resourceMemory,
  resourceDisk,
  resourceLoad,
  proxyUpstreamErrors,
  journalVolatile,
  hostRebooted,
  logErrors,
];

/** Conditions that remain after the outage and make it likely to happen again (docs/analysis-json.md). */
export const STANDING_CONDITIONS = [
  'process.unmanaged',
  'service.no-restart',
  'service.no-health-check',
  'resource.memory',
  'resource.disk',
  'resource.load',
] as const;
