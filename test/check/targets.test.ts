// What each PATH of `check` is, by its content.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveTargets } from '../../src/check/targets.js';
import { InputError } from '../../src/errors.js';
import { CHARGER_NO_RESTART, SAMPLES, copySample, writeTree, scratchRepos } from './fixtures.js';

const repo = scratchRepos();

describe('resolveTargets', () => {
  it('samples/ holds bundles: each one, with the expected.json beside its manifest', () => {
    const targets = resolveTargets([SAMPLES], undefined);
    expect(targets.map((t) => t.path)).toEqual(expect.arrayContaining([join(SAMPLES, 'healthy'), join(SAMPLES, 'seed-incident')]));
    for (const t of targets) {
      expect(t.kind === 'bundle' || t.kind === 'unit-dir').toBe(true);
      expect(t.expectFile).toBe(join(t.path, 'expected.json'));
    }
  });

  it('a bundle directory itself, and --expect replacing its expected.json', () => {
    const dir = join(SAMPLES, 'seed-incident');
    expect(resolveTargets([dir], undefined)).toEqual([{ kind: 'bundle', path: dir, expectFile: join(dir, 'expected.json') }]);
    const other = join(SAMPLES, 'healthy', 'expected.json');
    expect(resolveTargets([dir], other)).toEqual([{ kind: 'bundle', path: dir, expectFile: other }]);
  });

  it('a directory of unit files, with or without an expected.json', () => {
    const root = repo();
    writeTree(root, { 'deploy/systemd/charger.service': CHARGER_NO_RESTART, 'units-dropin-only/nginx.service.d/override.conf': '[Service]\nRestart=always\n' });
    expect(resolveTargets([join(root, 'deploy/systemd')], undefined)).toEqual([{ kind: 'unit-dir', path: join(root, 'deploy/systemd'), expectFile: null }]);
    expect(resolveTargets([join(root, 'units-dropin-only')], undefined)[0]!.kind).toBe('unit-dir');
  });

  it('a .tar.gz finds NAME.expected.json beside it; in a directory of bundles too', () => {
    const root = repo();
    copySample('healthy', root);
    execFileSync('tar', ['czf', 'healthy.tar.gz', 'healthy'], { cwd: root });
    execFileSync('rm', ['-rf', join(root, 'healthy')]);
    expect(resolveTargets([join(root, 'healthy.tar.gz')], undefined)).toEqual([{ kind: 'bundle', path: join(root, 'healthy.tar.gz'), expectFile: null }]);
    writeTree(root, { 'healthy.expected.json': '{"findings": []}', 'README.md': 'samples', 'units/charger.service': CHARGER_NO_RESTART });
    expect(resolveTargets([root], undefined)).toEqual([
      { kind: 'bundle', path: join(root, 'healthy.tar.gz'), expectFile: join(root, 'healthy.expected.json') },
      { kind: 'unit-dir', path: join(root, 'units'), expectFile: null },
    ]);
  });

  it('the same bundle named twice is checked once', () => {
    const dir = join(SAMPLES, 'healthy');
    expect(resolveTargets([dir, `${dir}/`], undefined)).toHaveLength(1);
  });

  it('anything else is an InputError naming the path', () => {
    const root = repo();
    writeTree(root, { 'docs/README.md': '# notes', 'samples/ok/manifest.json': '{}', 'samples/broken/commands/ps.txt': 'PID\n', 'notes.txt': 'x' });
    const err = (paths: string[], expect?: string) => {
      try {
        resolveTargets(paths, expect);
      } catch (e) {
        if (e instanceof InputError) return e.message;
        throw e;
      }
      throw new Error('no error');
    };
    expect(err([join(root, 'docs')])).toMatch(/docs: not a bundle \(no manifest\.json\), not a directory of unit files .* and holds no bundles$/);
    expect(err([join(root, 'samples')])).toBe(`${join(root, 'samples/broken')}: in ${join(root, 'samples')}, neither a bundle (no manifest.json) nor a directory of unit files`);
    expect(err([join(root, 'nope')])).toBe(`${join(root, 'nope')}: no such file or directory`);
    expect(err([join(root, 'notes.txt')])).toBe(`${join(root, 'notes.txt')}: not a bundle (.tar.gz) or a directory`);
    expect(err([SAMPLES], join(SAMPLES, 'healthy', 'expected.json'))).toMatch(/^--expect .*: names the expectations of one bundle; give exactly one bundle PATH with it \(got \d+ bundles/);
    expect(err([join(SAMPLES, 'healthy')], join(root, 'missing.json'))).toBe(`${join(root, 'missing.json')}: no such file (--expect)`);
  });
});
