/** A journal record as `journalctl -o json` writes it, with the line as its MESSAGE. */
export function journalRecord(message: string, pid = '812', identifier = 'charger'): string {
  return JSON.stringify({ __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1765318200000000', _BOOT_ID: 'b0', PRIORITY: '6', SYSLOG_IDENTIFIER: identifier, _PID: pid, MESSAGE: message, _SYSTEMD_UNIT: 'charger.service' });
}

/**
 * What `logger -t TAG -- LINE` writes: a new process for every line, the line in its _CMDLINE too.
 * journald reads _CMDLINE, _EXE and _SYSTEMD_UNIT from /proc as the line arrives, and a logger that
 * has already exited has none of them (seen on systemd 252 in the lab): every other line here.
 * systemd quotes an argument that holds a blank, as it did for the BEGIN line of a key.
 */
export function loggerRecord(message: string, pid: number, identifier = 'deploy'): string {
  const seen = pid % 2 === 0 ? { _EXE: '/usr/bin/logger', _CMDLINE: `logger -t ${identifier} -- ${message.includes(' ') ? `"${message}"` : message}`, _SYSTEMD_UNIT: 'session-c1.scope' } : {};
  return JSON.stringify({ _TRANSPORT: 'syslog', _BOOT_ID: 'b0', PRIORITY: '5', _COMM: 'logger', ...seen, _PID: String(pid), SYSLOG_IDENTIFIER: identifier, MESSAGE: message });
}
