#!/usr/bin/env node
// `npm run bench`: how fast `charger-diag analyze` reads a big journal, next
// to the disk-scan limit and to the plain full parse, measured side by side
// on this machine. Prints figures; it is not a test and asserts nothing.
//
//   node bench/run.mjs [--sizes 10M,100M,1G] [--runs 3] [--no-build]
//
// Inputs (bench/out/, git-ignored) are generated once per size by
// gen-journal.mjs: a bundle of a manifest and a commands/journal.jsonl of the
// realistic mix described there. The other sources are left out on purpose:
// their cost does not grow with the journal, and the bench prints it apart
// (the analysis of samples/seed-incident, whose journal is small). Each
// size runs, in turns, `grep -c '"PRIORITY":"3"'` over the journal (the scan
// limit), the full parse (CHARGER_DIAG_FULL_PARSE=1: every line through
// JSON.parse) and `charger-diag analyze` as users run it; the table gives the
// median wall time of each, MB/s, the ratio to grep, peak RSS (the process
// and all its threads), CPU time (user + system, all threads: on a machine
// shared with other work it says more than the wall time) and whether
// analyze printed the same analysis JSON as the full parse. The compiled code is built into bench/out/dist, so the
// bench measures this working tree whatever dist/ holds.
//
// Then the cost of redaction (docs/redaction.md: at most 15%), on the largest size, each
// in a fresh process (redaction-child.mjs): on the analyze path, the analysis
// in-process with the redaction pass every analysis goes through timed alone;
// on the collector's journal path, the journal printed by a process (cat
// standing in for journalctl) into collect's own writer with redaction on and
// off. The ratio printed is redaction's share over the same work without it. Last, the whole
// `collect --since -60m` inside the real-systemd lab (lab-collect.mjs; root only), with redaction
// on and off, over a journal filled with an hour of a busy charger's lines (--lab-lines N).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, symlinkSync, readFileSync, writeFileSync, rmSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal, GENERATOR_VERSION } from './gen-journal.mjs';
import { labCollectCost, labCollectUnavailable } from './lab-collect.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const DIST = join(OUT, 'dist');
const SEED = join(ROOT, 'samples', 'seed-incident');
const SIZES = { '10M': 10 * 1024 * 1024, '100M': 100 * 1024 * 1024, '1G': 1024 * 1024 * 1024 };

function args() {
  const a = process.argv.slice(2);
  const opt = { sizes: Object.keys(SIZES), runs: 3, build: true, labLines: 200_000 };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--sizes') opt.sizes = a[++i].split(',');
    else if (a[i] === '--runs') opt.runs = Math.max(1, Number(a[++i]));
    else if (a[i] === '--no-build') opt.build = false;
    else if (a[i] === '--lab-lines') opt.labLines = Math.max(1000, Number(a[++i]));
    else {
      console.error(`bench: unknown argument ${a[i]} (use --sizes 10M,100M,1G --runs N --no-build --lab-lines N)`);
      process.exit(2);
    }
  }
  for (const s of opt.sizes) if (!SIZES[s]) {
    console.error(`bench: unknown size ${s} (one of ${Object.keys(SIZES).join(', ')})`);
    process.exit(2);
  }
  return opt;
}

function build() {
  process.stderr.write('bench: compiling into bench/out/dist ...\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', DIST], { encoding: 'utf8' });
  // tsc emits even with type errors (another change in progress); the bench needs only the output.
  if (!existsSync(join(DIST, 'cli.js'))) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(1);
  }
  if (r.status !== 0) process.stderr.write(`bench: note: tsc reported type errors:\n${r.stdout.split('\n').slice(0, 5).join('\n')}\n`);
  // As `npm run build` does: the collector's scripts next to the compiled code, and the report
  // templates where the compiled code looks for them (next to its dist/).
  cpSync(join(ROOT, 'src', 'collect', 'script'), join(DIST, 'collect', 'script'), { recursive: true });
  rmSync(join(OUT, 'report-templates'), { recursive: true, force: true });
  symlinkSync(join(ROOT, 'report-templates'), join(OUT, 'report-templates'));
}

/** The bundle for one size: generated once, kept while the generator is unchanged. */
function bundleFor(size) {
  const dir = join(OUT, `bundle-${size}`);
  const metaFile = join(OUT, `bundle-${size}.meta.json`);
  const journal = join(dir, 'commands', 'journal.jsonl');
  if (existsSync(metaFile) && existsSync(journal)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.generator === GENERATOR_VERSION && statSync(journal).size === meta.bytes) return { dir, journal, meta };
  }
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`bench: generating a ${size} journal ...\n`);
  mkdirSync(join(dir, 'commands'), { recursive: true });
  const g = generateJournal(journal, SIZES[size]);
  const seedManifest = JSON.parse(readFileSync(join(SEED, 'manifest.json'), 'utf8'));
  // No sources list: canonical paths. The window leaves the first half hour out, so lines outside it are judged too.
  const iso = (ms) => new Date(ms + 3 * 3600_000).toISOString().replace(/\.\d+Z$/, '+03:00');
  const manifest = {
    format: 'charger-diag-bundle',
    formatVersion: 1,
    tool: seedManifest.tool,
    host: seedManifest.host,
    collectedAt: iso(g.lastMs + 1000),
    window: { since: iso(g.firstMs + 30 * 60_000), until: iso(g.lastMs + 1000) },
    redaction: seedManifest.redaction,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const meta = { generator: GENERATOR_VERSION, ...g };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return { dir, journal, meta };
}

/** Read the file once so every contender starts from the page cache. */
function warm(path) {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const RSS_PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'rss-preload.mjs');

/**
 * Run a command; wall seconds, peak RSS (MB) and the SHA-256 of its stdout.
 * Peak RSS comes from GNU time (-f %M, the child's ru_maxrss); without it,
 * node children report their own resourceUsage().maxRSS and grep's is unknown.
 */
function measure(cmd, argv, env = {}) {
  const isNode = cmd === process.execPath;
  const rssFile = join(OUT, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  let file = cmd;
  let list = argv;
  if (TIME) {
    file = TIME;
    list = ['-f', 'charger-diag-bench %e %M %U %S', cmd, ...argv];
  } else if (isNode) list = ['--import', RSS_PRELOAD, ...argv];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, list, {
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  let rssMb = null;
  let cpu = null;
  const m = /charger-diag-bench ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
  if (m) {
    rssMb = Number(m[2]) / 1024;
    cpu = Number(m[3]) + Number(m[4]);
  } else if (existsSync(rssFile)) rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  return { seconds: wall, cpu, rssMb, out: createHash('sha256').update(r.stdout).digest('hex') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (s, n, right = false) => (right ? String(s).padEnd(n) : String(s).padStart(n));

function startup(runs) {
  const t = (argv) => {
    const xs = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
      xs.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return median(xs);
  };
  const node = [];
  const help = [];
  // In turns, so both see the same machine.
  for (let i = 0; i < 3; i++) {
    node.push(t(['-e', '0']));
    help.push(t([join(DIST, 'cli.js'), '--help']));
  }
  return { node: median(node), help: median(help) };
}

/** Redaction on and off, on the largest size: the figures and the ratio docs/redaction.md bounds at 15%. */
function redactionCost(opt) {
  const size = opt.sizes.reduce((a, b) => (SIZES[b] > SIZES[a] ? b : a));
  const { dir, journal, meta } = bundleFor(size);
  const child = join(dirname(fileURLToPath(import.meta.url)), 'redaction-child.mjs');
  warm(journal);
  const stream = { off: [], on: [] };
  const analyze = [];
  for (let i = 0; i < opt.runs; i++) {
    // In turns, so both see the same machine.
    stream.off.push(measure(process.execPath, [child, DIST, 'stream', 'off', journal, OUT]));
    stream.on.push(measure(process.execPath, [child, DIST, 'stream', 'on', journal, OUT]));
    const r = spawnSync(process.execPath, [child, DIST, 'analyze', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`redaction-child analyze exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    analyze.push(JSON.parse(r.stdout));
  }
  const mb = meta.bytes / 1e6;
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const verdict = (x) => (x <= 0.15 ? 'within the 15% budget' : 'OVER the 15% budget');
  console.log(`\nredaction, on and off (${size} journal, ${meta.lines} lines; budget: at most 15%)`);
  const a = {
    total: median(analyze.map((x) => x.analyzeSeconds)),
    totalCpu: median(analyze.map((x) => x.analyzeCpu)),
    red: median(analyze.map((x) => x.redactSeconds)),
    redCpu: median(analyze.map((x) => x.redactCpu)),
    bytes: median(analyze.map((x) => x.jsonBytes)),
  };
  const aRatio = a.red / Math.max(1e-9, a.total - a.red);
  console.log(
    `  analyze: ${a.total.toFixed(2)} s (CPU ${a.totalCpu.toFixed(2)} s) with redaction, of which the redaction of the analysis JSON (${(a.bytes / 1e3).toFixed(0)} kB, names included) ${(a.red * 1000).toFixed(1)} ms (CPU ${(a.redCpu * 1000).toFixed(1)} ms): +${pct(aRatio)} over analyze without it, ${verdict(aRatio)}`,
  );
  const s = {
    off: median(stream.off.map((x) => x.seconds)),
    on: median(stream.on.map((x) => x.seconds)),
    offCpu: stream.off.every((x) => x.cpu !== null) ? median(stream.off.map((x) => x.cpu)) : null,
    onCpu: stream.on.every((x) => x.cpu !== null) ? median(stream.on.map((x) => x.cpu)) : null,
  };
  const sRatio = (s.on - s.off) / s.off;
  const cpuText = s.offCpu !== null && s.onCpu !== null ? ` (CPU ${s.offCpu.toFixed(2)} s and ${s.onCpu.toFixed(2)} s: +${pct((s.onCpu - s.offCpu) / s.offCpu)})` : '';
  console.log(
    `  collect's journal path (cat | split, redact, write): off ${s.off.toFixed(2)} s, on ${s.on.toFixed(2)} s${cpuText}: +${pct(sRatio)}, ${verdict(sRatio)}; redaction alone ${(mb / Math.max(1e-9, s.on - s.off)).toFixed(0)} MB/s`,
  );
  console.log("    (an upper bound for collect: journalctl's own export, far slower than cat, and every other command are not in the \"off\" time)");
}

const opt = args();
mkdirSync(OUT, { recursive: true });
if (opt.build) build();
const cli = join(DIST, 'cli.js');
console.log(`charger-diag bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`peak RSS by ${TIME ? 'GNU time (ru_maxrss of the child: the process and all its threads)' : 'the child\'s own resourceUsage().maxRSS (grep: n/a)'}; ${opt.runs} run(s) each, in turns, median shown\n`);

const rows = [];
for (const size of opt.sizes) {
  const { dir, journal, meta } = bundleFor(size);
  warm(journal);
  const mb = meta.bytes / 1e6;
  const runs = { grep: [], full: [], analyze: [] };
  for (let i = 0; i < opt.runs; i++) {
    runs.grep.push(measure('grep', ['-c', '"PRIORITY":"3"', journal]));
    runs.full.push(measure(process.execPath, [cli, 'analyze', dir, '--json'], { CHARGER_DIAG_FULL_PARSE: '1' }));
    runs.analyze.push(measure(process.execPath, [cli, 'analyze', dir, '--json']));
  }
  const grepS = median(runs.grep.map((r) => r.seconds));
  const fullOut = new Set(runs.full.map((r) => r.out));
  for (const [name, list] of Object.entries(runs)) {
    const s = median(list.map((r) => r.seconds));
    const rss = list.every((r) => r.rssMb !== null) ? Math.max(...list.map((r) => r.rssMb)) : null;
    let agree = '-';
    if (name === 'analyze') agree = fullOut.size === 1 && list.every((r) => fullOut.has(r.out)) ? 'yes' : 'NO';
    if (name === 'full') agree = fullOut.size === 1 ? '(reference)' : 'NO (runs differ)';
    const cpu = list.every((r) => r.cpu !== null) ? median(list.map((r) => r.cpu)) : null;
    rows.push({ size, lines: meta.lines, name, s, cpu, mbps: mb / s, ratio: s / grepS, rss, agree });
  }
}

console.log(`${pad('size', 6, true)} ${pad('lines', 9)}  ${pad('path', 22, true)} ${pad('seconds', 8)} ${pad('MB/s', 7)} ${pad('x grep', 7)} ${pad('peak RSS', 10)} ${pad('CPU s', 7)}  agrees with full parse`);
const names = { grep: "grep -c '\"PRIORITY\":\"3\"'", full: 'full parse', analyze: 'charger-diag analyze' };
for (const r of rows) {
  console.log(
    `${pad(r.size, 6, true)} ${pad(r.lines, 9)}  ${pad(names[r.name], 22, true)} ${pad(r.s.toFixed(2), 8)} ${pad(r.mbps.toFixed(0), 7)} ${pad(r.ratio.toFixed(2), 7)} ${pad(r.rss === null ? 'n/a' : `${r.rss.toFixed(0)} MB`, 10)} ${pad(r.cpu === null ? 'n/a' : r.cpu.toFixed(2), 7)}  ${r.agree}`,
  );
}
const seed = [];
for (let i = 0; i < opt.runs; i++) seed.push(measure(process.execPath, [cli, 'analyze', SEED, '--json']).seconds);
console.log(`\nfixed cost: charger-diag analyze samples/seed-incident (every source, an 89 kB journal) ${median(seed).toFixed(2)} s`);
redactionCost(opt);
const labWhy = labCollectUnavailable();
if (labWhy) console.log(`\ncollect in the real-systemd lab: skipped (${labWhy})`);
else {
  const cliInLab = '/run/lab/repo/' + DIST.slice(ROOT.length + 1) + '/cli.js';
  const c = await labCollectCost({ runs: opt.runs, lines: opt.labLines, cliInLab, measure, median });
  const pctOf = (on, off) => `+${(((on - off) / off) * 100).toFixed(1)}%`;
  const verdict = (on, off) => ((on - off) / off <= 0.15 ? 'within the 15% budget' : 'OVER the 15% budget');
  console.log(`\ncollect --since -60m --no-report in the real-systemd lab (a journal of ${c.lines} lines from one hour, 1 in 100 with a secret), median of ${opt.runs}:`);
  console.log(`  redaction off ${c.off.seconds.toFixed(2)} s (CPU ${c.off.cpu?.toFixed(2) ?? 'n/a'} s, peak RSS ${c.off.rssMb.toFixed(0)} MB, bundle ${(c.bytes.off / 1e6).toFixed(1)} MB)`);
  console.log(`  redaction on  ${c.on.seconds.toFixed(2)} s (CPU ${c.on.cpu?.toFixed(2) ?? 'n/a'} s, peak RSS ${c.on.rssMb.toFixed(0)} MB, bundle ${(c.bytes.on / 1e6).toFixed(1)} MB)`);
  console.log(`  wall ${pctOf(c.on.seconds, c.off.seconds)}, ${verdict(c.on.seconds, c.off.seconds)}${c.on.cpu && c.off.cpu ? `; CPU ${pctOf(c.on.cpu, c.off.cpu)}` : ''}`);
}
const st = startup(5);
console.log(`startup: charger-diag --help ${(st.help * 1000).toFixed(0)} ms, node -e 0 ${(st.node * 1000).toFixed(0)} ms: ${(st.help / st.node).toFixed(2)}x`);
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on this machine slow every contender alike)`);
