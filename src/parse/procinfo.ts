// commands/procinfo.json: the collector's own readlink of /proc/PID/{exe,cwd,fd/1,fd/2}
// for listening and non-service processes. Format (ours):
//   { "processes": [ { "pid": 1, "exe": "...", "cwd": "...", "stdout": "...", "stderr": "...", "error": "..." } ] }
// or a bare array of those objects. Everything but pid may be null or missing.
import * as z from '../zod.js';
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface ProcInfoRecord extends Origin {
  pid: number;
  exe: string | null;
  cwd: string | null;
  stdout: string | null;
  stderr: string | null;
  error: string | null;
}

const optionalText = z.pipe(z.nullish(z.string()), z.transform((v) => v ?? null));

const entrySchema = z.looseObject({
  pid: z.union([z.number().check(z.int(), z.positive()), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]),
  exe: optionalText,
  cwd: optionalText,
  stdout: optionalText,
  stderr: optionalText,
  error: optionalText,
});

const documentSchema = z.union([z.array(z.unknown()), z.looseObject({ processes: z.array(z.unknown()) })]);

/**
 * 1-based line where each element of the process array starts, in array
 * order, so records point at their place in the file. Tracks strings and
 * nesting only: JSON.parse has the final word on validity.
 */
function elementLines(text: string): number[] {
  const out: number[] = [];
  const stack: { kind: 'obj' | 'arr'; target: boolean }[] = [];
  let line = 1;
  let expectKey = false;
  let pendingKey: string | null = null;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    const top = stack[stack.length - 1];
    if (expectElement && top?.target && ch !== ']' && ch !== ',') {
      out.push(line);
      expectElement = false;
    }
    if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') line++;
        s += text[j] ?? '';
        j++;
      }
      if (top?.kind === 'obj' && expectKey) {
        pendingKey = s;
        expectKey = false;
      }
      i = j;
      continue;
    }
    if (ch === '{' || ch === '[') {
      const target =
        ch === '[' && (stack.length === 0 || (stack.length === 1 && top?.kind === 'obj' && pendingKey === 'processes'));
      stack.push({ kind: ch === '{' ? 'obj' : 'arr', target });
      expectKey = ch === '{';
      expectElement = target;
      pendingKey = null;
      continue;
    }
    if (ch === '}' || ch === ']') {
      stack.pop();
      expectKey = false;
      continue;
    }
    if (ch === ',') {
      expectKey = top?.kind === 'obj';
      expectElement = top?.target === true;
    }
  }
  return out;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

export function parseProcInfo(text: string, source: string): ParseResult<ProcInfoRecord> {
  const problems = new ProblemLog();
  const records: ProcInfoRecord[] = [];
  if (text.trim() === '') return problems.result(records);

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // V8 says "... in JSON at position N (line L column C)"; point at it when it does.
    const msg = err instanceof Error ? err.message : String(err);
    const lineMatch = /line (\d+)/.exec(msg);
    const posMatch = /position (\d+)/.exec(msg);
    const line = lineMatch ? Number(lineMatch[1]) : posMatch ? lineOfOffset(text, Number(posMatch[1])) : 1;
    problems.add(line, `not valid JSON: ${msg}`);
    return problems.result(records);
  }

  const parsed = documentSchema.safeParse(doc);
  if (!parsed.success) {
    problems.add(1, 'expected {"processes": [...]} or an array of process objects');
    return problems.result(records);
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.processes;
  const lines = elementLines(text);

  entries.forEach((entry, index) => {
    const line = lines[index] ?? 1;
    const e = entrySchema.safeParse(entry);
    if (!e.success) {
      const issue = e.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'entry';
      problems.add(line, `process entry ${index + 1}: ${where}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const { pid, exe, cwd, stdout, stderr, error } = e.data;
    records.push({ source, line, pid, exe, cwd, stdout, stderr, error });
  });
  return problems.result(records);
}
