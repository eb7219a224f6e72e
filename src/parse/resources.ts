// One import point for the resource, OS and health snapshots; each source has its own file.
export { parseMeminfo, effectiveAvailableBytes } from './meminfo.js';
export type { MemInfo } from './meminfo.js';
export { parseLoadavg } from './loadavg.js';
export type { LoadAvg } from './loadavg.js';
export { parseUptime } from './uptime.js';
export type { Uptime } from './uptime.js';
export { parsePressure } from './psi.js';
export type { Pressure, PressureFigures } from './psi.js';
export { parseDf } from './df.js';
export type { DfRecord } from './df.js';
export { parseOsRelease } from './os-release.js';
export type { OsRelease } from './os-release.js';
export { parseUname } from './uname.js';
export type { Uname } from './uname.js';
export { parseHealthProbes } from './health-probes.js';
export type { HealthProbe } from './health-probes.js';
