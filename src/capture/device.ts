// Where the capture commands act: this machine, or a device over OpenSSH (as `collect --ssh`
// reaches one), as root directly or through `sudo -n`. Each action is one sh script on stdin.
import { spawn } from 'node:child_process';
import { InputError } from '../errors.js';
import { sshArgv, type SshTarget } from '../collect/ssh.js';

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Device {
  /** how the device is named in messages: "this machine" or the --ssh target */
  label: string;
  /** runs `script` with sh on the device; `root`: as root (sudo -n when the login is not root) */
  sh(script: string, opts: { root: boolean }): Promise<ShellResult>;
}

function run(argv: string[], input: string, timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new InputError(`${argv[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function localDevice(): Device {
  return {
    label: 'this machine',
    async sh(script, { root }) {
      if (root && process.getuid?.() !== 0) throw new InputError('capture install and remove write under /etc/systemd/system and /usr/local/lib: run them as root (sudo charger-diag capture ...)');
      return run(['sh', '-s'], script, 120_000);
    },
  };
}

export function sshDevice(target: SshTarget, options: string[]): Device {
  const base = sshArgv(target, options).slice(0, -1);
  return {
    label: target.display,
    async sh(script, { root }) {
      // `sudo -n` never prompts: a device without passwordless sudo says so and nothing runs.
      const remote = root ? 'if [ "$(id -u)" = 0 ]; then exec sh -s; else exec sudo -n sh -s; fi' : 'sh -s';
      const r = await run([...base, remote], script, 300_000);
      if (r.code === 255) throw new InputError(`--ssh ${target.display}: ${r.stderr.trim().split('\n').pop() || 'ssh failed'}`);
      if (root && r.code === 1 && /sudo: a (?:terminal|password) is required|sudo: .*not found|may not run sudo/.test(r.stderr)) {
        throw new InputError(`--ssh ${target.display}: capture needs root there: log in as root or allow passwordless sudo (sudo -n failed: ${r.stderr.trim().split('\n').pop()})`);
      }
      return r;
    },
  };
}
