import { describe, it, expect } from 'vitest';
import { classifyPortConflict } from '../../src/classify/port-conflict.js';

// Lines as real programs printed them on this machine (uvicorn 0.54, gunicorn 26.2,
// nginx 1.22.1, node 20) when their port was held by another process.
describe('classifyPortConflict', () => {
  it('uvicorn [Errno 98] → address and port from the Python tuple', () => {
    const e = classifyPortConflict("ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use");
    expect(e).toEqual({ address: '0.0.0.0', port: 8000, detail: "[Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use" });
  });

  it('IPv6 tuples come back bracketed, as ss prints them', () => {
    const e = classifyPortConflict("ERROR:    [Errno 98] error while attempting to bind on address ('::', 8000, 0, 0): address already in use");
    expect(e?.address).toBe('[::]');
    expect(e?.port).toBe(8000);
  });

  it("gunicorn: Connection in use and the [Errno 98] line after it", () => {
    expect(classifyPortConflict("[2025-12-10 01:10:00 +0300] [1234] [ERROR] Connection in use: ('0.0.0.0', 8000)")).toEqual({
      address: '0.0.0.0',
      port: 8000,
      detail: "Connection in use: ('0.0.0.0', 8000)",
    });
    const e = classifyPortConflict("[2025-12-10 01:10:00 +0300] [1234] [ERROR] connection to ('0.0.0.0', 8000) failed: [Errno 98] Address already in use");
    expect(e).toMatchObject({ address: '0.0.0.0', port: 8000 });
  });

  it('nginx bind() failures, IPv4 and IPv6', () => {
    expect(classifyPortConflict('2025/12/10 01:13:00 [emerg] 9197#9197: bind() to 0.0.0.0:80 failed (98: Address already in use)')).toEqual({
      address: '0.0.0.0',
      port: 80,
      detail: 'bind() to 0.0.0.0:80 failed (98: Address already in use)',
    });
    expect(classifyPortConflict('nginx: [emerg] bind() to [::]:443 failed (98: Address already in use)')).toMatchObject({ address: '[::]', port: 443 });
  });

  it('node EADDRINUSE, current and old wording; not the code: line of the same dump', () => {
    expect(classifyPortConflict('Error: listen EADDRINUSE: address already in use 0.0.0.0:8000')).toMatchObject({ address: '0.0.0.0', port: 8000 });
    expect(classifyPortConflict('Error: listen EADDRINUSE :::3000')).toMatchObject({ address: '[::]', port: 3000 });
    expect(classifyPortConflict("  code: 'EADDRINUSE',")).toBeNull();
  });

  it('Go, werkzeug and systemd socket units', () => {
    const go = classifyPortConflict('2025/12/10 01:10:00 listen tcp :8000: bind: address already in use');
    expect(go).toMatchObject({ port: 8000 });
    expect(go?.address).toBeUndefined();
    expect(classifyPortConflict('Port 5000 is in use by another program. Either identify and stop that program, or start the server with a different port.')).toMatchObject({ port: 5000 });
    expect(classifyPortConflict('charger-api.socket: Failed to create listening socket (0.0.0.0:8000): Address already in use')).toMatchObject({ address: '0.0.0.0', port: 8000 });
  });

  it('a bare "Address already in use" has a detail but no invented port', () => {
    const e = classifyPortConflict('2025-12-10 01:10:00,001 ERROR ocpp: OSError: [Errno 98] Address already in use');
    expect(e).toEqual({ detail: '[Errno 98] Address already in use' });
    const f = classifyPortConflict('Dec 10 01:10:00 socat[812]: E bind(5, {AF=2 0.0.0.0:9000}, 16): Address already in use');
    expect(f).toMatchObject({ address: '0.0.0.0', port: 9000 });
    const g = classifyPortConflict('01:10:05 bind failed: Address already in use');
    expect(g).toEqual({ detail: 'Address already in use' });
  });

  it('does not fire on unrelated lines', () => {
    expect(classifyPortConflict('INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)')).toBeNull();
    expect(classifyPortConflict('[2025-12-10 01:11:00 +0300] [1234] [INFO] Listening at: http://0.0.0.0:8000 (1234)')).toBeNull();
    expect(classifyPortConflict('connect() failed (111: Connection refused) while connecting to upstream')).toBeNull();
  });
});
