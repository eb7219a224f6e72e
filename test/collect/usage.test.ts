// Bad usage of collect: one line on stderr naming what is wrong (a wrong
// command line adds where the help is), exit 2, nothing run and nothing written. In process, but for the first case, which
// runs the built CLI in a process of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { callCli } from '../helpers/cli.js';

let work: string;
beforeAll(() => {
  work = tempDir('cd-usage-');
  writeFileSync(join(work, 'existing.tar.gz'), 'x');
  writeFileSync(join(work, 'bad-config.json'), '{ "healthUrls": [{ "url": "ftp://x" }] }');
  mkdirSync(join(work, 'empty-disk'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('charger-diag collect: bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unreadable time', ['--since', 'last week'], /^charger-diag: --since last week: not a valid time/],
    ['an empty window', ['--since', '-10m', '--until', '-20m'], /^charger-diag: the window is empty: since .* is not before until /],
    ['--window without --around', ['--window', '5m'], /^charger-diag: --window needs --around/],
    ['--root and --ssh together', ['--root', '/', '--ssh', 'pi@charger-01'], /^charger-diag: --root and --ssh cannot be used together$/],
    ['a --root that does not exist', ['--root', '/nonexistent/sdcard'], /^charger-diag: --root \/nonexistent\/sdcard: no such directory$/],
    ['a --root that is not a device disk', ['--root', 'empty-disk'], /^charger-diag: --root empty-disk: not a device root file system/],
    ['an --out that is not a .tar.gz', ['--out', 'bundle.zip'], /^charger-diag: --out bundle.zip: name a .tar.gz file or an existing directory$/],
    ['an --out that exists', ['--out', 'existing.tar.gz'], /^charger-diag: --out existing.tar.gz: already exists/],
    ['a bad --ssh target', ['--ssh', 'pi@charger 01'], /^charger-diag: --ssh pi@charger 01: expected \[USER@\]HOST\[:PORT\]$/],
    ['a relative --log over ssh', ['--ssh', 'pi@charger-01', '--log', 'nohup.out'], /^charger-diag: --log nohup.out: give the absolute path on the device$/],
    ['a bad --timeout', ['--timeout', '0'], /^charger-diag: --timeout 0: expected seconds between 1 and 3600$/],
    ['a health URL that is not http', ['--health-url', 'ftp://charger-01/health'], /^charger-diag: --health-url ftp:\/\/charger-01\/health: only http and https URLs can be probed$/],
    ['a config health URL that is not http', ['--config', 'bad-config.json'], /^charger-diag: --health-url ftp:\/\/x: only http and https/],
    ['a unit name that is not one', ['--unit', 'charger'], /^charger-diag: --unit charger: not a unit name/],
  ];
  for (const [i, [what, args, re]] of cases.entries()) {
    it(i === 0 ? `${what} (the built CLI)` : what, async () => {
      const before = readdirSync(work).sort();
      const r = await (i === 0 ? runCli : callCli)(['collect', ...args], { cwd: work });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      // The command line itself is wrong (a time, a combination of options): where its help is follows.
      const usage = /not a valid time|--window needs|window is empty|cannot be used together|name a |expected \\\[USER|give the absolute path|expected seconds|not a unit name/.test(re.source);
      expect(lines).toHaveLength(usage ? 2 : 1);
      expect(lines[0]).toMatch(re);
      if (usage) expect(lines[1]).toBe("Try 'charger-diag collect --help'.");
      expect(readdirSync(work).sort()).toEqual(before);
    });
  }
});
