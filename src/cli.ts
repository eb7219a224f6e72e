#!/usr/bin/env node
// The bin: main() with this process's arguments and streams, its code made the exit status.
//
// First the Node version, in syntax any Node parses (no top-level await, no
// static import that would load commander or marked first): an older Node
// gets one line saying what it needs instead of a syntax error from a dependency.
var MINIMUM_MAJOR = 20;
var major = Number(process.versions.node.split('.')[0]);
if (!(major >= MINIMUM_MAJOR)) {
  process.stderr.write(
    'charger-diag: needs Node.js ' + MINIMUM_MAJOR + ' or newer, this is ' + process.version +
      ' (on a device without it, run the collection script: charger-diag collect --print-script, see README)\n',
  );
  process.exit(2);
}

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
