// One command of the catalogue: LC_ALL=C, a timeout that ends the whole
// process group and keeps what was printed, a sink that stops early.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { captureCommand, runCommand } from '../../src/collect/exec.js';
import { statusOf } from '../../src/collect/status.js';

/** Running, not a zombie waiting for a parent (init) to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('times a hung command out, kills what it started too, and keeps its partial output', async () => {
    const started = Date.now();
    // The shell starts a grandchild and waits: killing the shell alone would leave the sleep behind.
    const r = await captureCommand(['sh', '-c', 'echo partial; sleep 60 & echo "child $!"; wait'], { timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.timedOut).toBe(true);
    const out = r.stdout.toString();
    expect(out).toMatch(/^partial\nchild \d+\n$/);
    const child = Number(/child (\d+)/.exec(out)![1]);
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(child)).toBe(false);
    const st = statusOf({ exitCode: r.exitCode, timedOut: true, capped: false, notFound: false, stderr: '', bytes: r.stdout.length }, 'sh', 1000, null);
    expect(st).toEqual({ status: 'timeout', error: `timed out after 1 s; the ${r.stdout.length} bytes printed before are kept` });
  });

  it('runs with LC_ALL=C', async () => {
    const r = await captureCommand(['sh', '-c', 'echo "$LC_ALL"'], { timeoutMs: 5000, env: { LC_ALL: 'tr_TR.UTF-8' } });
    expect(r.stdout.toString()).toBe('C\n');
  });

  it('says a command is not installed', async () => {
    const r = await captureCommand(['coredumpctl-not-installed-here'], { timeoutMs: 5000 });
    expect(r.spawnError?.code).toBe('ENOENT');
    expect(statusOf({ exitCode: null, timedOut: false, capped: false, notFound: true, stderr: '', bytes: 0 }, 'coredumpctl', 10_000, null)).toEqual({
      status: 'missing',
      error: 'coredumpctl: command not found',
    });
  });

  it('with stderr merged, gives stderr first, then stdout, whatever order the pipes are read in', async () => {
    // ls writes its errors as it goes and its listing at exit: `ls 2>&1` shows the errors first.
    // Here stdout is written first, so arrival order alone would put it first.
    for (let i = 0; i < 5; i++) {
      const r = await captureCommand(['sh', '-c', 'echo "drwxr-sr-x /var/log/journal"; sleep 0.05; echo "ls: cannot access /run/log/journal" >&2'], { timeoutMs: 5000, mergeStderr: true });
      expect(r.stdout.toString()).toBe('ls: cannot access /run/log/journal\ndrwxr-sr-x /var/log/journal\n');
    }
  });

  it('with stderr merged, does not hold back more than 1 MiB of stdout while stderr stays open', async () => {
    const started = Date.now();
    const r = await captureCommand(['sh', '-c', 'head -c 3000000 /dev/zero; echo done >&2'], { timeoutMs: 10000, mergeStderr: true });
    expect(r.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stdout.length).toBe(3000000 + 'done\n'.length);
  });

  it('ends the command when the sink has enough (a size cap)', async () => {
    let got = 0;
    const r = await runCommand(['sh', '-c', 'while :; do echo 0123456789; done'], (c) => (got += c.length) < 100_000, { timeoutMs: 10_000 });
    expect(r.stoppedBySink).toBe(true);
    expect(r.timedOut).toBe(false);
  });
});

describe('statusOf', () => {
  const base = { exitCode: 1, timedOut: false, capped: false, notFound: false, bytes: 0 };
  it('records systemd being absent as a failure with its own message', () => {
    expect(statusOf({ ...base, stderr: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\nFailed to connect to bus: Host is down\n' }, 'systemctl', 10_000, null)).toEqual({
      status: 'failed',
      error: "System has not been booted with systemd as init system (PID 1). Can't operate.",
    });
  });
  it('tells denied, missing and an empty list apart', () => {
    expect(statusOf({ ...base, stderr: 'dmesg: read kernel buffer failed: Operation not permitted' }, 'dmesg', 1, null).status).toBe('denied');
    expect(statusOf({ ...base, stderr: 'no crontab for basar' }, 'crontab', 1, null).status).toBe('missing');
    expect(statusOf({ ...base, stderr: 'No coredumps found.' }, 'coredumpctl', 1, null).status).toBe('ok');
    expect(statusOf({ ...base, exitCode: 0, stderr: 'No journal files were found.\n-- No entries --' }, 'journalctl', 1, null)).toEqual({ status: 'failed', error: 'No journal files were found.' });
  });
});
