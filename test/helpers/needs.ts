// Tests that need a tool of this machine (sshd, busybox, ansible-playbook,
// systemd-journal-remote, systemd-analyze, shellcheck). Where one is missing
// they are skipped, and the run says which and what to install; under CI=true,
// where .ci/run installs every one, they fail instead, so a CI run can never
// pass by skipping (the pattern of test/lab/harness.ts labDescribe).
import { describe, it } from 'vitest';

export interface Need {
  ok: boolean;
  /** what is missing and what to install, e.g. "no /usr/sbin/sshd (apt-get install openssh-server)" */
  reason: string;
}

export function need(ok: boolean, reason: string): Need {
  return { ok, reason };
}

function unmet(needs: Need[]): string | null {
  const missing = needs.filter((n) => !n.ok).map((n) => n.reason);
  return missing.length ? missing.join('; ') : null;
}

export function underCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** describe() when every need is met; else skipped with the reason, or one failing test under CI=true. */
export function describeWith(needs: Need[]): (name: string, fn: () => void) => void {
  return (name, fn) => {
    const reason = unmet(needs);
    if (reason === null) describe(name, fn);
    else if (underCi()) {
      describe(name, () => {
        it('has what it needs on this machine', () => {
          throw new Error(`${reason} (CI=true: these tests must run; .ci/run installs it)`);
        });
      });
    } else {
      console.warn(`skipping '${name}': ${reason}`);
      describe.skip(name, fn);
    }
  };
}

/** it() when every need is met; else skipped with the reason, or failing with it under CI=true. */
export function itWith(needs: Need[], name: string, fn: () => void | Promise<void>, timeout?: number): void {
  const reason = unmet(needs);
  if (reason === null) it(name, fn, timeout);
  else if (underCi()) {
    it(name, () => {
      throw new Error(`${reason} (CI=true: this test must run; .ci/run installs it)`);
    });
  } else {
    console.warn(`skipping '${name}': ${reason}`);
    it.skip(name, fn);
  }
}
