// `systemctl show --no-pager UNIT...`: one block of Key=Value lines per unit,
// blocks separated by a blank line. Values may contain '=' (only the first one
// splits). Exec* properties print one line per command, so a key can repeat.
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface UnitPropsRecord extends Origin {
  /** from Id= */
  unit: string;
  /** value of each key; a repeated key (ExecStartPre=, one line per command) has its values joined by a space */
  props: Record<string, string>;
  /** 1-based line of each key (its first occurrence) */
  lines: Record<string, number>;
  /** every value of every key, in order, for keys that repeat */
  all?: Record<string, string[]>;
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseSystemctlShow(text: string, source: string): ParseResult<UnitPropsRecord> {
  const problems = new ProblemLog();
  const records: UnitPropsRecord[] = [];
  const lines = text.split(/\r?\n/);

  // `all` only for the keys that repeat: a host's properties are some 15,000 lines, nearly all single.
  type Block = { start: number; props: Record<string, string>; lines: Record<string, number>; all: Record<string, string[]> | undefined };
  let block: Block | null = null;
  const flush = () => {
    if (!block) return;
    const id = block.props.Id;
    if (!id) problems.add(block.start, 'property block without Id=, cannot tell which unit it describes');
    else records.push({ source, line: block.start, unit: id, props: block.props, lines: block.lines, ...(block.all ? { all: block.all } : {}) });
    block = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '') {
      flush();
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    if (!KEY.test(key)) {
      problems.add(lineNo, 'not a Key=Value line');
      continue;
    }
    const value = line.slice(eq + 1);
    block ??= { start: lineNo, props: {}, lines: {}, all: undefined };
    const b: Block = block;
    if (key in b.props) {
      b.all ??= {};
      (b.all[key] ??= [b.props[key]!]).push(value);
      b.props[key] = `${b.props[key]} ${value}`;
    } else {
      b.props[key] = value;
      b.lines[key] = lineNo;
    }
  }
  flush();
  return problems.result(records);
}

/**
 * argv[] of each "{ path=... ; argv[]=... ; ignore_errors=no ; ... }" group of
 * an Exec* value (ExecStartEx uses "flags=" instead of "ignore_errors=").
 */
export function execCommandLines(value: string): string[] {
  const out: string[] = [];
  const re = /argv\[\]=(.*?) ; (?:ignore_errors|flags)=/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) out.push(m[1]!.trim());
  if (out.length === 0) {
    // Truncated group: take argv[] up to the end of its group.
    const loose = /argv\[\]=([^}]*?)\s*(?:;|\})/g;
    while ((m = loose.exec(value)) !== null) out.push(m[1]!.trim());
  }
  return out;
}

