// GitHub Actions workflow commands: one per problem, so the failure shows on
// the line of the unit file or expected.json in the pull request, at the
// level of its finding (::error for critical, ::warning, ::notice for info);
// a problem without a finding (an expectation unmet, a line systemd ignores)
// is an ::error. Findings under --fail-on of a path without expectations are
// annotated at their level too: they do not fail the check, but are cheap to fix now.
import type { Severity } from '../analysis/schema.js';
import { distinctProblems, type CheckedPath, type Location } from './run.js';
import { visible } from '../render/visible.js';

/** The message of a workflow command: only %, CR and LF are special there. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (file=, title=) also ends at ':' or ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotationLevel(s: Severity): AnnotationLevel {
  return s === 'critical' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

function command(level: AnnotationLevel, location: Location, title: string, message: string): string {
  const props = [`file=${escapeProperty(location.uri)}`];
  if (location.line !== null && location.line > 0) props.push(`line=${location.line}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${level} ${props.join(',')}::${escapeData(message)}`;
}

export function renderAnnotations(results: CheckedPath[]): string {
  const out: string[] = [];
  for (const r of results) {
    const shown = new Set<unknown>();
    for (const { p } of distinctProblems(r)) {
      if (p.finding) shown.add(p.finding);
      out.push(command(p.finding ? annotationLevel(p.finding.severity) : 'error', p.location, p.rule, `${r.path}: ${p.message}`));
    }
    if (r.expectFile) continue;
    for (const f of r.findings) {
      if (shown.has(f)) continue;
      out.push(command(annotationLevel(f.severity), f.location, f.rule, `${r.path}: ${f.rule} ${f.subject} (${f.severity}): ${f.title}`));
    }
  }
  // A CI log is a terminal too: controls from the bundle are shown, not obeyed.
  return out.length ? `${visible(out.join('\n'))}\n` : '';
}
