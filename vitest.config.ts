import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Unit tests that need a process of their own: they start servers (a local
 * sshd, HTTP and TCP servers that hang on purpose), signal or kill process
 * groups, and collect from this machine while they do, or replace a module
 * (vi.mock). Everything else shares one process (project `unit`).
 */
const ISOLATED = [
  'test/collect/abort.test.ts',
  'test/collect/ansible.test.ts',
  'test/collect/fleet.test.ts',
  'test/collect/live.test.ts',
  'test/collect/report-read.test.ts',
  'test/collect/ssh.test.ts',
  'test/collect/ssh-sudo.test.ts',
];

const ISOLATED_PROJECT = 'unit-isolated';

/**
 * The isolated files first, then the others, each part in vitest's own order (longest first).
 * Vitest orders by project name before duration, so the isolated files, among the longest (ssh
 * sessions, a device that never answers, Ansible), came last, and the run ended on one of them
 * with the other worker idle. Longest first, the short unit files at the end keep both busy.
 */
class IsolatedFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isolated = (f: TestSpecification) => f.project.name === ISOLATED_PROJECT;
    return [...sorted.filter(isolated), ...sorted.filter((f) => !isolated(f))];
  }
}

export default defineConfig({
  test: {
    // parsers and rules are pure; the few tests that spawn the CLI need more than the default.
    testTimeout: 30_000,
    // Child processes, not worker threads: test/helpers/cli.ts callCli changes the working
    // directory for the length of a call, which only a process may do.
    pool: 'forks',
    // At least two workers, even on two CPUs (vitest's default there is one): the unit-isolated
    // files mostly wait (ssh sessions, a device that never answers, ansible) while the other
    // worker runs the CPU-bound unit files; one worker would add those waits up.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: IsolatedFirst },
    projects: [
      {
        // Pure tests and in-process CLI calls, every file in the same process: importing the
        // source graph once instead of once per file is most of the suite's time saved. A file
        // here restores whatever process-wide state it changes (environment variables, TMPDIR).
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/lab/**', 'test/browser/**', ...ISOLATED], isolate: false },
      },
      {
        extends: true,
        test: { name: ISOLATED_PROJECT, include: ISOLATED },
      },
      {
        // The reports opened in headless Chromium (test/browser/chromium.ts): skipped with the
        // reason where Debian's chromium is not installed, a failure under CI=true.
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
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
