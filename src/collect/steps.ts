// Running the catalogue's steps concurrently, a few at a time, while the
// bundle stays the same as one run step after step: a step starts only once
// the steps it reads (or must not overlap) have ended, and the records of
// every step reach the manifest in catalogue order, whatever order the steps
// end in. Most of a collection is waiting for commands (systemctl asks
// systemd, journalctl reads the journal); running them side by side is where
// its time goes down.
import type { RunContext, SourceRecord } from './types.js';

export interface Step {
  /** indices of the steps that must have ended before this one starts (earlier steps only) */
  needs: number[];
  run(ctx: RunContext): Promise<void>;
}

/**
 * Runs `steps` with at most `limit` running at once. A step that fails stops
 * the ones not yet started; the error thrown is the first failed step's, once
 * every started step has ended (none is left writing into the staging area).
 */
export async function runSteps(ctx: RunContext, steps: Step[], limit: number): Promise<void> {
  const held: SourceRecord[][] = steps.map(() => []);
  const ended = steps.map(() => false);
  // The first step not yet ended: its records go straight through, so progress stays live.
  let head = 0;
  const endStep = (i: number) => {
    ended[i] = true;
    while (head < steps.length && ended[head]) {
      head++;
      if (head < steps.length) {
        for (const r of held[head]!) ctx.record(r);
        held[head] = [];
      }
    }
  };

  let running = 0;
  const waiting: (() => void)[] = [];
  let stopped = false;
  const acquire = async () => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  const done: Promise<void>[] = [];
  for (const [i, step] of steps.entries()) {
    for (const j of step.needs) if (j >= i) throw new Error(`step ${i} cannot wait for step ${j}, which comes after it`);
    const stepCtx: RunContext = {
      ...ctx,
      record: (r) => {
        if (i === head) ctx.record(r);
        else held[i]!.push(r);
      },
    };
    done.push(
      (async () => {
        try {
          await Promise.all(step.needs.map((j) => done[j]));
          await acquire();
        } catch (e) {
          stopped = true;
          throw e;
        }
        try {
          if (stopped) return;
          await step.run(stepCtx);
        } catch (e) {
          stopped = true;
          throw e;
        } finally {
          release();
          endStep(i);
        }
      })(),
    );
  }
  const results = await Promise.allSettled(done);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
