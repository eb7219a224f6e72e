// Real OpenSSH servers for the --ssh tests, on 127.0.0.1 ports, each with
// its own host key and config (no PAM, keys only), started and stopped by the
// test. One throwaway user key is authorised unless a server is told to
// refuse every key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { need, type Need } from '../helpers/needs.js';

export const SSHD = '/usr/sbin/sshd';
export const isRoot = process.getuid?.() === 0;
// CI installs openssh-server and runs as root (.ci/run): there the ssh tests must run, not skip
// (test/helpers/needs.ts makes a missing one a failure under CI=true).
export const SSHD_NEEDS: Need[] = [
  need(existsSync(SSHD), `no ${SSHD} to start a test server with (apt-get install openssh-server openssh-client)`),
  need(isRoot, 'not root: the test sshd needs root to run (run the tests as root)'),
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createTcpServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function keygen(file: string, comment = 'charger-diag test'): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
}

export interface Sshd {
  port: number;
  /** ends the server; safe to call twice */
  stop(): void;
}

/**
 * Start sshd on 127.0.0.1 under `dir` (created). `userKey` is the private key
 * whose .pub is authorised, or null for a server that refuses every key.
 */
export async function startSshd(dir: string, userKey: string | null): Promise<Sshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install openssh-server (.ci/run does)`);
  if (!isRoot) throw new Error('the sshd tests need root (sshd privilege separation)');
  mkdirSync(dir, { recursive: true });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  keygen(join(dir, 'host_key'), 'host');
  writeFileSync(join(dir, 'authorized_keys'), userKey ? readFileSync(`${userKey}.pub`) : '');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // A fleet test opens several sessions to one server at once.
      'MaxStartups 64',
      `PidFile ${join(dir, 'sshd.pid')}`,
    ].join('\n') + '\n',
  );
  const port = await freePort();
  const sshd: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config'), '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const t = setTimeout(() => reject(new Error(`sshd did not start: ${err}`)), 10_000);
    sshd.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('Server listening')) {
        clearTimeout(t);
        resolve();
      }
    });
    sshd.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${err}`)));
  });
  // Keep draining its log so a chatty server never blocks on a full pipe.
  sshd.stderr!.resume();
  return { port, stop: () => void sshd.kill('SIGTERM') };
}

/** ssh options for a throwaway server: this key only, no known_hosts, quiet. */
export function sshOptions(key: string): string[] {
  return ['-i', key, '-oIdentitiesOnly=yes', '-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null', '-oLogLevel=ERROR'].flatMap((o) => ['--ssh-option', o]);
}
