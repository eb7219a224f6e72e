// Every sample bundle rendered in both languages: the docs/report.md headings in
// order, every finding with its quoted evidence, and no English in the
// Turkish report.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../src/analysis/schema.js';
import { HEADINGS, analyzeSample, headings, prose, render, sampleNames } from './render.js';

const EN_MESSAGES = JSON.parse(readFileSync(join(__dirname, '../../report-templates/en/messages.json'), 'utf8')) as Record<string, string>;

/** Literal English prose of the catalogue (placeholders and code removed), four words or more. */
function englishFragments(): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(EN_MESSAGES)) {
    if (k.startsWith('//')) continue;
    for (const part of v.split(/[{}]/)) {
      const text = part.replace(/`[^`]*`/g, ' ').trim();
      for (const piece of text.split(/[:;().,]/)) {
        const p = piece.trim();
        if (p.split(/\s+/).filter((w) => /^[a-z]{2,}$/i.test(w)).length >= 4) out.add(p);
      }
    }
  }
  return [...out];
}

// Whole words only, by Unicode letters: Turkish "andır" or "Not" (a note) are not English.
const ENGLISH_WORDS = /(?<!\p{L})(the|and|with|from|which|when|this|that|was|were|has|have|after|before|until|none|found|unknown)(?!\p{L})/iu;

for (const name of sampleNames()) {
  describe(`report of samples/${name}`, () => {
    let a: Analysis;
    const md: Record<'en' | 'tr', string> = { en: '', tr: '' };
    beforeAll(async () => {
      a = await analyzeSample(name);
      md.en = render(a, { lang: 'en' });
      md.tr = render(a, { lang: 'tr' });
    });

    for (const lang of ['en', 'tr'] as const) {
      it(`${lang}: has the section headings of docs/report.md, in order, under a title with host and date`, () => {
        expect(headings(md[lang])).toEqual([...HEADINGS[lang]]);
        const title = md[lang].split('\n')[0]!;
        expect(title).toMatch(/^# /);
        expect(title).toContain(a.host);
        expect(title).toMatch(/\d{4}-\d{2}-\d{2}/);
      });

      it(`${lang}: carries the metadata block (created, tool version, bundle and its sha256, window with offset)`, () => {
        const head = md[lang].slice(0, md[lang].indexOf('\n## '));
        expect(head).toContain('2025-12-10 02:00:00+03:00');
        expect(head).toContain(`${a.tool.name} ${a.tool.version}`);
        expect(head).toContain(a.bundle.path);
        expect(head).toContain(a.bundle.sha256);
        expect(head).toMatch(/\d{2}:\d{2}:\d{2}\+03:00 – \d{2}:\d{2}:\d{2}\+03:00/);
      });

      it(`${lang}: every finding is there with its evidence quoted, with source, line and time`, () => {
        for (const f of a.findings) {
          const e = f.evidence[0]!;
          const label = `\`${e.line !== null ? `${e.source}:${e.line}` : e.source}\``;
          const at = md[lang].indexOf(label);
          expect(at, `${f.rule} ${f.subject}: ${label}`).toBeGreaterThan(-1);
          expect(md[lang]).toContain(`${label}${e.time ? ` @ ${e.time.replace('T', ' ')}` : ''}\n\n\`\`\`text\n${e.text}\n\`\`\``);
          expect(md[lang]).toContain(`(\`${f.rule}\`)`);
        }
      });

      it(`${lang}: stays under the default 60,000 characters`, () => {
        expect(md[lang].length).toBeLessThanOrEqual(60_000);
      });
    }

    it('tr: no English sentence of the analysis or of the English catalogue leaks into the Turkish report', () => {
      for (const f of a.findings) {
        expect(md.tr).not.toContain(f.title);
        expect(md.tr).not.toContain(f.remediation);
      }
      for (const fragment of englishFragments()) expect(md.tr, fragment).not.toContain(fragment);
      // Outside quoted bundle text and code, the Turkish report has no English words at all.
      const words = prose(md.tr).match(new RegExp(ENGLISH_WORDS.source, 'giu')) ?? [];
      expect(words).toEqual([]);
    });

    it('en and tr render the same findings, evidence and files', () => {
      for (const f of a.findings) for (const e of f.evidence.slice(0, 1)) expect(md.tr).toContain(e.text);
      for (const art of a.artifacts) {
        expect(md.en).toContain(art.content.trimEnd());
        expect(md.tr).toContain(art.content.trimEnd());
      }
    });
  });
}
