// One source catalogue drives the local collector, the POSIX script (--ssh,
// --print-script) and the bundle reader's canonical paths. Without sshd: the
// generated script is run here with sh in its stream mode (what --ssh reads)
// and its frames are compared with the catalogue and with a live local
// collection of the same machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, SOURCE_IDS, entryOf, idsOf, type SourceId } from '../../src/sources/catalogue.js';
import { canonicalSourceOf } from '../../src/bundle/sources.js';
import { renderScript, stepLines } from '../../src/collect/script.js';
import { windowSpec } from '../../src/collect/window.js';
import { extract, manifestOf, runCli, tempDir } from './helpers.js';
import type { Manifest } from '../../src/bundle/manifest.js';

const BODY = readFileSync(new URL('../../src/collect/script/body.sh', import.meta.url), 'utf8');
const HEAD = readFileSync(new URL('../../src/collect/script/head.sh', import.meta.url), 'utf8');
const BOUNDARY = '@@catalogue-parity';
const MISSING_LOG = '/nonexistent/charger-diag-parity.log';
// Port 9 (discard) on loopback: nothing listens, the probe fails at once.
const HEALTH_URL = 'http://127.0.0.1:9/health';

// Steps that record only what they find: no unit directory, no script named by a
// timer, ExecStartPost= or cron job, means no record at all, from every runner.
const ONLY_WHEN_FOUND = new Set<SourceId>(['unit-files', 'health-script']);

function script(redact: boolean): string {
  return renderScript({ boundary: BOUNDARY, timeoutMs: 5_000, window: windowSpec({ since: '-2m' }), units: [], logs: [MISSING_LOG], healthUrls: [HEALTH_URL], redact });
}

/** The part of the script generated from the catalogue: after the body, up to the end. */
function stepsOf(text: string): string[] {
  const at = text.indexOf('\n# ---------------------------------------------------------------- the catalogue, in order\n');
  expect(at).toBeGreaterThan(0);
  return text.slice(at + 1).split('\n').slice(1).filter((l) => l !== '');
}

interface Section {
  kind: string;
  id: string;
  path: string;
  command: string;
}

/** The frames of a stream-mode run: sections (B), notes of sources not read (N), probes (P). */
function framesOf(out: string): { sections: Section[]; notes: { id: string; status: string }[]; probes: number; done: boolean } {
  const sections: Section[] = [];
  const notes: { id: string; status: string }[] = [];
  let probes = 0;
  let done = false;
  for (const line of out.split('\n')) {
    if (!line.startsWith(`${BOUNDARY}\t`)) continue;
    const f = line.split('\t').slice(1);
    if (f[0] === 'B') sections.push({ kind: f[1]!, id: f[2]!, path: f[3]!, command: f[4]! });
    else if (f[0] === 'N') notes.push({ id: f[1]!, status: f[2]! });
    else if (f[0] === 'P') probes++;
    else if (f[0] === 'D') done = true;
  }
  return { sections, notes, probes, done };
}

/** Bundle path of a section: commands/<name> as sent, files/<device path> for copies. */
function bundlePathOfSection(s: Section): string | null {
  if (s.kind === 'cmd') return s.path;
  if (s.kind === 'file' || s.kind === 'log') return `files${s.path}`;
  // The /proc links arrive raw; charger-diag writes procinfo.json from them.
  if (s.kind === 'raw' && s.id === 'proclinks') return entryOf('procinfo').path;
  return null;
}

describe('the source catalogue', () => {
  it('generates one step of the script per entry, in catalogue order, each calling a function of body.sh', () => {
    const steps = stepsOf(script(true));
    const expected = ['host_info', ...CATALOGUE.flatMap(stepLines), 'finish'];
    expect(steps).toEqual(expected);
    const defined = new Set([...BODY.matchAll(/^([a-z_]+)\(\) \{/gm)].map((m) => m[1]));
    for (const line of expected) {
      const fn = /^(?:\[ [^\]]*\] && )?([a-z_]+)/.exec(line)?.[1];
      if (fn === 'cp') continue;
      expect(defined, `${line}: no function ${fn} in body.sh`).toContain(fn);
    }
  });

  it('names every source id, and every command entry a distinct canonical path the bundle reader maps back', () => {
    expect(new Set(CATALOGUE.flatMap(idsOf))).toEqual(new Set(SOURCE_IDS));
    const paths = CATALOGUE.flatMap((e) => (e.kind === 'command' || e.kind === 'procinfo' || e.kind === 'unit-props' || e.kind === 'health' ? [[e.path, e.id] as const] : []));
    expect(new Set(paths.map(([p]) => p)).size).toBe(paths.length);
    for (const [p, id] of paths) expect(canonicalSourceOf(p), p).toBe(id);
    for (const f of entryOf('proc-files').files) expect(canonicalSourceOf(`files${f.path}`)).toBe(f.id);
    for (const f of entryOf('syslog').files) expect(canonicalSourceOf(`files${f}`)).toBe('syslog');
    for (const f of entryOf('first-file').files) expect(canonicalSourceOf(`files${f}`)).toBe('os');
    for (const d of entryOf('journald-config').dirs) expect(canonicalSourceOf(`files${d}/journald.conf.d/x.conf`), d).toBe('journald');
    for (const d of entryOf('unit-files').dirs) expect(canonicalSourceOf(`files${d}/a.service`), d).toBe('unit-files');
  });

  it('runs systemctl show right after list-units, whose exit status and stderr it reads', () => {
    const i = CATALOGUE.findIndex((e) => e.kind === 'unit-props');
    expect(CATALOGUE[i - 1]).toMatchObject({ kind: 'command', id: 'units' });
  });
});

describe('the generated script run with sh, and the live collector, on this machine', () => {
  let work: string;
  let frames: ReturnType<typeof framesOf>;
  let manifest: Manifest;
  let cleanup: (() => void) | undefined;

  beforeAll(async () => {
    work = tempDir('cd-parity-');
    const tmp = join(work, 'tmp');
    mkdirSync(tmp);
    const file = join(work, 'collect.sh');
    writeFileSync(file, script(false));
    // The script writes only a private directory under TMPDIR, removed when it exits.
    const r = spawnSync('sh', [file], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    frames = framesOf(r.stdout);
    const out = join(work, 'out');
    mkdirSync(out);
    const live = await runCli(['collect', '--since', '-2m', '--timeout', '5', '--out', out, '--log', MISSING_LOG, '--health-url', HEALTH_URL], { cwd: work });
    expect(live.code, live.stderr).toBe(0);
    const bundle = extract(live.stdout.split('\n')[0]!);
    cleanup = bundle.cleanup;
    manifest = manifestOf(bundle.dir);
  }, 180_000);

  afterAll(() => {
    cleanup?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const scriptIds = (): Set<string> => {
    const ids = new Set<string>([...frames.sections.map((s) => (s.kind === 'raw' && s.id === 'proclinks' ? 'procinfo' : s.id)), ...frames.notes.map((n) => n.id)]);
    if (frames.probes > 0) ids.add('health');
    return ids;
  };

  it('reaches its end and records every catalogue source (collected, missing, denied...)', () => {
    expect(frames.done).toBe(true);
    const ids = scriptIds();
    for (const id of SOURCE_IDS) if (!ONLY_WHEN_FOUND.has(id)) expect(ids, id).toContain(id);
    for (const id of ids) expect(SOURCE_IDS, id).toContain(id);
    expect(frames.notes).toContainEqual({ id: 'app-log', status: 'missing' });
  });

  it('sends each section under the canonical path of its source', () => {
    for (const s of frames.sections) {
      const rel = bundlePathOfSection(s);
      if (rel === null || s.id === 'health-script') continue; // a script is wherever its check names it
      if (s.id === 'app-log' && canonicalSourceOf(rel) === null) continue; // a log of any name (a unit's StandardOutput=file:)
      expect(canonicalSourceOf(rel), `${s.kind} ${s.path}`).toBe(s.id === 'proclinks' ? 'procinfo' : s.id);
    }
  });

  it('agrees with the live collector on the source ids and the bundle paths', () => {
    const liveIds = new Set((manifest.sources ?? []).map((s) => s.id));
    expect([...scriptIds()].sort()).toEqual([...liveIds].sort());
    // The live collector keeps a path only for what it wrote; each is one the script sends too.
    const scriptPaths = new Set(frames.sections.map(bundlePathOfSection).filter((p): p is string => p !== null));
    if (frames.probes > 0) scriptPaths.add(entryOf('health').path);
    // Not the logs found through running processes' stdout: other processes come and go between the two runs.
    for (const s of manifest.sources ?? []) if (s.path && s.id !== 'app-log') expect(scriptPaths, `${s.id} ${s.path}`).toContain(s.path);
    // And the script's commands are the catalogue's, word for word where no argument is filled in at run time.
    for (const e of CATALOGUE) {
      if (e.kind !== 'command' || e.argv.some((a) => a.startsWith('\u0000'))) continue;
      const sent = frames.sections.find((s) => s.kind === 'cmd' && s.path === e.path);
      expect(sent, e.path).toBeDefined();
      expect([e.argv.join(' '), e.fallbackArgv?.join(' ')]).toContain(sent!.command);
    }
  });
});

describe('shellcheck', () => {
  const has = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
  const reason = 'shellcheck is not installed (apt-get install shellcheck)';
  if (!has && process.env.CI === 'true') {
    it('is installed', () => {
      throw new Error(`${reason} (CI=true: the script must be checked)`);
    });
    return;
  }
  if (!has) console.warn(`skipping shellcheck of the collection script: ${reason}`);

  it.skipIf(!has)('finds nothing in head.sh, body.sh and the generated script (with and without redaction)', () => {
    const dir = tempDir('cd-shellcheck-');
    try {
      const files = [join(dir, 'head.sh'), join(dir, 'body.sh'), join(dir, 'redact.sh'), join(dir, 'plain.sh')];
      writeFileSync(files[0]!, HEAD);
      writeFileSync(files[1]!, BODY);
      writeFileSync(files[2]!, script(true));
      writeFileSync(files[3]!, script(false));
      const r = spawnSync('shellcheck', ['--shell=sh', '--format=gcc', ...files], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
