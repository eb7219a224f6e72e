#!/usr/bin/env node
// The bin: main() with this process's arguments and streams, its code made the exit status.
//
// First the Node version, in syntax any Node parses (no top-level await, no
// static import that would load commander or marked first): an older Node
// gets one line saying what it needs instead of a syntax error from a dependency.
import { setFlagsFromString } from 'node:v8';

var MINIMUM_MAJOR = 20;
var major = Number(process.versions.node.split('.')[0]);
if (!(major >= MINIMUM_MAJOR)) {
  process.stderr.write(
    'charger-diag: needs Node.js ' + MINIMUM_MAJOR + ' or newer, this is ' + process.version +
      ' (on a device without it, run the collection script: charger-diag collect --print-script, see README)\n',
  );
  process.exit(2);
}

// The young generation keeps its first size instead of doubling under a burst of allocation: a
// collection with its report peaked ~15 MB higher for no measurable gain in CPU time (the bench,
// docs/testing.md), and a Raspberry Pi Zero 2 has 512 MB. Read by V8 whenever it would grow the
// space, so it takes effect when set here; the flag exists in every V8 of Node 20 to 24.
setFlagsFromString('--semi-space-growth-factor=1');

// V8's optimizing compilers, set before the command's code loads (set later, the start-up's
// optimizations are already made). Maglev is off in Node 20 and on in later ones: off, so that
// every Node runs the tiers measured (docs/testing.md, the bench).
//  - A collection of one device runs without TurboFan: its own code, its compile threads' memory
//    and the optimized code were ~10 MB of the peak of `collect --since -60m` with its report
//    (81 -> 71 MB), for no more CPU time (most of a collection is waiting for commands; redaction
//    is regular expressions, compiled either way). `capture collect`, run by a capture unit on the
//    device when a service fails, is one device's collection too.
//  - A fleet's collection (`--hosts`, several `--ssh`) collects and reports many devices in one
//    process, on the operator's machine: it keeps TurboFan.
//  - Every other command starts without it, and turns it on when heavy work shows up
//    (src/compilers.ts: a bundle's analysis took about a tenth less CPU time without it; big logs
//    need it).
var compilers = compilersFor(process.argv.slice(2));
if (compilers !== 'on') {
  setFlagsFromString('--no-turbofan');
  setFlagsFromString('--no-maglev');
}

/** 'off': never (one device's collection); 'until-heavy': off until heavyWork() (src/compilers.ts). */
function compilersFor(args: string[]): 'on' | 'off' | 'until-heavy' {
  if (args[0] === 'capture') return args[1] === 'collect' ? 'off' : 'until-heavy';
  if (args[0] !== 'collect') return 'until-heavy';
  return isOneDeviceCollection(args) ? 'off' : 'on';
}

/** `collect` of one device: not `--hosts`, at most one `--ssh`. */
function isOneDeviceCollection(args: string[]): boolean {
  var ssh = 0;
  for (var a of args.slice(1)) {
    if (a === '--hosts' || a.indexOf('--hosts=') === 0) return false;
    if (a === '--ssh' || a.indexOf('--ssh=') === 0) ssh++;
  }
  return ssh <= 1;
}

// A reader that stops early (`| head`) closes the pipe: stop as a C tool killed by SIGPIPE
// does (status 128 + 13), without the stack trace of an unhandled 'error' event.
process.stdout.on('error', function (e) {
  if (e && e.code === 'EPIPE') process.exit(141);
  throw e;
});

import('./main.js').then(function (m) {
  if (compilers === 'until-heavy') m.optimizeWhenHeavy();
  process.on('SIGINT', function () {
    process.stderr.write('charger-diag: interrupted\n');
    process.exit(130);
  });
  return m.main(process.argv.slice(2)).then(function (code) {
    // A failed command ends the process at once, as a usage error does: nothing it
    // left running (a child, a timer) is waited for. 0 and 1 end when the work is done.
    if (code === m.FAILED) process.exit(code);
    process.exitCode = code;
  });
});
