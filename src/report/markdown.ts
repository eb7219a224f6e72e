// Putting untrusted bundle text into Markdown so that it stays text: in a
// fence longer than any backtick run inside it, in a code span that cannot be
// closed early, with `|` escaped in table cells. Renderers never place bundle
// text anywhere else, so nothing from a bundle becomes markup.

// Control and bidi characters are shown as escapes (src/render/visible.ts), the one rule for every output.
import { visible } from '../render/visible.js';
export { visible };

function longestRun(text: string, ch: string): number {
  let best = 0;
  let cur = 0;
  for (const c of text) {
    cur = c === ch ? cur + 1 : 0;
    if (cur > best) best = cur;
  }
  return best;
}

/** A fenced code block holding `text` verbatim (lines as they are, controls made visible). */
export function fence(text: string, info = 'text'): string {
  const body = text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => visible(l.replace(/\r$/, '')))
    .join('\n');
  const ticks = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${ticks}${info}\n${body}\n${ticks}`;
}

/** An inline code span holding one line of text; newlines shown as ⏎. */
/**
 * Markdown of our messages as plain text: code spans unwrapped (their text kept as it is), for
 * the analysis JSON's English title and remediation, read by tools and tickets that do not render Markdown.
 */
export function plainText(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const open = /`+/g;
    open.lastIndex = i;
    const m = open.exec(markdown);
    if (!m) break;
    // The span ends at the next run of exactly as many backticks (CommonMark).
    const close = new RegExp(`(?<!\`)${m[0]}(?!\`)`, 'g');
    close.lastIndex = m.index + m[0].length;
    const c = close.exec(markdown);
    if (!c) break;
    let inner = markdown.slice(m.index + m[0].length, c.index);
    if (inner.length > 1 && inner.startsWith(' ') && inner.endsWith(' ')) inner = inner.slice(1, -1);
    out += markdown.slice(i, m.index) + inner;
    i = c.index + c[0].length;
  }
  return out + markdown.slice(i);
}

export function code(text: string): string {
  const one = visible(text.replace(/\r?\n/g, ' ⏎ '));
  if (one === '') return '` `';
  const ticks = '`'.repeat(longestRun(one, '`') + 1);
  // A span that starts or ends with a backtick needs a space inside its delimiters.
  const pad = one.startsWith('`') || one.endsWith('`') || (one.startsWith(' ') && one.endsWith(' ')) ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** A GFM table cell: `|` would end the cell even inside a code span. */
export function cell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function tableRow(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

export function table(header: string[], rows: string[][]): string {
  return [tableRow(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(tableRow)].join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Text of our own (catalogue words, numbers) inside raw HTML such as
 * `<summary>`: escaped, and kept on one line so the HTML block stays whole.
 */
export function details(summary: string, inner: string): string {
  return `<details>\n<summary>${escapeHtml(summary.replace(/\s+/g, ' '))}</summary>\n\n${inner}\n\n</details>`;
}

/** Markdown-escape our own plain text (used where a value is shown outside code, e.g. a heading number). */
export function escapeMarkdown(text: string): string {
  return visible(text).replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
