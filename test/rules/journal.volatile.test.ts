import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeSpec, DEFAULT_HOST } from '../helpers/bundle.js';
import { ruleTester } from './rule-tester.js';
import { rule } from '../../src/rules/journal-volatile/rule.js';

type Analysis = Awaited<ReturnType<typeof analyzeSpec>>;
const findings = (a: Analysis) => a.findings.filter((f) => f.rule === 'journal.volatile');

// /etc/systemd/journald.conf as Debian 12 installs it: every setting commented out (Storage=auto).
const DEBIAN_DEFAULT = readFileSync(new URL('../parse/fixtures/journald.conf-debian12.txt', import.meta.url), 'utf8');
// Raspberry Pi OS (since mid-2025) ships this drop-in.
const RPI_DROPIN = '[Journal]\nStorage=volatile\n';
const NO_VAR_LOG_JOURNAL = [
  "ls: cannot access '/var/log/journal': No such file or directory",
  'drwxr-sr-x+ 3 root systemd-journal 60 Dec  9 08:00 /run/log/journal',
  '',
].join('\n');
const BOTH_DIRS = ['drwxr-sr-x+ 3 root systemd-journal 60 Dec  9 08:00 /run/log/journal', 'drwxr-sr-x+ 4 root systemd-journal 4096 Jun 24  2025 /var/log/journal', ''].join('\n');
const UNKNOWN_HOST = { ...DEFAULT_HOST, journalStorage: 'unknown' };

describe('journal.volatile fires', () => {
  it('on Storage=volatile in a drop-in, quoting that line', async () => {
    const a = await analyzeSpec({
      manifest: { host: UNKNOWN_HOST },
      files: {
        'files/etc/systemd/journald.conf': DEBIAN_DEFAULT,
        'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf': RPI_DROPIN,
        'commands/journal-dirs.txt': NO_VAR_LOG_JOURNAL,
      },
    });
    const [f, ...rest] = findings(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', subject: 'journal', params: { storage: 'volatile', configured: 'volatile' } });
    expect(f!.evidence).toEqual([{ source: 'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', line: 2, time: null, text: 'Storage=volatile' }]);
    expect(f!.remediation).toContain('Storage=persistent');
  });

  it('on Storage=auto when /var/log/journal does not exist, quoting the ls line', async () => {
    const a = await analyzeSpec({
      manifest: { host: UNKNOWN_HOST },
      files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT, 'commands/journal-dirs.txt': NO_VAR_LOG_JOURNAL },
    });
    const f = findings(a)[0]!;
    expect(f.params).toMatchObject({ storage: 'volatile', configured: 'auto' });
    expect(f.params.reason).toMatch(/\/var\/log\/journal does not exist/);
    expect(f.evidence).toEqual([{ source: 'commands/journal-dirs.txt', line: 1, time: null, text: "ls: cannot access '/var/log/journal': No such file or directory" }]);
  });

  it('on a later drop-in that overrides an earlier persistent one', async () => {
    const a = await analyzeSpec({
      files: {
        'files/etc/systemd/journald.conf.d/10-persistent.conf': '[Journal]\nStorage=persistent\n',
        'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf': RPI_DROPIN,
      },
    });
    expect(findings(a)[0]!.evidence[0]).toMatchObject({ source: 'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', line: 2 });
  });

  it('from the manifest alone when the bundle has no journald files', async () => {
    const a = await analyzeSpec({ manifest: { host: { ...DEFAULT_HOST, journalStorage: 'volatile' } }, files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } });
    expect(findings(a)[0]).toMatchObject({ params: { storage: 'volatile' }, evidence: [{ source: 'manifest.json', line: null, time: null, text: '"journalStorage": "volatile"' }] });
  });
});

describe('journal.volatile stays quiet', () => {
  it('on Storage=persistent', async () => {
    const a = await analyzeSpec({
      manifest: { host: UNKNOWN_HOST },
      files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT.replace('#Storage=auto', 'Storage=persistent'), 'commands/journal-dirs.txt': NO_VAR_LOG_JOURNAL },
    });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.map((s) => s.rule)).not.toContain('journal.volatile');
  });

  it('on Storage=auto when /var/log/journal exists', async () => {
    const a = await analyzeSpec({ manifest: { host: UNKNOWN_HOST }, files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT, 'commands/journal-dirs.txt': BOTH_DIRS } });
    expect(findings(a)).toEqual([]);
  });

  it('ignores an invalid Storage= value (journald keeps the previous one)', async () => {
    const a = await analyzeSpec({
      manifest: { host: UNKNOWN_HOST },
      files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT.replace('#Storage=auto', 'Storage=persistent'), 'files/etc/systemd/journald.conf.d/50-typo.conf': '[Journal]\nStorage=volatil\n' },
    });
    expect(findings(a)).toEqual([]);
  });

  it('ignores a line without "=" (journald logs and skips it), and a Storage= outside [Journal]', async () => {
    const a = await analyzeSpec({
      manifest: { host: UNKNOWN_HOST },
      files: {
        'files/etc/systemd/journald.conf': DEBIAN_DEFAULT.replace('#Storage=auto', 'Storage=persistent'),
        'files/etc/systemd/journald.conf.d/60-ram.conf': '[Journal]\nStorage volatile\n[Unit]\nStorage=volatile\n',
      },
    });
    expect(findings(a)).toEqual([]);
  });

  it('is skipped, with the reason, when nothing says where the journal lives', async () => {
    const a = await analyzeSpec({ manifest: { host: UNKNOWN_HOST }, files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT } });
    expect(findings(a)).toEqual([]);
    expect(a.skipped.find((s) => s.rule === 'journal.volatile')?.reason).toMatch(/host\.journalStorage/);
  });
});

ruleTester.run(rule, {
  valid: [
    {
      name: 'Storage=persistent',
      bundle: { manifest: { host: UNKNOWN_HOST }, files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT.replace('#Storage=auto', 'Storage=persistent'), 'commands/journal-dirs.txt': NO_VAR_LOG_JOURNAL } },
    },
    { name: 'Storage=auto when /var/log/journal exists', bundle: { manifest: { host: UNKNOWN_HOST }, files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT, 'commands/journal-dirs.txt': BOTH_DIRS } } },
  ],
  invalid: [
    {
      name: 'Storage=volatile in a drop-in',
      bundle: {
        manifest: { host: UNKNOWN_HOST },
        files: { 'files/etc/systemd/journald.conf': DEBIAN_DEFAULT, 'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf': RPI_DROPIN, 'commands/journal-dirs.txt': NO_VAR_LOG_JOURNAL },
      },
      findings: [{ subject: 'journal', severity: 'warning', params: { storage: 'volatile', configured: 'volatile' } }],
    },
    {
      name: 'the manifest alone',
      bundle: { manifest: { host: { ...DEFAULT_HOST, journalStorage: 'volatile' } }, files: { 'files/proc/loadavg': '0.52 0.58 0.59 1/187 20063\n' } },
      findings: [{ subject: 'journal', params: { storage: 'volatile', configured: null } }],
    },
  ],
});
