// The HTML report: the same Markdown rendered by marked into one
// self-contained page. marked does not sanitise, so raw HTML is refused
// except the few tags the report itself writes (<details>, <summary>, <br>),
// links only keep http(s) targets, and a CSP forbids scripts outright.
import { Marked, type Tokens } from 'marked';
import { Translator, type Lang } from './i18n.js';
import { escapeHtml } from './markdown.js';

// The whole raw-HTML token must be one of ours; anything else is shown as text.
const OWN_HTML = [/^<details>\s*<summary>[^<>]*<\/summary>\s*$/, /^<\/details>\s*$/, /^<br>$/];

function isOwnHtml(text: string): boolean {
  const s = text.trim();
  return OWN_HTML.some((re) => re.test(s));
}

const CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --code-bg: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--fg); font: 15px/1.55 -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.7em; border-bottom: 2px solid var(--line); padding-bottom: .3em; }
h2 { font-size: 1.35em; border-bottom: 1px solid var(--line); padding-bottom: .25em; margin-top: 1.8em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
hr { border: 0; border-top: 1px solid var(--line); margin: 2em 0; }
code { font: 0.88em/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; overflow-wrap: break-word; }
/* An identifier (a unit, a path, a rule id, a port) is never broken: it moves to the next line whole. */
code.id, .nb { white-space: nowrap; overflow-wrap: normal; word-break: normal; }
/* Only a token too long for any column (a long path or URL) may break, anywhere. */
code.long { overflow-wrap: anywhere; }
/* A quoted line in a table cell (text with blanks, not an identifier) may break anywhere, so its
   longest word (a URL, a key=value run) does not widen the column past the page. */
td code:not(.id) { overflow-wrap: anywhere; }
/* Quoted lines wrap inside the box: nothing hides behind a horizontal scrollbar. */
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow: visible; }
pre code { background: none; padding: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; overflow-wrap: normal; word-break: normal; hyphens: none; }
th { background: var(--code-bg); }
details { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; margin: .8em 0; }
summary { cursor: pointer; color: var(--accent); }
a { color: var(--accent); }
.cd-picture { margin: 1.2em 0; }
.cd-picture svg { display: block; width: 100%; height: auto; max-width: 100%; }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; margin: 1em 0 1.5em; background: #fbfcfd; }
nav.toc h2 { font-size: 1em; border: 0; margin: .3em 0; padding: 0; }
nav.toc ol { margin: .3em 0; padding-left: 1.6em; columns: 2; column-gap: 2em; }
nav.toc a { text-decoration: none; }
@page { size: A4; margin: 16mm 13mm 16mm 13mm; }
@media print {
  .cd-picture { break-inside: avoid; }
  body { font-size: 10pt; line-height: 1.4; }
  main { max-width: none; padding: 0; }
  table { font-size: 8pt; }
  /* On paper a bundle path in a narrow table may wrap; units, rule ids and ports still never break. */
  td code.path { white-space: normal; overflow-wrap: anywhere; }
  th, td { padding: 3px 5px; }
  thead { display: table-header-group; }
  tr, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  h2 { break-before: auto; }
  pre { font-size: 8.5pt; }
  nav.toc { break-after: page; background: none; }
  nav.toc ol { columns: 1; }
  a { color: var(--fg); }
  details { border: 0; padding: 0; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { color: var(--fg); list-style: none; font-weight: 600; }
}
`;

/** Code without spaces and short enough for a line is an identifier: never broken (class "id"). */
const IDENTIFIER_MAX = 48;

/** A report time (2025-12-10 10:00:14+03:00) stays on one line; quoted lines in <pre> and the picture's SVG are left alone. */
function keepTimesWhole(html: string): string {
  return html
    .split(/(<pre>[\s\S]*?<\/pre>|<figure[\s\S]*?<\/figure>)/)
    .map((part) => (part.startsWith('<pre>') || part.startsWith('<figure') ? part : part.replace(/(?<![\w>"-])(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?)(?![\w<])/g, '<span class="nb">$1</span>')))
    .join('');
}

/**
 * `figure`: the timeline SVG to show in place of the Markdown's Mermaid block holding `gantt`
 * (only that block, our own: bundle text is never in a mermaid fence).
 */
export function renderHtml(markdown: string, lang: Lang, title: string, figure?: { gantt: string; svg: string }): string {
  const marked = new Marked({ gfm: true, breaks: false });
  // Section headings get ids, and the table of contents links to them.
  const toc: { id: string; text: string }[] = [];
  let sections = 0;
  marked.use({
    renderer: {
      heading({ tokens, depth }: Tokens.Heading): string {
        const inner = this.parser.parseInline(tokens);
        if (depth !== 2) return `<h${depth}>${inner}</h${depth}>\n`;
        const id = `s${++sections}`;
        toc.push({ id, text: inner });
        return `<h2 id="${id}">${inner}</h2>\n`;
      },
      codespan({ text }: Tokens.Codespan): string {
        // The token's text is raw bundle text: escaped here, as marked's own renderer does.
        const token = !/\s/.test(text);
        const cls = token ? (text.length <= IDENTIFIER_MAX ? ' class="id"' : ' class="long"') : '';
        // A path (it holds a slash) may wrap on paper when a printed table is too narrow for it
        // (print CSS above); on screen an identifier never breaks at all.
        const path = token && text.length <= IDENTIFIER_MAX && text.includes('/') ? ' class="id path"' : cls;
        return `<code${path}>${escapeHtml(text)}</code>`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return isOwnHtml(text) ? text : escapeHtml(text);
      },
      link({ href, text }: Tokens.Link): string {
        const safe = /^https?:\/\//i.test(href) ? href : null;
        return safe ? `<a href="${escapeHtml(safe)}" rel="noreferrer noopener">${escapeHtml(text)}</a>` : escapeHtml(text);
      },
      image({ text }: Tokens.Image): string {
        return escapeHtml(text);
      },
      code(token: Tokens.Code): string | false {
        if (figure && token.lang === 'mermaid' && token.text === figure.gantt) return `<figure class="cd-picture">\n${figure.svg}\n</figure>\n`;
        return false;
      },
    },
  });
  const parsed = keepTimesWhole(marked.parse(markdown, { async: false }) as string);
  const nav = toc.length
    ? `<nav class="toc" aria-label="${escapeHtml(new Translator(lang).t('html.toc'))}">\n<h2>${escapeHtml(new Translator(lang).t('html.toc'))}</h2>\n<ol>\n${toc.map((e) => `<li><a href="#${e.id}">${e.text}</a></li>`).join('\n')}\n</ol>\n</nav>\n`
    : '';
  // The contents go right before the first section, after the title and the report's metadata.
  const first = parsed.indexOf('<h2 id="s1">');
  const body = first >= 0 ? `${parsed.slice(0, first)}${nav}${parsed.slice(first)}` : parsed;
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
