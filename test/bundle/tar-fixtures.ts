// Hand-built tar archives for the hostile-input tests: raw ustar headers, so
// an archive can hold exactly what an attacker would put there (absolute
// names, "..", links, devices, lying sizes, pax overrides) whatever the local
// tar binary would refuse to write.
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** typeflag: '0' file, '1' hard link, '2' symlink, '3' char dev, '4' block dev, '5' dir, '6' FIFO, 'x' pax */
  type?: string;
  body?: string | Buffer;
  linkname?: string;
  /** size written in the header when it must differ from the body's */
  declaredSize?: number;
  /** a pax extended header placed before this entry */
  pax?: Record<string, string>;
}

function put(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'latin1');
  bytes.copy(buf, offset, 0, Math.min(bytes.length, length));
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

export function header(e: { name: string; type: string; size: number; linkname?: string }): Buffer {
  const b = Buffer.alloc(512);
  put(b, 0, 100, e.name);
  put(b, 100, 8, octal(e.type === '5' ? 0o755 : 0o644, 8));
  put(b, 108, 8, octal(1000, 8));
  put(b, 116, 8, octal(1000, 8));
  put(b, 124, 12, octal(e.size, 12));
  put(b, 136, 12, octal(1765318500, 12));
  put(b, 148, 8, '        ');
  put(b, 156, 1, e.type);
  if (e.linkname) put(b, 157, 100, e.linkname);
  put(b, 257, 6, 'ustar\0');
  put(b, 263, 2, '00');
  put(b, 265, 32, 'basar');
  put(b, 297, 32, 'basar');
  let sum = 0;
  for (const byte of b) sum += byte;
  put(b, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return b;
}

function pad(body: Buffer): Buffer {
  const rest = body.length % 512;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(512 - rest)]);
}

export function paxBody(fields: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    const rec = ` ${k}=${v}\n`;
    // The length prefix counts itself.
    let len = rec.length + 1;
    while (String(len).length + rec.length !== len) len++;
    out += `${len}${rec}`;
  }
  return Buffer.from(out, 'utf8');
}

/** An uncompressed tar stream of the entries, ended by two zero blocks. */
export function rawTar(entries: RawEntry[], opts: { eof?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const body = paxBody(e.pax);
      parts.push(header({ name: `PaxHeaders/${e.name.slice(0, 80)}`, type: 'x', size: body.length }), pad(body));
    }
    const type = e.type ?? '0';
    const body = typeof e.body === 'string' ? Buffer.from(e.body, 'utf8') : (e.body ?? Buffer.alloc(0));
    parts.push(header({ name: e.name, type, size: e.declaredSize ?? body.length, linkname: e.linkname }));
    if (body.length > 0) parts.push(pad(body));
  }
  if (opts.eof !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function rawTarGz(entries: RawEntry[], opts: { eof?: boolean } = {}): Buffer {
  return gzipSync(rawTar(entries, opts));
}

export const MINIMAL_MANIFEST = JSON.stringify({ format: 'charger-diag-bundle', formatVersion: 1 });
