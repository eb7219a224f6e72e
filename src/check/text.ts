// The readable summary of `check`: PASS or FAIL per path; for a failure what
// was expected and what was found, with the file and line to look at.
import type { CheckedPath, Location } from './run.js';
import { visible } from '../render/visible.js';

export function renderText(results: CheckedPath[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(oneLine(`${r.passed ? 'PASS' : 'FAIL'} ${r.path}  (${describe(r)})`, Infinity));
    for (const c of r.cases) {
      if (c.problems.length === 0) continue;
      // Without expectations the case name only restates --fail-on; each problem says it.
      if (r.expectFile) out.push(`  ${oneLine(c.name, Infinity)}`);
      for (const p of c.problems) {
        out.push(`${r.expectFile ? '    ' : '  '}${oneLine(p.message, Infinity)}`);
        out.push(oneLine(`${r.expectFile ? '      ' : '    '}at ${where(p.location)}${p.finding?.evidenceText ? `: ${oneLine(p.finding.evidenceText)}` : ''}`, Infinity));
      }
    }
    // A unit directory that passes may still have findings under the threshold: show them, they are cheap to fix now.
    if (r.kind === 'unit-dir' && r.passed) {
      for (const f of r.findings) out.push(oneLine(`  note: ${f.rule} ${f.subject} (${f.severity}) at ${where(f.location)}`, Infinity));
    }
  }
  const failed = results.filter((r) => !r.passed).length;
  out.push(`check: ${results.length - failed} passed, ${failed} failed`);
  return `${out.join('\n')}\n`;
}

function describe(r: CheckedPath): string {
  const what = r.kind === 'unit-dir' ? `unit files: ${r.unitFiles ?? 0}` : 'bundle';
  if (r.expectFile) {
    const unmet = r.cases.filter((c) => c.problems.length > 0).length;
    const total = r.cases.length;
    return `${what}, ${r.expectFile}: ${unmet ? `${unmet} of ${total} expectations not met` : `${total} expectations met`}`;
  }
  return `${what}, no expectations: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}, failing on ${r.failOn} and above`;
}

export function where(l: Location): string {
  return l.line !== null ? `${l.path}:${l.line}` : l.path;
}

/**
 * Text from a bundle or a hand-written expected.json stays on its line:
 * control characters (a line break, a terminal escape) are shown, not obeyed.
 * Quoted evidence is also cut to a line's worth.
 */
function oneLine(s: string, max = 160): string {
  const flat = visible(s.replace(/\t/g, ' ').replace(/\n/g, '\\n'));
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
