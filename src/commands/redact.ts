// `charger-diag redact BUNDLE --out PATH`: a bundle made safe to attach to a
// ticket. For a bundle collected with --no-redact or by an older version:
// every file is redacted again with today's redactor, the one that fits it
// (the journal line by line as JSON, other JSON as a document, text line by
// line keeping a private key block's state), file names a path segment at a
// time, and manifest.json's own strings; manifest.redaction then says so.
//
// The input is read as `analyze` reads it (untrusted: streamed, links and
// escapes refused, sizes capped) and never written: the output must be a new
// path, outside the input. It is assembled in a private directory beside it
// and appears under its name only when complete.
import { createReadStream, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { openBundle, type Bundle } from '../bundle/reader.js';
import { parseManifest } from '../bundle/manifest.js';
import { addCounts, redactDeep, type RedactionCounts } from '../redact.js';
import { redactPath } from '../redact-names.js';
import { jsonLineRedactor, LineSplitter, textLineRedactor, type LineRedactor } from '../collect/redact-stream.js';
import { asOutputError, OutputError, Staging, type StagedFile } from '../collect/staging.js';
import { packTarball } from '../collect/bundle-writer.js';
import type { CliIo } from './io.js';
import { heavyWork, HEAVY_REDACT_BYTES } from '../compilers.js';

const TARBALL = /\.(?:tar\.gz|tgz)$/i;
const MANIFEST = 'manifest.json';
/** A JSON file up to this size is redacted as one document; a larger one line by line. */
const JSON_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface RedactCommandOptions {
  out?: string;
}

export interface RedactResult {
  /** the output as given */
  out: string;
  /** replacements made now, by kind */
  counts: RedactionCounts;
  files: number;
  /** files whose name held a secret */
  renamed: number;
  /** entries of a directory bundle that are not regular files (links, FIFOs, ...): left out */
  leftOut: number;
}

export async function redactCommand(input: string, opts: RedactCommandOptions, io: CliIo): Promise<number> {
  if (!opts.out) throw new InputError('redact: --out PATH is required (a new .tar.gz or directory; the input is never changed)');
  const progress = (line: string) => io.stderr.write(`${line}\n`);
  let r: RedactResult;
  try {
    r = await redactBundle(input, opts.out, { progress });
  } catch (e) {
    if (e instanceof OutputError) throw new InputError(e.message);
    throw e;
  }
  progress(summary(r));
  io.stdout.write(`${r.out}\n`);
  return 0;
}

/** "replaced 5: secret-env 3, url-credentials 2", or that there was nothing to replace. */
export function summary(r: RedactResult): string {
  const kinds = Object.entries(r.counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = kinds.reduce((n, [, v]) => n + v, 0);
  const what = total === 0 ? 'nothing to replace' : `replaced ${total}: ${kinds.map(([k, v]) => `${k} ${v}`).join(', ')}`;
  const extra = [
    r.renamed ? `${r.renamed} file name${r.renamed === 1 ? '' : 's'} redacted` : null,
    r.leftOut ? `${r.leftOut} entr${r.leftOut === 1 ? 'y' : 'ies'} not a regular file left out` : null,
  ].filter((x): x is string => x !== null);
  return `redact: ${r.files} file${r.files === 1 ? '' : 's'}, ${what}${extra.length ? `; ${extra.join('; ')}` : ''}`;
}

interface Target {
  /** absolute */
  abs: string;
  dir: string;
  tarball: boolean;
  /** the bundle's top directory inside a .tar.gz */
  name: string;
}

/** Where the output goes, refused when it is the input, inside it, or anything that exists already. */
function checkOut(input: string, out: string): Target {
  const abs = resolve(out);
  const dir = dirname(abs);
  let dirSt;
  try {
    dirSt = statSync(dir);
  } catch {
    throw new InputError(`--out ${out}: no such directory ${dir}`);
  }
  if (!dirSt.isDirectory()) throw new InputError(`--out ${out}: ${dir} is not a directory`);
  let inputReal: string;
  try {
    inputReal = realpathSync(input);
  } catch {
    throw new InputError(`no such bundle: ${input}`);
  }
  // Compared through real paths, so a link or `..` cannot hide that the output is the input.
  const outReal = join(realpathSync(dir), basename(abs));
  if (outReal === inputReal || outReal.startsWith(inputReal + sep)) {
    throw new InputError(`--out ${out}: is ${outReal === inputReal ? 'the input bundle' : `inside the input bundle ${input}`}; the input is never changed: write elsewhere`);
  }
  if (existsOrLink(abs)) throw new InputError(`--out ${out}: already exists (redact never writes over anything: give a new name)`);
  const tarball = TARBALL.test(abs);
  const name = basename(abs).replace(TARBALL, '') || 'bundle';
  return { abs, dir, tarball, name };
}

function existsOrLink(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export async function redactBundle(input: string, out: string, hooks: { progress?: (line: string) => void } = {}): Promise<RedactResult> {
  const target = checkOut(input, out);
  const bundle = await openBundle(input);
  if (bundle.files.reduce((n, rel) => n + bundle.size(rel), 0) >= HEAVY_REDACT_BYTES) heavyWork();
  let staging: Staging | null = null;
  const onExit = () => staging?.cleanupSync();
  process.on('exit', onExit);
  try {
    staging = Staging.create(target.dir);
    staging.begin(target.name);
    const counts: RedactionCounts = {};
    const names = renameMembers(bundle.files, counts);
    let renamed = 0;
    let done = 0;
    for (const rel of bundle.files) {
      if (rel === MANIFEST) continue;
      const to = names.get(rel)!;
      if (to !== rel) renamed++;
      await redactFile(bundle, rel, to, staging, counts);
      done++;
      if (done % 500 === 0) hooks.progress?.(`redact: ${done}/${bundle.files.length - 1} files`);
    }
    await staging.writeFile(MANIFEST, await redactManifest(bundle, names, counts));
    let written: string;
    if (target.tarball) written = await packTarball(staging);
    else written = staging.dir;
    // Checked again at the last moment: nothing that appeared meanwhile is replaced.
    if (existsOrLink(target.abs)) throw new InputError(`--out ${out}: already exists (it appeared while the bundle was being redacted; nothing was written)`);
    try {
      if (target.tarball) {
        // link() fails on an existing name where rename() would replace it.
        await link(written, target.abs);
        await unlink(written);
      } else {
        await rename(written, target.abs);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new InputError(`--out ${out}: already exists (nothing was written)`);
      throw asOutputError(e, target.dir);
    }
    return { out, counts, files: bundle.files.length, renamed, leftOut: bundle.refused.length };
  } finally {
    staging?.cleanupSync();
    process.off('exit', onExit);
    await bundle.close();
  }
}

/**
 * Every member's redacted name. A segment that cannot hold a `/` is redacted
 * alone, so the rest of the path stays; two names that become one are told
 * apart by a suffix.
 */
function renameMembers(files: string[], counts: RedactionCounts): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const rel of files) {
    let to = rel === MANIFEST ? rel : redactPath(rel, counts);
    if (to !== rel && taken.has(to)) {
      let n = 2;
      while (taken.has(`${to}~${n}`)) n++;
      to = `${to}~${n}`;
    }
    taken.add(to);
    names.set(rel, to);
  }
  return names;
}

type Kind = 'journal' | 'json' | 'text';

function kindOf(rel: string, size: number): Kind {
  if (rel.endsWith('.jsonl')) return 'journal';
  if (rel.endsWith('.json') && size <= JSON_DOCUMENT_BYTES) return 'json';
  return 'text';
}

async function redactFile(bundle: Bundle, rel: string, to: string, staging: Staging, counts: RedactionCounts): Promise<void> {
  const kind = kindOf(rel, bundle.size(rel));
  if (kind === 'json') {
    const text = await bundle.readText(rel, JSON_DOCUMENT_BYTES);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      doc = undefined;
    }
    if (doc !== undefined) {
      const scratch: RedactionCounts = {};
      const clean = redactDeep(doc, scratch);
      addCounts(counts, scratch);
      // Unchanged documents keep their bytes: a second run changes nothing.
      await staging.writeFile(to, Object.keys(scratch).length === 0 ? text : `${JSON.stringify(clean, null, 2)}\n`);
      return;
    }
  }
  const f = await staging.open(to);
  try {
    await streamLines(bundle.pathOf(rel), `${bundle.displayPath}: ${rel}`, kind === 'journal' ? jsonLineRedactor(counts) : textLineRedactor(counts), f);
  } finally {
    await f.close();
  }
}

/** Line by line with bounded memory; a line the redactor leaves alone is copied byte for byte. */
function streamLines(abs: string, display: string, redactLine: LineRedactor, f: StagedFile): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    const splitter = new LineSplitter((buf, complete) => {
      const line = buf.toString('utf8');
      const red = redactLine(line);
      if (red === null) return;
      const bytes = red === line ? buf : Buffer.from(red);
      chain = chain.then(async () => {
        await f.write(bytes);
        if (complete) await f.write('\n');
      });
    });
    const stream = createReadStream(abs);
    stream.on('data', (chunk) => {
      splitter.push(chunk as Buffer);
      // Back-pressure: wait for the writes of this chunk before reading on.
      stream.pause();
      chain.then(
        () => stream.resume(),
        (e: unknown) => {
          failed = true;
          stream.destroy();
          reject(e);
        },
      );
    });
    stream.on('end', () => {
      splitter.end();
      chain.then(() => (failed ? undefined : resolvePromise()), reject);
    });
    stream.on('error', (e: NodeJS.ErrnoException) => reject(new InputError(`${display}: cannot read (${e.code ?? e.message})`)));
  });
}

/**
 * manifest.json as the input has it (fields this version does not know
 * included), its strings redacted, its source paths renamed as the files
 * were, and `redaction` saying the bundle is redacted, with this run's
 * replacements added to those it already counted.
 */
async function redactManifest(bundle: Bundle, names: Map<string, string>, counts: RedactionCounts): Promise<string> {
  const text = await bundle.readText(MANIFEST);
  const doc = JSON.parse(text) as Record<string, unknown>;
  const { redaction, ...rest } = doc;
  if (Array.isArray(rest.sources)) {
    rest.sources = rest.sources.map((s: unknown) => {
      if (typeof s !== 'object' || s === null || typeof (s as { path?: unknown }).path !== 'string') return s;
      const p = (s as { path: string }).path;
      return { ...s, path: names.get(p) ?? redactPath(p, counts) };
    });
  }
  const clean = redactDeep(rest, counts);
  const before = typeof redaction === 'object' && redaction !== null && !Array.isArray(redaction) ? (redaction as Record<string, unknown>) : {};
  const replacements: RedactionCounts = {};
  const old = before.replacements;
  if (typeof old === 'object' && old !== null && !Array.isArray(old)) {
    for (const [k, v] of Object.entries(old)) if (typeof v === 'number' && Number.isInteger(v) && v >= 0) replacements[k] = v;
  }
  addCounts(replacements, counts);
  const sorted = Object.fromEntries(Object.entries(replacements).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const out = `${JSON.stringify({ ...clean, redaction: { ...before, enabled: true, replacements: sorted } }, null, 2)}\n`;
  // The output must be a bundle the analyzer accepts, as the input was.
  parseManifest(out, MANIFEST);
  // An input that needed nothing keeps its manifest byte for byte when it already said so.
  return out === `${JSON.stringify(doc, null, 2)}\n` ? text : out;
}

