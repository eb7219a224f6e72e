// The README's Ansible route, run for real: ansible-playbook (Debian's
// ansible-core, which .ci/run installs) with the shipped playbook against an
// sshd the test starts on 127.0.0.1 and a port where nothing listens. The
// reachable device gives a bundle charger-diag reads; the dead one is
// Ansible's "unreachable" and costs the others nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, extract, manifestOf, runCli, tempDir } from './helpers.js';
import { describeWith, need } from '../helpers/needs.js';
import { callCli } from '../helpers/cli.js';
import { SSHD_NEEDS, freePort, keygen, sshOptions, startSshd, type Sshd } from './sshd.js';

const PLAYBOOK = join(import.meta.dirname, '../../examples/ansible/charger-diag-collect.yml');
const HOSTS_SCRIPT = join(import.meta.dirname, '../../examples/ansible/inventory-hosts.py');
const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
const run = describeWith([...SSHD_NEEDS, need(hasAnsible, 'no ansible-playbook (apt-get install ansible-core)')]);

run('the Ansible playbook of the README', () => {
  let work: string;
  let sshd: Sshd;
  let key: string;
  let dead: number;
  let bundles: string;
  let result: { code: number | null; out: string };
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    if (!hasAnsible) throw new Error('ansible-playbook is missing: .ci/run installs ansible-core');
    work = tempDir('cd-ansible-');
    key = join(work, 'user_key');
    keygen(key);
    sshd = await startSshd(join(work, 'sshd'), key);
    dead = await freePort();
    bundles = join(work, 'bundles');
    const inventory = join(work, 'inventory.ini');
    writeFileSync(
      inventory,
      [
        '[chargers]',
        `charger-a ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=root`,
        `charger-dead ansible_host=127.0.0.1 ansible_port=${dead} ansible_user=root`,
        '',
        '[chargers:vars]',
        `ansible_ssh_private_key_file=${key}`,
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes'",
        'ansible_python_interpreter=/usr/bin/python3',
      ].join('\n') + '\n',
    );
    mkdirSync(join(work, 'home'));
    result = await new Promise((resolve) => {
      const child = spawn(
        'ansible-playbook',
        ['-i', inventory, PLAYBOOK, '-e', JSON.stringify({ target: 'chargers', since: '-10m', bundles, collect_become: false, charger_diag: `${process.execPath} ${CLI}` })],
        {
          env: {
            ...process.env,
            HOME: join(work, 'home'),
            ANSIBLE_HOST_KEY_CHECKING: 'False',
            ANSIBLE_NOCOLOR: '1',
            ANSIBLE_RETRY_FILES_ENABLED: 'False',
            ANSIBLE_LOCAL_TEMP: join(work, 'ansible-local'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
  }, 240_000);

  afterAll(() => {
    sshd?.stop();
    for (const c of cleanups) c();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs to the end: the reachable device ok, the dead one unreachable (ansible-playbook exits 4)', () => {
    expect(result.out).toMatch(/charger-a\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/);
    expect(result.out).toMatch(/charger-dead\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0/);
    expect(result.code, result.out).toBe(4);
  });

  it('fetches one bundle per reachable device that charger-diag reads, and leaves nothing on the device', async () => {
    expect(readdirSync(bundles).filter((f) => f.endsWith('.tar.gz'))).toEqual(['charger-a.tar.gz']);
    const x = extract(join(bundles, 'charger-a.tar.gz'));
    cleanups.push(x.cleanup);
    const m = manifestOf(x.dir);
    expect(m.collector?.mode).toBe('script');
    expect((m.sources ?? []).filter((s) => s.status === 'ok').length).toBeGreaterThan(50);
    const a = await callCli(['analyze', join(bundles, 'charger-a.tar.gz'), '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).formatVersion).toBe(1);
    expect(readdirSync('/tmp').filter((f) => f.endsWith('.charger-diag'))).toEqual([]);
  });

  it("the other route: Ansible's inventory as the host list of collect --hosts", async () => {
    const inv = spawnSync('ansible-inventory', ['-i', join(work, 'inventory.ini'), '--list'], { encoding: 'utf8', env: { ...process.env, HOME: join(work, 'home') } });
    expect(inv.status, inv.stderr).toBe(0);
    const conv = spawnSync('python3', [HOSTS_SCRIPT, 'chargers'], { input: inv.stdout, encoding: 'utf8' });
    expect(conv.status, conv.stderr).toBe(0);
    expect(conv.stdout).toBe(`root@127.0.0.1:${sshd.port}\nroot@127.0.0.1:${dead}\n`);
    const hosts = join(work, 'chargers.txt');
    writeFileSync(hosts, conv.stdout);
    const out = join(work, 'via-hosts');
    const r = await runCli(['collect', '--hosts', hosts, '--since', '-10m', '--no-report', '--out', out, ...sshOptions(key)]);
    expect(r.code, r.stderr).toBe(1);
    expect(readdirSync(out).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`root@127\\.0\\.0\\.1:${dead}\\s+unreachable`));
  }, 120_000);

  it('writes the fleet report of what it fetched', () => {
    const report = join(bundles, 'fleet-report.md');
    expect(existsSync(report), result.out).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('charger-a');
  });
});
