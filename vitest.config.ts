import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // parsers and rules are pure; the few tests that spawn the CLI need more than the default.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/lab/**'] },
      },
      {
        // The real-systemd lab: each case boots systemd in namespaces of its own. The host has one
        // cgroup tree, so cases run one at a time (the harness also holds a lock across runs).
        extends: true,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
