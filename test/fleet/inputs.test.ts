// What the BUNDLE arguments of the fleet view name, and that nothing is read twice.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { resolveFleetInputs } from '../../src/fleet/inputs.js';
import { failedHost, okHost, record, scratch } from './fixtures.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** A directory as `collect` leaves it: two bundles (one .tar.gz, one directory) and a record naming them. */
function collected(): string {
  const s = scratch();
  cleanups.push(s.cleanup);
  const manifest = (hostname: string) => JSON.stringify({ format: 'charger-diag-bundle', formatVersion: 1, host: { hostname } });
  mkdirSync(join(s.root, 'src-a'));
  writeFileSync(join(s.root, 'src-a', 'manifest.json'), manifest('charger-a'));
  execFileSync('tar', ['czf', join(s.root, 'charger-diag-a.tar.gz'), '-C', join(s.root, 'src-a'), '.']);
  execFileSync('rm', ['-rf', join(s.root, 'src-a')]);
  mkdirSync(join(s.root, 'charger-diag-b'));
  writeFileSync(join(s.root, 'charger-diag-b', 'manifest.json'), manifest('charger-b'));
  mkdirSync(join(s.root, 'notes'));
  writeFileSync(join(s.root, 'README.md'), 'not a bundle');
  writeFileSync(join(s.root, 'other.json'), '{"format": "something-else"}');
  writeFileSync(
    join(s.root, 'charger-diag-fleet-20251210-020000.json'),
    JSON.stringify(record([okHost('pi@10.0.0.1', 'charger-diag-a.tar.gz'), okHost('pi@10.0.0.2', 'charger-diag-b'), failedHost('pi@10.0.0.3', 'unreachable', 'ssh: connect to host 10.0.0.3 port 22: No route to host')])),
  );
  return s.root;
}

/** The one-line error of an argument that names nothing usable: it becomes an unreadable host, never a throw. */
const err = (args: string[]): string => {
  const { bundles, unusable } = resolveFleetInputs(args);
  expect(bundles).toEqual([]);
  expect(unusable).toHaveLength(1);
  expect(unusable[0]).toMatchObject({ status: 'unreadable', input: args[0] });
  return unusable[0]!.error!;
};

describe('resolveFleetInputs', () => {
  it('a directory holding bundles and the record naming them: each bundle once, with its target, and the failed host', () => {
    const dir = collected();
    const { bundles, hostsWithoutBundle } = resolveFleetInputs([dir]);
    expect(bundles).toEqual([
      { path: join(dir, 'charger-diag-a.tar.gz'), target: 'pi@10.0.0.1', record: join(dir, 'charger-diag-fleet-20251210-020000.json') },
      { path: join(dir, 'charger-diag-b'), target: 'pi@10.0.0.2', record: join(dir, 'charger-diag-fleet-20251210-020000.json') },
    ]);
    expect(hostsWithoutBundle).toHaveLength(1);
    expect(hostsWithoutBundle[0]).toMatchObject({ status: 'not-collected', target: 'pi@10.0.0.3', failureKind: 'unreachable' });
  });

  it('the record alone finds the bundles relative to its own directory', () => {
    const dir = collected();
    const { bundles } = resolveFleetInputs([join(dir, 'charger-diag-fleet-20251210-020000.json')]);
    expect(bundles.map((b) => b.path)).toEqual([join(dir, 'charger-diag-a.tar.gz'), join(dir, 'charger-diag-b')]);
  });

  it('the same bundle named twice, by different spellings, is read once', () => {
    const dir = collected();
    const b = join(dir, 'charger-diag-b');
    const { bundles } = resolveFleetInputs([b, `${b}/`, join(dir, '.', 'charger-diag-b'), dir]);
    expect(bundles.map((x) => x.path)).toEqual([b, join(dir, 'charger-diag-a.tar.gz')]);
    // Named first by hand, it still gets the target the record gives it.
    expect(bundles[0]!.target).toBe('pi@10.0.0.2');
  });

  it('a host that failed once but was collected in another run is not "not collected"; of two failures the newer reason stays', () => {
    const dir = collected();
    writeFileSync(
      join(dir, 'charger-diag-fleet-20251210-030000.json'),
      JSON.stringify(record([failedHost('pi@10.0.0.1', 'timeout', 'gave up after 900 s'), failedHost('pi@10.0.0.3', 'auth-refused', 'Permission denied (publickey).')], '2025-12-10T03:00:00+03:00')),
    );
    const { bundles, hostsWithoutBundle } = resolveFleetInputs([dir]);
    expect(bundles).toHaveLength(2);
    expect(hostsWithoutBundle.map((h) => [h.target, h.failureKind])).toEqual([['pi@10.0.0.3', 'auth-refused']]);
  });

  it('a missing path, or one that is not a bundle, among good ones: a host without a bundle, the others still read', () => {
    const dir = collected();
    const b = join(dir, 'charger-diag-b');
    const { bundles, unusable } = resolveFleetInputs([join(dir, 'charger-diag-a.tar.gz'), join(dir, 'missing'), b, join(dir, 'missing/'), join(dir, 'README.md')]);
    expect(bundles.map((x) => x.path)).toEqual([join(dir, 'charger-diag-a.tar.gz'), b]);
    // Named twice, the missing path is one host.
    expect(unusable.map((h) => [h.status, h.input, h.error])).toEqual([
      ['unreadable', join(dir, 'missing'), `${join(dir, 'missing')}: no such file or directory`],
      ['unreadable', join(dir, 'README.md'), `${join(dir, 'README.md')}: not a bundle (.tar.gz), a directory or a fleet collection record (.json)`],
    ]);
  });

  it('says what is not a bundle, a directory of bundles or a record, naming it', () => {
    const dir = collected();
    expect(err([join(dir, 'notes')])).toMatch(/notes: not a bundle \(no manifest\.json\) and holds no bundles/);
    expect(err([join(dir, 'README.md')])).toMatch(/README\.md: not a bundle \(\.tar\.gz\), a directory or a fleet collection record/);
    expect(err([join(dir, 'other.json')])).toMatch(/other\.json: not a bundle or a fleet collection record/);
    expect(err([join(dir, 'nope')])).toBe(`${join(dir, 'nope')}: no such file or directory`);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...record([]), hosts: [{ target: 'x', status: 'maybe' }] }));
    expect(err([join(dir, 'bad.json')])).toMatch(/bad\.json: invalid field hosts\[0\]\.status/);
  });
});
