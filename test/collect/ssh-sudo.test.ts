// collect --ssh as an ordinary user, the way a Raspberry Pi is reached
// (user pi with passwordless sudo): the collection script runs every command
// through `sudo -n` when sudo allows it, and with the user's own rights
// otherwise. A throwaway account is created for the test and removed after
// it; the proof of privilege is what only root can see, the owner of a
// socket this test's own (root) process listens on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { extract, manifestOf, runCli, tempDir } from './helpers.js';
import { describeWith, need } from '../helpers/needs.js';
import { SSHD_NEEDS, keygen, sshOptions, startSshd, type Sshd } from './sshd.js';

const USER = 'cdiag-sudo-test';
const SUDOERS = `/etc/sudoers.d/${USER}`;
const hasSudo = spawnSync('sh', ['-c', 'command -v sudo && command -v useradd']).status === 0;
// CI installs sudo and runs as root (.ci/run): there this must run, not skip.
const run = describeWith([...SSHD_NEEDS, need(hasSudo, 'no sudo or useradd (apt-get install sudo passwd)')]);

function sh(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

run('collect --ssh as a user with and without passwordless sudo', () => {
  let work: string;
  let key: string;
  let sshd: Sshd;
  let listener: Server;
  let port: number;
  const cleanups: (() => void)[] = [];

  /** Collect as USER; returns the extracted bundle's manifest and ss output. */
  async function collectAs(label: string) {
    const out = join(work, label);
    mkdirSync(out);
    const r = await runCli(['collect', '--ssh', `${USER}@127.0.0.1:${sshd.port}`, '--since', '-5m', '--no-report', '--out', out, ...sshOptions(key)], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const [bundle] = readdirSync(out).filter((f) => f.endsWith('.tar.gz'));
    const x = extract(join(out, bundle!));
    cleanups.push(x.cleanup);
    const ss = readFileSync(join(x.dir, 'commands/ss-ltnup.txt'), 'utf8');
    return { manifest: manifestOf(x.dir), line: ss.split('\n').find((l) => l.includes(`127.0.0.1:${port} `)) ?? '', dir: x.dir };
  }

  beforeAll(async () => {
    if (!hasSudo) throw new Error('sudo or useradd is missing: .ci/run installs sudo');
    work = tempDir('cd-sudo-');
    // sshd reads authorized_keys, and the login finds its home, with the user's rights.
    chmodSync(work, 0o755);
    spawnSync('userdel', ['-r', USER]);
    rmSync(SUDOERS, { force: true });
    // A system account (uid < 1000): collections running beside this test list the crontabs of
    // login users (uid >= 1000), and must not see one appear or vanish between two of their runs.
    sh(['useradd', '--system', '-m', '-d', join(work, 'home'), '-s', '/bin/sh', USER]);
    // A locked account ("!" in shadow) is refused by sshd without PAM; "*" has no password and is not locked.
    sh(['usermod', '-p', '*', USER]);
    key = join(work, 'user_key');
    keygen(key);
    sshd = await startSshd(join(work, 'sshd'), key);
    listener = createServer();
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    sshd?.stop();
    await new Promise<void>((r) => (listener ? listener.close(() => r()) : r()));
    rmSync(SUDOERS, { force: true });
    spawnSync('userdel', ['-r', USER]);
    for (const c of cleanups) c();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('without sudo: runs with the user rights, says so, and cannot name the owner of a root socket', async () => {
    const { manifest, line } = await collectAs('plain');
    expect(manifest.collector).toMatchObject({ mode: 'ssh', user: USER, privileged: false });
    expect(line).toMatch(/LISTEN/);
    expect(line).not.toContain('users:(');
  });

  it('with passwordless sudo: every command runs through sudo -n and sees what root sees', async () => {
    writeFileSync(SUDOERS, `${USER} ALL=(ALL) NOPASSWD: ALL\n`);
    chmodSync(SUDOERS, 0o440);
    const { manifest, line, dir } = await collectAs('sudo');
    expect(manifest.collector).toMatchObject({ mode: 'ssh', user: USER, privileged: true });
    expect(line).toContain(`pid=${process.pid},`);
    const procinfo = JSON.parse(readFileSync(join(dir, 'commands/procinfo.json'), 'utf8')) as { processes: { pid: number; exe: string | null }[] };
    expect(procinfo.processes.find((p) => p.pid === process.pid)?.exe).toBe(process.execPath);
  });
});
