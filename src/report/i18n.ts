// The report's words come from one ICU MessageFormat catalogue per language
// (report-templates/<lang>/messages.json, and each rule module's own messages
// under rule.<id>.), keyed by section and rule id, so
// both languages render from the same rule ids and params and no English
// sentence reaches the Turkish report. Values are escaped by default: a plain
// string param is bundle text and becomes a code span; only `md()` values
// (our own Markdown) and numbers go in as they are.
import { readFileSync } from 'node:fs';
import { IntlMessageFormat, formatToParts, type Formatters } from 'intl-messageformat';
import { code } from './markdown.js';
import { ruleMessages } from '../rules/index.js';
import { packageFile } from '../package-files.js';

export const LANGS = ['en', 'tr'] as const;
export type Lang = (typeof LANGS)[number];

/** Markdown we produced ourselves: inserted without escaping. */
export class Md {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function md(text: string): Md {
  return new Md(text);
}

export type Param = string | number | Md | null | undefined;
export type Params = Record<string, Param>;

export function catalogueFile(lang: Lang): string {
  return packageFile('report-templates', lang, 'messages.json');
}

export function loadCatalogue(lang: Lang): Record<string, string> {
  const raw = JSON.parse(readFileSync(catalogueFile(lang), 'utf8')) as unknown;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${catalogueFile(lang)}: not a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k.startsWith('//')) continue;
    if (typeof v !== 'string') throw new Error(`${catalogueFile(lang)}: ${k} is not a string`);
    out[k] = v;
  }
  return out;
}

// ICU prints a number in a plain {n} argument as String(n) (1234.5), only
// `#` and {n, number} follow the locale. Plain arguments are pointed at a
// second value that holds the number already formatted (1.234,5 in Turkish),
// while plural and select keep reading the number itself.
const PRINTED = '\u0000printed';
const ARGUMENT = 1;
const SELECT = 5;
const PLURAL = 6;

interface AstElement {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstElement[] }>;
}

function printedArguments(ast: AstElement[]): AstElement[] {
  return ast.map((el) => {
    if (el.type === ARGUMENT && typeof el.value === 'string') return { ...el, value: `${el.value}${PRINTED}` };
    if ((el.type === SELECT || el.type === PLURAL) && el.options) {
      const options: Record<string, { value: AstElement[] }> = {};
      for (const [k, o] of Object.entries(el.options)) options[k] = { ...o, value: printedArguments(o.value) };
      return { ...el, options };
    }
    return el;
  });
}

// Parsing a message and making its formatters cost more than formatting it, and several
// Translators (the analysis's English, the report's) ask for the same messages: each
// message is parsed once per process, and every message of a locale shares one set of
// Intl formatters, instead of an IntlMessageFormat per message, each resolving its locale
// and making its own PluralRules (about 10 ms of a small `analyze`, docs/testing.md).
const parsed = new Map<string, AstElement[]>();

function parsedMessage(source: string, locale: string): AstElement[] {
  const key = `${locale}\u0000${source}`;
  let ast = parsed.get(key);
  if (!ast) {
    const parse = IntlMessageFormat.__parse;
    if (!parse) throw new Error('intl-messageformat has no message parser');
    ast = printedArguments(parse(source, { ignoreTag: true, locale: new Intl.Locale(locale) }) as unknown as AstElement[]);
    parsed.set(key, ast);
  }
  return ast;
}

const formatters = new Map<string, Formatters>();

function formattersFor(locale: string): Formatters {
  let f = formatters.get(locale);
  if (!f) {
    const numbers = new Map<string, Intl.NumberFormat>();
    const dates = new Map<string, Intl.DateTimeFormat>();
    const plurals = new Map<string, Intl.PluralRules>();
    const memo = <T>(cache: Map<string, T>, args: unknown[], make: () => T): T => {
      const k = JSON.stringify(args);
      let v = cache.get(k);
      if (v === undefined) cache.set(k, (v = make()));
      return v;
    };
    f = {
      getNumberFormat: (...a) => memo(numbers, a, () => new Intl.NumberFormat(...a)),
      getDateTimeFormat: (...a) => memo(dates, a, () => new Intl.DateTimeFormat(...a)),
      getPluralRules: (...a) => memo(plurals, a, () => new Intl.PluralRules(...a)),
    };
    formatters.set(locale, f);
  }
  return f;
}

export class Translator {
  private readonly messages: Record<string, string>;
  private readonly locale: string;

  /** `messages`: a whole catalogue instead of the report's (a rule under test with its own messages) */
  constructor(
    readonly lang: Lang,
    messages?: Record<string, string>,
  ) {
    // The report's own words, then each rule module's under rule.<id>. (src/rules/*/messages.ts).
    this.messages = messages ?? { ...loadCatalogue(lang), ...ruleMessages(lang) };
    this.locale = lang === 'tr' ? 'tr-TR' : 'en-US';
  }

  has(key: string): boolean {
    return key in this.messages;
  }

  /** The message `key` with its params; a missing key is a bug in the catalogue, caught by the parity test. */
  t(key: string, params: Params = {}): string {
    const source = this.messages[key];
    if (source === undefined) throw new Error(`report catalogue ${this.lang}: missing message "${key}"`);
    const ast = parsedMessage(source, this.locale);
    const values: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined) values[k] = '';
      else if (typeof v === 'number') values[k] = v;
      else if (v instanceof Md) values[k] = v.text;
      else values[k] = code(v);
      values[`${k}${PRINTED}`] = typeof v === 'number' ? this.n(v) : values[k]!;
    }
    let out = '';
    for (const part of formatToParts(ast as never, this.locale, formattersFor(this.locale), IntlMessageFormat.formats, values, undefined, source)) out += String(part.value);
    return out;
  }

  /** Numbers in the reader's convention (1,234.5 / 1.234,5). */
  n(value: number): string {
    // The locale's shared formatter, made on first use: the analysis's English titles rarely print a number.
    return formattersFor(this.locale).getNumberFormat(this.locale, { maximumFractionDigits: 2 }).format(value);
  }
}
