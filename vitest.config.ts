import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // parsers and rules are pure; the few tests that spawn the CLI need more than the default.
    testTimeout: 30_000,
  },
});
