#!/usr/bin/env node
// The bin: main() with this process's arguments and streams, its code made the exit status.
import { FAILED, main } from './main.js';

process.on('SIGINT', () => {
  process.stderr.write('charger-diag: interrupted\n');
  process.exit(130);
});

const code = await main(process.argv.slice(2));
// A failed command ends the process at once, as a usage error does: nothing it
// left running (a child, a timer) is waited for. 0 and 1 end when the work is done.
if (code === FAILED) process.exit(code);
process.exitCode = code;
