// A bundle a capture made: the manifest's trigger reaches the analysis JSON (the incident's
// unit, how long after its stop the bundle was taken) and every report says it, in English and
// Turkish; a bundle without a trigger is reported as before.
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cd-capture-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captured(trigger: unknown): string {
  const b = join(dir, `b-${Math.random().toString(36).slice(2)}`);
  cpSync('samples/segfault-loop', b, { recursive: true });
  const m = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
  writeFileSync(join(b, 'manifest.json'), JSON.stringify({ ...m, trigger }));
  return b;
}

// The sample was collected at 12:30:00+03:00: the stop 12 s before.
const TRIGGER = { unit: 'charger-ocpp.service', result: 'core-dump', exitCode: 'dumped', exitStatus: 'SEGV', time: '2025-12-10T12:29:48+03:00', hook: 'ExecStopPost' };

describe('a captured bundle', () => {
  it('names the unit and the delay in the analysis JSON', () => {
    const r = runCli(['analyze', '--json', captured(TRIGGER)]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).trigger).toEqual({ ...TRIGGER, capturedAfterSeconds: 12 });
  });

  it('says so in the summary and in both reports', () => {
    const b = captured(TRIGGER);
    expect(runCli(['analyze', b]).stdout).toContain('\ncaptured 12 s after charger-ocpp.service stopped (core-dump)\n');
    const en = runCli(['report', b]).stdout;
    expect(en).toContain('- **Capture:** captured 12 s after `charger-ocpp.service` stopped (`core-dump`)\n');
    expect(en).toContain('Taken 12 s after the failure (`charger-ocpp.service` stopped: `core-dump`), not at some later collection.');
    const tr = runCli(['report', '--lang', 'tr', b]).stdout;
    expect(tr).toContain('`charger-ocpp.service` durduktan 12 sn sonra kaydedildi (`core-dump`)');
    expect(tr).toContain('Arızadan 12 sn sonra alındı');
  });

  it('keeps a report without a trigger as it was, and ignores a malformed one', () => {
    const plain = runCli(['report', 'samples/segfault-loop']).stdout;
    expect(plain).not.toContain('Capture:');
    const bad = runCli(['analyze', '--json', captured({ unit: 42 })]);
    expect(bad.stderr).toBe('');
    expect(JSON.parse(bad.stdout).trigger).toBeUndefined();
  });
});
