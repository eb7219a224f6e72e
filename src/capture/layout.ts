// Where `capture install` writes on the device. Every path here is recorded in the install
// record, and `capture remove` deletes exactly what the record lists.

/** The hook, the capture runner, the hang capture and the collection script for a device without Node. */
export const LIB_DIR = '/usr/local/lib/charger-diag';
export const HOOK = `${LIB_DIR}/capture-hook`;
export const RUNNER = `${LIB_DIR}/capture-run`;
/** Called by the proposed health checks before they restart a hung service (its presence is their guard). */
export const HANG = `${LIB_DIR}/capture-hang`;
export const COLLECT_SCRIPT = `${LIB_DIR}/collect.sh`;

export const UNIT_DIR = '/etc/systemd/system';
export const TEMPLATE_NAME = 'charger-diag-capture@.service';
export const TEMPLATE = `${UNIT_DIR}/${TEMPLATE_NAME}`;
export const DROP_IN_NAME = '50-charger-diag-capture.conf';

/** What install wrote, as JSON: the only list `remove` deletes from. */
export const RECORD = '/var/lib/charger-diag/capture-install.json';

/** Trigger records (volatile: a capture after a reboot would describe another boot). */
export const RUN_DIR = '/run/charger-diag';
export const TRIGGER_DIR = `${RUN_DIR}/triggers`;
/** Process state saved by capture-hang before the restart, picked up by the capture. */
export const HANG_DIR = `${RUN_DIR}/hang`;

/** Per-unit counters beside the bundles (kept by remove, with the bundles). */
export const STATE_SUBDIR = '.state';

export function dropInPath(unit: string): string {
  return `${UNIT_DIR}/${unit}.d/${DROP_IN_NAME}`;
}

/** The capture unit of a watched unit: its name is the template's instance (unit names are already escaped). */
export function captureUnitOf(unit: string): string {
  return `charger-diag-capture@${unit}`;
}

/** The key of a unit in trigger and state file names: characters outside the safe set become _. */
export function unitKey(unit: string): string {
  return unit.replace(/[^A-Za-z0-9:_.@-]/g, '_');
}

/** The unit names capture accepts (the same shape collect --unit does; a template instance included). */
export const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.service$/;
