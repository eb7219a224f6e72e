// `df -P -T -B1` / `df -P -T -i` (and the same without -T) under LC_ALL=C:
//   Filesystem     Type     1-blocks        Used   Available Capacity Mounted on
//   /dev/mmcblk0p2 ext4  31154671616 28845543424   716664832      98% /
// The header says which columns are there and the block size ("1-blocks",
// "1024-blocks", "1K-blocks"); mount points may contain spaces, so the mount
// point is the rest of the line after the percentage.
import { Origin, ParseResult, ProblemLog } from './types.js';

export interface DfRecord extends Origin {
  filesystem: string;
  type: string | null;
  /** bytes, or inodes when unit is 'inodes' */
  size: number;
  used: number;
  available: number;
  usePercent: number;
  mountpoint: string;
  text: string;
  unit: 'bytes' | 'inodes';
}

const SIZE_SUFFIX: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3 };

function blockSize(header: string): number | null {
  const m = /\b(\d+)([KMGT]?B?)?-blocks\b/.exec(header);
  if (!m) return null;
  const mult = SIZE_SUFFIX[(m[2] ?? '').replace(/^B$/, '')];
  return mult === undefined ? null : Number(m[1]) * mult;
}

export function parseDf(text: string, source: string, unit: 'bytes' | 'inodes'): ParseResult<DfRecord> {
  const log = new ProblemLog();
  const records: DfRecord[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let hasType: boolean | null = null;
  let scale = 1;
  let pending: { text: string; line: number } | null = null;

  const row = (l: string, lineNo: number, fullText: string) => {
    const typeCol = hasType ? '(\\S+)\\s+' : '()';
    const re = new RegExp(`^(\\S+)\\s+${typeCol}(\\d+|-)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+%|-)\\s+(\\S.*)$`);
    const m = re.exec(l);
    if (!m) {
      log.add(lineNo, `not a df row: ${fullText.slice(0, 80)}`);
      return;
    }
    // vfat, btrfs and some FUSE filesystems have no inode counts: df prints "-" there. Not an error.
    if ([m[3], m[4], m[5], m[6]].some((v) => v === '-')) return;
    records.push({
      source,
      line: lineNo,
      filesystem: m[1]!,
      type: hasType ? m[2]! : null,
      size: Number(m[3]) * scale,
      used: Number(m[4]) * scale,
      available: Number(m[5]) * scale,
      usePercent: Number(m[6]!.slice(0, -1)),
      mountpoint: m[7]!,
      text: fullText,
      unit,
    });
  };

  lines.forEach((l, i) => {
    const lineNo = i + 1;
    if (l.trim() === '') return;
    if (/^Filesystem\s/.test(l)) {
      hasType = /^Filesystem\s+Type\s/.test(l);
      scale = unit === 'inodes' || /\bInodes\b/.test(l) ? 1 : (blockSize(l) ?? 1);
      return;
    }
    if (hasType === null) {
      log.add(lineNo, 'row before the df header');
      return;
    }
    // Without -P, df puts a long device name on a line of its own and the figures on the next.
    if (pending) {
      const joined = `${pending.text} ${l.trim()}`;
      row(joined, pending.line, `${pending.text}\n${l}`);
      pending = null;
      return;
    }
    if (/^\S+$/.test(l)) {
      pending = { text: l, line: lineNo };
      return;
    }
    row(l, lineNo, l);
  });
  if (pending) log.add((pending as { line: number }).line, 'df row cut off after the device name');
  if (hasType === null && lines.some((l) => l.trim() !== '') && log.skipped === 0) log.add(1, 'no df header');
  return log.result(records);
}
