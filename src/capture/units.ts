// The unit files `capture install` writes: one drop-in per watched unit and the capture template.
import type { CaptureSettings } from './settings.js';
import { HOOK, RUNNER, TEMPLATE_NAME } from './layout.js';

const WRITTEN_BY = '# Written by charger-diag capture install; charger-diag capture remove deletes it.';

/**
 * The drop-in of a watched unit. ExecStopPost= runs after every stop, a crash that Restart=
 * recovers included (systemd 252 does not enter `failed` then, so OnFailure= alone would miss
 * it); "+" runs the hook with full privileges, outside the unit's User= and sandbox.
 * OnFailure= covers what runs no ExecStopPost=: start-limit-hit. Both are lists that a drop-in
 * extends: the unit's own settings stay as they are.
 */
export function dropInContent(): string {
  return [WRITTEN_BY, '[Unit]', `OnFailure=${TEMPLATE_NAME.replace('@.service', '@%n.service')}`, '', '[Service]', `ExecStopPost=+${HOOK} %n`, ''].join('\n');
}

/** The capture unit: one instance per watched unit, so a second start while it runs is merged into it. */
export function templateContent(s: CaptureSettings): string {
  return [
    WRITTEN_BY,
    '[Unit]',
    'Description=charger-diag capture after %i stopped',
    // A capture during shutdown would describe the shutdown.
    'DefaultDependencies=no',
    'Conflicts=shutdown.target',
    'Before=shutdown.target',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${RUNNER} %i`,
    // The device's own work comes first: the capture takes the CPU and the disk only when they are idle.
    'Nice=19',
    'IOSchedulingClass=idle',
    // What a capture costs is logged when it ends ("Consumed ... CPU time") and shown by systemctl status.
    'CPUAccounting=yes',
    'MemoryAccounting=yes',
    `TimeoutStartSec=${s.timeLimitSec}`,
    '',
  ].join('\n');
}
