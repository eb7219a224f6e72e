// `check --format gcc`: one diagnostic a line, `file:line:col: severity: message [rule]`,
// as compilers print them, so editors (compile mode, quickfix) and problem
// matchers jump to the line. Severity: critical → error, warning → warning,
// info → note; a problem without a finding (an expectation unmet, a line
// systemd ignores) is an error. Findings under --fail-on of a path without
// expectations are listed too, at their level. There is no column: 1.
import type { Severity } from '../analysis/schema.js';
import { distinctProblems, type CheckedPath, type Location } from './run.js';
import { visible } from '../render/visible.js';

export function gccSeverity(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function line(location: Location, severity: string, message: string, rule: string): string {
  const at = location.line !== null && location.line > 0 ? `${location.uri}:${location.line}:1` : location.uri;
  // One diagnostic per line whatever the bundle or expected.json holds: controls and breaks are shown, not obeyed.
  return visible(`${at}: ${severity}: ${message.replace(/\r?\n/g, '\\n')} [${rule}]`);
}

export function renderGcc(results: CheckedPath[]): string {
  const out: string[] = [];
  for (const r of results) {
    const shown = new Set<unknown>();
    for (const { p } of distinctProblems(r)) {
      if (p.finding) shown.add(p.finding);
      out.push(line(p.location, p.finding ? gccSeverity(p.finding.severity) : 'error', `${r.path}: ${p.message}`, p.rule));
    }
    if (r.expectFile) continue;
    for (const f of r.findings) {
      if (!shown.has(f)) out.push(line(f.location, gccSeverity(f.severity), `${f.subject}: ${f.title}`, f.rule));
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
