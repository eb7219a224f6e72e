// The HTML report: the same Markdown rendered by marked into one
// self-contained page. marked does not sanitise, so raw HTML is refused
// except the few tags the report itself writes (<details>, <summary>, <br>),
// links only keep http(s) targets, and a CSP forbids scripts outright.
import { Marked, type Tokens } from 'marked';
import type { Lang } from './i18n.js';
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
code { font: 0.88em/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
pre code { background: none; padding: 0; white-space: pre; overflow-wrap: normal; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
td code { overflow-wrap: anywhere; word-break: break-word; }
th { background: var(--code-bg); }
details { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; margin: .8em 0; }
summary { cursor: pointer; color: var(--accent); }
a { color: var(--accent); }
.cd-picture { margin: 1.2em 0; }
.cd-picture svg { display: block; width: 100%; height: auto; max-width: 100%; }
@media print {
  .cd-picture { break-inside: avoid; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  pre, pre code { white-space: pre-wrap; overflow-wrap: anywhere; }
  pre, table, h3 { break-inside: avoid; }
  h2 { break-after: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { color: var(--fg); }
}
`;

/**
 * `figure`: the timeline SVG to show in place of the Markdown's Mermaid block holding `gantt`
 * (only that block, our own: bundle text is never in a mermaid fence).
 */
export function renderHtml(markdown: string, lang: Lang, title: string, figure?: { gantt: string; svg: string }): string {
  const marked = new Marked({ gfm: true, breaks: false });
  marked.use({
    renderer: {
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
  const body = marked.parse(markdown, { async: false }) as string;
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
