// Build a bundle directory in a temp dir from raw source texts, so rule tests
// run the real parsers and fact builder on realistic command output.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openBundle } from '../../src/bundle/reader.js';
import { buildFacts } from '../../src/facts/build.js';
import { analyzeBundle } from '../../src/analysis/analyze.js';
import { ConfigSchema, defaultConfig, type Config } from '../../src/config.js';
import type { Analysis } from '../../src/analysis/schema.js';
import type { Facts } from '../../src/facts/types.js';
import { assertConforms } from './conformance.js';

export interface BundleSpec {
  manifest?: Record<string, unknown>;
  /** bundle-relative path → content */
  files: Record<string, string>;
}

export const DEFAULT_HOST = {
  hostname: 'charger-01',
  os: 'Debian GNU/Linux 12 (bookworm)',
  kernel: '6.1.0-rpi7-rpi-v8',
  arch: 'aarch64',
  timezone: 'Europe/Istanbul',
  utcOffset: '+03:00',
  cpus: 4,
  journalStorage: 'persistent',
};

export function writeBundle(spec: BundleSpec): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cd-test-bundle-'));
  const manifest = {
    format: 'charger-diag-bundle',
    formatVersion: 1,
    host: DEFAULT_HOST,
    collectedAt: '2025-12-10T01:15:00+03:00',
    window: { since: '2025-12-10T01:00:00+03:00', until: '2025-12-10T01:15:00+03:00' },
    ...spec.manifest,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const [rel, content] of Object.entries(spec.files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function analyzeSpec(spec: BundleSpec, config: Partial<Config> = {}): Promise<Analysis> {
  const { dir, cleanup } = writeBundle(spec);
  try {
    const bundle = await openBundle(dir);
    try {
      return assertConforms(await analyzeBundle(bundle, ConfigSchema.parse(config)));
    } finally {
      await bundle.close();
    }
  } finally {
    cleanup();
  }
}

/** The repository's sample bundles (samples/<name>). */
export const SAMPLES = join(__dirname, '..', '..', 'samples');

/** A sample bundle's analysis, as `charger-diag analyze` makes it, held to the schema. */
export async function analyzeSample(name: string, config: Config = defaultConfig()): Promise<Analysis> {
  const bundle = await openBundle(join(SAMPLES, name));
  try {
    return assertConforms(await analyzeBundle(bundle, config));
  } finally {
    await bundle.close();
  }
}

export async function factsOf(spec: BundleSpec, config: Partial<Config> = {}): Promise<Facts> {
  const { dir, cleanup } = writeBundle(spec);
  try {
    const bundle = await openBundle(dir);
    try {
      return (await buildFacts(bundle, ConfigSchema.parse(config))).facts;
    } finally {
      await bundle.close();
    }
  } finally {
    cleanup();
  }
}

/** A journal.jsonl line as `journalctl -o json` prints it (values are strings). */
export function journalLine(fields: Record<string, string | number | number[]>, isoTime: string): string {
  const ms = Date.parse(isoTime);
  const out: Record<string, unknown> = {
    __CURSOR: `s=6f1c0e2b1a7b4f5e9d3c2b1a0f9e8d7c;i=${(ms % 100000).toString(16)};b=4d8c2f1e0a9b4c7d8e6f5a4b3c2d1e0f;m=${((ms % 1e9) * 1000).toString(16)};t=${(ms * 1000).toString(16)};x=1`,
    __REALTIME_TIMESTAMP: String(ms * 1000),
    __MONOTONIC_TIMESTAMP: String(777600000000 + (ms % 1e9) * 1000),
    _BOOT_ID: '4d8c2f1e0a9b4c7d8e6f5a4b3c2d1e0f',
    _HOSTNAME: 'charger-01',
    _TRANSPORT: 'journal',
  };
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'number' ? String(v) : v;
  return JSON.stringify(out);
}
