// Copying text logs into a bundle: the window by each line's own time, the
// cap that keeps the newest window lines and never trades one of them for a
// line outside the window, redaction on the way.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyLog, type LogWindow } from '../../src/collect/log-copy.js';
import { scratchStagings } from './helpers.js';

const window: LogWindow = {
  sinceMs: Date.parse('2025-12-10T01:00:00+03:00'),
  untilMs: Date.parse('2025-12-10T01:15:00+03:00'),
  clock: { timezone: 'Europe/Istanbul' },
  referenceMs: Date.parse('2025-12-10T01:15:00+03:00'),
};

const staging = scratchStagings('cd-logcopy-');

async function* chunks(text: string, size = 7): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const access = (time: string, status: number, path = '/api/status') =>
  `192.168.1.23 - - [10/Dec/2025:${time} +0300] "GET ${path} HTTP/1.1" ${status} 17 "-" "Mozilla/5.0 (Linux; Android 14)"`;

describe('copyLog', () => {
  it('keeps only the nginx lines whose own time is inside the window', async () => {
    const s = staging();
    const text = [access('00:58:59', 200), access('01:00:00', 200), access('01:10:05', 502), access('01:15:00', 200), access('01:15:01', 200)].join('\n') + '\n';
    const r = await copyLog(chunks(text), 'files/var/log/nginx/access.log', { kind: 'app-log', devicePath: '/var/log/nginx/access.log', window, cap: 1 << 20, counts: {}, staging: s });
    const kept = readFileSync(s.pathOf('files/var/log/nginx/access.log'), 'utf8').trimEnd().split('\n');
    expect(kept.map((l) => /:(\d\d:\d\d:\d\d) /.exec(l)![1])).toEqual(['01:00:00', '01:10:05', '01:15:00']);
    expect(r).toMatchObject({ truncated: false, outsideWindow: 2 });
  });

  it('keeps a traceback with the stamped line that starts it, and drops one outside the window with its line', async () => {
    const s = staging();
    const text = [
      '2025-12-10 00:50:00,001 ERROR charger: lost websocket',
      'Traceback (most recent call last):',
      '  File "/home/basar/charger/ocpp/main.py", line 88, in run',
      'ConnectionResetError: [Errno 104] Connection reset by peer',
      '2025-12-10 01:09:58,120 ERROR charger: lost websocket',
      'Traceback (most recent call last):',
      '  File "/home/basar/charger/ocpp/main.py", line 88, in run',
      'ConnectionResetError: [Errno 104] Connection reset by peer',
    ].join('\n');
    await copyLog(chunks(text), 'files/var/log/charger.log', { kind: 'app-log', devicePath: '/var/log/charger.log', window, cap: 1 << 20, counts: {}, staging: s });
    const kept = readFileSync(s.pathOf('files/var/log/charger.log'), 'utf8');
    expect(kept.startsWith('2025-12-10 01:09:58,120 ERROR')).toBe(true);
    expect(kept.trimEnd().split('\n')).toHaveLength(4);
  });

  it('keeps a log without timestamps (uvicorn via nohup) whole, and its newest part when over the cap', async () => {
    const s = staging();
    const lines = Array.from({ length: 400 }, (_, i) => `INFO:     127.0.0.1:5${String(i).padStart(4, '0')} - "GET /api/health HTTP/1.1" 200 OK`);
    const r = await copyLog(chunks(lines.join('\n') + '\n', 4096), 'files/home/basar/charger/nohup.out', {
      kind: 'app-log',
      devicePath: '/home/basar/charger/nohup.out',
      window,
      cap: 4000,
      counts: {},
      staging: s,
    });
    const kept = readFileSync(s.pathOf('files/home/basar/charger/nohup.out'), 'utf8');
    expect(kept.length).toBeLessThanOrEqual(4000);
    expect(kept.endsWith(`${lines[399]}\n`)).toBe(true);
    // Whole lines only: the first kept line is one of the file's lines.
    expect(lines).toContain(kept.split('\n')[0]);
    expect(r.truncated).toBe(true);
    expect(r.cutBytes).toBeGreaterThan(0);
    // The two rotating segments are gone.
    expect(readdirSync(s.root).filter((n) => n.startsWith('tail-'))).toEqual([]);
  });

  it('never drops a window line to keep a line outside it, however much comes before', async () => {
    const s = staging();
    const before = Array.from({ length: 5000 }, (_, i) => `Dec 10 00:${String(10 + (i % 40)).padStart(2, '0')}:00 charger-01 kernel: noise ${i}`);
    const inside = ['Dec 10 01:09:58 charger-01 kernel: Out of memory: Killed process 98231 (uvicorn)', 'Dec 10 01:10:00 charger-01 systemd[1]: session-2.scope: Deactivated successfully.'];
    const after = ['Dec 10 01:20:00 charger-01 CRON[1]: (root) CMD (true)'];
    const r = await copyLog(chunks([...before, ...inside, ...after].join('\n') + '\n', 65536), 'files/var/log/syslog', {
      kind: 'syslog',
      devicePath: '/var/log/syslog',
      window,
      cap: 200,
      counts: {},
      staging: s,
    });
    expect(readFileSync(s.pathOf('files/var/log/syslog'), 'utf8')).toBe(`${inside.join('\n')}\n`);
    expect(r).toMatchObject({ truncated: false, outsideWindow: 5001 });
  });

  it('redacts what it keeps', async () => {
    const s = staging();
    const counts: Record<string, number> = {};
    const text = `${access('01:05:00', 200, '/api/login?token=abcdef0123456789')}\n`;
    await copyLog(chunks(text), 'files/var/log/nginx/access.log', { kind: 'app-log', devicePath: '/var/log/nginx/access.log', window, cap: 1 << 20, counts, staging: s });
    const kept = readFileSync(join(s.dir, 'files/var/log/nginx/access.log'), 'utf8');
    expect(kept).toContain('token=[redacted:secret-kv]');
    expect(counts['secret-kv']).toBe(1);
  });
});
