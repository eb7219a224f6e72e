/** A journal record as `journalctl -o json` writes it, with the line as its MESSAGE. */
export function journalRecord(message: string, pid = '812'): string {
  return JSON.stringify({ __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1765318200000000', _BOOT_ID: 'b0', PRIORITY: '6', SYSLOG_IDENTIFIER: 'charger', _PID: pid, MESSAGE: message, _SYSTEMD_UNIT: 'charger.service' });
}
