// The sos run the bench's third row sets `collect` against, here and in the real-systemd lab:
// Debian 12's sos 4.0 with the nine plugins that gather what a collection does.
export const SOS_PLUGINS = 'systemd,process,logs,kernel,memory,filesys,cron,date,host';

/** `sos report` of those plugins, unattended, its archive in `tmpDir`. */
export function sosArgv(tmpDir) {
  return ['report', '--batch', '--only-plugins', SOS_PLUGINS, '--tmp-dir', tmpDir];
}
