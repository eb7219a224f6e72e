// Loaded with --import by run.mjs where GNU time is missing: the process
// reports its own peak RSS (all threads; kilobytes) when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
