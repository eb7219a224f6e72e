// Usage errors and the output format an --out file name implies. A usage
// error is a wrong command line, not unusable input: the CLI prints its one
// line and then where the command's help is (src/main.ts).
import { extname } from 'node:path';
import { InputError } from './errors.js';

export class UsageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The extensions each command infers its --format from (`--out r.html` is HTML, not Markdown in r.html). */
const BY_EXTENSION: Record<'report' | 'check', Record<string, string>> = {
  report: { '.md': 'md', '.markdown': 'md', '.html': 'html', '.htm': 'html', '.json': 'json' },
  check: { '.sarif': 'sarif', '.xml': 'junit', '.json': 'json' },
};

/**
 * The format to write: the one --format names, else the one --out's extension
 * implies, else the default. A --format that contradicts the extension is a
 * usage error rather than a file whose name lies about its content.
 */
export function outFormat<F extends string>(command: 'report' | 'check', out: string | undefined, given: F | undefined, fallback: F): F {
  const ext = out ? extname(out).toLowerCase() : '';
  // report.sarif.json is JSON: only the last extension counts.
  const implied = BY_EXTENSION[command][ext] as F | undefined;
  if (given !== undefined && implied !== undefined && given !== implied) {
    throw new UsageError(`--format ${given} contradicts --out ${out} (a ${ext} file is ${implied}): drop --format or change the file name`);
  }
  return given ?? implied ?? fallback;
}
