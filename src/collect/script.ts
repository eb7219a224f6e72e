// The collection as one POSIX sh script, for --ssh (sent over `ssh -T`, its
// framed output read by ssh.ts) and --print-script (run by hand on a device
// without Node; `--tar` makes it write a bundle itself). It runs the same
// catalogue as the local runner (src/sources/catalogue.ts): each command under
// `timeout`, through `sudo -n` when the user is not root and sudo allows it,
// with LC_ALL=C. It must stay plain POSIX sh (dash, busybox ash): no bash-isms.
//
// The script is three parts: the static shell of script/head.sh and
// script/body.sh (framing, helpers, the redaction and path awk programs: read
// as they are, so shellcheck can check them), this run's parameters, and the
// steps, one or a few lines per entry of the source catalogue, generated here
// from it in its order.
import { readFileSync } from 'node:fs';
import { TOOL } from '../version.js';
import { CATALOGUE, LIMITS, SINCE, SYSLOG_MISSING, UNTIL, type CatalogueEntry } from '../sources/catalogue.js';
import { quoteWord } from './status.js';
import type { TimeSpec, WindowSpec } from './window.js';
import { collectScriptFile } from '../package-files.js';

export interface ScriptParams {
  /** line prefix of the frames; random per run so no output can forge one */
  boundary: string;
  timeoutMs: number;
  window: WindowSpec;
  units: string[];
  logs: string[];
  healthUrls: string[];
  redact: boolean;
}

function timeVars(name: string, t: TimeSpec): string[] {
  const b = t.base;
  const [kind, value] =
    b.kind === 'absolute'
      ? ['abs', String(Math.floor(b.epochMs / 1000))]
      : b.kind === 'relative'
        ? ['rel', String(Math.round(b.deltaMs / 1000))]
        : b.kind === 'day'
          ? ['day', String(b.days)]
          : ['local', b.text];
  return [`CD_${name}_KIND=${kind}`, `CD_${name}_VALUE=${quoteWord(value)}`, `CD_${name}_SHIFT=${Math.round(t.shiftMs / 1000)}`];
}

export function renderScript(p: ScriptParams): string {
  const seconds = Math.max(1, Math.round(p.timeoutMs / 1000));
  const vars = [
    `BD=${quoteWord(p.boundary)}`,
    `CD_VERSION=${quoteWord(TOOL.version)}`,
    `CD_TIMEOUT=${seconds}`,
    `CD_LONG_TIMEOUT=${seconds * LIMITS.longTimeoutFactor}`,
    `CD_JOURNAL_CAP=${LIMITS.journalBytes}`,
    `CD_LOG_CAP=${LIMITS.remoteLogBytes}`,
    `CD_FILE_CAP=${LIMITS.configFileBytes}`,
    `CD_UNIT_FILES=${LIMITS.unitFiles}`,
    `CD_SCRIPT_CAP=${LIMITS.scriptBytes}`,
    `CD_SCRIPTS=${LIMITS.healthScripts}`,
    ...timeVars('SINCE', p.window.since),
    ...timeVars('UNTIL', p.window.until),
    `CD_UNITS=${quoteWord(p.units.join(' '))}`,
    `CD_LOGS=${quoteWord(p.logs.join('\n'))}`,
    `CD_URLS=${quoteWord(p.healthUrls.join('\n'))}`,
    `CD_REDACT=${p.redact ? 'yes' : 'no'}`,
  ];
  const { head, body } = shellParts();
  return `${head}# Parameters of this run (charger-diag ${TOOL.version}).\n${vars.join('\n')}\n${body}\n${catalogueSteps()}`;
}

let parts: { head: string; body: string } | null = null;
/** The static shell, next to this module in src/ and in dist/ (the build copies it). */
function shellParts(): { head: string; body: string } {
  parts ??= {
    head: readFileSync(collectScriptFile('head.sh'), 'utf8'),
    body: readFileSync(collectScriptFile('body.sh'), 'utf8'),
  };
  return parts;
}

/** An argv as shell words: the window placeholders become the script's epoch variables. */
function words(argv: string[]): string {
  return argv.map((a) => (a === SINCE ? '"@$S"' : a === UNTIL ? '"@$U"' : quoteWord(a))).join(' ');
}

/** The shell of one catalogue entry: a call of a body.sh function with the entry's command or files. */
export function stepLines(e: CatalogueEntry): string[] {
  switch (e.kind) {
    case 'command': {
      const fn = e.journal ? 'jcmd' : e.mergeStderr ? 'mcmd' : e.fallbackArgv ? 'ocmd' : 'cmd';
      const fallback = e.fallbackArgv ? ` ${quoteWord(e.fallbackArgv.join(' '))}` : '';
      const lines = [`${fn} ${e.id} ${quoteWord(e.path)}${fallback} ${words(e.argv)}`];
      if (e.keptFor) lines.push(`${e.keptFor.okOnly ? '[ "$_rc" = 0 ] && ' : ''}cp "$T/o" "$T/${e.keptFor.as}"`);
      return lines;
    }
    case 'procinfo':
      return ['procinfo_src'];
    case 'unit-props':
      // The exit status and stderr of list-units, the step right before it.
      return ['unit_props "$_rc" "$T/e"'];
    case 'unit-files':
      return [`unit_files ${words(e.dirs)}`];
    case 'syslog':
      return [`syslogs ${quoteWord(SYSLOG_MISSING)} ${words(e.files)}`];
    case 'proc-files':
      return e.files.map((f) => `fcp ${f.id} ${quoteWord(f.path)}`);
    case 'first-file':
      return [`fcp_first ${e.id} ${words(e.files)}`];
    case 'journald-config':
      return [`journald_confs ${words(e.dirs)}`];
    case 'cron':
      return [`cron_src ${quoteWord(e.crontab)} ${quoteWord(e.dir)}`];
    case 'health-script':
      return [`health_scripts ${quoteWord(e.crontab)} ${quoteWord(e.cronDir)}`];
    case 'app-log':
      return [`app_logs ${quoteWord(e.nginxDir)}`];
    case 'health':
      return ['probes'];
  }
}

function catalogueSteps(): string {
  const lines = ['# ---------------------------------------------------------------- the catalogue, in order', 'host_info'];
  for (const e of CATALOGUE) lines.push(...stepLines(e));
  lines.push('finish', '');
  return lines.join('\n');
}
