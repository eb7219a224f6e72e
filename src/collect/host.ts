// manifest.host: who the device is and how its clock reads. The time zone
// matters beyond the manifest: a time given without an offset is device
// local time, and log lines without an offset are read in it.
import { availableParallelism, hostname, machine, release } from 'node:os';
import { readFile } from 'node:fs/promises';
import { parseOsRelease } from '../parse/os-release.js';
import { journalStorage, type JournaldConfigInput } from '../parse/journald.js';
import { deviceOffsetAt, formatOffset, type DeviceClock } from '../time.js';
import { captureCommand } from './exec.js';
import { absoluteTarget, type FsView } from './fsview.js';
import { OS_RELEASE } from '../sources/catalogue.js';
import type { HostInfo } from './types.js';

function validZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  const z = zone.trim();
  if (z === '' || !/^[A-Za-z0-9_+\-/]+$/.test(z)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
    return z;
  } catch {
    return null;
  }
}

/** "/usr/share/zoneinfo/Europe/Istanbul" (or "../usr/share/zoneinfo/posix/Europe/Istanbul") → "Europe/Istanbul". */
export function zoneFromLocaltimeLink(target: string): string | null {
  const m = /zoneinfo\/(?:posix\/|right\/)?(.+)$/.exec(target);
  return m ? validZone(m[1]) : null;
}

async function fileText(view: FsView, path: string, max = 64 * 1024): Promise<string | null> {
  try {
    return (await view.readHead(path, max)).data.toString('utf8');
  } catch {
    return null;
  }
}

/** The device's zone as systemd, Debian and the /etc/localtime link record it. */
export async function deviceZone(view: FsView, timeoutMs: number): Promise<string | null> {
  // The link first: it is where timedated itself reads the zone from, and asking timedated
  // (over D-Bus, starting it when it is not running) held back the whole collection by 30 ms
  // here and more on a board where it has to start.
  const link = await view.linkTarget('/etc/localtime');
  const fromLink = link ? zoneFromLocaltimeLink(absoluteTarget('/etc/localtime', link)) : null;
  if (fromLink) return fromLink;
  if (view.root === null) {
    const r = await captureCommand(['timedatectl', 'show', '-p', 'Timezone', '--value'], { timeoutMs, maxBytes: 4096 }).catch(() => null);
    const z = r && r.exitCode === 0 ? validZone(r.stdout.toString('utf8')) : null;
    if (z) return z;
  }
  const etcTimezone = validZone((await fileText(view, '/etc/timezone'))?.split('\n')[0]);
  if (etcTimezone) return etcTimezone;
  if (view.root === null) return validZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  return null;
}

export function clockOf(zone: string | null): DeviceClock {
  return zone ? { timezone: zone } : { utcOffset: '+00:00' };
}

export async function osPrettyName(view: FsView): Promise<string | null> {
  for (const p of OS_RELEASE) {
    const t = await fileText(view, p);
    if (t !== null) return parseOsRelease(t).prettyName;
  }
  return null;
}

export async function liveHost(view: FsView, zone: string | null, atMs: number): Promise<Omit<HostInfo, 'journalStorage'>> {
  const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => ''))
    .trim()
    .replace(/-/g, '');
  return {
    hostname: hostname(),
    os: await osPrettyName(view),
    kernel: release(),
    arch: machine(),
    timezone: zone,
    utcOffset: formatOffset(deviceOffsetAt(atMs, clockOf(zone))),
    cpus: availableParallelism(),
    // The journal writes boot ids without dashes; the manifest uses the same form.
    bootId: bootId === '' ? null : bootId,
  };
}

/** A mounted disk says who it is, not what it runs: kernel, cpus and boot id are not on it. */
export async function diskHost(view: FsView, zone: string | null, atMs: number): Promise<Omit<HostInfo, 'journalStorage'>> {
  const name = (await fileText(view, '/etc/hostname'))?.split('\n')[0]?.trim() || null;
  return {
    hostname: name,
    os: await osPrettyName(view),
    kernel: null,
    arch: null,
    timezone: zone,
    utcOffset: formatOffset(deviceOffsetAt(atMs, clockOf(zone))),
    cpus: null,
    bootId: null,
  };
}

/** host.journalStorage from the journald configuration collected and the journal directory listing. */
export function storageOf(configs: JournaldConfigInput[], journalDirs: { source: string; text: string } | null): HostInfo['journalStorage'] {
  if (configs.length === 0 && !journalDirs) return 'unknown';
  const s = journalStorage(configs, journalDirs).storage;
  // The manifest has no "none": a journal that keeps nothing is lost at reboot like a volatile one.
  return s === 'none' ? 'volatile' : s;
}
