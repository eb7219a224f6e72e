// systemd's own unit lifecycle messages, from the journal (structured fields)
// or from syslog copies ("systemd[1]: <text>"). The texts differ between
// releases: 247 names the unit only by its Description in job messages
// ("Started Charger OCPP client.") and says "Succeeded."; 252 prints
// "Started charger.service - Charger OCPP client." and "Deactivated
// successfully.". The journal field UNIT=/USER_UNIT= names the unit in both.
import type { LogRecord } from '../parse/types.js';

export type SystemdEventKind =
  | 'starting'
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'deactivated'
  | 'main-exited'
  | 'failed'
  | 'failed-to-start'
  | 'restart-scheduled'
  | 'start-limit-hit'
  | 'watchdog'
  | 'oom-kill'
  | 'reloading'
  | 'reloaded';

export interface SystemdEvent {
  kind: SystemdEventKind;
  unit: string;
  /** UNIT_RESULT, or from "Failed with result 'x'."; for failed-to-start the job result (failed, timeout, dependency, assert). */
  result?: string;
  /** exited | killed | dumped */
  exitCode?: string;
  /** "11/SEGV", "1/FAILURE", "9/KILL" */
  exitStatus?: string;
  nRestarts?: number;
}

// MESSAGE_IDs from systemd's catalog (systemd.catalog, sd-messages.h).
const MID = {
  unitStarting: '7d4958e842da4a758f6c1cdc7b36dcc5',
  unitStarted: '39f53479d3a045ac8e11786248231fbf',
  unitStartFailed: 'be02cf6855d2428ba40df7e9d022f03d',
  unitStopping: 'de5b426a63be47a7b6ac3eaac82e2f6f',
  unitStopped: '9d1aaa27d60140bd96365438aad20286',
  unitReloading: 'd34d037fff1847e6ae669a370e694725',
  unitReloaded: '7b05ebc668384222baa8881179cfda54',
  unitRestartScheduled: '5eb03494b6584870a536b337290809b3',
  unitSuccess: '7ad2d189f7e94e70a38c781354912448',
  unitFailed: 'd9b373ed55a64feb8242e02dbe79a49c',
  unitProcessExit: '98e322203f7a4ed290d09fe03c09fe15',
  unitOutOfMemory: 'fe6faa94e7774663a0da52717891d8ef',
} as const;

const UNIT_SUFFIX = '(?:service|socket|target|device|mount|automount|swap|timer|path|slice|scope)';
// Unit names: letters, digits, ":-_.\" and "@" for instances (systemd's unit_name_is_valid()).
const UNIT_NAME = String.raw`[A-Za-z0-9:_.\\-]+(?:@[A-Za-z0-9:_.\\-]*)?\.` + UNIT_SUFFIX;
// "charger.service: <text>": how 247+ prefixes per-unit messages (LOG_UNIT_MESSAGE).
const PREFIXED_RE = new RegExp(`^(${UNIT_NAME}): (.*)$`, 's');
// The 252+ "unit - Description" form of job messages, or a unit without a Description.
const JOB_SUBJECT_RE = new RegExp(`^(${UNIT_NAME})(?: - .*)?$`, 's');

const MAIN_EXIT_RE = /^Main process exited, code=(\w+), status=(\d+(?:\/[A-Za-z0-9_+-]+)?)/;
const FAILED_RESULT_RE = /^Failed with result '([^']+)'\.$/;
const RESTART_RE = /^Scheduled restart job, restart counter is at (\d+)\.$/;
const WATCHDOG_RE = /^Watchdog timeout \(limit [^)]*\)!$/;

// Job-done texts from job.c; "%s" is the unit's status string.
const JOB_TEXTS: { re: RegExp; kind: SystemdEventKind; result?: string }[] = [
  { re: /^Starting (.+)\.\.\.$/s, kind: 'starting' },
  { re: /^Started (.+)\.$/s, kind: 'started' },
  { re: /^Stopping (.+)\.\.\.$/s, kind: 'stopping' },
  { re: /^Stopped (.+)\.$/s, kind: 'stopped' },
  { re: /^Reloading (.+)\.\.\.$/s, kind: 'reloading' },
  { re: /^Reloaded (.+)\.$/s, kind: 'reloaded' },
  { re: /^Failed to start (.+)\.$/s, kind: 'failed-to-start', result: 'failed' },
  { re: /^Timed out starting (.+)\.$/s, kind: 'failed-to-start', result: 'timeout' },
  { re: /^Dependency failed for (.+)\.$/s, kind: 'failed-to-start', result: 'dependency' },
  { re: /^Assertion failed for (.+)\.$/s, kind: 'failed-to-start', result: 'assert' },
];

const JOB_IDS: Record<string, SystemdEventKind> = {
  [MID.unitStarting]: 'starting',
  [MID.unitStarted]: 'started',
  [MID.unitStartFailed]: 'failed-to-start',
  [MID.unitStopping]: 'stopping',
  [MID.unitStopped]: 'stopped',
  [MID.unitReloading]: 'reloading',
  [MID.unitReloaded]: 'reloaded',
};

/** True for lines the service manager itself wrote (system manager, or a user manager). */
function fromManager(r: LogRecord): boolean {
  if (r.identifier !== undefined) return r.identifier === 'systemd';
  return r.unit === 'init.scope' || r.pid === 1;
}

function withUnit(ev: Omit<SystemdEvent, 'unit'>, unit: string | undefined): SystemdEvent | null {
  return unit ? { ...ev, unit } : null;
}

/** Messages of the form "<unit>: <text>" (in 247+ and in syslog). */
function classifyUnitText(body: string, fields: LogRecord['fields']): Omit<SystemdEvent, 'unit'> | null {
  if (body === 'Deactivated successfully.' || body === 'Succeeded.') return { kind: 'deactivated' };
  const exit = MAIN_EXIT_RE.exec(body);
  if (exit) {
    const ev: Omit<SystemdEvent, 'unit'> = { kind: 'main-exited', exitCode: fields?.EXIT_CODE ?? exit[1]! };
    // The field holds only the number ("11"); the text adds the name ("11/SEGV"), so prefer the text when they agree.
    const textStatus = exit[2]!;
    const fieldStatus = fields?.EXIT_STATUS;
    ev.exitStatus = fieldStatus !== undefined && textStatus.split('/')[0] !== fieldStatus ? fieldStatus : textStatus;
    return ev;
  }
  const failed = FAILED_RESULT_RE.exec(body);
  if (failed) return { kind: 'failed', result: fields?.UNIT_RESULT ?? failed[1]! };
  const restart = RESTART_RE.exec(body);
  if (restart) {
    const n = fields?.N_RESTARTS !== undefined && /^\d+$/.test(fields.N_RESTARTS) ? fields.N_RESTARTS : restart[1]!;
    return { kind: 'restart-scheduled', nRestarts: Number(n) };
  }
  if (body === 'Start request repeated too quickly.') return { kind: 'start-limit-hit' };
  if (WATCHDOG_RE.test(body)) return { kind: 'watchdog' };
  if (body === 'A process of this unit has been killed by the OOM killer.') return { kind: 'oom-kill' };
  return null;
}

/**
 * Classify a LogRecord as a systemd lifecycle event, or null. Only lines from
 * systemd itself qualify. The MESSAGE_ID decides the kind where systemd sets
 * one, the text otherwise; the unit comes from UNIT=/USER_UNIT=, else from
 * the text. Messages whose unit cannot be told (247 job texts in syslog, which
 * carry only the Description) return null rather than a guess.
 */
export function classifySystemd(r: LogRecord): SystemdEvent | null {
  if (!fromManager(r)) return null;
  const text = r.text.trim();
  const f = r.fields;
  const mid = f?.MESSAGE_ID;

  const prefixed = PREFIXED_RE.exec(text);
  const textUnit = prefixed?.[1];
  const unitFromFields = r.aboutUnit;

  // Structured: the MESSAGE_ID alone says what happened for these.
  if (mid === MID.unitFailed && f?.UNIT_RESULT) {
    return withUnit({ kind: 'failed', result: f.UNIT_RESULT }, unitFromFields ?? textUnit);
  }
  if (mid === MID.unitRestartScheduled && f?.N_RESTARTS && /^\d+$/.test(f.N_RESTARTS)) {
    return withUnit({ kind: 'restart-scheduled', nRestarts: Number(f.N_RESTARTS) }, unitFromFields ?? textUnit);
  }
  if (mid === MID.unitSuccess) return withUnit({ kind: 'deactivated' }, unitFromFields ?? textUnit);
  if (mid === MID.unitOutOfMemory) return withUnit({ kind: 'oom-kill' }, unitFromFields ?? textUnit);

  if (prefixed) {
    // Other per-unit lines ("Control process exited" of ExecStartPre=, "Consumed … CPU time",
    // "Killing process …") share the form but are not lifecycle events.
    const ev = classifyUnitText(prefixed[2]!, f);
    if (ev) return withUnit(ev, unitFromFields ?? textUnit);
    return null;
  }

  if (text === 'Reloading.' || /^Reloading finished in \d+ ms\.$/.test(text)) {
    // daemon-reload of the manager itself: the subject is the manager's own unit.
    const unit = r.unit ?? (r.pid === 1 || r.pid === undefined ? 'init.scope' : undefined);
    return withUnit({ kind: text === 'Reloading.' ? 'reloading' : 'reloaded' }, unit);
  }

  const job = JOB_TEXTS.find((j) => j.re.test(text));
  const byId = mid !== undefined ? JOB_IDS[mid] : undefined;
  if (byId && unitFromFields) {
    // The start-done id also marks "… was skipped because of an unmet condition check" (and 247's
    // "Condition check resulted in … being skipped."): only a "Started" text is a start.
    if (byId === 'started' && job?.kind !== 'started') return null;
    const ev: Omit<SystemdEvent, 'unit'> = { kind: byId };
    if (byId === 'failed-to-start') ev.result = job?.kind === 'failed-to-start' ? job.result! : 'failed';
    return { ...ev, unit: unitFromFields };
  }
  if (!job) return null;
  const subject = JOB_SUBJECT_RE.exec(job.re.exec(text)![1]!);
  const ev: Omit<SystemdEvent, 'unit'> = { kind: job.kind };
  if (job.result) ev.result = job.result;
  return withUnit(ev, unitFromFields ?? subject?.[1]);
}
