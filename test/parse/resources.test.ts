import { describe, it, expect } from 'vitest';
import {
  effectiveAvailableBytes,
  parseDf,
  parseLoadavg,
  parseMeminfo,
  parseOsRelease,
  parsePressure,
  parseUname,
  parseUptime,
} from '../../src/parse/resources.js';

// /proc/meminfo as Linux 6.x prints it (taken from this machine, Zswap lines included).
const MEMINFO_6X = `MemTotal:       24684092 kB
MemFree:        24472400 kB
MemAvailable:   24413620 kB
Buffers:            1552 kB
Cached:           108800 kB
SwapCached:            0 kB
Active:            16160 kB
Inactive:          94056 kB
Active(anon):       1548 kB
Inactive(anon):     7228 kB
SwapTotal:             0 kB
SwapFree:              0 kB
Zswap:                 0 kB
Dirty:               296 kB
HugePages_Total:       0
HugePages_Free:        0
Hugepagesize:       2048 kB
DirectMap1G:    25165824 kB
`;

// A 3.10-era kernel (before MemAvailable existed, 3.14).
const MEMINFO_OLD = `MemTotal:         949448 kB
MemFree:           40220 kB
Buffers:           11904 kB
Cached:            98112 kB
SwapCached:         2312 kB
SwapTotal:        102396 kB
SwapFree:          10044 kB
`;

describe('parseMeminfo', () => {
  it('reads sizes in bytes and remembers each key line', () => {
    const { record, skipped } = parseMeminfo(MEMINFO_6X, 'files/proc/meminfo');
    expect(skipped).toBe(0);
    expect(record).toMatchObject({
      source: 'files/proc/meminfo',
      line: 1,
      totalBytes: 24684092 * 1024,
      availableBytes: 24413620 * 1024,
      freeBytes: 24472400 * 1024,
      buffersBytes: 1552 * 1024,
      cachedBytes: 108800 * 1024,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
    expect(record!.lines.MemAvailable).toBe(3);
    expect(record!.lines['Active(anon)']).toBe(9);
    expect(record!.lines.HugePages_Total).toBe(15);
  });

  it('leaves MemAvailable null on old kernels; the estimate is free+buffers+cached', () => {
    const { record } = parseMeminfo(MEMINFO_OLD, 'files/proc/meminfo');
    expect(record!.availableBytes).toBeNull();
    expect(effectiveAvailableBytes(record!)).toEqual({ bytes: (40220 + 11904 + 98112) * 1024, estimated: true });
    const { record: now } = parseMeminfo(MEMINFO_6X, 's');
    expect(effectiveAvailableBytes(now!)).toEqual({ bytes: 24413620 * 1024, estimated: false });
  });

  it('counts unreadable lines and still returns the record', () => {
    const { record, skipped, problems } = parseMeminfo(MEMINFO_OLD + 'garbage here\nCommitted_AS:  12', 's');
    expect(record!.totalBytes).toBe(949448 * 1024);
    expect(skipped).toBe(1);
    expect(problems[0]!.line).toBe(8);
    expect(record!.lines.Committed_AS).toBe(9);
  });

  it('returns no record without MemTotal (empty or cut file)', () => {
    expect(parseMeminfo('', 's')).toEqual({ record: null, skipped: 1, problems: [{ line: 1, reason: 'no MemTotal line' }] });
    const cut = parseMeminfo('MemTot', 's');
    expect(cut.record).toBeNull();
    expect(cut.skipped).toBe(1);
  });
});

describe('parseLoadavg and parseUptime', () => {
  it('reads /proc/loadavg', () => {
    expect(parseLoadavg('0.33 0.29 0.15 3/95 3930\n', 'files/proc/loadavg')).toEqual({
      source: 'files/proc/loadavg',
      line: 1,
      load1: 0.33,
      load5: 0.29,
      load15: 0.15,
      running: 3,
      total: 95,
      text: '0.33 0.29 0.15 3/95 3930',
    });
    expect(parseLoadavg('9.12 8.70 4.01\n', 's')).toMatchObject({ load5: 8.7, running: null, total: null });
  });

  it('rejects what is not a load line', () => {
    expect(parseLoadavg('', 's')).toBeNull();
    expect(parseLoadavg('cat: /proc/loadavg: No such file or directory', 's')).toBeNull();
  });

  it('reads /proc/uptime (idle is summed over CPUs)', () => {
    expect(parseUptime('299.42 513.49\n', 'files/proc/uptime')).toEqual({ source: 'files/proc/uptime', line: 1, uptimeSeconds: 299.42, idleSeconds: 513.49 });
    expect(parseUptime('12.5', 's')).toMatchObject({ uptimeSeconds: 12.5, idleSeconds: null });
    expect(parseUptime('up 3 days', 's')).toBeNull();
  });
});

describe('parsePressure', () => {
  it('reads some and full lines (this machine, kernel 6.x)', () => {
    const text = 'some avg10=7.04 avg60=1.80 avg300=1.55 total=10052386\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
    expect(parsePressure(text, 'files/proc/pressure/cpu', 'cpu')).toEqual({
      source: 'files/proc/pressure/cpu',
      line: 1,
      resource: 'cpu',
      some: { avg10: 7.04, avg60: 1.8, avg300: 1.55, total: 10052386 },
      full: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
      text: 'some avg10=7.04 avg60=1.80 avg300=1.55 total=10052386',
    });
  });

  it('accepts cpu without a full line (kernels before 5.13)', () => {
    const p = parsePressure('some avg10=0.36 avg60=0.07 avg300=0.10 total=1189991\n', 's', 'cpu');
    expect(p?.full).toBeNull();
    expect(p?.some?.avg10).toBe(0.36);
  });

  it('returns null for an unreadable file', () => {
    expect(parsePressure('', 's', 'memory')).toBeNull();
    expect(parsePressure('some avg10=0.', 's', 'memory')).toBeNull();
  });
});

// df output of coreutils 9.1 with LC_ALL=C, taken on this machine, plus a Raspberry Pi row.
const DF_T_B1 = `Filesystem              Type         1-blocks        Used   Available Capacity Mounted on
devtmpfs                devtmpfs  12630519808           0 12630519808       0% /dev
tmpfs                   tmpfs     25276510208           0 25276510208       0% /dev/shm
/dev/vda                ext4     270553174016 23236403200 85707890688      22% /
/dev/mmcblk0p2          ext4      31154671616 28845543424   716664832      98% /
none                    tmpfs         1048576           0     1048576       0% /tmp/mnt with space
`;
const DF_T_I = `Filesystem              Type       Inodes  IUsed    IFree IUse% Mounted on
devtmpfs                devtmpfs  3083623    114  3083509    1% /dev
/dev/vda                ext4     16777216 407543 16369673    3% /
/dev/mmcblk0p1          vfat            0      0        0     - /boot/firmware
none                    tmpfs     3085511      1  3085510    1% /tmp/mnt with space
`;

describe('parseDf', () => {
  it('reads df -P -T -B1 with the Type column, mount points with spaces', () => {
    const res = parseDf(DF_T_B1, 'commands/df.txt', 'bytes');
    expect(res.skipped).toBe(0);
    expect(res.records).toHaveLength(5);
    expect(res.records[2]).toEqual({
      source: 'commands/df.txt',
      line: 4,
      filesystem: '/dev/vda',
      type: 'ext4',
      size: 270553174016,
      used: 23236403200,
      available: 85707890688,
      usePercent: 22,
      mountpoint: '/',
      text: '/dev/vda                ext4     270553174016 23236403200 85707890688      22% /',
      unit: 'bytes',
    });
    expect(res.records[3]!.usePercent).toBe(98);
    expect(res.records[4]!.mountpoint).toBe('/tmp/mnt with space');
  });

  it('reads df -P -B1 without the Type column', () => {
    const text = `Filesystem                  1-blocks        Used   Available Capacity Mounted on
devtmpfs                 12630519808           0 12630519808       0% /dev
/dev/vda                270553174016 23236403200 85707890688      22% /
`;
    const res = parseDf(text, 'commands/df.txt', 'bytes');
    expect(res.records.map((r) => [r.filesystem, r.type, r.mountpoint, r.size])).toEqual([
      ['devtmpfs', null, '/dev', 12630519808],
      ['/dev/vda', null, '/', 270553174016],
    ]);
  });

  it('scales 1024-blocks (plain df -P) to bytes', () => {
    const text = `Filesystem              1024-blocks     Used Available Capacity Mounted on
/dev/root                  30424484 28169476    699868      98% /
`;
    expect(parseDf(text, 's', 'bytes').records[0]).toMatchObject({ size: 30424484 * 1024, used: 28169476 * 1024, usePercent: 98 });
  });

  it('reads df -P -T -i; filesystems without inodes ("-") are skipped quietly', () => {
    const res = parseDf(DF_T_I, 'commands/df-inodes.txt', 'inodes');
    expect(res.skipped).toBe(0);
    expect(res.records.map((r) => r.mountpoint)).toEqual(['/dev', '/', '/tmp/mnt with space']);
    expect(res.records[1]).toMatchObject({ size: 16777216, used: 407543, available: 16369673, usePercent: 3, unit: 'inodes' });
  });

  it('joins a long device name wrapped onto its own line (df without -P)', () => {
    const text = `Filesystem     Type 1K-blocks    Used Available Use% Mounted on
/dev/mapper/charger--vg-root
               ext4  28704676 5130244  22090288  19% /
`;
    const res = parseDf(text, 's', 'bytes');
    expect(res.records[0]).toMatchObject({ filesystem: '/dev/mapper/charger--vg-root', type: 'ext4', usePercent: 19, line: 2, size: 28704676 * 1024 });
  });

  it('counts cut and foreign rows', () => {
    const text = DF_T_B1 + '/dev/sda1  ext4  1000 10\n/dev/sdb1\n';
    const res = parseDf(text, 's', 'bytes');
    expect(res.records).toHaveLength(5);
    expect(res.skipped).toBe(2);
    expect(res.problems.map((p) => p.line)).toEqual([7, 8]);
    const noHeader = parseDf('df: /mnt/usb: Permission denied\n', 's', 'bytes');
    expect(noHeader.records).toHaveLength(0);
    expect(noHeader.skipped).toBe(1);
  });
});

describe('parseOsRelease', () => {
  it('reads Debian 12 (this machine) and Raspberry Pi OS', () => {
    const debian = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;
    expect(parseOsRelease(debian)).toEqual({ prettyName: 'Debian GNU/Linux 12 (bookworm)', id: 'debian', versionId: '12', versionCodename: 'bookworm' });
    const raspbian = `PRETTY_NAME="Raspbian GNU/Linux 11 (bullseye)"\nNAME="Raspbian GNU/Linux"\nVERSION_ID="11"\nID=raspbian\nID_LIKE=debian\n`;
    expect(parseOsRelease(raspbian)).toEqual({ prettyName: 'Raspbian GNU/Linux 11 (bullseye)', id: 'raspbian', versionId: '11', versionCodename: null });
  });

  it('handles single quotes, escapes, comments and missing fields', () => {
    expect(parseOsRelease("# comment\nNAME='Alpine Linux'\nPRETTY_NAME=\"My \\\"OS\\\"\"\nbroken line\n")).toEqual({
      prettyName: 'My "OS"',
      id: null,
      versionId: null,
      versionCodename: null,
    });
    expect(parseOsRelease('')).toEqual({ prettyName: null, id: null, versionId: null, versionCodename: null });
  });
});

describe('parseUname', () => {
  it('reads the Raspberry Pi kernel line', () => {
    const text = 'Linux charger-01 6.1.0-rpi7-rpi-v8 #1 SMP PREEMPT Debian 1:6.1.63-1+rpt1 (2023-11-24) aarch64 GNU/Linux\n';
    expect(parseUname(text)).toEqual({ kernel: '6.1.0-rpi7-rpi-v8', hostname: 'charger-01', arch: 'aarch64', text: text.trim() });
  });

  it('reads this machine, RHEL-style and busybox-style lines', () => {
    expect(parseUname('Linux vm 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0 x86_64 GNU/Linux')).toMatchObject({ arch: 'x86_64', hostname: 'vm' });
    expect(parseUname('Linux rhel9 5.14.0-362.el9.x86_64 #1 SMP PREEMPT_DYNAMIC Mon Sep 4 2023 x86_64 x86_64 x86_64 GNU/Linux').arch).toBe('x86_64');
    expect(parseUname('Linux pi 5.10.103-v7l+ #1529 SMP Tue Mar 8 12:24:00 GMT 2022 armv7l Linux').arch).toBe('armv7l');
  });

  it('gives nulls for an unreadable line', () => {
    expect(parseUname('uname: not found')).toEqual({ kernel: null, hostname: null, arch: null, text: 'uname: not found' });
  });
});
