// Check one target: analyse it, then judge the analysis by its expectations
// (docs/samples.md) or, without any, by --fail-on. The result is plain data in
// which every reported finding already carries the file and line it points
// at, so the text, JUnit, SARIF and annotation writers only format.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { openBundle } from '../bundle/reader.js';
import { analyzeBundle } from '../analysis/analyze.js';
import { severityRank, type Analysis, type Finding, type Severity, type WaiverStatus } from '../analysis/schema.js';
import type { Config } from '../config.js';
import { redactDeep } from '../redact.js';
import { evaluateExpectations, parseExpected, type ExpectationOutcome } from './expectations.js';
import type { CheckTarget } from './targets.js';
import { readUnitDirectory, restoreTemplateNames } from './unit-dir.js';

/** A file and line in the checked tree, relative to the working directory (the repository root in CI), with forward slashes. */
export interface Location {
  uri: string;
  /** the same file as the user named it (PATH joined with the file), for people */
  path: string;
  line: number | null;
}

export interface LocatedFinding {
  rule: string;
  severity: Severity;
  subject: string;
  title: string;
  remediation: string;
  /** where its first evidence line is */
  location: Location;
  /** "files/etc/systemd/system/charger.service:7", the evidence as the bundle names it */
  evidenceRef: string;
  evidenceText: string;
}

export interface Problem {
  /** the finding's rule, EXPECTATION_RULE or UNIT_SYNTAX_RULE */
  rule: string;
  /** "expected …; found …" */
  message: string;
  /** the finding that breaks the expectation, or null when something expected is missing */
  finding: LocatedFinding | null;
  /** where to show it: the finding's evidence, or the expectation in expected.json */
  location: Location;
}

export interface CheckCase {
  /** the expectation, e.g. `finding <rule> "charger.service" (warning)` */
  name: string;
  problems: Problem[];
}

export interface CheckedPath {
  path: string;
  kind: 'bundle' | 'unit-dir';
  /** the expectations file as the user or the directory named it; null when judged by failOn */
  expectFile: string | null;
  /** the threshold used when there are no expectations, else null */
  failOn: Severity | null;
  /** unit files and drop-ins read, for unit directories */
  unitFiles: number | null;
  /** every finding of the analysis, located */
  findings: LocatedFinding[];
  /** findings a waiver of the configuration covers: they pass, and SARIF shows them suppressed */
  waived: (LocatedFinding & { justification: string; until: string | null })[];
  /** the configuration's waivers as the analysis judged them (an expired one no longer applies) */
  waivers: WaiverStatus[];
  cases: CheckCase[];
  passed: boolean;
  /** how long analysing and judging the path took (JUnit `time`) */
  seconds: number;
}

/**
 * Every problem of a checked path once, with the case it belongs to. A finding
 * can break two expectations (an absent rule under exhaustive ones): it is
 * reported once, at its first case.
 */
export function* distinctProblems(r: CheckedPath): Generator<{ c: CheckCase; p: Problem }> {
  const seen = new Set<LocatedFinding>();
  for (const c of r.cases) {
    for (const p of c.problems) {
      if (p.finding) {
        if (seen.has(p.finding)) continue;
        seen.add(p.finding);
      }
      yield { c, p };
    }
  }
}

export interface CheckOptions {
  /** explicit --fail-on; the default depends on the kind of target */
  failOn?: Severity;
  /** locations are made relative to this directory */
  cwd: string;
}

export const EXPECTATION_RULE = 'check.expectation';
export const UNIT_SYNTAX_RULE = 'check.unit-syntax';

export async function checkTarget(target: CheckTarget, config: Config, opts: CheckOptions): Promise<CheckedPath> {
  const started = performance.now();
  const { analysis, locate, unitFiles, units, unitSources } = await analyzeTarget(target, config, opts.cwd);
  const inArchive = target.kind === 'bundle' && isTarball(target.path);
  const findings = analysis.findings.map((f) => locateFinding(f, locate, inArchive));
  const waived = (analysis.waived ?? []).map((w) => ({ ...locateFinding(w, locate, inArchive), justification: w.waiver.reason, until: w.waiver.until }));
  let cases: CheckCase[];
  let failOn: Severity | null = null;
  if (target.expectFile) {
    const text = readFileSync(target.expectFile, 'utf8');
    const expected = parseExpected(text, target.expectFile);
    const expectAt = (line: number): Location => ({ uri: toUri(target.expectFile!, opts.cwd), path: target.expectFile!, line });
    cases = evaluateExpectations(analysis, expected).map((o) => ({
      name: o.label,
      problems: o.problems.map((p) => {
        const finding = p.finding === null ? null : (findings[p.finding] ?? null);
        return {
          rule: finding?.rule ?? EXPECTATION_RULE,
          message: p.message,
          finding,
          location: finding?.location ?? expectAt(lineOfExpectation(text, o)),
        };
      }),
    }));
    if (cases.length === 0) cases = [{ name: 'analyses without error', problems: [] }];
  } else {
    failOn = opts.failOn ?? (target.kind === 'unit-dir' ? 'warning' : 'critical');
    cases = thresholdCases(findings, failOn, units);
  }
  if (unitSources) cases.push(syntaxCase(analysis, unitSources, locate));
  const result: CheckedPath = {
    path: target.path,
    kind: target.kind,
    expectFile: target.expectFile,
    failOn,
    unitFiles,
    findings,
    waived,
    waivers: analysis.waivers ?? [],
    cases,
    passed: cases.every((c) => c.problems.length === 0),
    seconds: Math.round(performance.now() - started) / 1000,
  };
  // The analysis is redacted already; expected.json and file names are the only other text, and nothing printed may carry a secret.
  return redactDeep(result);
}

/**
 * Without expectations: one case for a bundle; for a unit directory one per
 * unit file, so a test report lists each unit that passes or fails. A finding
 * about no unit of the directory gets a case of its own.
 */
function thresholdCases(findings: LocatedFinding[], failOn: Severity, units: string[] | null): CheckCase[] {
  const threshold = severityRank(failOn);
  const problem = (f: LocatedFinding): Problem => ({
    rule: f.rule,
    message: `expected no finding at or above ${failOn}; found ${f.rule} ${f.subject} (${f.severity}): ${f.title}`,
    finding: f,
    location: f.location,
  });
  const over = findings.filter((f) => severityRank(f.severity) >= threshold);
  const goal = `no finding at or above ${failOn}`;
  if (units === null) return [{ name: goal, problems: over.map(problem) }];
  const cases: CheckCase[] = units.map((u) => ({ name: `${u}: ${goal}`, problems: over.filter((f) => f.subject === u).map(problem) }));
  const rest = over.filter((f) => !units.includes(f.subject));
  if (rest.length > 0 || cases.length === 0) cases.push({ name: goal, problems: rest.map(problem) });
  return cases;
}

/**
 * Lines systemd would ignore (a missing '=', an assignment outside a section)
 * and files it would not load as units: in a repository they are typos to fix
 * before shipping, and a setting lost that way can never be judged.
 */
function syntaxCase(analysis: Analysis, unitSources: Set<string>, locate: Analysed['locate']): CheckCase {
  const problems: Problem[] = [];
  for (const s of analysis.sources) {
    if (s.path === null || !unitSources.has(s.path) || s.skippedRecords === 0) continue;
    const listed = s.problems ?? [];
    for (const p of listed) {
      const location = locate(s.path, p.line > 0 ? p.line : null);
      const what = p.line > 0 ? `line ${p.line}` : 'the file';
      problems.push({ rule: UNIT_SYNTAX_RULE, message: `expected systemd to read every line; found ${what} ignored: ${p.reason}`, finding: null, location });
    }
    const more = s.skippedRecords - listed.length;
    if (more > 0) problems.push({ rule: UNIT_SYNTAX_RULE, message: `expected systemd to read every line; found ${more} more ignored`, finding: null, location: locate(s.path, null) });
  }
  return { name: 'every line reads as systemd reads it', problems };
}

interface Analysed {
  analysis: Analysis;
  /** bundle file → its file in the checked tree */
  locate: (source: string, line: number | null) => Location;
  unitFiles: number | null;
  /** unit file names of a unit directory, null for a bundle */
  units: string[] | null;
  /** bundle paths of a unit directory's files, null for a bundle */
  unitSources: Set<string> | null;
}

async function analyzeTarget(target: CheckTarget, config: Config, cwd: string): Promise<Analysed> {
  if (target.kind === 'unit-dir') {
    const dir = readUnitDirectory(target.path);
    const analysis = restoreTemplateNames(await analyzeBundle(dir.bundle, config), dir.templates);
    const locate = (source: string, line: number | null): Location => {
      const rel = dir.origin.get(source);
      return rel === undefined ? at(target.path, null, cwd) : at(join(target.path, rel), line, cwd);
    };
    return { analysis, locate, unitFiles: dir.unitCount, units: dir.units, unitSources: dir.sources };
  }
  const bundle = await openBundle(target.path);
  let analysis: Analysis;
  try {
    analysis = await analyzeBundle(bundle, config);
  } finally {
    await bundle.close();
  }
  // Inside an archive there is no file to point at but the archive itself.
  const locate = isTarball(target.path)
    ? (): Location => at(target.path, null, cwd)
    : (source: string, line: number | null): Location => at(join(target.path, source), line, cwd);
  return { analysis, locate, unitFiles: null, units: null, unitSources: null };
}

function locateFinding(f: Finding, locate: Analysed['locate'], inArchive: boolean): LocatedFinding {
  const ev = f.evidence[0];
  const location = ev ? locate(ev.source, ev.line) : locate('', null);
  const ref = ev ? `${ev.source}${ev.line !== null ? `:${ev.line}` : ''}` : '';
  return {
    rule: f.rule,
    severity: f.severity,
    subject: f.subject,
    // In an archive the location cannot say which member: the title does.
    title: inArchive && ref ? `${f.title} (${ref})` : f.title,
    remediation: f.remediation,
    location,
    evidenceRef: ref,
    evidenceText: ev?.text ?? '',
  };
}

function at(path: string, line: number | null, cwd: string): Location {
  return { uri: toUri(path, cwd), path, line };
}

function isTarball(p: string): boolean {
  return /\.(?:tar\.gz|tgz)$/i.test(p);
}

/** Relative to cwd with forward slashes, as code scanning and workflow annotations want it. */
export function toUri(p: string, cwd: string): string {
  const abs = isAbsolute(p) ? p : resolve(cwd, p);
  const rel = relative(cwd, abs) || '.';
  return rel.split(sep).join('/');
}

/**
 * A relative path as a URI reference (RFC 3986), as SARIF requires: each
 * segment percent-encoded (a space, '#', '%', '?', ':' so no segment reads
 * as a scheme), '/' kept. decodeURIComponent gives the path back.
 */
export function uriReference(path: string): string {
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return encoded;
}

/** Best effort: the line of expected.json that states the expectation, so a reviewer lands on it. */
export function lineOfExpectation(text: string, o: ExpectationOutcome): number {
  const lines = text.split('\n');
  const find = (pred: (l: string) => boolean, from = 0): number => {
    for (let i = from; i < lines.length; i++) if (pred(lines[i]!)) return i;
    return -1;
  };
  let idx = -1;
  if (o.kind === 'finding' && o.rule) {
    const rule = JSON.stringify(o.rule);
    for (let i = find((l) => l.includes(rule)); i >= 0; i = find((l) => l.includes(rule), i + 1)) {
      if (idx < 0) idx = i;
      // A subject a few lines below (or on the same line) picks the right one of several entries for a rule.
      if (o.subject && lines.slice(Math.max(0, i - 3), i + 4).some((l) => l.includes(JSON.stringify(o.subject).slice(1, -1)))) {
        idx = i;
        break;
      }
    }
  } else if (o.kind === 'absent' && o.rule) {
    const rule = JSON.stringify(o.rule);
    idx = find((l) => l.includes(rule), Math.max(0, find((l) => l.includes('"absent"'))));
  } else if (o.kind === 'outage') idx = find((l) => l.includes('"outage"'));
  else if (o.kind === 'exhaustive') idx = find((l) => l.includes('"exhaustive"'));
  return idx >= 0 ? idx + 1 : 1;
}
