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

/**
 * A property name and its '=' (a letter, then letters, digits and '_'), matched where a line
 * starts (lastIndex): the first '=' of a line ends its key only when all before it is a name.
 * A regular expression rather than a loop over the characters: the bin reads a small bundle
 * without TurboFan (src/compilers.ts), and a RegExp is compiled either way.
 */
const KEY = /[A-Za-z][A-Za-z0-9_]*=/y;

export function parseSystemctlShow(text: string, source: string): ParseResult<UnitPropsRecord> {
  const problems = new ProblemLog();
  const records: UnitPropsRecord[] = [];

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

  // Line by line without splitting the whole text first (a host's output is ~0.5 MB, read at
  // every analysis): the same lines as split(/\r?\n/), the same judgement of each.
  let lineNo = 0;
  for (let at = 0; at <= text.length; ) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const end = nl < text.length && nl > at && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    const from = at;
    at = nl + 1;
    lineNo++;
    // A property line starts with a letter; anything else is blank (a block ends) or not one.
    const c0 = from < end ? text.charCodeAt(from) | 0x20 : 0;
    if (c0 < 0x61 || c0 > 0x7a) {
      if (text.slice(from, end).trim() === '') flush();
      else problems.add(lineNo, 'not a Key=Value line');
      continue;
    }
    KEY.lastIndex = from;
    if (!KEY.test(text)) {
      problems.add(lineNo, 'not a Key=Value line');
      continue;
    }
    // The key's characters hold no line end: its '=' is on this line.
    const eq = KEY.lastIndex - 1;
    const key = text.slice(from, eq);
    const value = text.slice(eq + 1, end);
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

