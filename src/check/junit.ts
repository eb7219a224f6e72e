// JUnit XML as GitLab and Jenkins read it: one <testsuite> per checked path,
// one <testcase> per expectation (or the single "no finding at or above SEV"
// case of a path without expectations), a <failure> saying what was expected
// and what was found. Each case's classname is its checked path (reports group
// by it) and `file` the file to open; `time` is the path's analysis, which its
// cases share (they are judged from one analysis), so the cases add up to the suite.
import type { CheckedPath } from './run.js';
import { where } from './text.js';
import { visible as shownControls } from '../render/visible.js';

export function renderJunit(results: CheckedPath[]): string {
  const total = results.reduce((n, r) => n + r.cases.length, 0);
  const failures = results.reduce((n, r) => n + r.cases.filter((c) => c.problems.length > 0).length, 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const seconds = (n: number) => n.toFixed(3);
  const all = results.reduce((n, r) => n + r.seconds, 0);
  out.push(`<testsuites name="charger-diag check" tests="${total}" failures="${failures}" errors="0" time="${seconds(all)}">`);
  for (const r of results) {
    const failed = r.cases.filter((c) => c.problems.length > 0).length;
    out.push(`  <testsuite name="${attr(r.path)}" tests="${r.cases.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(r.seconds)}">`);
    const share = r.cases.length ? r.seconds / r.cases.length : 0;
    for (const c of r.cases) {
      const name = `${r.path} :: ${c.name}`;
      // A failure points at its file; a passing case at expected.json or the checked path.
      const file = c.problems[0]?.location.uri ?? r.expectFile ?? r.path;
      const head = `classname="${attr(r.path)}" name="${attr(name)}" file="${attr(file)}" time="${seconds(share)}"`;
      if (c.problems.length === 0) {
        out.push(`    <testcase ${head}/>`);
        continue;
      }
      const [first] = c.problems;
      const message = c.problems.length === 1 ? first!.message : `${c.problems.length} problems; first: ${first!.message}`;
      const body = c.problems.map((p) => `${p.message}\n  at ${where(p.location)}`).join('\n');
      out.push(`    <testcase ${head}>`);
      out.push(`      <failure message="${attr(message)}" type="${r.expectFile ? 'expectation' : 'finding'}">${text(body)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

// XML 1.0 cannot carry most control characters even as references, nor lone
// surrogates; log lines quoted in messages may hold both. They are shown as \xNN.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function visible(s: string): string {
  return shownControls(s).replace(NOT_XML, (c) => `\\x${(c.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`);
}

export function text(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values keep their line breaks and tabs only as character references (XML normalises literal ones to spaces). */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
