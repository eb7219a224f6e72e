import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseSs } from '../../src/parse/ss.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseSs: real `ss -ltnup` (iproute2 6.1) as root', () => {
  const r = parseSs(fixture('ss-ltnup-real-root.txt'), 'commands/ss-ltnup.txt');

  it('reads every socket, udp UNCONN and tcp LISTEN', () => {
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(11);
    expect(r.records.filter((l) => l.netid === 'udp').every((l) => l.state === 'UNCONN')).toBe(true);
    expect(r.records.filter((l) => l.netid === 'tcp')).toHaveLength(8);
  });

  it('splits addresses: IPv4, IPv6 brackets, dual-stack "*", interface scope', () => {
    const locals = r.records.map((l) => [l.address, l.port, l.local, l.line]);
    expect(locals).toContainEqual(['127.0.0.53%lo', 53, '127.0.0.53%lo:53', 2]);
    expect(locals).toContainEqual(['*', 546, '*:546', 4]);
    expect(locals).toContainEqual(['[::1]', 8001, '[::1]:8001', 10]);
    expect(locals).toContainEqual(['[::]', 22022, '[::]:22022', 11]);
    expect(locals).toContainEqual(['*', 8080, '*:8080', 12]);
  });

  it('reads all owning processes, and none for a socket ss cannot attribute', () => {
    const p8000 = r.records.find((l) => l.port === 8000)!;
    expect(p8000.processes).toEqual([
      { name: 'python3', pid: 10879, fd: 3 },
      { name: 'python3', pid: 10837, fd: 3 },
    ]);
    expect(r.records.find((l) => l.port === 2024)!.processes).toEqual([]);
  });
});

describe('parseSs: charger host', () => {
  const r = parseSs(fixture('ss-ltnup-charger.txt'), 'commands/ss-ltnup.txt');
  it('reads the uvicorn listener with both workers', () => {
    const api = r.records.find((l) => l.local === '0.0.0.0:8000')!;
    expect(api).toMatchObject({ netid: 'tcp', state: 'LISTEN', address: '0.0.0.0', port: 8000, line: 6, source: 'commands/ss-ltnup.txt' });
    expect(api.processes.map((p) => p.pid)).toEqual([165170, 165162]);
    expect(api.processes[0]!.name).toBe('uvicorn');
    expect(r.records.find((l) => l.port === 9100)!.processes[0]!.name).toBe('node_exporter');
  });
});

describe('parseSs: forms without process or Netid columns', () => {
  it('non-root: sockets without processes (real capture as nobody)', () => {
    const r = parseSs(fixture('ss-ltnup-real-nonroot.txt'), 'x');
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(11);
    expect(r.records.every((l) => l.processes.length === 0)).toBe(true);
  });

  it('`ss -ltnp` has no Netid column: tcp is inferred', () => {
    const r = parseSs(fixture('ss-ltnp-real-no-netid.txt'), 'x');
    expect(r.skipped).toBe(0);
    expect(r.records).toHaveLength(8);
    expect(r.records[0]).toMatchObject({ netid: 'tcp', state: 'LISTEN', port: 2024, line: 2 });
  });

  it('process names with spaces and quotes', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
      'tcp   LISTEN 0      128          0.0.0.0:9000       0.0.0.0:*    users:(("tmux: server",pid=812,fd=5))',
    ].join('\n');
    expect(parseSs(text, 'x').records[0]!.processes).toEqual([{ name: 'tmux: server', pid: 812, fd: 5 }]);
  });
});

describe('parseSs: damaged input', () => {
  it('counts truncated rows and bad addresses, keeps the rest', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
      'tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*    users:(("sshd",pid=733,fd=3))',
      'tcp   LISTEN 0      128          0.0.0.0:80',
      'tcp   LISTEN 0      128          0.0.0.0:http       0.0.0.0:*',
      'tcp   LISTEN 0      128          0.0.0.0:8000       0.0.0.0:*    users:(("uvic',
      'ss: no socket tables to show',
    ].join('\n');
    const r = parseSs(text, 'x');
    expect(r.records.map((l) => l.port)).toEqual([22]);
    expect(r.skipped).toBe(4);
    expect(r.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
  });

  it('empty output (no listeners) is not an error', () => {
    expect(parseSs('Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n', 'x')).toEqual({ records: [], skipped: 0, problems: [] });
  });
});
