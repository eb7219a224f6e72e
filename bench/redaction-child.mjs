// One redaction measurement of `npm run bench`, in a fresh process so each
// starts alike. Not run on its own.
//
//   node redaction-child.mjs DIST stream on|off JOURNAL OUTDIR
//     the collector's journal path: a process prints the journal (cat stands
//     in for journalctl -o json) into the same writer collect uses (split into
//     lines, redacted as JSON lines or not, written into a staging directory
//     in OUTDIR, removed at the end).
//   node redaction-child.mjs DIST analyze BUNDLE
//     the analysis of BUNDLE in this process, then the redaction pass every
//     analysis goes through (the whole JSON, names included) timed alone;
//     prints JSON: seconds and CPU seconds of each.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, mode, ...rest] = process.argv.slice(2);
const load = (rel) => import(pathToFileURL(join(dist, rel)).href);

if (mode === 'stream') {
  const [onOff, journal, outDir] = rest;
  const { SourceWriter } = await load('collect/output.js');
  const { Staging } = await load('collect/staging.js');
  const staging = Staging.create(outDir);
  try {
    staging.begin('bundle');
    const counts = onOff === 'on' ? {} : null;
    const writer = new SourceWriter({ staging, rel: 'commands/journal.jsonl', counts, json: true });
    const child = spawn('cat', [journal], { stdio: ['ignore', 'pipe', 'inherit'] });
    for await (const chunk of child.stdout) await writer.push(chunk);
    await writer.finish(true);
    process.stdout.write(`${JSON.stringify({ counts })}\n`);
  } finally {
    staging.cleanupSync();
  }
} else if (mode === 'analyze') {
  const [bundlePath] = rest;
  const { openBundle } = await load('bundle/reader.js');
  const { analyzeBundle } = await load('analysis/analyze.js');
  const { defaultConfig } = await load('config.js');
  const { redactDeep } = await load('redact.js');
  const time = async (fn) => {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const value = await fn();
    const cpu = process.cpuUsage(cpu0);
    return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
  };
  const analysis = await time(async () => {
    const b = await openBundle(bundlePath);
    try {
      return await analyzeBundle(b, defaultConfig());
    } finally {
      await b.close();
    }
  });
  // The pass scans the same text whether or not it is redacted already: timing it on the result measures its cost.
  const passes = [];
  for (let i = 0; i < 5; i++) passes.push(await time(() => redactDeep(analysis.value, {})));
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(
    `${JSON.stringify({
      analyzeSeconds: analysis.seconds,
      analyzeCpu: analysis.cpu,
      redactSeconds: med(passes.map((p) => p.seconds)),
      redactCpu: med(passes.map((p) => p.cpu)),
      jsonBytes: Buffer.byteLength(JSON.stringify(analysis.value)),
    })}\n`,
  );
} else {
  process.stderr.write('redaction-child: mode stream or analyze\n');
  process.exit(2);
}
