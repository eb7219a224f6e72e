// The real-systemd lab: boots the host's own /lib/systemd/systemd as PID 1 of a new pid, mount,
// uts and net namespace over in-memory overlays (test/lab/boot.sh), stages an incident for real
// inside it, runs `charger-diag collect` there and hands the bundle back to the test.
//
// What the namespace does not isolate, and every case must allow for:
// - there is no cgroup namespace: the lab's systemd builds its tree in the host's /sys/fs/cgroup,
//   so labs run one at a time (an exclusive flock on /sys/fs/cgroup, across test files, worktrees
//   and concurrent runs) and the cgroups a lab leaves are removed after it;
// - the kernel ring buffer is the host's: journald in every lab replays all of it, earlier labs'
//   OOM kills and segfaults included, with the host's pids. Cases collect from their own boot on
//   (`lab.since`) and assert that no finding cites a line older than it;
// - /proc/loadavg, meminfo and pressure are the host's: cases raise the resource thresholds.
import { afterAll, describe, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
const RUN_SCRIPT = join(__dirname, 'run.sh');
const CGROUP_ROOT = '/sys/fs/cgroup';
/** Inside the lab the repository is here (read-only), whatever the host path of the clone. */
export const LAB_REPO = '/run/lab/repo';
export const LAB_CLI = `${LAB_REPO}/dist/cli.js`;

/** A small HTTP API for a lab case to run as a service: it answers every GET on 127.0.0.1:8000 with {"status":"ok"}. */
export const OK_API_PY = `#!/usr/bin/python3
import http.server

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status":"ok"}'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

http.server.ThreadingHTTPServer(('127.0.0.1', 8000), Handler).serve_forever()
`;

const TOOLS: Array<[string, string]> = [
  ['/lib/systemd/systemd', 'systemd'],
  ['/usr/bin/unshare', 'util-linux'],
  ['/usr/bin/nsenter', 'util-linux'],
  ['/usr/bin/flock', 'util-linux'],
  ['/usr/sbin/runuser', 'util-linux'],
  ['/usr/sbin/useradd', 'passwd'],
  [`/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/security/pam_systemd.so`, 'libpam-systemd'],
  ['/usr/sbin/nginx', 'nginx'],
  ['/usr/bin/curl', 'curl'],
];

/** Why the lab cannot run on this machine (and what to install), or null when it can. */
export function labUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'the real-systemd lab needs Linux';
  if (process.getuid?.() !== 0) return 'the real-systemd lab needs root (it mounts and unshares namespaces)';
  const missing = new Set<string>();
  for (const [path, pkg] of TOOLS) {
    if (!existsSync(path)) missing.add(pkg);
  }
  if (missing.size > 0) return `the real-systemd lab needs Debian packages: ${[...missing].join(' ')}`;
  if (!existsSync(join(REPO, 'dist/cli.js'))) return 'the real-systemd lab runs the built CLI: run `npm run build` first';
  return null;
}

export interface StagedFile {
  content: string;
  mode?: number;
}

export interface LabCase {
  /** The device's hostname inside the lab. */
  hostname: string;
  /** Absolute paths on the device (under /etc, /usr/local, /var/lib, /root, /home, /var/log, /run). */
  files?: Record<string, string | StagedFile>;
  /** Login users to create (useradd -m) before boot. */
  users?: string[];
  /** Units to enable before boot, as [target, unit]. */
  wants?: Array<[string, string]>;
  /** Units masked before boot, beside the ones the lab always masks. */
  mask?: string[];
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const LAB_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Visits every entry under root, depth first, down to maxDepth; unreadable directories are passed over. */
function walkTree(root: string, maxDepth: number, visit: (path: string, isDirectory: boolean) => void): void {
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      visit(p, e.isDirectory());
      if (e.isDirectory() && depth < maxDepth) walk(p, depth + 1);
    }
  };
  walk(root, 0);
}

/** Every cgroup directory of every hierarchy (the host snapshot compares them). */
function cgroupDirs(): Set<string> {
  const out = new Set<string>();
  walkTree(CGROUP_ROOT, 12, (p, isDirectory) => {
    if (isDirectory) out.add(p);
  });
  return out;
}

/**
 * The wrapper's stdout as lines, and a wait for the first line starting with `word` (lines that
 * came in one chunk are all kept, so a later wait still finds its line).
 */
function wrapperLines(child: ChildProcess): (word: string, timeoutMs: number, what: string) => Promise<string> {
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => (buffer += d.toString('utf8')));
  return (word, timeoutMs, what) =>
    new Promise((resolveLine, reject) => {
      const deadline = Date.now() + timeoutMs;
      const look = (): void => {
        const line = buffer.split('\n').find((l) => l.startsWith(`${word} `));
        if (line !== undefined) resolveLine(line.slice(word.length + 1));
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`lab: the lab's wrapper exited (${child.exitCode}) before ${what}`));
        else if (Date.now() > deadline) reject(new Error(`lab: waited ${timeoutMs / 1000} s for ${what}`));
        else setTimeout(look, 50);
      };
      look();
    });
}

// Bundles copied out of labs: a case removes its own, and whatever one forgets (or leaves behind
// by failing first) goes after the test file, unless CHARGER_DIAG_KEEP_LAB=1 keeps them to look at.
// (A process 'exit' handler never ran: vitest ends its workers without one.)
const collected = new Set<string>();
afterAll(() => {
  if (process.env.CHARGER_DIAG_KEEP_LAB === '1') return;
  for (const d of collected) rmSync(d, { recursive: true, force: true });
  collected.clear();
});

export class Lab {
  private stopped = false;

  private constructor(
    /** PID 1 of the lab, as the host sees it. */
    readonly pid: number,
    /** The instant the lab's systemd started (a collection window starting here is this case's own). */
    readonly bootedAt: Date,
    private readonly wrapper: ChildProcess,
    private readonly stage: string,
    readonly hostname: string,
  ) {}

  /** `--since` for a collection of this case only. */
  get since(): string {
    return this.bootedAt.toISOString();
  }

  static async boot(spec: LabCase): Promise<Lab> {
    const reason = labUnavailableReason();
    if (reason) throw new Error(reason);
    const stage = mkdtempSync(join(tmpdir(), 'charger-diag-lab-'));
    try {
      writeFileSync(join(stage, 'hostname'), `${spec.hostname}\n`);
      writeFileSync(join(stage, 'users'), (spec.users ?? []).join('\n') + '\n');
      writeFileSync(join(stage, 'mask'), (spec.mask ?? []).join('\n') + '\n');
      writeFileSync(join(stage, 'wants'), (spec.wants ?? []).map(([t, u]) => `${t} ${u}`).join('\n') + '\n');
      for (const [path, file] of Object.entries(spec.files ?? {})) {
        if (!path.startsWith('/') || path.includes('..') || path.startsWith('/tmp/')) throw new Error(`lab: cannot stage ${path}`);
        const f = typeof file === 'string' ? { content: file } : file;
        const dest = join(stage, 'files', path);
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, f.content, { mode: f.mode ?? 0o644 });
      }
    } catch (err) {
      rmSync(stage, { recursive: true, force: true });
      throw err;
    }
    const bootLog = join(stage, 'boot.log');
    const log = (): string => (existsSync(bootLog) ? readFileSync(bootLog, 'utf8').slice(-4000) : '');
    // The wrapper owns the lock, the lab and the cleanup; closing its stdin (or dying) stops it all.
    const wrapper = spawn('bash', [RUN_SCRIPT, stage, REPO], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lineFrom = wrapperLines(wrapper);
    // Closing its input is how a lab is stopped; a wrapper that already ended has nothing to read.
    wrapper.stdin!.on('error', () => {});
    const giveUp = async (err: unknown): Promise<never> => {
      const detail = log();
      wrapper.stdin!.end();
      await new Promise((r) => (wrapper.exitCode !== null ? r(null) : wrapper.once('exit', r)));
      rmSync(stage, { recursive: true, force: true });
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${detail}`);
    };
    let bootedAt: Date;
    let ready: string;
    try {
      // Another lab may hold the lock: a case waits its turn.
      await lineFrom('unshare', 900_000, 'the lab lock');
      bootedAt = new Date();
      ready = await lineFrom('lab', 180_000, 'the boot');
    } catch (err) {
      return giveUp(err);
    }
    const [pidText, state = ''] = ready.split(' ');
    const pid = Number(pidText);
    if (!pid) return giveUp(new Error('lab: systemd did not start'));
    const lab = new Lab(pid, bootedAt, wrapper, stage, spec.hostname);
    if (state !== 'running' && state !== 'degraded') {
      const failed = await lab.run(['systemctl', 'list-units', '--failed', '--no-pager', '--plain']);
      return giveUp(new Error(`lab: system state '${state}' after boot\n${failed.stdout}`));
    }
    return lab;
  }

  /** Runs argv inside every namespace of the lab, with a clean environment. */
  run(argv: string[], opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunResult> {
    const env = [...LAB_ENV, ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)];
    const child = spawn('nsenter', ['-t', String(this.pid), '-m', '-p', '-n', '-u', '--', 'env', '-i', ...env, ...argv], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A command that never reads its input may exit first: its closed pipe is no error of the test's.
    child.stdin.on('error', () => {});
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
    return new Promise((resolveRun) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      let settled = false;
      const settle = (code: number | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolveRun({ code, stdout, stderr });
      };
      child.on('close', settle);
      // A process started in the background inside (a hand-started server) may keep the pipes
      // open: the command's own exit is what counts, with a moment for its last output.
      child.on('exit', (code) => setTimeout(() => settle(code), 500));
    });
  }

  /** A bash script inside the lab; throws with its output when it fails. */
  async sh(script: string, opts: { timeoutMs?: number; allowFail?: boolean } = {}): Promise<RunResult> {
    const r = await this.run(['bash', '-c', script], { timeoutMs: opts.timeoutMs });
    if (r.code !== 0 && !opts.allowFail) throw new Error(`lab: '${script}' exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** Polls `check` (a bash condition inside the lab) until it holds. */
  async waitFor(check: string, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await this.run(['bash', '-c', check], { timeoutMs: 10_000 });
      if (r.code === 0) return;
      await sleep(200);
    }
    throw new Error(`lab: timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** One property of a unit, as `systemctl show -P` prints it. */
  async prop(unit: string, property: string): Promise<string> {
    return (await this.run(['systemctl', 'show', '-P', property, unit])).stdout.trim();
  }

  /** A path of the lab's filesystem, readable from the host while the lab runs. */
  path(p: string): string {
    return `/proc/${this.pid}/root${p}`;
  }

  /**
   * `charger-diag collect` inside the lab, as an operator runs it there (as root, from its
   * own directory), then the bundle and its report copied out to a private host directory.
   */
  async collect(args: string[] = [], opts: { timeoutMs?: number } = {}): Promise<{ bundle: string; report: string | null; dir: string; stderr: string }> {
    const outDir = `/tmp/charger-diag-lab-out-${process.pid}-${Date.now()}`;
    await this.sh(`mkdir -p ${outDir}`);
    const r = await this.run(['node', LAB_CLI, 'collect', '--since', this.since, '--out', `${outDir}/`, ...args], {
      timeoutMs: opts.timeoutMs ?? 180_000,
    });
    if (r.code !== 0) throw new Error(`lab: collect exited ${r.code}\n${r.stderr}`);
    const host = mkdtempSync(join(tmpdir(), 'charger-diag-lab-bundle-'));
    collected.add(host);
    let bundle = '';
    let report: string | null = null;
    for (const name of readdirSync(this.path(outDir))) {
      copyFileSync(join(this.path(outDir), name), join(host, name));
      if (name.endsWith('.tar.gz')) bundle = join(host, name);
      if (name.endsWith('.report.md')) report = join(host, name);
    }
    if (!bundle) throw new Error(`lab: collect wrote no bundle\n${r.stdout}\n${r.stderr}`);
    return { bundle, report, dir: host, stderr: r.stderr };
  }

  /** Poweroff from inside (PID 1 is killed only when it does not go within 30 s), then cleanup. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise((r) => (this.wrapper.exitCode !== null ? r(null) : this.wrapper.once('exit', r)));
    this.wrapper.stdin!.end();
    await exited;
    rmSync(this.stage, { recursive: true, force: true });
  }
}

/** Boots a lab for `fn` and always stops it. */
export async function withLab<T>(spec: LabCase, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await Lab.boot(spec);
  try {
    return await fn(lab);
  } finally {
    await lab.stop();
  }
}

/** What the host must still look like after a lab: mounts, cgroups, /tmp's entries, /etc. */
export function hostSnapshot(): { mounts: string[]; cgroups: string[]; tmp: string[]; etc: string[] } {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(3, 5).join(' '))
    .sort();
  const etc: string[] = [];
  walkTree('/etc', 8, (p) => {
    try {
      const st = statSync(p, { throwIfNoEntry: false } as never);
      etc.push(`${p} ${st ? `${st.size} ${st.mtimeMs}` : 'dangling'}`);
    } catch {
      etc.push(`${p} ?`);
    }
  });
  return {
    mounts,
    cgroups: [...cgroupDirs()].sort(),
    tmp: readdirSync(tmpdir()).sort(),
    etc: etc.sort(),
  };
}

/**
 * `describe` for lab cases: where the lab cannot run it skips with the reason and what to install,
 * except under CI=true, where a lab that cannot run is a failure (CI must never skip it silently).
 */
export function labDescribe(name: string, fn: () => void): void {
  const reason = labUnavailableReason();
  if (reason === null) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('can run the real-systemd lab', () => {
        throw new Error(`${reason} (CI=true: the lab must run)`);
      });
    });
  } else {
    console.warn(`skipping lab '${name}': ${reason}`);
    describe.skip(name, fn);
  }
}
