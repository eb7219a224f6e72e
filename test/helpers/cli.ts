// The CLI two ways: the built dist/cli.js as users run it, in a process of its
// own (`npm test` builds dist/ first), for a command's exit status and its
// one-line error contract; and main() in this process, for everything else a
// command prints, without the cost of starting node for each call.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/main.js';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
}

export function runCli(args: string[], opts: CliOptions = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: \`npm test\` builds it (or run \`npm run build\`)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What a command writes to one of its streams; not a terminal, as a pipe to runCli is not. */
class Capture {
  text = '';
  readonly isTTY = false;
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    if (done) queueMicrotask(done);
    return true;
  }
}

let inside = false;

/**
 * The command run in this process, as runCli runs it: same arguments, the
 * given working directory and environment variables for the length of the
 * call (both restored after it, so a call leaves the process as it found it),
 * stdout and stderr captured. Calls must not overlap: they share the process's
 * directory and environment.
 */
export async function callCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (inside) throw new Error('callCli: another call is still running (not awaited, or it timed out); calls share the directory and environment');
  inside = true;
  const saved = Object.entries(opts.env ?? {}).map(([k]) => [k, process.env[k]] as const);
  const cwd = process.cwd();
  const stdout = new Capture();
  const stderr = new Capture();
  try {
    for (const [k, v] of Object.entries(opts.env ?? {})) process.env[k] = v;
    if (opts.cwd) process.chdir(opts.cwd);
    const code = await main(args, { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    process.chdir(cwd);
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    inside = false;
  }
}

/** Exit 2, nothing on stdout, exactly one `charger-diag: …` line on stderr, no stack trace. */
export function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^charger-diag: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A usage error: exit 2, nothing on stdout, the `charger-diag: …` line, then where the command's help is. */
export function expectUsageError(r: CliResult, pattern: RegExp, command?: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^charger-diag: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toBe(`Try 'charger-diag${command ? ` ${command}` : ''} --help'.`);
}
