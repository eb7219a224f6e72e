// Copies of small device files (unit files, drop-ins, journald.conf, cron,
// os-release, /proc snapshots) into files/<absolute path>. Each is redacted
// whole, so a private key spanning lines is seen as one block.
import { realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import type { SourceId } from '../sources/catalogue.js';
import { absoluteTarget, type FsView } from './fsview.js';
import { fileErrorStatus } from './status.js';
import { redactText, type RunContext, type SourceRecord } from './types.js';
import type { RedactionCounts } from '../redact.js';
import { redactPath } from '../redact-names.js';
import { DROP_IN_DIR, LIMITS, UNIT_FILE } from '../sources/catalogue.js';

/**
 * Where a device file goes in the bundle. Its name is redacted a path segment at a time like any
 * text (a directory /srv/token=SECRET/app keeps its shape), unless redaction is off (`counts`
 * null). The same path always gives the same name; the replacement is not counted here, since a
 * path is looked up many times: the file's content and the manifest's texts are counted.
 */
export function bundlePathOf(devicePath: string, counts: RedactionCounts | null): string {
  const path = posix.normalize(`/${devicePath}`);
  return `files${counts ? redactPath(path) : path}`;
}

/** Copy one file; returns its record (already recorded) and the text written, for callers that read it. */
export async function copyConfigFile(
  ctx: RunContext,
  view: FsView,
  devicePath: string,
  id: SourceId,
  opts: { quietMissing?: boolean; content?: string } = {},
): Promise<{ record: SourceRecord | null; text: string | null }> {
  const rel = bundlePathOf(devicePath, ctx.counts);
  const started = Date.now();
  let text: string;
  let more = false;
  if (opts.content !== undefined) text = opts.content;
  else {
    try {
      const r = await view.readHead(devicePath, LIMITS.configFileBytes);
      text = r.data.toString('utf8');
      more = r.more;
    } catch (e) {
      const { status, error } = fileErrorStatus(e);
      if (status === 'missing' && opts.quietMissing) return { record: null, text: null };
      // No path: nothing of it is in the bundle.
      const record: SourceRecord = { id, command: `copy of ${devicePath}`, status, error: `${devicePath}: ${error}` };
      ctx.record(record);
      return { record, text: null };
    }
  }
  const out = redactText(ctx.counts, text);
  const bytes = await ctx.staging.writeFile(rel, out);
  const record: SourceRecord = { id, path: rel, status: more ? 'truncated' : 'ok', durationMs: Date.now() - started, bytes };
  if (more) record.error = `only the first ${LIMITS.configFileBytes / 1048576} MiB were copied`;
  ctx.record(record);
  return { record, text: out };
}

function isUnitDir(dirs: string[], dir: string): boolean {
  return dirs.includes(dir.replace(/\/+$/, ''));
}

export interface UnitFileCopy {
  devicePath: string;
  text: string;
}

/**
 * Unit files and drop-ins from every directory of the unit search path.
 * A link to /dev/null is a masked unit: written empty, which is how the
 * parser knows masking. A link to a unit in another unit directory is an
 * alias: that file is copied where it lives. A link elsewhere (`systemctl
 * link` from /home) is copied at the link's place, where systemd finds it.
 */
export async function copyUnitFiles(ctx: RunContext, view: FsView, dirs: string[]): Promise<UnitFileCopy[]> {
  const copied: UnitFileCopy[] = [];
  const seenDirs = new Set<string>();
  let budget = LIMITS.unitFiles;

  const copyOne = async (devicePath: string, kind: 'file' | 'link' | 'dir' | 'other') => {
    if (budget-- <= 0) return;
    if (kind === 'link') {
      const target = await view.linkTarget(devicePath);
      if (target !== null) {
        const abs = absoluteTarget(devicePath, target);
        if (abs === '/dev/null') {
          await copyConfigFile(ctx, view, devicePath, 'unit-files', { content: '' });
          return;
        }
        if (isUnitDir(dirs, posix.dirname(abs))) return;
      }
    } else if (kind !== 'file') return;
    const r = await copyConfigFile(ctx, view, devicePath, 'unit-files');
    if (r.text !== null) copied.push({ devicePath, text: r.text });
  };

  for (const dir of dirs) {
    let host: string;
    try {
      // /lib is a link to usr/lib on merged-/usr systems: one directory, listed once.
      host = await realpath(await view.hostPath(dir));
    } catch {
      continue;
    }
    if (seenDirs.has(host)) continue;
    seenDirs.add(host);
    let entries;
    try {
      entries = await view.list(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (UNIT_FILE.test(e.name)) await copyOne(p, e.kind);
      else if (DROP_IN_DIR.test(e.name) && (e.kind === 'dir' || e.kind === 'link')) {
        let inner;
        try {
          inner = await view.list(p);
        } catch {
          continue;
        }
        for (const d of inner) if (d.name.endsWith('.conf')) await copyOne(`${p}/${d.name}`, d.kind);
      }
    }
  }
  if (budget < 0) {
    ctx.record({ id: 'unit-files', status: 'truncated', error: `more than ${LIMITS.unitFiles} unit files and drop-ins: the rest were not copied` });
  }
  return copied;
}

/** journald.conf and its drop-ins from every configuration directory. */
export async function copyJournaldConfigs(ctx: RunContext, view: FsView, dirs: string[]): Promise<{ devicePath: string; bundlePath: string; text: string }[]> {
  const out: { devicePath: string; bundlePath: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const main = `${dir}/journald.conf`;
    const host = await view.hostPath(main).catch(() => main);
    if (!seen.has(host)) {
      seen.add(host);
      const r = await copyConfigFile(ctx, view, main, 'journald', { quietMissing: true });
      if (r.text !== null) out.push({ devicePath: main, bundlePath: bundlePathOf(main, ctx.counts), text: r.text });
    }
    let entries;
    try {
      entries = await view.list(`${dir}/journald.conf.d`);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.name.endsWith('.conf') || (e.kind !== 'file' && e.kind !== 'link')) continue;
      const p = `${dir}/journald.conf.d/${e.name}`;
      const r = await copyConfigFile(ctx, view, p, 'journald', { quietMissing: true });
      if (r.text !== null) out.push({ devicePath: p, bundlePath: bundlePathOf(p, ctx.counts), text: r.text });
    }
  }
  return out;
}

/** /etc/crontab and /etc/cron.d/*; their texts as copied, for the health-check scripts they run. */
export async function copyCronFiles(ctx: RunContext, view: FsView, files: { crontab: string; dir: string }): Promise<{ path: string; text: string }[]> {
  const texts: { path: string; text: string }[] = [];
  const one = async (p: string) => {
    const r = await copyConfigFile(ctx, view, p, 'cron');
    if (r.text !== null) texts.push({ path: bundlePathOf(p, ctx.counts), text: r.text });
  };
  await one(files.crontab);
  let entries;
  try {
    entries = await view.list(files.dir);
  } catch {
    return texts;
  }
  // cron ignores names with dots (backup files such as foo.dpkg-old) in /etc/cron.d.
  for (const e of entries) if ((e.kind === 'file' || e.kind === 'link') && !e.name.includes('.')) await one(`${files.dir}/${e.name}`);
  return texts;
}

/** Log files a unit writes to itself: StandardOutput=/StandardError= file:, append: or truncate: targets. */
export function unitLogTargets(units: UnitFileCopy[]): string[] {
  const out = new Set<string>();
  for (const u of units) {
    for (const line of u.text.split('\n')) {
      const m = /^\s*Standard(?:Output|Error)\s*=\s*(?:file|append|truncate):(\/\S.*?)\s*$/.exec(line);
      if (m) out.add(m[1]!);
    }
  }
  return [...out].sort();
}
