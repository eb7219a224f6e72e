// What `capture install` writes and runs, as data: the dry run prints it, the install script
// is made from it, and the record of it is what `capture remove` deletes.
import * as z from '../zod.js';
import { TOOL } from '../version.js';
import { quoteWord } from '../collect/status.js';
import type { CaptureSettings } from './settings.js';
import { hangScript, hookScript, runnerScript, type Collector } from './scripts.js';
import { dropInContent, templateContent } from './units.js';
import { COLLECT_SCRIPT, HANG, HOOK, LIB_DIR, RECORD, RUNNER, TEMPLATE, dropInPath } from './layout.js';

export interface PlannedFile {
  path: string;
  content: string;
  mode: number;
}

export interface InstallPlan {
  units: string[];
  settings: CaptureSettings;
  collector: Collector;
  files: PlannedFile[];
  /** the record written last (its own path is not in it) */
  record: string;
  commands: string[];
}

export const RecordSchema = z.object({
  tool: z.string(),
  version: z.string(),
  installedAt: z.string(),
  units: z.array(z.string()),
  settings: z.object({
    dir: z.string(),
    keep: z.number(),
    maxBytes: z.number(),
    minIntervalSec: z.number(),
    windowSec: z.number(),
    captureCapBytes: z.number(),
    minFreePercent: z.number(),
    timeLimitSec: z.number(),
  }),
  collector: z.object({ node: z.nullable(z.string()), cli: z.nullable(z.string()) }),
  files: z.array(z.string()),
  /** directories install created and remove takes away when they are empty */
  dirs: z.array(z.string()),
});
export type InstallRecord = z.infer<typeof RecordSchema>;

export function parseRecord(text: string): InstallRecord | null {
  try {
    const r = RecordSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * The files for these units. The collection script is written only when the device has no
 * charger-diag to run (its text comes from `collect --print-script`'s function).
 */
export function installPlan(p: { units: string[]; settings: CaptureSettings; collector: Collector; collectScript: string | null; now: Date }): InstallPlan {
  const files: PlannedFile[] = [
    { path: HOOK, content: hookScript(), mode: 0o755 },
    { path: RUNNER, content: runnerScript(p.settings, p.collector), mode: 0o755 },
    { path: HANG, content: hangScript(), mode: 0o755 },
    ...(p.collectScript !== null ? [{ path: COLLECT_SCRIPT, content: p.collectScript, mode: 0o644 }] : []),
    { path: TEMPLATE, content: templateContent(p.settings), mode: 0o644 },
    ...p.units.map((u) => ({ path: dropInPath(u), content: dropInContent(), mode: 0o644 })),
  ];
  const record: InstallRecord = {
    tool: TOOL.name,
    version: TOOL.version,
    installedAt: p.now.toISOString(),
    units: p.units,
    settings: p.settings,
    collector: p.collector,
    files: files.map((f) => f.path),
    dirs: [...new Set([LIB_DIR, ...p.units.map((u) => dropInPath(u).replace(/\/[^/]+$/, ''))])],
  };
  return { units: p.units, settings: p.settings, collector: p.collector, files, record: `${JSON.stringify(record, null, 2)}\n`, commands: ['systemctl daemon-reload'] };
}

function heredoc(path: string, content: string): string {
  let marker = 'CHARGER_DIAG_EOF';
  while (content.split('\n').includes(marker)) marker += '_';
  return `cat >${quoteWord(`${path}.charger-diag-new`)} <<'${marker}'\n${content}${content.endsWith('\n') ? '' : '\n'}${marker}`;
}

/**
 * The install as one sh script, run as root on the device (locally or over ssh). It refuses
 * to touch a file it did not write (one not in the previous record), writes each file beside
 * its place and renames it in, deletes what the previous install wrote and this one does not
 * (a unit no longer watched), writes the record and reloads systemd.
 */
export function installScript(plan: InstallPlan, previous: InstallRecord | null): string {
  const owned = new Set(previous?.files ?? []);
  const fresh = plan.files.filter((f) => !owned.has(f.path)).map((f) => f.path);
  const stale = (previous?.files ?? []).filter((f) => !plan.files.some((x) => x.path === f));
  const staleDirs = (previous?.dirs ?? []).filter((d) => !JSON.parse(plan.record).dirs.includes(d));
  const out = [
    'set -u',
    'umask 022',
    `for f in ${fresh.map(quoteWord).join(' ') || "''"}; do`,
    '  if [ -n "$f" ] && { [ -e "$f" ] || [ -L "$f" ]; }; then echo "charger-diag: $f exists and was not written by charger-diag capture install: nothing was changed" >&2; exit 3; fi',
    'done',
    `mkdir -p ${[...new Set(plan.files.map((f) => f.path.replace(/\/[^/]+$/, '')))].map(quoteWord).join(' ')} ${quoteWord(RECORD.replace(/\/[^/]+$/, ''))} || exit 1`,
  ];
  for (const f of plan.files) {
    out.push(heredoc(f.path, f.content));
    out.push(`chmod ${f.mode.toString(8)} ${quoteWord(`${f.path}.charger-diag-new`)} && mv -f ${quoteWord(`${f.path}.charger-diag-new`)} ${quoteWord(f.path)} || exit 1`);
    out.push(`echo ${quoteWord(`wrote ${f.path}`)}`);
  }
  for (const f of stale) out.push(`rm -f ${quoteWord(f)} && echo ${quoteWord(`removed ${f}`)}`);
  for (const d of staleDirs) out.push(`rmdir ${quoteWord(d)} 2>/dev/null || true`);
  out.push(heredoc(RECORD, plan.record));
  out.push(`mv -f ${quoteWord(`${RECORD}.charger-diag-new`)} ${quoteWord(RECORD)} || exit 1`, `echo ${quoteWord(`wrote ${RECORD}`)}`);
  out.push('systemctl daemon-reload || exit 1', "echo 'ran systemctl daemon-reload'");
  return `${out.join('\n')}\n`;
}

/** What `capture install --dry-run` prints: every file with its content, then every command. */
export function describePlan(plan: InstallPlan, previous: InstallRecord | null, target: string): string {
  const lines = [`# charger-diag capture install on ${target} (dry run: nothing is written)`, `# watched units: ${plan.units.join(' ') || '(none)'}`];
  for (const f of plan.files) {
    lines.push('', `# file ${f.path} (mode ${f.mode.toString(8)})`, f.content.replace(/\n$/, ''));
  }
  lines.push('', `# file ${RECORD} (mode 644)`, plan.record.replace(/\n$/, ''));
  const stale = (previous?.files ?? []).filter((f) => !plan.files.some((x) => x.path === f));
  if (stale.length) lines.push('', '# removed: written by the previous install, no longer needed', ...stale.map((f) => `rm -f ${quoteWord(f)}`));
  lines.push('', '# commands', ...plan.commands);
  return `${lines.join('\n')}\n`;
}

/** The remove as one sh script: exactly the record's files, then its empty directories, the record and a reload. */
export function removeScript(record: InstallRecord): string {
  const out = ['set -u'];
  for (const f of record.files) out.push(`if [ -e ${quoteWord(f)} ] || [ -L ${quoteWord(f)} ]; then rm -f ${quoteWord(f)} && echo ${quoteWord(`removed ${f}`)}; fi`);
  for (const d of record.dirs) out.push(`rmdir ${quoteWord(d)} 2>/dev/null || true`);
  out.push(`rm -f ${quoteWord(RECORD)} && echo ${quoteWord(`removed ${RECORD}`)}`);
  out.push('systemctl daemon-reload || exit 1', "echo 'ran systemctl daemon-reload'");
  return `${out.join('\n')}\n`;
}

export function describeRemove(record: InstallRecord, target: string): string {
  return [
    `# charger-diag capture remove on ${target} (dry run: nothing is removed)`,
    ...record.files.map((f) => `rm -f ${quoteWord(f)}`),
    ...record.dirs.map((d) => `rmdir ${quoteWord(d)}  # when empty`),
    `rm -f ${quoteWord(RECORD)}`,
    'systemctl daemon-reload',
    `# kept: the captures in ${record.settings.dir}`,
  ].join('\n') + '\n';
}
