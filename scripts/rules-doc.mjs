#!/usr/bin/env node
// `npm run docs:rules`: writes docs/rules.md from `charger-diag rules --json`
// (the built CLI in dist/), so the catalogue page says what the rules
// themselves say. The page is a hand-written head (how a rule runs, fact
// kinds, site-local units, thresholds), one generated section per rule in
// catalogue order, and a hand-written tail (the ids `check` reports); head
// and tail live in scripts/rules-doc/.
//
//   node scripts/rules-doc.mjs            write docs/rules.md
//   node scripts/rules-doc.mjs --check    exit 1 when docs/rules.md is stale
//
// Each rule's known fields (id, severity, needs, needsAny, summary, docs) get
// their own wording; any other field the catalogue grows is rendered
// generically under its name, so a new field never breaks the page.
// test/docs/rules-catalogue.test.ts regenerates the page and compares.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_DOC = join(ROOT, 'docs', 'rules.md');
const TEMPLATES = join(ROOT, 'scripts', 'rules-doc');
const CLI = join(ROOT, 'dist', 'cli.js');

/** Fields with their own wording; everything else is an extra field. */
const OWN_FIELDS = new Set(['id', 'severity', 'needs', 'needsAny', 'summary', 'docs']);

/** Labels of extra fields we know of; an unknown one is labelled from its name. */
const LABELS = {
  standing: 'Standing condition (counts for "will it recur?")',
  event: 'Event (something that happened, not a setting)',
  params: 'Params of its findings',
};

/** The catalogue as `charger-diag rules --json` prints it (the built CLI). */
export function catalogueJson(cli = CLI) {
  if (!existsSync(cli)) throw new Error(`${relative(ROOT, cli)} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [cli, 'rules', '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`charger-diag rules --json exited ${r.status}: ${r.stderr.trim()}`);
  return parseCatalogue(r.stdout);
}

/** The JSON text checked for the fields the page cannot do without. */
export function parseCatalogue(text) {
  const rules = JSON.parse(text);
  if (!Array.isArray(rules)) throw new Error('charger-diag rules --json: expected a JSON array');
  rules.forEach((r, i) => {
    if (typeof r !== 'object' || r === null) throw new Error(`rules --json: entry ${i} is not an object`);
    for (const key of ['id', 'severity', 'summary', 'docs']) {
      if (typeof r[key] !== 'string') throw new Error(`rules --json: entry ${i} has no string "${key}"`);
    }
  });
  return rules;
}

export function readTemplates(dir = TEMPLATES) {
  return { head: readFileSync(join(dir, 'head.md'), 'utf8'), tail: readFileSync(join(dir, 'tail.md'), 'utf8') };
}

/** Catalogue text as Markdown text: nothing in it may become markup. */
export function escapeText(text) {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}

/** An inline code span for a value, whatever backticks it holds. */
export function code(text) {
  const s = String(text).replace(/\s*\n\s*/g, ' ');
  const runs = s.match(/`+/g) ?? [];
  const ticks = '`'.repeat(Math.max(0, ...runs.map((x) => x.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

function sentence(text) {
  const s = text.trim();
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function labelOf(key) {
  if (Object.hasOwn(LABELS, key)) return LABELS[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scalar, or a short list of scalars, on one line. */
function inline(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeText(value.replace(/\s*\n\s*/g, ' ').trim());
  if (Array.isArray(value) && value.every((x) => typeof x !== 'object' || x === null)) {
    return value.length ? value.map((x) => code(x)).join(', ') : 'none';
  }
  return code(JSON.stringify(value));
}

/** An object of a list (a param, say): its name, then its description or its other fields. */
function describeItem(item) {
  if (!isPlainObject(item)) return inline(item);
  const nameKey = ['name', 'id', 'key'].find((k) => typeof item[k] === 'string');
  const textKey = ['description', 'summary', 'docs', 'doc', 'text', 'meaning'].find((k) => typeof item[k] === 'string');
  const rest = Object.keys(item).filter((k) => k !== nameKey && k !== textKey);
  const parts = [];
  if (textKey) parts.push(escapeText(item[textKey].replace(/\s*\n\s*/g, ' ')));
  if (rest.length) parts.push(rest.map((k) => `${escapeText(k)}: ${inline(item[k])}`).join('; '));
  const body = parts.join(' — ');
  if (!nameKey) return body || '—';
  return body ? `${code(item[nameKey])}: ${body}` : code(item[nameKey]);
}

/** One extra field as a list item, nested one level for lists and records of structures. */
function extraField(key, value) {
  const label = labelOf(key);
  if (Array.isArray(value) && value.some((x) => typeof x === 'object' && x !== null)) {
    return [`- ${label}:`, ...value.map((x) => `  - ${describeItem(x)}`)].join('\n');
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return `- ${label}: none.`;
    return [`- ${label}:`, ...keys.map((k) => `  - ${code(k)}: ${isPlainObject(value[k]) ? describeItem(value[k]) : inline(value[k])}`)].join('\n');
  }
  return wrap(`- ${label}: ${sentence(inline(value))}`, '  ');
}

const WIDTH = 100;

/** Words onto lines of at most WIDTH characters (a longer word stands alone); `indent` starts every line after the first. */
export function wrap(text, indent = '') {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line === '' ? (lines.length ? indent : '') + word : `${line} ${word}`;
    // A word that would open a list, a heading or a rule when it starts a line stays on the line before.
    if (next.length > WIDTH && line.trim() !== '' && !/^([-+*]|\d+[.)]|#+|=+|-+)$/.test(word)) {
      lines.push(line);
      line = indent + word;
    } else line = next;
  }
  if (line.trim() !== '') lines.push(line);
  return lines.join('\n');
}

// A line of the docs text that opens a labelled part: "Signals: …", "Ignores: …", "Fix: …".
const LABELLED = /^([A-Z][A-Za-z]*(?: [a-z]+){0,2}):\s+(.*)$/;

/**
 * The docs text: hard-wrapped lines, a first part saying when the rule fires,
 * then labelled parts. The first part becomes a paragraph, each labelled
 * part a bullet with its label in bold.
 */
export function renderDocs(docs) {
  const parts = [{ label: null, lines: [] }];
  for (const raw of docs.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = LABELLED.exec(line);
    if (m) parts.push({ label: m[1], lines: [m[2]] });
    else parts[parts.length - 1].lines.push(line);
  }
  const text = (p) => escapeText(p.lines.join(' '));
  const out = [];
  if (parts[0].lines.length) out.push(wrap(text(parts[0])));
  const labelled = parts.slice(1).map((p) => wrap(`- **${p.label}:** ${text(p)}`, '  '));
  if (labelled.length) out.push(labelled.join('\n'));
  return out.join('\n\n');
}

function needsLine(rule) {
  const needs = Array.isArray(rule.needs) ? rule.needs : [];
  const any = Array.isArray(rule.needsAny) ? rule.needsAny : [];
  const bits = [];
  if (needs.length) bits.push(needs.length === 1 ? code(needs[0]) : `${needs.slice(0, -1).map(code).join(', ')} and ${code(needs[needs.length - 1])}`);
  if (any.length) bits.push(`any of ${any.map(code).join(', ')}`);
  return bits.length ? `- Needs: ${bits.join('; ')}.` : '- Needs: nothing beyond the bundle.';
}

export function renderRule(rule) {
  const extras = Object.keys(rule)
    .filter((k) => !OWN_FIELDS.has(k))
    .sort();
  const facts = [`- Default severity: ${escapeText(rule.severity)}.`, needsLine(rule), ...extras.map((k) => extraField(k, rule[k]))];
  return [`## ${rule.id}`, escapeText(sentence(rule.summary)), facts.join('\n'), renderDocs(rule.docs)].filter((x) => x !== '').join('\n\n');
}

const GENERATED = [
  '<!-- Generated by scripts/rules-doc.mjs from `charger-diag rules --json`. Edit the rules\' docs',
  '     in src/rules/ or the head and tail in scripts/rules-doc/, then run npm run docs:rules. -->',
].join('\n');

/** The whole page. */
export function renderRulesDoc(rules, { head, tail }) {
  const sections = rules.map(renderRule);
  return `${[GENERATED, head.trim(), ...sections, tail.trim()].join('\n\n')}\n`;
}

/** The page as it should be now, from the built CLI and the templates. */
export function generate() {
  return renderRulesDoc(catalogueJson(), readTemplates());
}

function main(argv) {
  const page = generate();
  const rel = relative(process.cwd(), RULES_DOC) || RULES_DOC;
  if (argv.includes('--check')) {
    const current = existsSync(RULES_DOC) ? readFileSync(RULES_DOC, 'utf8') : '';
    if (current !== page) {
      process.stderr.write(`${rel} is stale: run npm run docs:rules\n`);
      return 1;
    }
    return 0;
  }
  writeFileSync(RULES_DOC, page);
  process.stdout.write(`${rel}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`rules-doc: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
