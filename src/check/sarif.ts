// SARIF 2.1.0 for code scanning (GitHub upload-sarif, GitLab, IDE viewers):
// the whole rule catalogue as tool.driver.rules, and one result per finding of
// a path judged by --fail-on, or per broken expectation of a path with
// expectations, located at the file and line of its evidence.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../analysis/schema.js';
import { RULES } from '../rules/index.js';
import { TOOL } from '../version.js';
import { redactPath } from '../redact-names.js';
import { distinctProblems, EXPECTATION_RULE, UNIT_SYNTAX_RULE, uriReference, type CheckedPath, type LocatedFinding, type Location } from './run.js';
import { jsonText } from '../render/visible.js';
import { packageFile } from '../package-files.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'charger-diag/v1';

type Level = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): Level {
  return s === 'critical' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

interface RuleDescriptor {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  /** the rule's documentation; there is no page to link to (helpUri), so it travels here */
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: Level };
}

/**
 * The project's web address, from package.json's `homepage` or `repository`,
 * for tool.driver.informationUri; null while it names none (no address is made up).
 */
export function projectUrl(pkg: unknown = readPackageJson()): string | null {
  if (typeof pkg !== 'object' || pkg === null) return null;
  const { homepage, repository } = pkg as { homepage?: unknown; repository?: unknown };
  const repo = typeof repository === 'string' ? repository : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : undefined;
  for (const candidate of [homepage, repo]) {
    if (typeof candidate !== 'string') continue;
    const url = candidate.replace(/^git\+/, '').replace(/\.git$/, '');
    if (/^https?:\/\/[^\s/]+\.[^\s]+$/.test(url)) return url;
  }
  return null;
}

function readPackageJson(): unknown {
  try {
    return JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
  } catch {
    return null;
  }
}

function catalogue(): RuleDescriptor[] {
  const rules: RuleDescriptor[] = RULES.map((r) => ({
    id: r.id,
    shortDescription: { text: r.summary },
    // The docs open with when the rule fires; signals, exclusions and the fix follow as labelled paragraphs.
    fullDescription: { text: (r.docs.split(/\n(?=[A-Z][a-z]+:)/)[0] ?? r.docs).replace(/\s*\n\s*/g, ' ').trim() },
    help: { text: r.docs, markdown: `**${r.id}**: ${r.summary}\n\n${r.docs}` },
    defaultConfiguration: { level: sarifLevel(r.severity) },
  }));
  rules.push({
    id: EXPECTATION_RULE,
    shortDescription: { text: 'A sample bundle does not meet its expected.json' },
    fullDescription: {
      text: 'An expected finding is missing or differs in subject or severity, or the outage does not match within its tolerance (docs/samples.md). Findings that should not be there are reported under their own rule.',
    },
    help: {
      text: 'The analysis of the bundle no longer says what expected.json records. Either a rule changed its behaviour (fix the rule, or update expected.json if the new result is right), or the bundle changed. Run charger-diag analyze BUNDLE to see every finding.',
    },
    defaultConfiguration: { level: 'error' },
  });
  rules.push({
    id: UNIT_SYNTAX_RULE,
    shortDescription: { text: 'A unit file in the repository has lines systemd would ignore' },
    fullDescription: {
      text: 'A line of a unit file or drop-in that systemd would skip (no "=", no key, an assignment outside or under an invalid section header), or a file it would not load as a unit (an invalid unit name).',
    },
    help: {
      text: 'systemd logs such lines as ignored and runs the unit without them, so a typo such as "Restart always" silently leaves the service without the setting. Fix the line; check with systemd-analyze verify.',
    },
    defaultConfiguration: { level: 'error' },
  });
  return rules;
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' }; region?: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  /** a waived finding: accepted by the configuration, with its reason */
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
  properties: { checkedPath: string; subject?: string; severity?: Severity; waivedUntil?: string | null };
}

export function renderSarif(results: CheckedPath[], cwd: string): string {
  const rules = catalogue();
  const info = projectUrl();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const out: Result[] = [];
  const make = (ruleId: string, level: Level, text: string, loc: Location, key: string, checkedPath: string, f: LocatedFinding | null): Result => ({
    // A rule id missing from the catalogue would break ruleIndex: such a finding is reported as what it is.
    ruleId,
    ruleIndex: index.get(ruleId) ?? -1,
    level,
    message: { text },
    locations: [
      {
        physicalLocation: {
          // A path may hold a space, '#' or '%': the URI is its percent-encoded form.
          artifactLocation: { uri: uriReference(loc.uri), uriBaseId: '%SRCROOT%' },
          ...(loc.line !== null && loc.line > 0 ? { region: { startLine: loc.line } } : {}),
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(ruleId, key, loc.uri) },
    properties: { checkedPath, ...(f ? { subject: f.subject, severity: f.severity } : {}) },
  });
  for (const r of results) {
    for (const w of r.waived) {
      const result = make(w.rule, sarifLevel(w.severity), findingText(w), w.location, w.subject, r.path, w);
      result.suppressions = [{ kind: 'external', status: 'accepted', justification: w.justification }];
      result.properties.waivedUntil = w.until;
      out.push(result);
    }
    if (!r.expectFile) {
      for (const f of r.findings) out.push(make(f.rule, sarifLevel(f.severity), findingText(f), f.location, f.subject, r.path, f));
      for (const c of r.cases) for (const p of c.problems) if (!p.finding) out.push(make(p.rule, 'error', `${r.path}: ${p.message}`, p.location, `${c.name}\0${p.message}`, r.path, null));
      continue;
    }
    for (const { c, p } of distinctProblems(r)) {
      if (p.finding) {
        out.push(make(p.finding.rule, sarifLevel(p.finding.severity), `${p.message}: ${findingText(p.finding)}`, p.location, p.finding.subject, r.path, p.finding));
      } else {
        out.push(make(p.rule, 'error', `${r.path}: ${p.message}`, p.location, `${c.name}\0${p.message}`, r.path, null));
      }
    }
  }
  const doc = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, ...(info ? { informationUri: info } : {}), rules } },
        // The only string here that is not from the redacted results: the working directory.
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(redactPath(cwd.endsWith('/') ? cwd : `${cwd}/`)).href } },
        results: out,
      },
    ],
  };
  return jsonText(doc);
}

function findingText(f: LocatedFinding): string {
  return `${f.title}. ${f.remediation}`;
}

/** Stable across runs and line moves: the rule, what it is about, and the file. */
export function fingerprint(rule: string, subject: string, uri: string): string {
  return createHash('sha256').update(`${rule}\0${subject}\0${uri}`).digest('hex');
}
