// Every relative link of the documentation names a file of the repository,
// and a #fragment into a Markdown file names one of its headings (as GitHub
// makes heading anchors). Links inside code are not links.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const PAGES = ['README.md', 'samples/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and code spans, line by line (fence lengths respected). */
export function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) {
      fence = m[1]!;
      continue;
    }
    if (fence !== null) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
      continue;
    }
    out.push(line.replace(/(`+)[\s\S]*?\1/g, ''));
  }
  return out;
}

/** Inline links and reference definitions: their targets. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    for (const m of line.matchAll(/\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)) targets.push((m[1] ?? m[2])!);
    const def = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
    if (def) targets.push(def[1]!);
  }
  return targets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (not - or _), each space a hyphen. */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a Markdown page has; a repeated heading gets -1, -2, ... as on GitHub. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  // Headings come from the raw lines (code spans in them keep their text), outside fences.
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && f) {
      fence = f[1]!;
      continue;
    }
    if (fence !== null) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = null;
      continue;
    }
    const h = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with one link of `page`, or null. */
function problem(page: string, target: string): string | null {
  const [rawPath, fragment] = target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), path);
  const rel = relative(ROOT, file);
  if (rel.startsWith(`..${sep}`) || rel === '..') return `${page}: ${target} points outside the repository`;
  if (!existsSync(file)) return `${page}: ${target} names ${rel}, which does not exist`;
  if (fragment && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(fragment))) {
    return `${page}: ${target}: ${rel} has no heading with the anchor #${fragment}`;
  }
  return null;
}

describe('relative links in the documentation', () => {
  it('find links and anchors the way GitHub does, and not inside code', () => {
    const md = [
      '# Exit codes *(contract)*',
      '## The `redact` command',
      '## Notes',
      '## Notes',
      'See [a](a.md#x), [b](<b c.md>) and `[not](code.md)`.',
      '````markdown',
      '```text',
      '[not](fenced.md)',
      '```',
      '````',
      '[ref]: ../c.md',
    ].join('\n');
    expect(linkTargets(md)).toEqual(['a.md#x', 'b c.md', '../c.md']);
    expect([...anchors(md)]).toEqual(['exit-codes-contract', 'the-redact-command', 'notes', 'notes-1']);
    expect(slug('Samples and `check samples/`')).toBe('samples-and-check-samples');
    expect(slug('Sorun Tespiti: Özet')).toBe('sorun-tespiti-özet');
  });

  it('report a missing file and a missing heading', () => {
    expect(problem('docs/README.md', 'no-such-page.md')).toMatch(/docs\/no-such-page\.md, which does not exist/);
    expect(problem('docs/README.md', 'cli.md#no-such-heading')).toMatch(/has no heading with the anchor #no-such-heading/);
    expect(problem('docs/README.md', '../../outside.md')).toMatch(/outside the repository/);
    expect(problem('docs/README.md', 'cli.md#exit-codes-contract')).toBeNull();
  });

  it('resolve, in README.md, samples/README.md and docs/*.md', () => {
    const problems: string[] = [];
    let count = 0;
    for (const page of PAGES) {
      for (const target of linkTargets(readFileSync(join(ROOT, page), 'utf8'))) {
        if (isExternal(target)) continue;
        count++;
        const p = problem(page, target);
        if (p) problems.push(p);
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });
});
