// The fact providers, in the order they run: a later one may read what an earlier one drafted
// (the log scan dates the current boot by the uptime of the resources).
import { processesProvider } from './processes.js';
import { unitsProvider } from './units.js';
import { cronProvider } from './cron.js';
import { healthScriptsProvider } from './health-scripts.js';
import { journaldProvider } from './journald.js';
import { resourcesProvider } from './resources.js';
import { bootsProvider, coredumpsProvider, healthProbesProvider } from './events.js';
import { logsProvider } from './logs.js';
import type { Provider } from './types.js';

export const PROVIDERS: readonly Provider[] = [
  processesProvider,
  unitsProvider,
  cronProvider,
  healthScriptsProvider,
  journaldProvider,
  resourcesProvider,
  bootsProvider,
  coredumpsProvider,
  healthProbesProvider,
  logsProvider,
];
