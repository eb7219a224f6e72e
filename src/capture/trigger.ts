// The trigger record a hook writes under /run/charger-diag/triggers (key=value lines) and the
// trigger as the bundle's manifest records it (docs/capture.md, docs/bundle-format.md).
import { formatDeviceTime, type DeviceClock } from '../time.js';

export interface CaptureTrigger {
  unit: string;
  /** $SERVICE_RESULT (exit-code, signal, core-dump, watchdog, oom-kill, timeout, ...), start-limit-hit, or hang */
  result: string;
  /** $EXIT_CODE: exited, killed or dumped; null when systemd gave none */
  exitCode: string | null;
  /** $EXIT_STATUS: the exit status, or the signal's name */
  exitStatus: string | null;
  /** when the unit stopped, device time with offset */
  time: string;
  /** which hook saw it: ExecStopPost, OnFailure or health-check */
  hook: string | null;
  /** what systemd said when the capture knows better (an OOM kill systemd saw as signal on cgroup v1) */
  systemdResult?: string;
}

/** key=value lines; a later value of a key replaces an earlier one (the runner appends what it learns); lines without "=" are passed over. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

const SAFE = /^[A-Za-z0-9:_.@\\+-]{1,256}$/;

/**
 * A trigger record, or null when it is not one: a unit, a result and an epoch time are
 * required; a value with characters no hook writes is refused (the record is read as root).
 */
export function parseTrigger(text: string, clock: DeviceClock): (CaptureTrigger & { epochMs: number; detail: string | null }) | null {
  const kv = parseKeyValues(text);
  const unit = kv.unit ?? '';
  const result = kv.result ?? '';
  const time = Number(kv.time);
  if (!SAFE.test(unit) || !SAFE.test(result) || !Number.isInteger(time) || time <= 0) return null;
  const opt = (v: string | undefined) => (v !== undefined && v !== '' && SAFE.test(v) ? v : null);
  const detail = kv.detail && /^\/run\/charger-diag\/hang\/[A-Za-z0-9:_.@-]+\.txt$/.test(kv.detail) ? kv.detail : null;
  return {
    unit,
    result,
    exitCode: opt(kv.exit_code),
    exitStatus: opt(kv.exit_status),
    time: formatDeviceTime(time * 1000, clock),
    hook: opt(kv.hook),
    ...(opt(kv.systemd_result) ? { systemdResult: opt(kv.systemd_result)! } : {}),
    epochMs: time * 1000,
    detail,
  };
}

/** "exit-code, exited 3", "signal, killed SEGV", "oom-kill", for messages. */
export function describeTrigger(t: Pick<CaptureTrigger, 'result' | 'exitCode' | 'exitStatus'>): string {
  const how = [t.exitCode, t.exitStatus].filter(Boolean).join(' ');
  return how ? `${t.result}, ${how}` : t.result;
}
