// Streaming redaction: a private key spanning lines of a copied log, and
// journal JSON lines that stay valid JSON whatever was replaced in them.
import { describe, expect, it } from 'vitest';
import { jsonLineRedactor, LineSplitter, textLineRedactor } from '../../src/collect/redact-stream.js';

const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACDu3Y2wVZ5kP8mTz9iJ0n5r0XW6cS7p+2d0q1m8nQ6vJwAAAJjz7n0G8+59', '-----END OPENSSH PRIVATE KEY-----'];

describe('textLineRedactor', () => {
  it('drops the body of a private key printed over several lines and keeps what follows', () => {
    const counts = {};
    const r = textLineRedactor(counts);
    const out = ['INFO: loading deploy key', ...KEY, 'INFO: connected'].map(r).filter((l) => l !== null);
    expect(out).toEqual(['INFO: loading deploy key', '[redacted:private-key]', 'INFO: connected']);
    expect(out.join('\n')).not.toContain('b3BlbnNzaC1rZXkt');
    expect(counts).toEqual({ 'private-key': 1 });
  });

  it('redacts the usual secrets of a command line or unit file line by line', () => {
    const counts: Record<string, number> = {};
    const r = textLineRedactor(counts);
    expect(r('Environment=API_TOKEN=abc123secretvalue')).toBe('Environment=API_TOKEN=[redacted:secret-env]');
    expect(r('uvicorn api.main:app --port 8000 --api-key=SUPERSECRET123')).toBe('uvicorn api.main:app --port 8000 --api-key=[redacted:secret-arg]');
    expect(counts).toEqual({ 'secret-env': 1, 'secret-arg': 1 });
  });

  it('passes everything through with --no-redact', () => {
    const r = textLineRedactor(null);
    expect(r('--api-key=SUPERSECRET123')).toBe('--api-key=SUPERSECRET123');
  });
});

describe('jsonLineRedactor', () => {
  it('keeps a journal line valid JSON when a key block in MESSAGE is cut short', () => {
    const counts = {};
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1765317600000000', MESSAGE: `loaded ${KEY.slice(0, 2).join('\n')}`, _PID: '812' });
    const out = jsonLineRedactor(counts)(line)!;
    const doc = JSON.parse(out) as Record<string, string>;
    expect(doc.MESSAGE).toBe('loaded [redacted:private-key]');
    expect(doc._PID).toBe('812');
    expect(out).not.toContain('b3BlbnNzaC1rZXkt');
    expect(counts).toEqual({ 'private-key': 1 });
  });

  it('redacts a secret inside a MESSAGE that journalctl printed as a byte array (not UTF-8)', () => {
    const counts = {};
    const bytes = [...Buffer.from('auth failed for token='), 0xff, ...Buffer.from(' --password=hunter2hunter2')];
    const out = jsonLineRedactor(counts)(JSON.stringify({ MESSAGE: bytes, PRIORITY: '3' }))!;
    const doc = JSON.parse(out) as Record<string, string>;
    expect(doc.MESSAGE).toContain('--password=[redacted:secret-arg]');
    expect(out).not.toContain('hunter2');
  });

  it('follows a key logged with one logger call per line, whatever journald could read of each sender', () => {
    // As systemd 252 stored it in the lab: journald reads _CMDLINE, _EXE and _SYSTEMD_UNIT from /proc
    // when a line arrives, so a logger that has already exited has them on some lines and not on others.
    const record = (k: number, message: string, racy: boolean): string =>
      JSON.stringify({
        _BOOT_ID: '97fb0eea28ba4bd28d2635668a71d5b7',
        _PID: String(539 + k),
        _COMM: 'logger',
        SYSLOG_IDENTIFIER: 'deploy',
        MESSAGE: message,
        _TRANSPORT: 'syslog',
        // systemd quotes an argument that holds a blank (the BEGIN and END lines): "logger -t deploy -- \"-----BEGIN ...\"".
        ...(racy ? { _EXE: '/usr/bin/logger', _CMDLINE: `logger -t deploy -- ${message.includes(' ') ? `"${message}"` : message}`, _SYSTEMD_UNIT: 'session-c1.scope' } : {}),
      });
    for (const racy of [[true, false, true, false], [false, true, false, true], [true, true, true, true], [true, true, false, false]]) {
      const r = jsonLineRedactor({});
      const out = KEY.map((line, k) => r(record(k, line, racy[k]!))).filter((l) => l !== null).join('\n');
      for (const body of KEY.slice(1, -1)) expect(out).not.toContain(body.slice(0, 24));
    }
  });

  it("redacts a credential in systemd's escaped spelling of a unit name (\\x40 for @), escaped again in the line", () => {
    const counts = {};
    const r = jsonLineRedactor(counts);
    const line = JSON.stringify({ MESSAGE: 'Started autossh@pi:Sekr3tPw\\x40relay.service - Tunnel', UNIT: 'autossh@pi:Sekr3tPw\\x40relay.service', _SYSTEMD_UNIT: 'init.scope' });
    const out = r(line)!;
    expect(out).not.toContain('Sekr3tPw');
    expect(JSON.parse(out).UNIT).toBe('autossh@pi:[redacted:url-credentials]\\x40relay.service');
    expect(counts).toEqual({ 'url-credentials': 2 });
  });

  it('leaves lines without secrets byte for byte as journalctl wrote them', () => {
    const line = '{"__CURSOR":"s=1;i=2","MESSAGE":"Started charger.service - OCPP client.","PRIORITY":"6"}';
    expect(jsonLineRedactor({})(line)).toBe(line);
  });
});

describe('LineSplitter', () => {
  it('joins lines across chunks and reports an unterminated last line', () => {
    const lines: [string, boolean][] = [];
    const s = new LineSplitter((b, complete) => lines.push([b.toString(), complete]));
    s.push(Buffer.from('one\ntw'));
    s.push(Buffer.from('o\nthr'));
    s.end();
    expect(lines).toEqual([
      ['one', true],
      ['two', true],
      ['thr', false],
    ]);
  });

  it('bounds memory on a line without end: it is passed on in pieces', () => {
    const sizes: number[] = [];
    const s = new LineSplitter((b) => sizes.push(b.length), 1000);
    for (let i = 0; i < 10; i++) s.push(Buffer.alloc(300, 0x61));
    s.end();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1200);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000);
  });
});
