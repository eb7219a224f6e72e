// `systemctl list-units --all --no-pager --plain --full`. Columns are padded to
// the widest cell; a JOB column appears between SUB and DESCRIPTION while jobs
// are queued (empty for most rows), so cells are cut at the header's column
// starts when there is a header, and split on whitespace otherwise.
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface UnitStateRecord extends Origin {
  unit: string;
  load: string;
  active: string;
  sub: string;
  description: string;
  /** queued job ("start", "stop"...) when the JOB column is shown and set */
  job?: string;
}

const LOAD_STATES = new Set(['loaded', 'not-found', 'bad-setting', 'error', 'merged', 'masked', 'stub']);

// Legend and summary that follow the table.
const FOOTER = [
  /^(LOAD|ACTIVE|SUB|JOB)\s+= /,
  /^\d+ loaded units? listed\b/,
  /^To show all installed unit files use /,
  /^Pass --all to see loaded but inactive units/,
  /^0 loaded units listed/,
];

interface Layout {
  starts: number[];
  names: string[];
}

function headerLayout(line: string): Layout | null {
  const m = /^(\s*)UNIT\s+LOAD\s+ACTIVE\s+SUB\s+/.exec(line);
  if (!m) return null;
  const starts: number[] = [];
  const names: string[] = [];
  for (const h of line.matchAll(/\S+/g)) {
    starts.push(h.index);
    names.push(h[0]);
  }
  return { starts, names };
}

/** Drop the status bullet of the non-plain form ("● ", "* " on non-UTF-8 terminals). */
function stripBullet(line: string): string {
  return line.replace(/^\s*[●*×○]\s/, (s) => ' '.repeat(s.length));
}

function byLayout(line: string, layout: Layout): Record<string, string> | null {
  const cells: Record<string, string> = {};
  for (let k = 0; k < layout.names.length; k++) {
    const from = layout.starts[k]!;
    const to = k + 1 < layout.starts.length ? layout.starts[k + 1]! : line.length;
    // A cell must start at its column (preceded by a space or the line start).
    if (from > 0 && line[from - 1] !== undefined && line[from - 1] !== ' ' && line[from - 1] !== '\t') return null;
    cells[layout.names[k]!] = line.slice(from, k + 1 < layout.names.length ? to : undefined).trim();
  }
  for (const key of ['UNIT', 'LOAD', 'ACTIVE', 'SUB']) {
    const v = cells[key];
    if (!v || /\s/.test(v)) return null;
  }
  return cells;
}

function byWords(line: string): Record<string, string> | null {
  const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
  if (!m) return null;
  return { UNIT: m[1]!, LOAD: m[2]!, ACTIVE: m[3]!, SUB: m[4]!, DESCRIPTION: (m[5] ?? '').trim() };
}

export function parseListUnits(text: string, source: string): ParseResult<UnitStateRecord> {
  const problems = new ProblemLog();
  const records: UnitStateRecord[] = [];
  const lines = text.split(/\r?\n/);
  let layout: Layout | null = null;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    const header = headerLayout(raw);
    if (header) {
      layout = header;
      continue;
    }
    if (FOOTER.some((re) => re.test(raw.trim()))) continue;
    const line = stripBullet(raw);
    const cells = (layout && byLayout(line, layout)) ?? byWords(line);
    if (!cells || !LOAD_STATES.has(cells.LOAD!)) {
      problems.add(lineNo, 'not a unit row (expected UNIT LOAD ACTIVE SUB DESCRIPTION)');
      continue;
    }
    const rec: UnitStateRecord = {
      source,
      line: lineNo,
      unit: cells.UNIT!,
      load: cells.LOAD!,
      active: cells.ACTIVE!,
      sub: cells.SUB!,
      description: cells.DESCRIPTION ?? '',
    };
    if (cells.JOB) rec.job = cells.JOB;
    records.push(rec);
  }
  return problems.result(records);
}
