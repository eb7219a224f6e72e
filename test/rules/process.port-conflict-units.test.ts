// Regression (issue 11, item 4): charger-api.service holds 127.0.0.1:8000 and charger-api-v2.service
// starts the same kind of Python server on port 8000. Python's "OSError: [Errno 98] Address already
// in use" names no port, and the finding had port null, holder null and told the user to "make one
// systemd unit the only owner of charger-api-v2.service". The files are the real ones from the lab
// (test/lab/crash-loop.test.ts): the two units' journal records, ps, ss and both unit files.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../helpers/bundle.js';
import { describeFinding } from '../../src/report/findings.js';
import { Translator } from '../../src/report/i18n.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'process.port-conflict');

const dir = join(__dirname, '../fixtures/lab/port-conflict');
const read = (n: string) => readFileSync(join(dir, n), 'utf8');
const LAB = {
  host: { hostname: 'lab-explore', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.18.44-fc-v1300', arch: 'x86_64', timezone: 'Etc/UTC', utcOffset: '+00:00', cpus: 2 },
  collectedAt: '2026-12-06T21:22:25+00:00',
  window: { since: '2026-12-06T21:22:17+00:00', until: '2026-12-06T21:22:25+00:00' },
};
const FILES = {
  'commands/journal.jsonl': read('journal.jsonl'),
  'commands/ps.txt': read('ps.txt'),
  'commands/ss-ltnup.txt': read('ss-ltnup.txt'),
  'files/etc/systemd/system/charger-api.service': read('charger-api.service'),
  'files/etc/systemd/system/charger-api-v2.service': read('charger-api-v2.service'),
};

describe('process.port-conflict on a portless Python "[Errno 98]" of a unit', () => {
  it('names the port from the unit\'s command line and ss, and the unit that holds it', async () => {
    const a = await analyzeSpec({ manifest: LAB, files: FILES });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subject: '127.0.0.1:8000',
      params: {
        address: '127.0.0.1',
        port: 8000,
        failures: 1,
        loggedBy: ['charger-api-v2.service'],
        failedUnits: ['charger-api-v2.service'],
        holderUnit: 'charger-api.service',
        holderPid: 98,
        portFrom: 'unit',
      },
    });
    expect(f!.evidence.map((e) => e.text)).toEqual([
      'OSError: [Errno 98] Address already in use',
      'ExecStart=/usr/bin/python3 -m http.server 8000 --bind 127.0.0.1',
      expect.stringMatching(/^98 1 root .*system\.slice\/charger-api\.service.* \/usr\/bin\/python3 -m http\.server 8000 --bind 127\.0\.0\.1$/),
      'tcp LISTEN 0 5 127.0.0.1:8000 0.0.0.0:* users:(("python3",pid=98,fd=3))',
    ]);
    // Words a person can act on: which unit to stop, or which port to change.
    expect(f!.remediation).toContain('sudo systemctl disable --now charger-api-v2.service or sudo systemctl disable --now charger-api.service');
    expect(f!.remediation).toContain('give charger-api-v2.service another port in its ExecStart=');
    expect(f!.remediation).not.toMatch(/only owner of charger-api-v2\.service/);
    for (const lang of ['en', 'tr'] as const) {
      const d = describeFinding(new Translator(lang), f!);
      expect(d.fix).toContain('`charger-api-v2.service`');
      expect(d.fix).toContain('`charger-api.service`');
      expect(d.fix).toContain('8000');
      expect(d.title).toContain('`charger-api.service`');
    }
  });

  it('leaves the port unknown when nothing listens on a number of the command line at collection', async () => {
    const { 'commands/ss-ltnup.txt': _ss, ...rest } = FILES;
    const a = await analyzeSpec({ manifest: LAB, files: { ...rest, 'commands/ss-ltnup.txt': read('ss-ltnup.txt').split('\n')[0] + '\n' } });
    const [f] = findings(a);
    // A bare "8000" is a port only when ss shows it; a flagged one (--port 8000, :8000) would be taken.
    expect(f).toMatchObject({ subject: 'charger-api-v2.service', params: { port: null, holder: null, holderUnit: null } });
    expect(f!.remediation).toContain('ss -ltnp');
  });

  it('takes a port the command line flags (--port) even when nothing listens there at collection', async () => {
    const unit = read('charger-api-v2.service').replace('-m http.server 8000 --bind 127.0.0.1', '/opt/charger/api.py --port 8081');
    const a = await analyzeSpec({ manifest: LAB, files: { ...FILES, 'files/etc/systemd/system/charger-api-v2.service': unit } });
    const [f] = findings(a);
    expect(f).toMatchObject({ subject: '*:8081', params: { port: 8081, holder: null, holderUnit: null, portFrom: 'unit' } });
    expect(f!.remediation).toContain("ss -ltnp 'sport = :8081'");
  });

  it('takes the port from the unit\'s Environment= when ss shows it held', async () => {
    const unit = read('charger-api-v2.service').replace('ExecStart=/usr/bin/python3 -m http.server 8000 --bind 127.0.0.1', 'Environment="API_PORT=8000" LANG=C.UTF-8\nExecStart=/usr/bin/python3 /opt/charger/api.py');
    const a = await analyzeSpec({ manifest: LAB, files: { ...FILES, 'files/etc/systemd/system/charger-api-v2.service': unit } });
    expect(findings(a)[0]).toMatchObject({ subject: '127.0.0.1:8000', params: { port: 8000, holderUnit: 'charger-api.service' } });
  });

  it('says so when the unit that failed to bind holds the port itself at collection (an earlier instance held it)', async () => {
    const journal = read('journal.jsonl').replaceAll('charger-api-v2.service', 'charger-api.service');
    const a = await analyzeSpec({ manifest: LAB, files: { ...FILES, 'commands/journal.jsonl': journal } });
    const [f] = findings(a);
    expect(f).toMatchObject({ subject: '127.0.0.1:8000', params: { port: 8000, holderUnit: 'charger-api.service', failedUnits: [] } });
    expect(f!.remediation).toContain('charger-api.service could not bind port 8000 while another process held it, and holds it itself at collection');
    expect(f!.remediation).not.toContain('disable --now');
  });

  it('counts a failed bind logged in the collection\'s own last second (the window is inclusive to the second)', async () => {
    // The lab caught this when charger-api-v2 failed at 21:22:18.636 and collect ran within the same
    // second: the manifest says until 21:22:18, journalctl --until rounds outward, and the analysis
    // dropped the line the bundle held.
    const sameSecond = { ...LAB, collectedAt: '2026-12-06T21:22:18+00:00', window: { since: LAB.window.since, until: '2026-12-06T21:22:18+00:00' } };
    const a = await analyzeSpec({ manifest: sameSecond, files: FILES });
    expect(findings(a).map((f) => [f.subject, f.params.failures])).toEqual([['127.0.0.1:8000', 1]]);
    const before = { ...sameSecond, window: { since: LAB.window.since, until: '2026-12-06T21:22:17+00:00' } };
    expect(findings(await analyzeSpec({ manifest: before, files: FILES }))).toEqual([]);
  });

  it('stays quiet without a failed bind, though the holder listens on the port', async () => {
    const journal = read('journal.jsonl').split('\n').filter((l) => !l.includes('Errno 98')).join('\n');
    const a = await analyzeSpec({ manifest: LAB, files: { ...FILES, 'commands/journal.jsonl': journal } });
    expect(findings(a)).toEqual([]);
  });
});
