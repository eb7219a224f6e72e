// Which time zone a bundle says the device is in, when /etc/localtime and timedatectl disagree:
// the link wins on every path (this machine, --ssh and the script's own --tar bundle), as it is
// where timedated reads the zone from; timedatectl is asked only when the link names no zone.
// The device here is this machine running the script, its /etc/localtime swapped for a link in a
// scratch directory and timedatectl for a stub on PATH.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../../src/collect/collect.js';
import type { FsView } from '../../src/collect/fsview.js';
import { deviceZone } from '../../src/collect/host.js';
import { renderScript } from '../../src/collect/script.js';
import { windowSpec } from '../../src/collect/window.js';
import { extract, manifestOf, scratchDirs } from './helpers.js';

const { dir } = scratchDirs();

/**
 * A device whose /etc/localtime is `link` (a symbolic link to it, made in `d`) and whose
 * timedatectl answers `said` (a stub: the script puts the system's directories first on PATH, so
 * it is named by its path). Returns the sed program that makes the script this device's.
 */
function device(d: string, link: string, said: string): string {
  const stub = timedatectl(d, said);
  const localtime = join(d, 'localtime');
  symlinkSync(link, localtime);
  return `s|/etc/localtime|${localtime}|g; s|timedatectl show|${stub} show|g`;
}

/** A shell script `name` in `d`, executable. */
function executable(d: string, name: string, body: string): string {
  const path = join(d, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A timedatectl in `d` that answers `said` whatever it is asked. */
const timedatectl = (d: string, said: string) => executable(d, 'timedatectl', `echo '${said}'`);

const CASES = [
  { name: 'the link names a zone: the link', link: '/usr/share/zoneinfo/Europe/Istanbul', want: 'Europe/Istanbul' },
  { name: 'the link names no zone (a copy elsewhere): timedatectl', link: '/opt/clock/localtime', want: 'America/New_York' },
];

describe('the device time zone when /etc/localtime and timedatectl disagree', () => {
  const PATH0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = PATH0;
  });

  for (const c of CASES) {
    it(`over --ssh, ${c.name}`, async () => {
      const d = dir('cd-zone-ssh-');
      const sed = device(d, c.link, 'America/New_York');
      // An ssh that runs the script here, as the device would.
      executable(d, 'ssh', `sed -e '${sed}' | exec sh -s`);
      process.env.PATH = `${d}:${PATH0}`;
      const r = await collect({ since: '-15m', ssh: 'root@device.invalid', out: join(d, 'b.tar.gz'), report: false }, { progress: null });
      const x = extract(r.bundlePath);
      try {
        expect(manifestOf(x.dir).host?.timezone).toBe(c.want);
      } finally {
        x.cleanup();
      }
    }, 120_000);

    it(`in the script's own --tar bundle, ${c.name}`, () => {
      const d = dir('cd-zone-tar-');
      const sed = device(d, c.link, 'America/New_York');
      const script = join(d, 'collect.sh');
      writeFileSync(join(d, 'plain.sh'), renderScript({ boundary: 'CDZONE', timeoutMs: 10_000, window: windowSpec({ since: '-15m' }), units: [], logs: [], healthUrls: [], redact: true }));
      spawnSync('sh', ['-c', `sed -e '${sed}' plain.sh > collect.sh`], { cwd: d });
      const tarball = join(d, 'b.tar.gz');
      const fd = openSync(tarball, 'w');
      const r = spawnSync('dash', [script, '--tar'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 120_000 });
      closeSync(fd);
      expect(r.status, r.stderr).toBe(0);
      const x = extract(tarball);
      try {
        expect(manifestOf(x.dir).host?.timezone).toBe(c.want);
      } finally {
        x.cleanup();
      }
    }, 120_000);
  }

  for (const c of CASES) {
    it(`on this machine, ${c.name}`, async () => {
      const d = dir('cd-zone-live-');
      timedatectl(d, 'America/New_York');
      process.env.PATH = `${d}:${PATH0}`;
      const missing = async () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      };
      // The live view of a device whose /etc/localtime is the case's link and which has no /etc/timezone.
      const view: FsView = {
        root: null,
        hostPath: async (p) => p,
        list: missing,
        linkTarget: async (p) => (p === '/etc/localtime' ? c.link : null),
        readHead: missing,
        stat: missing,
      };
      expect(await deviceZone(view, 5_000)).toBe(c.want);
    });
  }
});
