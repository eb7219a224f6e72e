// The host list of a fleet run and what ssh's own complaint means, on the
// texts OpenSSH really prints (OpenSSH 9.2 on Debian 12; the older wording of
// 7.x/8.x devices where it differs).
import { describe, expect, it } from 'vitest';
import { fleetTargets, parseHostsFile, positiveNumber } from '../../src/collect/fleet.js';
import { failureKindOf } from '../../src/collect/ssh.js';
import { InputError } from '../../src/errors.js';

describe('--hosts FILE', () => {
  it('reads one [USER@]HOST[:PORT] a line, skipping comments and blank lines, in order', () => {
    const text = '\ufeff# site A\r\npi@charger-01\r\n\r\ncharger-02:2222   # behind the NAT\r\n  [fe80::1]:22\r\nroot@10.1.2.3\r\n#charger-99\r\n';
    const t = parseHostsFile(text, 'hosts.txt');
    expect(t.map((x) => [x.text, x.target.destination, x.target.port, x.origin])).toEqual([
      ['pi@charger-01', 'pi@charger-01', null, 'hosts.txt:2'],
      ['charger-02:2222', 'charger-02', 2222, 'hosts.txt:4'],
      ['[fe80::1]:22', 'fe80::1', 22, 'hosts.txt:5'],
      ['root@10.1.2.3', 'root@10.1.2.3', null, 'hosts.txt:6'],
    ]);
  });

  it('names the file and line of a line that is not a target', () => {
    expect(() => parseHostsFile('charger-01\ncharger-02 ansible_host=10.0.0.2\n', 'inv.txt')).toThrow(
      new InputError('inv.txt:2: expected one [USER@]HOST[:PORT] per line, found "charger-02 ansible_host=10.0.0.2"'),
    );
    expect(() => parseHostsFile('charger-01:70000\n', 'h')).toThrow(/^h:1: charger-01:70000: port 70000 is out of range$/);
    expect(() => parseHostsFile('-oProxyCommand=x\n', 'h')).toThrow(/^h:1: -oProxyCommand=x: not a host name$/);
  });

  it('collects a device once however it is listed (user names differ, the device does not), and says so', () => {
    const said: string[] = [];
    const t = fleetTargets({ ssh: ['pi@charger-01', 'charger-01:2222', 'root@Charger-01'] }, (l) => said.push(l));
    expect(t.map((x) => x.text)).toEqual(['pi@charger-01', 'charger-01:2222']);
    expect(said).toEqual(['charger-diag: --ssh root@Charger-01: root@Charger-01 is the device of --ssh pi@charger-01 again; collected once']);
  });

  it('bounds --jobs and --host-timeout', () => {
    expect(positiveNumber('--jobs', undefined, 8, 256, true)).toBe(8);
    expect(positiveNumber('--jobs', '16', 8, 256, true)).toBe(16);
    for (const bad of ['0', '-1', '2.5', '257', 'many']) expect(() => positiveNumber('--jobs', bad, 8, 256, true), bad).toThrow(InputError);
    expect(positiveNumber('--host-timeout', '1.5', 900, 86400, false)).toBe(1.5);
  });
});

describe("what ssh's complaint means for a device that gave no bundle", () => {
  const cases: [string, string][] = [
    ['ssh: connect to host 127.0.0.1 port 2222: Connection refused\r\n', 'unreachable'],
    ['ssh: connect to host 10.9.9.9 port 22: Connection timed out\r\n', 'unreachable'],
    ['ssh: connect to host 10.9.9.9 port 22: No route to host\r\n', 'unreachable'],
    ['ssh: Could not resolve hostname charger-77: Name or service not known\r\n', 'unreachable'],
    ['ssh: Could not resolve hostname charger-77: Temporary failure in name resolution\r\n', 'unreachable'],
    ['kex_exchange_identification: read: Connection reset by peer\r\nConnection reset by 10.0.0.5 port 22\r\n', 'unreachable'],
    ['kex_exchange_identification: Connection closed by remote host\r\nConnection closed by 10.0.0.5 port 22\r\n', 'unreachable'],
    ['pi@10.0.0.5: Permission denied (publickey,password).\r\n', 'auth-refused'],
    ['Received disconnect from 10.0.0.5 port 22:2: Too many authentication failures\r\n', 'auth-refused'],
    [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\nHost key verification failed.\r\n',
      'host-key',
    ],
    ['No ED25519 host key is known for charger-01 and you have requested strict checking.\r\nHost key verification failed.\r\n', 'host-key'],
    ['sh: 1: sh: not found\n', 'failed'],
    ['', 'failed'],
  ];
  for (const [stderr, kind] of cases) {
    it(`${kind}: ${JSON.stringify(stderr.split('\n').filter(Boolean).pop() ?? '')}`, () => expect(failureKindOf(stderr)).toBe(kind));
  }
});
