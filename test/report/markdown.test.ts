// The helpers that keep bundle text inert in Markdown and HTML.
import { describe, it, expect } from 'vitest';
import { Marked } from 'marked';
import { cell, code, details, fence, table, visible } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';

const toHtml = (md: string) => new Marked({ gfm: true }).parse(md, { async: false }) as string;

describe('fence', () => {
  it('is longer than any backtick run inside, so the text cannot close it', () => {
    expect(fence('plain')).toBe('```text\nplain\n```');
    expect(fence('a ``` b\n`````')).toBe('``````text\na ``` b\n`````\n``````');
    expect(toHtml(fence('x\n```\n<b>y</b>'))).toBe('<pre><code class="language-text">x\n```\n&lt;b&gt;y&lt;/b&gt;\n</code></pre>\n');
  });

  it('shows control and bidi characters instead of passing them on', () => {
    expect(fence('a\u001b[31mred\u0000\r')).toBe('```text\na\\x1b[31mred\\x00\n```');
    expect(visible('ab\u202ecd\u009b')).toBe('ab\\u202ecd\\u009b');
  });
});

describe('code span', () => {
  it('survives backticks at either end and inside', () => {
    for (const s of ['`x`', 'a `` b', '```', ' lead and trail ']) {
      const html = toHtml(code(s));
      const inner = /<code>([\s\S]*)<\/code>/.exec(html)![1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
      expect(inner).toBe(s);
    }
  });

  it('keeps one line', () => {
    expect(code('a\nb')).toBe('`a ⏎ b`');
  });
});

describe('table cells', () => {
  it('escape | so a cell stays one cell, also inside a code span', () => {
    expect(cell(code('a|b'))).toBe('`a\\|b`');
    const html = toHtml(table(['h1', 'h2'], [[code('x | y'), 'z']]));
    expect(html).toContain('<td><code>x | y</code></td>');
    expect(html).toContain('<td>z</td>');
  });
});

describe('details', () => {
  it('escapes its summary and keeps the folded Markdown apart from the HTML block', () => {
    const md = details('3 more <lines>', fence('</details>'));
    expect(md).toBe('<details>\n<summary>3 more &lt;lines&gt;</summary>\n\n```text\n</details>\n```\n\n</details>');
    const html = renderHtml(md, 'en', 't');
    expect((html.match(/<\/details>/g) ?? []).length).toBe(1);
    expect(html).toContain('&lt;/details&gt;');
  });
});

describe('renderHtml', () => {
  it('escapes raw HTML that is not the report’s own, should any ever reach it', () => {
    const html = renderHtml('para <script>alert(1)</script> and <img src=x onerror=alert(2)>\n\n<iframe src="x"></iframe>\n\n<details>\n<summary>ok</summary>\n\nfolded\n\n</details>\n', 'tr', '<title>');
    expect(html).not.toMatch(/<script|<img|<iframe/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;iframe src=&quot;x&quot;&gt;&lt;/iframe&gt;');
    expect(html).toContain('<details>\n<summary>ok</summary>');
    expect(html).toContain('<title>&lt;title&gt;</title>');
    expect(html).toMatch(/^<!doctype html>\n<html lang="tr">/);
  });

  it('keeps only http(s) links and drops images', () => {
    const html = renderHtml('[a](javascript:alert(1)) [b](https://example.org/x) ![c](http://x/y.png)', 'en', 't');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.org/x" rel="noreferrer noopener">b</a>');
    expect(html).not.toMatch(/<img/);
  });

  it('is one self-contained page: inline CSS with print styles, no external resource', () => {
    const html = renderHtml('# T\n\ntext', 'en', 'T');
    expect(html).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(html).not.toMatch(/<link|src=|@import|url\(/i);
  });
});
