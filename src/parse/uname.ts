// `uname -a`: kernel-name nodename release version... machine [processor platform] os.
// GNU coreutils omits processor/platform when "unknown"; RHEL prints them
// ("x86_64 x86_64 x86_64 GNU/Linux"); busybox/Alpine end in "Linux".
export interface Uname {
  /** kernel release, e.g. 6.1.0-rpi7-rpi-v8 */
  kernel: string | null;
  hostname: string | null;
  arch: string | null;
  text: string;
}

const OS_NAMES = new Set(['GNU/Linux', 'Linux', 'Android', 'Toybox']);

export function parseUname(text: string): Uname {
  const line = text.split('\n').map((l) => l.replace(/\r$/, '').trim()).find((l) => l !== '') ?? '';
  const tokens = line.split(/\s+/).filter(Boolean);
  if (tokens.length < 3 || !/^\d/.test(tokens[2]!) || tokens[0]!.endsWith(':')) return { kernel: null, hostname: null, arch: null, text: line };
  const last = tokens[tokens.length - 1]!;
  const archIdx = OS_NAMES.has(last) && tokens.length >= 5 ? tokens.length - 2 : tokens.length >= 5 ? tokens.length - 1 : -1;
  const arch = archIdx > 2 ? tokens[archIdx]! : null;
  return { kernel: tokens[2]!, hostname: tokens[1]!, arch: arch && arch !== 'unknown' ? arch : null, text: line };
}
