// The picture drawn: the SVG is well-formed, every mark quotes its evidence, hostile device text
// stays text in the SVG and cannot break the Mermaid block; the gantt is cut first under
// --max-chars and the HTML shows the SVG in its place, never both.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Analysis } from '../../src/analysis/schema.js';
import { Translator } from '../../src/report/i18n.js';
import { pictureGantt, pictureSvg } from '../../src/report/picture.js';
import { renderReport } from '../../src/report/index.js';
import { xmlProblems } from '../helpers/xml.js';
import { ganttProblems, hostilePicture } from '../helpers/picture.js';
import { analyzeSample, NOW } from './render.js';

describe('picture SVG', () => {
  for (const lang of ['en', 'tr'] as const) {
    it(`${lang}: hostile text stays text, the SVG is well-formed, every mark has a tooltip with its evidence`, () => {
      const svg = pictureSvg(hostilePicture(), new Translator(lang));
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).not.toMatch(/<script|<img|onerror/i);
      expect(svg).not.toMatch(/[\u0007\u202e]/);
      // Each drawn mark, span and band is a <g> whose first child is its <title>, quoting source:line.
      const groups = [...svg.matchAll(/<g><title>([^<]*)<\/title>(<(?:path|rect|circle))/g)];
      expect(groups.length).toBeGreaterThanOrEqual(3 + 3 + 1);
      for (const g of groups.filter((x) => !x[1]!.startsWith('x &lt;'))) expect(g[1]).toMatch(/\.log:3|manifest\.json/);
      expect(svg).toContain('×3');
    });
  }
});

describe('picture gantt', () => {
  it('keeps to the gantt grammar whatever the bundle text holds', () => {
    for (const lang of ['en', 'tr'] as const) {
      const gantt = pictureGantt(hostilePicture(), new Translator(lang));
      expect(ganttProblems(gantt)).toEqual([]);
      expect(gantt).toContain('(UTC+0300)');
      expect(gantt).toContain('2025-12-10 01:05:00, 2025-12-10 01:06:00');
    }
  });
});

describe('picture in the reports', () => {
  let a: Analysis;
  beforeAll(async () => {
    a = await analyzeSample('seed-incident');
  });

  it('Markdown holds the gantt above the findings; HTML the SVG in its place, never both', () => {
    const md = renderReport(a, { now: NOW });
    expect(md.indexOf('```mermaid\ngantt')).toBeGreaterThan(0);
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('## '));
    const html = renderReport(a, { now: NOW, format: 'html' });
    expect(html).toContain('<figure class="cd-picture">');
    expect(html).not.toContain('gantt');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)![0];
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('files/var/log/ngrok/ngrok.log:124');
  });

  it('the gantt is the first thing cut under --max-chars', () => {
    const full = renderReport(a, { now: NOW });
    const gantt = /```mermaid[\s\S]*?```\n\n[^\n]*\n/.exec(full)![0];
    const without = renderReport(a, { now: NOW, maxChars: full.length - 1 });
    expect(without).not.toContain('```mermaid');
    expect(without).toBe(full.replace(`\n${gantt}`, '').replace(/\n{3,}/g, '\n\n'));
    const html = renderReport(a, { now: NOW, format: 'html', maxChars: full.length - 1 });
    expect(html).not.toContain('<svg');
  });

  it('left out when nothing happened', async () => {
    const healthy = await analyzeSample('healthy');
    expect(renderReport(healthy, { now: NOW })).not.toContain('mermaid');
    expect(renderReport(healthy, { now: NOW, format: 'html' })).not.toContain('<svg');
  });
});
