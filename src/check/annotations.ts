// GitHub Actions workflow commands: one ::error per problem, so the failure
// shows on the line of the unit file or expected.json in the pull request.
import { distinctProblems, type CheckedPath } from './run.js';
import { visible } from '../render/visible.js';

/** The message of a workflow command: only %, CR and LF are special there. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (file=, title=) also ends at ':' or ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderAnnotations(results: CheckedPath[]): string {
  const out: string[] = [];
  for (const r of results) {
    for (const { p } of distinctProblems(r)) {
      const props = [`file=${escapeProperty(p.location.uri)}`];
      if (p.location.line !== null && p.location.line > 0) props.push(`line=${p.location.line}`);
      props.push(`title=${escapeProperty(p.rule)}`);
      out.push(`::error ${props.join(',')}::${escapeData(`${r.path}: ${p.message}`)}`);
    }
  }
  // A CI log is a terminal too: controls from the bundle are shown, not obeyed.
  return out.length ? `${visible(out.join('\n'))}\n` : '';
}
