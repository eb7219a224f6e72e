// The scripts behind health checks (docs/report.md): what timers' services,
// ExecStartPost= and cron jobs run, copied as files/<absolute path> under the
// source id `health-script`, so the analysis judges what a check does rather
// than the name of the file that does it. Text under LIMITS.scriptBytes is
// copied (redacted like every copy); a program (ELF, NUL bytes) is recorded
// and not copied; a script a script runs by absolute path is followed one
// level deeper, no further. The collection script (script.ts) does the same
// in POSIX sh and awk for --ssh and --print-script.
import { existsSync } from 'node:fs';
import { parseCron } from '../parse/cron.js';
import { binaryKind, commandPaths, scriptPaths, unitScriptCommands } from '../parse/script-refs.js';
import { LIMITS } from '../sources/catalogue.js';
import { bundlePathOf } from './files.js';
import type { FsView } from './fsview.js';
import { fileErrorStatus } from './status.js';
import { redactText, type RunContext } from './types.js';

/** Cron tables as collected: /etc/crontab and /etc/cron.d/* have a user field, `crontab -l` output has none. */
export interface CronText {
  path: string;
  text: string;
  hasUserField: boolean;
}

/** Every command that may run a health-check script: timers' services, ExecStartPost=, cron jobs. */
export function healthScriptCommands(units: { devicePath: string; text: string }[], crons: CronText[]): string[] {
  const out = unitScriptCommands(units);
  for (const c of crons) for (const e of parseCron(c.text, c.path, { hasUserField: c.hasUserField }).records) out.push(e.command.replace(/%.*$/, ''));
  return out;
}

/** Paths named by those commands, first level; sorted so every runner walks them alike. */
export function firstLevelPaths(commands: string[]): string[] {
  const set = new Set<string>();
  for (const c of commands) for (const p of commandPaths(c)) set.add(p);
  return [...set].sort();
}

// Programs of the base system are package-managed: not recorded when they are binaries.
const SYSTEM_BIN = /^\/(?:bin|sbin|usr\/bin|usr\/sbin|lib|lib64|usr\/lib|usr\/lib64|usr\/libexec)\//;

export async function collectHealthScripts(ctx: RunContext, view: FsView, units: { devicePath: string; text: string }[], crons: CronText[]): Promise<void> {
  const done = new Set<string>();
  let budget = LIMITS.healthScripts;
  const copyOne = async (devicePath: string): Promise<string | null> => {
    if (done.has(devicePath)) return null;
    done.add(devicePath);
    const command = `copy of ${devicePath}`;
    let data: Buffer;
    let more: boolean;
    try {
      // Not a regular file (a directory, a device): nothing to judge, nothing to say.
      const st = await view.stat(devicePath);
      if (st !== 'file') return null;
      ({ data, more } = await view.readHead(devicePath, LIMITS.scriptBytes));
    } catch (e) {
      const { status, error } = fileErrorStatus(e);
      ctx.record({ id: 'health-script', command, status, error: `${devicePath}: ${error}` });
      return null;
    }
    const binary = binaryKind(data);
    if (binary) {
      if (!SYSTEM_BIN.test(devicePath)) ctx.record({ id: 'health-script', command, status: 'unavailable', error: `${devicePath}: ${binary}, recorded and not copied` });
      return null;
    }
    if (budget-- <= 0) {
      ctx.record({ id: 'health-script', command, status: 'failed', error: `${devicePath}: not copied, more than ${LIMITS.healthScripts} scripts` });
      return null;
    }
    const raw = data.toString('utf8');
    const rel = bundlePathOf(devicePath, ctx.counts);
    // Already in the bundle as another source (a unit file run as a script): that copy stands.
    if (existsSync(ctx.staging.pathOf(rel))) return null;
    const bytes = await ctx.staging.writeFile(rel, redactText(ctx.counts, raw));
    ctx.record({
      id: 'health-script',
      path: rel,
      command,
      status: more ? 'truncated' : 'ok',
      bytes,
      ...(more ? { error: `only the first ${LIMITS.scriptBytes / 1024} KiB were copied` } : {}),
    });
    return raw;
  };

  ctx.step('health-check scripts');
  const first = firstLevelPaths(healthScriptCommands(units, crons));
  const deeper = new Set<string>();
  for (const p of first) {
    const text = await copyOne(p);
    if (text !== null) for (const q of scriptPaths(text)) deeper.add(q);
  }
  for (const q of [...deeper].sort()) await copyOne(q);
}
