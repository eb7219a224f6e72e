// `systemctl list-unit-files --no-pager --plain`: "UNIT FILE STATE VENDOR PRESET"
// on systemd 252 ("PRESET" on 253+), "UNIT FILE STATE" on 247 and older.
// No cell contains spaces, so rows split on whitespace.
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface UnitFileStateRecord extends Origin {
  unit: string;
  state: string;
  /** vendor preset ("enabled", "disabled", "-" kept as null); null when the column is absent */
  preset: string | null;
}

// enabled, enabled-runtime, linked, alias, masked, static, indirect, disabled,
// generated, transient, bad, ...: any lower-case word, so newer states pass.
const STATE = /^[a-z][a-z-]*$/;

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.[a-z]+$/;

export function parseListUnitFiles(text: string, source: string): ParseResult<UnitFileStateRecord> {
  const problems = new ProblemLog();
  const records: UnitFileStateRecord[] = [];
  const lines = text.split(/\r?\n/);

  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    const lineNo = i + 1;
    if (trimmed === '') continue;
    if (/^UNIT FILE\s+STATE\b/.test(trimmed)) continue;
    if (/^\d+ unit files? listed\.?$/.test(trimmed)) continue;
    const words = trimmed.split(/\s+/);
    const [unit, state, preset] = words;
    if (words.length < 2 || words.length > 3 || !UNIT_NAME.test(unit!) || !STATE.test(state!)) {
      problems.add(lineNo, 'not a unit file row (expected UNIT FILE, STATE and optionally a preset)');
      continue;
    }
    records.push({
      source,
      line: lineNo,
      unit: unit!,
      state: state!,
      preset: preset === undefined || preset === '-' ? null : preset,
    });
  }
  return problems.result(records);
}
