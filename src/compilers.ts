// Whether V8's optimizing compiler runs in this process, for the commands that start
// without it (src/cli.ts decides at start-up, before any command code loads).
//
// V8 runs code as bytecode, then as baseline code, and optimizes hot functions with TurboFan.
// Optimizing takes CPU time on compile threads and memory for its code, and pays back only
// when the same loops run over a lot of input. Measured with the bench (docs/testing.md):
// `analyze` of the seed sample takes about a tenth less CPU time without TurboFan; a 1 GiB
// journal takes two to three times as long without it. So a command on a bundle starts without
// it, and the first heavy work turns it on: heavyWork() below, called where the size of the work
// is known (the logs about to be read, a fleet of bundles, a bundle to redact).
//
// TurboFan is turned on and never off again; Maglev, the compiler Node 22 and later run between
// the baseline and TurboFan, stays off, so that every Node runs the tiers measured. In the test
// process (main() called in process) nothing here is ever armed: its compilers are Node's own.
import { setFlagsFromString } from 'node:v8';

/**
 * Text logs (syslog, kern.log, application logs, dmesg) of this many bytes in all make an
 * analysis heavy. Their lines are parsed by JavaScript patterns: with TurboFan, seed-sample
 * bundles whose application logs were 2 MiB took 10% more CPU time, 8 MiB 15% less, 32 MiB
 * 40% less.
 */
export const HEAVY_TEXT_LOG_BYTES = 4 * 1024 * 1024;

/**
 * A journal export of this many bytes makes an analysis heavy. Most of its bytes are checked
 * in WebAssembly, which TurboFan does not touch: 10 MiB took a quarter less CPU time without
 * TurboFan, 40 MiB about the same, 100 MiB 13% more and 1 GiB two and a half times as much.
 */
export const HEAVY_JOURNAL_BYTES = 64 * 1024 * 1024;

/**
 * A bundle to redact of this many bytes in all is heavy work, every line going through the
 * redactors' patterns: the seed sample with 8 MiB of application logs took 0.65 s of CPU with
 * TurboFan, 0.74 s without; with 2 MiB, the same either way.
 */
export const HEAVY_REDACT_BYTES = 4 * 1024 * 1024;

let armed = false;

/** For the bin: TurboFan is off (set before the command's code loaded) until heavyWork() is called. */
export function optimizeWhenHeavy(): void {
  armed = true;
}

/** Heavy work is ahead: TurboFan on, if the bin started this process without it. Once. */
export function heavyWork(): void {
  if (!armed) return;
  armed = false;
  setFlagsFromString('--turbofan');
}
