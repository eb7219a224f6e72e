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

// A reader that stops early (`| head`) closes the pipe: stop as a C tool killed by SIGPIPE
// does (status 128 + 13), without the stack trace of an unhandled 'error' event.
process.stdout.on('error', function (e) {
  if (e && e.code === 'EPIPE') process.exit(141);
  throw e;
});

import('./main.js').then(function (m) {
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
