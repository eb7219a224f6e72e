import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { journalStorage, type JournaldConfigInput } from '../../src/parse/journald.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const cfg = (devicePath: string, text: string): JournaldConfigInput => ({ devicePath, bundlePath: `files${devicePath}`, text });
const debianConf = cfg('/etc/systemd/journald.conf', fixture('journald.conf-debian12.txt'));
// `ls -ld /var/log/journal /run/log/journal 2>&1` on Debian 12 (real capture).
const dirsPresent = { source: 'commands/journal-dirs.txt', text: fixture('journal-dirs-real.txt') };
const dirsAbsent = {
  source: 'commands/journal-dirs.txt',
  text: "ls: cannot access '/var/log/journal': No such file or directory\ndrwxr-sr-x+ 3 root systemd-journal 60 Dec 10 01:00 /run/log/journal\n",
};

describe('journalStorage', () => {
  it('Debian 12 default (Storage=auto commented out) with /var/log/journal present: persistent', () => {
    const v = journalStorage([debianConf], dirsPresent);
    expect(v.storage).toBe('persistent');
    expect(v.configured).toBe('auto');
    expect(v.evidence).toEqual([{ source: 'commands/journal-dirs.txt', line: 2, text: 'drwxr-sr-x+ 2 root systemd-journal 4096 Jun 24  2025 /var/log/journal' }]);
    expect(v.reason).toMatch(/\/var\/log\/journal exists/);
  });

  it('Storage=auto and no /var/log/journal: volatile, quoting the ls error', () => {
    const v = journalStorage([debianConf], dirsAbsent);
    expect(v.storage).toBe('volatile');
    expect(v.evidence[0]).toMatchObject({ line: 1, text: "ls: cannot access '/var/log/journal': No such file or directory" });
    expect(v.reason).toContain('Storage=auto');
    expect(v.reason).toContain('/var/log/journal does not exist');
  });

  it('Storage=auto without journal-dirs: unknown', () => {
    expect(journalStorage([debianConf], null).storage).toBe('unknown');
    expect(journalStorage([], null)).toMatchObject({ storage: 'unknown', configured: 'auto', evidence: [] });
  });

  it('Raspberry Pi OS vendor drop-in Storage=volatile wins over the directory', () => {
    const rpi = cfg('/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', '[Journal]\nStorage=volatile\n');
    const v = journalStorage([debianConf, rpi], dirsPresent);
    expect(v).toMatchObject({ storage: 'volatile', configured: 'volatile' });
    expect(v.evidence).toEqual([{ source: 'files/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', line: 2, text: 'Storage=volatile' }]);
  });

  // Same tree as `systemd-analyze cat-config --root=DIR systemd/journald.conf` (252) printed:
  // /etc main, /usr/lib 40-rpi..., /etc 50-x.conf (empty, hides /run's 50-x.conf), /usr/lib 60-y.conf.
  it('applies the main file, then drop-ins by file name, /etc hiding the same name in /run and /usr/lib', () => {
    const files = [
      cfg('/usr/lib/systemd/journald.conf', '[Journal]\nStorage=volatile\n'),
      cfg('/etc/systemd/journald.conf', '[Journal]\nStorage=persistent\n'),
      cfg('/usr/lib/systemd/journald.conf.d/40-rpi-volatile-storage.conf', '[Journal]\nStorage=volatile\n'),
      cfg('/run/systemd/journald.conf.d/50-x.conf', '[Journal]\nStorage=auto\n'),
      cfg('/etc/systemd/journald.conf.d/50-x.conf', ''),
      cfg('/usr/lib/systemd/journald.conf.d/60-y.conf', '[Journal]\nStorage=none\n'),
    ];
    expect(journalStorage(files, dirsPresent)).toMatchObject({ storage: 'none', configured: 'none' });
    expect(journalStorage(files.slice(0, 5), dirsPresent)).toMatchObject({ storage: 'volatile', configured: 'volatile' });
    expect(journalStorage(files.slice(0, 2), dirsAbsent)).toMatchObject({ storage: 'persistent', configured: 'persistent' });
    // /run's 50-x.conf (Storage=auto) applies only when /etc does not hide it.
    expect(journalStorage([...files.slice(0, 4)], dirsAbsent)).toMatchObject({ storage: 'volatile', configured: 'auto' });
  });

  it('ignores invalid values, other sections and commented lines as journald does', () => {
    const local = cfg('/etc/systemd/journald.conf.d/10-local.conf', '[Journal]\nStorage=persistant\n[Other]\nStorage=none\n  # Storage=volatile\n');
    const v = journalStorage([cfg('/etc/systemd/journald.conf', '[Journal]\nStorage=persistent\n'), local], dirsAbsent);
    expect(v).toMatchObject({ storage: 'persistent', configured: 'persistent' });
    expect(v.evidence[0]!.source).toBe('files/etc/systemd/journald.conf');
  });

  it('a permission error on the directory leaves it unknown', () => {
    const denied = { source: 'commands/journal-dirs.txt', text: "ls: cannot access '/var/log/journal': Permission denied\n" };
    expect(journalStorage([debianConf], denied).storage).toBe('unknown');
  });
});
