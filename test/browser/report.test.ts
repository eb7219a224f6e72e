// The reports as people see them: opened in headless Chromium from file://. No script runs, nothing
// overflows the page at 1280 px or on A4 print, identifiers in tables stay on one line, the
// timeline SVG parses as XML with a tooltip on every mark, and the Markdown's Mermaid block is
// drawn by Mermaid 11 without its error diagram. Screenshots go to test/browser/screenshots/.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisSchema, type Analysis } from '../../src/analysis/schema.js';
import { renderReport } from '../../src/report/index.js';
import { renderFleetReport } from '../../src/report/fleet/render.js';
import { buildFleetSummary, digestAnalysis } from '../../src/fleet/summary.js';
import { analyzeSample, NOW } from '../report/render.js';
import { hostilePicture, HOSTILE, inUtc } from '../helpers/picture.js';
import { Browser, browserDescribe, type Page } from './chromium.js';

const SHOTS = join(__dirname, 'screenshots');
const MERMAID = join(__dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
/** A4 at 96 px per inch (210 mm) less Chromium's default print margins (0.4 in each side). */
const A4_WIDTH = 718;

interface Report {
  name: string;
  html: string;
  md: string;
}

async function reports(): Promise<Report[]> {
  const names = ['seed-incident', 'segfault-loop', 'cgroup-oom'];
  const analyses = await Promise.all(names.map(analyzeSample));
  const out: Report[] = [];
  for (const [i, a] of analyses.entries()) {
    out.push({ name: names[i]!, html: renderReport(a, { now: NOW, format: 'html' }), md: renderReport(a, { now: NOW }) });
  }
  const tr = analyses[0]!;
  out.push({ name: 'seed-incident-tr', html: renderReport(tr, { now: NOW, format: 'html', lang: 'tr' }), md: renderReport(tr, { now: NOW, lang: 'tr' }) });
  // Device text is hostile: a picture full of it, in an otherwise real report.
  const hostile: Analysis = { ...tr, picture: hostilePicture() };
  out.push({ name: 'hostile', html: renderReport(hostile, { now: NOW, format: 'html' }), md: renderReport(hostile, { now: NOW }) });
  // The lab's seed incident, as its analysis JSON (made before pictures were written into it).
  const lab = AnalysisSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'lab', 'seed-incident', 'analysis.json'), 'utf8')));
  out.push({ name: 'lab-seed-incident', html: renderReport(lab, { now: NOW, format: 'html' }), md: renderReport(lab, { now: NOW }) });
  const fleet = buildFleetSummary(
    analyses.map((a) => digestAnalysis(a)),
    { inputs: names.map((n) => `samples/${n}`), outageGapSeconds: 300, now: NOW },
  );
  // The same incident on a second host whose clock is UTC: its row lines up with the first, a shared window.
  const utcTwin = inUtc({ ...analyses[0]!, host: 'charger-02', hostInfo: { ...analyses[0]!.hostInfo!, hostname: 'charger-02', timezone: 'UTC', utcOffset: '+00:00' } });
  const shared = buildFleetSummary([analyses[0]!, utcTwin].map((a) => digestAnalysis(a)), { inputs: ['a', 'b'], outageGapSeconds: 300, now: NOW });
  expect(shared.picture!.windows).toEqual([{ from: '2025-12-09T22:10:00Z', to: '2025-12-09T22:12:00Z', hosts: 2 }]);
  out.push({ name: 'fleet-shared', html: renderFleetReport(shared, { format: 'html', lang: 'en' }), md: renderFleetReport(shared, { format: 'md', lang: 'en' }) });
  out.push({ name: 'fleet', html: renderFleetReport(fleet, { format: 'html', lang: 'en' }), md: renderFleetReport(fleet, { format: 'md', lang: 'en' }) });
  return out;
}

/** Elements whose right edge passes the page's, outside any scrolling box (a <pre> scrolls by design). */
const OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5) continue;
    let scrolls = false;
    for (let p = el.parentElement; p && !scrolls; p = p.parentElement) scrolls = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX);
    if (!scrolls) bad.push(el.tagName + ': ' + (el.textContent || '').slice(0, 80));
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, bad: bad.slice(0, 10) };
})()`;

/** Identifiers (rule ids, units, hosts, paths) in table cells that wrap onto a second line. */
const BROKEN_IDS = `(() => {
  const broken = [];
  for (const el of document.querySelectorAll('td code, th code')) {
    const text = el.textContent || '';
    if (!/^[A-Za-z0-9_.:@\\/-]{1,48}$/.test(text)) continue;
    const tops = new Set([...el.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1) broken.push(text);
  }
  return broken;
})()`;

/** What could run: script elements, on* handlers, javascript: links. */
const SCRIPTABLE = `(() => {
  const found = [...document.querySelectorAll('script')].map((s) => 'script ' + (s.src || s.textContent.slice(0, 40)));
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(el.tagName + ' ' + a.name);
      if (/^\\s*javascript:/i.test(a.value)) found.push(el.tagName + ' ' + a.name + '=' + a.value.slice(0, 30));
    }
  }
  return found;
})()`;

/** Each inline SVG re-parsed as XML; every drawn mark's <g> carries a <title> quoting source:line. */
const SVG_CHECK = `(() => [...document.querySelectorAll('svg')].map((svg) => {
  const doc = new DOMParser().parseFromString(svg.outerHTML, 'image/svg+xml');
  const error = doc.querySelector('parsererror');
  const groups = [...doc.querySelectorAll('g')];
  const untitled = groups.filter((g) => !(g.firstElementChild && g.firstElementChild.tagName === 'title')).length;
  const shapes = groups.filter((g) => g.querySelector('path, rect, circle')).map((g) => g.firstElementChild.textContent);
  return { error: error ? error.textContent.slice(0, 200) : null, untitled, shapes };
}))()`;

function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}

browserDescribe('reports in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let all: Report[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'charger-diag-browser-'));
    mkdirSync(SHOTS, { recursive: true });
    all = await reports();
    browser = Browser.launch();
    page = await browser.page();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('HTML reports: no script, no overflow at 1280 px or on A4 print, the SVG well-formed with its evidence', async () => {
    for (const r of all) {
      const file = join(dir, `${r.name}.html`);
      writeFileSync(file, r.html);
      const url = pathToFileURL(file).href;
      await page.open(url, 1280);
      expect(page.scripts.filter((s) => s.startsWith('file:')), `${r.name}: scripts parsed`).toEqual([]);
      expect(await page.evaluate<string[]>(SCRIPTABLE), `${r.name}: scriptable`).toEqual([]);
      const screen = await page.evaluate<{ scrollWidth: number; width: number; bad: string[] }>(OVERFLOW);
      expect(screen.bad, `${r.name} at 1280 px`).toEqual([]);
      expect(screen.scrollWidth, `${r.name} at 1280 px`).toBeLessThanOrEqual(screen.width);
      const svgs = await page.evaluate<{ error: string | null; untitled: number; shapes: string[] }[]>(SVG_CHECK);
      expect(svgs.length, `${r.name}: one picture`).toBe(1);
      for (const s of svgs) {
        expect(s.error, `${r.name}: SVG parse`).toBeNull();
        expect(s.untitled, `${r.name}: <g> without a tooltip`).toBe(0);
        // Row labels' tooltips are the label; every other drawn thing quotes where it was seen.
        const quoted = s.shapes.filter((t) => /\S+:\d+|manifest\.json| UTC/.test(t));
        expect(quoted.length, `${r.name}: marks with evidence`).toBeGreaterThan(0);
      }
      const shot = join(SHOTS, `${r.name}.png`);
      writeFileSync(shot, await page.screenshot());
      console.log(`screenshot: ${shot}`);
      const figure = await page.screenshotOf('figure.cd-picture');
      expect(figure, `${r.name}: the picture is in the page`).not.toBeNull();
      writeFileSync(join(SHOTS, `${r.name}-picture.png`), figure!);
      console.log(`screenshot: ${join(SHOTS, `${r.name}-picture.png`)}`);
      // As a reader without colour vision (or a black-and-white printout) sees it: patterns and shapes must carry it.
      await page.send('Emulation.setEmulatedVisionDeficiency', { type: 'achromatopsia' });
      writeFileSync(join(SHOTS, `${r.name}-grey-picture.png`), (await page.screenshotOf('figure.cd-picture'))!);
      await page.send('Emulation.setEmulatedVisionDeficiency', { type: 'none' });
      await page.view(A4_WIDTH, 'print');
      writeFileSync(join(SHOTS, `${r.name}-print-picture.png`), (await page.screenshotOf('figure.cd-picture'))!);
      await page.view(1280, 'screen');
      if (r.name === 'hostile') expect(await page.evaluate<string>('document.querySelector("svg").textContent')).toContain('<script>alert(1)</script>');
      await page.view(A4_WIDTH, 'print');
      const print = await page.evaluate<{ scrollWidth: number; width: number; bad: string[] }>(OVERFLOW);
      expect(print.bad, `${r.name} on A4 print`).toEqual([]);
      expect(print.scrollWidth, `${r.name} on A4 print`).toBeLessThanOrEqual(print.width);
    }
  }, 120_000);

  it('HTML reports: identifiers in tables stay on one line at 1280 px', async () => {
    const broken: string[] = [];
    for (const r of all) {
      await page.open(pathToFileURL(join(dir, `${r.name}.html`)).href, 1280);
      for (const id of await page.evaluate<string[]>(BROKEN_IDS)) broken.push(`${r.name}: ${id}`);
    }
    expect(broken).toEqual([]);
  }, 120_000);

  it('Markdown: Mermaid 11 draws every gantt block without its error diagram', async () => {
    const host = join(dir, 'mermaid.html');
    writeFileSync(host, `<!doctype html><html><head><meta charset="utf-8"><script src="${pathToFileURL(MERMAID).href}"></script></head><body><div id="out"></div></body></html>`);
    await page.open(pathToFileURL(host).href, 1280);
    await page.evaluate('mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }), true');
    let n = 0;
    for (const r of all) {
      const blocks = mermaidBlocks(r.md);
      expect(blocks.length, `${r.name}: one gantt`).toBe(1);
      for (const text of blocks) {
        const out = await page.evaluate<{ ok: boolean; error?: string; svg?: string }>(
          `mermaid.render('g${n++}', ${JSON.stringify(text)}).then((x) => { document.getElementById('out').innerHTML = x.svg; return { ok: true, svg: x.svg }; }, (e) => ({ ok: false, error: String(e && e.message || e) }))`,
        );
        expect(out.error, `${r.name}: Mermaid error\n${text}`).toBeUndefined();
        expect(out.svg).toContain('aria-roledescription="gantt"');
        expect(out.svg).not.toMatch(/Syntax error|aria-roledescription="error"/);
        const shot = join(SHOTS, `${r.name}-mermaid.png`);
        writeFileSync(shot, await page.screenshot());
        console.log(`screenshot: ${shot}`);
      }
    }
    expect(HOSTILE).toContain('<script>');
  }, 120_000);
});
