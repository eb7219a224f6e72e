// Types of gen-journal.mjs, for the tests that use it.
export declare const GENERATOR_VERSION: number;
export declare const MIXES: Record<'realistic' | 'error-heavy', { errors: number; long: number; longEvery: number }>;
export declare function generateJournal(
  path: string,
  targetBytes: number,
  opts?: { seed?: number; startMs?: number; spanMs?: number; mix?: 'realistic' | 'error-heavy' },
): { lines: number; bytes: number; firstMs: number; lastMs: number };
