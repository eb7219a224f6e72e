// commands/health-probes.json: the collector's own GET of each --health-url.
//   { "probes": [ { "url": "...", "status": 200, "ms": 12, "error": null, "at": "2025-12-10T01:15:00+03:00" } ] }
// or a bare array of the same objects. Each probe is validated on its own, so
// one bad entry is a counted skip, not a lost file.
import * as z from '../zod.js';
import { Origin, ParseResult, ProblemLog } from './types.js';

export interface HealthProbe extends Origin {
  url: string;
  /** HTTP status, null when no answer came */
  status: number | null;
  ms: number | null;
  error: string | null;
  /** ISO time of the probe if given */
  at: string | null;
}

const ProbeSchema = z.object({
  url: z.string().check(z.minLength(1)),
  status: z.optional(z.nullable(z.number().check(z.int(), z.gte(100), z.lte(599)))),
  ms: z.optional(z.nullable(z.number().check(z.nonnegative()))),
  error: z.optional(z.nullable(z.string())),
  at: z.optional(z.nullable(z.string())),
});

const FileSchema = z.union([z.array(z.unknown()), z.object({ probes: z.array(z.unknown()) })]);

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Offsets of the elements of the probes array (the root array, or the value
 * of the top-level "probes" key), found by scanning the already-validated JSON
 * so each probe can be quoted with its line.
 */
function probeOffsets(text: string): number[] {
  type Frame = { kind: 'obj' | 'arr'; expectKey: boolean; key: string; target: boolean };
  const offsets: number[] = [];
  const stack: Frame[] = [];
  let i = 0;
  const valueStart = (at: number) => {
    const top = stack[stack.length - 1];
    if (top?.target) offsets.push(at);
  };
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top?.kind === 'obj' && top.expectKey) {
        top.key = JSON.parse(text.slice(i, j + 1)) as string;
      } else valueStart(i);
      i = j + 1;
      continue;
    }
    if (ch === ':') {
      if (top?.kind === 'obj') top.expectKey = false;
    } else if (ch === ',') {
      if (top?.kind === 'obj') top.expectKey = true;
    } else if (ch === '{' || ch === '[') {
      valueStart(i);
      const parent = stack[stack.length - 1];
      const target = ch === '[' && (parent === undefined || (stack.length === 1 && parent.kind === 'obj' && parent.key === 'probes'));
      stack.push({ kind: ch === '{' ? 'obj' : 'arr', expectKey: ch === '{', key: '', target });
    } else if (ch === '}' || ch === ']') stack.pop();
    else if (!/\s/.test(ch)) {
      // number, true, false, null
      valueStart(i);
      while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1]!)) i++;
    }
    i++;
  }
  return offsets;
}

export function parseHealthProbes(text: string, source: string): ParseResult<HealthProbe> {
  const log = new ProblemLog();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String((e as Error).message));
    log.add(pos ? lineAt(text, Number(pos[1])) : 1, 'not valid JSON');
    return log.result([]);
  }
  const file = FileSchema.safeParse(data);
  if (!file.success) {
    log.add(1, 'neither a {"probes": [...]} object nor an array of probes');
    return log.result([]);
  }
  const items = Array.isArray(file.data) ? file.data : file.data.probes;
  const offsets = probeOffsets(text);
  const records: HealthProbe[] = [];
  items.forEach((item, i) => {
    const line = offsets[i] !== undefined ? lineAt(text, offsets[i]!) : 1;
    const p = ProbeSchema.safeParse(item);
    if (!p.success) {
      const issue = p.error.issues[0];
      log.add(line, `probe ${i + 1}: ${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'}`);
      return;
    }
    records.push({
      source,
      line,
      url: p.data.url,
      status: p.data.status ?? null,
      ms: p.data.ms ?? null,
      error: p.data.error ?? null,
      at: p.data.at ?? null,
    });
  });
  return log.result(records);
}
