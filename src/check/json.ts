// `check --format json` (docs/check-json.md): the check results as data, for
// scripts and dashboards. Versioned: fields are added, never renamed or dropped.
import type { CheckedPath, LocatedFinding, Location } from './run.js';
import { jsonText } from '../render/visible.js';
import { TOOL } from '../version.js';

export const CHECK_JSON_VERSION = 1;

function where(l: Location): { file: string; line: number | null } {
  return { file: l.uri, line: l.line !== null && l.line > 0 ? l.line : null };
}

function finding(f: LocatedFinding) {
  return { rule: f.rule, severity: f.severity, subject: f.subject, title: f.title, remediation: f.remediation, ...where(f.location), evidence: f.evidenceText };
}

export function renderCheckJson(results: CheckedPath[]): string {
  const failed = results.filter((r) => !r.passed).length;
  return jsonText({
    format: 'charger-diag-check',
    formatVersion: CHECK_JSON_VERSION,
    tool: TOOL,
    passed: failed === 0,
    summary: { paths: results.length, passed: results.length - failed, failed },
    paths: results.map((r) => ({
      path: r.path,
      kind: r.kind,
      expectFile: r.expectFile,
      failOn: r.failOn,
      unitFiles: r.unitFiles,
      passed: r.passed,
      seconds: r.seconds,
      cases: r.cases.map((c) => ({
        name: c.name,
        passed: c.problems.length === 0,
        problems: c.problems.map((p) => ({
          rule: p.rule,
          message: p.message,
          ...where(p.location),
          finding: p.finding ? { rule: p.finding.rule, subject: p.finding.subject, severity: p.finding.severity } : null,
        })),
      })),
      findings: r.findings.map(finding),
      waived: r.waived.map((w) => ({ ...finding(w), reason: w.justification, until: w.until })),
      waivers: r.waivers,
    })),
  });
}
