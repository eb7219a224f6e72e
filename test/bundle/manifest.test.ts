import { describe, it, expect } from 'vitest';
import { parseManifest } from '../../src/bundle/manifest.js';
import { InputError } from '../../src/errors.js';

const NAME = 'samples/x/manifest.json';

// The example of docs/bundle-format.md, as the collector writes it.
const FULL = `{
  "format": "charger-diag-bundle",
  "formatVersion": 1,
  "tool": { "name": "charger-diag", "version": "0.1.0" },
  "host": { "hostname": "charger-01", "os": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-rpi7-rpi-v8",
            "arch": "aarch64", "timezone": "Europe/Istanbul", "utcOffset": "+03:00", "cpus": 4,
            "bootId": "5f1a0c1e2d3b4a5968778695a4b3c2d1", "journalStorage": "persistent" },
  "collectedAt": "2025-12-10T01:15:00+03:00",
  "window": { "since": "2025-12-10T01:00:00+03:00", "until": "2025-12-10T01:15:00+03:00" },
  "sources": [ { "id": "ps", "path": "commands/ps.txt", "command": "ps -eo pid,ppid,user:32,lstart,etimes,rss,pcpu,cgroup:512,args", "status": "ok",
                 "exitCode": 0, "durationMs": 12, "bytes": 10422 },
               { "id": "journal", "status": "failed", "error": "No journal files were found." },
               { "id": "coredumps", "path": null, "status": "timeout", "exitCode": null } ],
  "redaction": { "enabled": true, "replacements": { "secret-env": 2, "url-credentials": 1 } }
}`;

function errorOf(text: string): string {
  try {
    parseManifest(text, NAME);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected an InputError');
}

describe('parseManifest', () => {
  it('reads the full example', () => {
    const m = parseManifest(FULL, NAME);
    expect(m.host?.cpus).toBe(4);
    expect(m.host?.journalStorage).toBe('persistent');
    expect(m.window?.since).toBe('2025-12-10T01:00:00+03:00');
    expect(m.sources).toHaveLength(3);
    expect(m.sources?.[1]).toEqual({ id: 'journal', status: 'failed', error: 'No journal files were found.' });
    expect(m.sources?.[2]?.path).toBeNull();
    expect(m.redaction?.replacements).toEqual({ 'secret-env': 2, 'url-credentials': 1 });
  });

  it('needs only format and formatVersion (a bundle built by hand)', () => {
    const m = parseManifest('{"format":"charger-diag-bundle","formatVersion":1}', NAME);
    expect(m).toEqual({ format: 'charger-diag-bundle', formatVersion: 1 });
  });

  it('ignores unknown fields at any level', () => {
    const m = parseManifest(
      JSON.stringify({
        format: 'charger-diag-bundle',
        formatVersion: 1,
        fleet: { site: 'istanbul-3' },
        host: { hostname: 'charger-01', serial: 'RPI4-0042' },
        sources: [{ id: 'ps', path: 'commands/ps.txt', status: 'ok', sha256: 'abc' }],
      }),
      NAME,
    );
    expect(m.host?.hostname).toBe('charger-01');
    expect(m.sources?.[0]?.id).toBe('ps');
  });

  it('accepts a byte-order mark from a Windows editor', () => {
    expect(parseManifest('\ufeff{"format":"charger-diag-bundle","formatVersion":1}', NAME).formatVersion).toBe(1);
  });

  it.each([
    ['2', `${NAME}: unsupported formatVersion 2 (this charger-diag reads 1)`],
    ['"1"', `${NAME}: unsupported formatVersion "1" (this charger-diag reads 1)`],
    ['1.5', `${NAME}: unsupported formatVersion 1.5 (this charger-diag reads 1)`],
    ['null', `${NAME}: unsupported formatVersion null (this charger-diag reads 1)`],
  ])('refuses formatVersion %s', (v, expected) => {
    expect(errorOf(`{"format":"charger-diag-bundle","formatVersion":${v}}`)).toBe(expected);
  });

  it('refuses a missing formatVersion', () => {
    expect(errorOf('{"format":"charger-diag-bundle"}')).toBe(`${NAME}: missing formatVersion (this charger-diag reads 1)`);
  });

  it('refuses another format', () => {
    expect(errorOf('{"format":"sosreport","formatVersion":1}')).toBe(
      `${NAME}: not a charger-diag bundle (format "sosreport", expected "charger-diag-bundle")`,
    );
    expect(errorOf('{"formatVersion":1}')).toBe(`${NAME}: not a charger-diag bundle (no "format" field, expected "charger-diag-bundle")`);
  });

  it('gives the line and column of invalid JSON', () => {
    const text = '{\n  "format": "charger-diag-bundle",\n  "formatVersion": 1,\n  "host": { "hostname": "charger-01" ]\n}\n';
    const msg = errorOf(text);
    expect(msg).toMatch(/^samples\/x\/manifest\.json: not valid JSON \(.+ at line 4 column 38\)$/);
  });

  it('reports a truncated manifest at its end', () => {
    const msg = errorOf('{\n  "format": "charger-diag-bundle",\n  "formatVersion": 1,\n  "sources": [\n');
    expect(msg).toBe(`${NAME}: not valid JSON (Unexpected end of input at line 5 column 1)`);
  });

  it('does not echo long input in a JSON error', () => {
    const msg = errorOf(`{"format": "charger-diag-bundle", "x": ${'A'.repeat(5000)}}`);
    expect(msg.length).toBeLessThan(200);
    expect(msg).toContain('at line 1 column 40');
  });

  it('refuses a manifest that is not an object', () => {
    expect(errorOf('[]')).toBe(`${NAME}: expected a JSON object, found an array`);
    expect(errorOf('"charger-diag-bundle"')).toBe(`${NAME}: expected a JSON object, found a string`);
  });

  it('names the field path of a wrong type in an optional field', () => {
    expect(errorOf('{"format":"charger-diag-bundle","formatVersion":1,"host":{"cpus":"four"}}')).toMatch(
      /^samples\/x\/manifest\.json: invalid field host\.cpus = "four": expected number, received string$/,
    );
    expect(
      errorOf(
        '{"format":"charger-diag-bundle","formatVersion":1,"sources":[{"id":"ps","status":"ok"},{"id":"journal","status":"skipped"}]}',
      ),
    ).toMatch(/^samples\/x\/manifest\.json: invalid field sources\[1\]\.status = "skipped": Invalid option: expected one of "ok"\|"missing"\|.*"unavailable"$/);
    expect(errorOf('{"format":"charger-diag-bundle","formatVersion":1,"sources":{"ps":"commands/ps.txt"}}')).toMatch(
      /invalid field sources = an object: expected array, received object$/,
    );
    expect(errorOf('{"format":"charger-diag-bundle","formatVersion":1,"host":{"journalStorage":"auto"}}')).toMatch(
      /invalid field host\.journalStorage = "auto": Invalid option: expected one of "persistent"\|"volatile"\|"unknown"$/,
    );
  });

  it('counts further problems without listing them', () => {
    const msg = errorOf('{"format":"charger-diag-bundle","formatVersion":1,"host":{"cpus":-1,"hostname":7},"collectedAt":5}');
    expect(msg).toBe(`${NAME}: invalid field host.hostname = 7: expected string, received number (and 2 more problems)`);
  });
});
