// resource.disk: a real filesystem is (nearly) full, in blocks or in inodes.
import type { RuleFinding } from '../types.js';
import type { DfRecord } from '../../parse/resources.js';
import { quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { md, time } from '../describe-kit.js';
import { diskParams } from './params.js';
import { messages } from './messages.js';
import { snapshotCauses } from '../../analysis/cause-role.js';

/** Filesystems that are not disks: their fullness says nothing about the device's storage. */
export const PSEUDO_FS = new Set(['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'ramfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'efivarfs', 'nsfs', 'fuse.lxcfs', 'autofs', 'mqueue', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'binfmt_misc', 'rpc_pipefs', 'udev', 'none']);

export function isRealFs(d: DfRecord): boolean {
  if (d.type !== null) return !PSEUDO_FS.has(d.type);
  // Without the Type column, judge by the device name.
  return !PSEUDO_FS.has(d.filesystem) && !/^(overlay|shm|run|none|udev|cgroup)/.test(d.filesystem);
}

export const rule = defineRule({
  id: 'resource.disk',
  severity: 'warning',
  needs: ['disk'],
  summary: 'A real filesystem at or over 90% of blocks or inodes',
  docs: `Fires per filesystem and per kind (blocks from df -P -T -B1, inodes from df -P -T -i) when use
is at or over diskWarningPercent (90%); critical at diskCriticalPercent (98%). Only real filesystems:
tmpfs, devtmpfs, overlay, squashfs and other pseudo filesystems are ignored, as are filesystems
without inode counts (vfat, btrfs show "-"). A snapshot at collection.
Fix: free space (journalctl --vacuum-size=, logrotate, old core dumps), or move logs off the SD card.`,
  params: diskParams,
  messages,
  standing: true,
  ruledOut: 9,
  cause: { order: 10, analyse: snapshotCauses, kinds: ['resource'] },
  describe(p, { f, k }) {
    const mount = p.mountpoint || f.subject;
    const kind = md(p.kind === 'inodes' ? 'inodes' : 'bytes');
    return {
      title: k('title', { mount, percent: p.usePercent, kind, at: time(p.at) }),
      state: p.filesystem ? [k('state.fs', { fs: p.filesystem, type: p.type || '?' })] : [],
      fix: k('fix', { mount, kind }),
    };
  },
  run(facts, ctx) {
    const findings: RuleFinding<z.input<typeof diskParams>>[] = [];
    for (const d of facts.disks) {
      if (!isRealFs(d) || d.usePercent < ctx.thresholds.diskWarningPercent) continue;
      const inodes = d.unit === 'inodes';
      findings.push({
        severity: d.usePercent >= ctx.thresholds.diskCriticalPercent ? 'critical' : undefined,
        subject: inodes ? `${d.mountpoint} (inodes)` : d.mountpoint,
        params: {
          mountpoint: d.mountpoint,
          filesystem: d.filesystem,
          type: d.type,
          kind: d.unit,
          usePercent: d.usePercent,
          used: d.used,
          size: d.size,
          available: d.available,
          at: facts.fmt(facts.collectedAtMs),
        },
        evidence: quote(facts, [{ source: d.source, line: d.line, epochMs: facts.collectedAtMs, text: d.text }]),
      });
    }
    return findings;
  },
});
