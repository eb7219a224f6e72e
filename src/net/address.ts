// "address:port" as ss and the analysis JSON write a listener ("0.0.0.0:8000", "[::1]:8000",
// "*:80"): the port is what follows the last colon, since an IPv6 address holds colons of its own.

/** The port of "address:port" (the whole text when it has no colon). */
export function portOf(addr: string): string {
  return addr.slice(addr.lastIndexOf(':') + 1);
}

/** The address and the port of "address:port", or null when it does not end in a port number. */
export function splitAddress(addr: string): { address: string; port: string } | null {
  if (!/:\d+$/.test(addr)) return null;
  const i = addr.lastIndexOf(':');
  return { address: addr.slice(0, i), port: addr.slice(i + 1) };
}
