// Shared by the report tests: analyse a sample or a spec and render it at a
// fixed creation time, so reports compare byte for byte.
import { join } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { openBundle } from '../../src/bundle/reader.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { defaultConfig } from '../../src/config.js';
import type { Analysis } from '../../src/analysis/schema.js';
import { renderReport, type ReportOptions } from '../../src/report/index.js';

export const SAMPLES_DIR = join(__dirname, '../../samples');
export const NOW = new Date('2025-12-10T02:00:00+03:00');

/** docs/report.md, in order. */
export const HEADINGS = {
  en: [
    'Summary',
    'Problem detection',
    'Crash cause analysis',
    'Why did it happen?',
    'Will it recur?',
    'Solution plan',
    'Implementation steps',
    'Monitoring and alerting',
    'Expected improvements',
    'Conclusion',
    'Notes',
    'Appendix: timeline, sources, skipped checks',
  ],
  tr: [
    'Özet',
    'Sorun Tespiti',
    'Çökme Nedeni Analizi',
    'Neden Oldu?',
    'Tekrarlayacak mı?',
    'Çözüm Planı',
    'Uygulama Adımları',
    'Monitoring ve Alerting Önerileri',
    'Beklenen İyileştirmeler',
    'Sonuç',
    'Notlar',
    'Ek: Zaman Çizelgesi, Kaynaklar, Atlanan Kontroller',
  ],
} as const;

export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR).filter((d) => existsSync(join(SAMPLES_DIR, d, 'manifest.json'))).sort();
}

export async function analyzeDir(dir: string): Promise<Analysis> {
  const b = await openBundle(dir);
  try {
    return await analyzeBundle(b, defaultConfig());
  } finally {
    await b.close();
  }
}

export const analyzeSample = (name: string) => analyzeDir(join(SAMPLES_DIR, name));

export function render(a: Analysis, opts: ReportOptions = {}): string {
  return renderReport(a, { now: NOW, ...opts });
}

/** The `## ` headings of a Markdown report, in order. */
export function headings(md: string): string[] {
  return [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
}

/** The body of one `## ` section. */
export function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = md.indexOf('\n## ', start + 4);
  return md.slice(start, next < 0 ? undefined : next);
}

/** The Markdown with fenced blocks and code spans removed: what a reader sees as prose. */
export function prose(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ' ');
}
