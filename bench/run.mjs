#!/usr/bin/env node
// `npm run bench`: charger-diag's speed and memory, each next to a reference
// run on the same machine in turns, medians shown. Prints figures; it is not
// a test and asserts nothing (the goals are printed next to the figures).
//
//   node bench/run.mjs [--sizes 10M,100M,1G] [--mixes realistic,error-heavy] [--runs 3]
//                      [--no-build] [--no-collect] [--redaction] [--lab] [--lab-lines N]
//
// Three rows, as docs/testing.md describes them:
//  1. the fixed cost: `analyze samples/seed-incident --json` (every source, an
//     89 kB journal) next to `node -e ''`; goal: at most 0.3 s of CPU;
//  2. a big journal: `analyze` of a bundle holding only a generated
//     commands/journal.jsonl (gen-journal.mjs; the `realistic` mix and the
//     `error-heavy` one, with more error lines and longer messages) next to
//     `grep -c '"PRIORITY":"3"'` over the same file (the disk-scan limit);
//     goals: at most 4x grep's wall time, at most 160 MB peak RSS. The full
//     parse (CHARGER_DIAG_FULL_PARSE=1, every line through JSON.parse) runs
//     once per input, to check that analyze prints the same analysis JSON;
//  3. `collect --since -60m` on this machine, with its report, next to
//     `sos report --batch --only-plugins systemd,process,logs,kernel,memory,
//     filesys,cron,date,host` when sos is installed (skipped with a note
//     otherwise); goals: at most 80 MB peak RSS, at least 5x faster than sos.
// Peak RSS is GNU time's (ru_maxrss of the child), CPU time user + system.
// On a machine shared with other work the CPU time says more than the wall
// time: the load average is printed at the start and at the end.
//
// Opt-in: --redaction, the cost of redaction (docs/redaction.md: at most 15%)
// on the largest size, in fresh processes (redaction-child.mjs); --lab, the
// whole `collect --since -60m` inside the real-systemd lab (lab-collect.mjs;
// root only) with redaction on and off, over a journal filled with an hour of
// a busy charger's lines (--lab-lines N), and the third row again there, with
// its sos run, on a real systemd. The CLI is built as `npm run build` builds it, into
// bench/out/dist, so the bench measures this working tree whatever dist/ holds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJournal, GENERATOR_VERSION, MIXES } from './gen-journal.mjs';
import { labCollectCost, labCollectUnavailable } from './lab-collect.mjs';
import { sosArgv } from './sos.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const DIST = join(OUT, 'dist');
const MODULES = join(OUT, 'modules');
const SEED = join(ROOT, 'samples', 'seed-incident');
const SIZES = { '10M': 10 * 1024 * 1024, '100M': 100 * 1024 * 1024, '1G': 1024 * 1024 * 1024 };

function args() {
  const a = process.argv.slice(2);
  const opt = { sizes: ['1G'], mixes: Object.keys(MIXES), runs: 3, build: true, collect: true, redaction: false, lab: false, labLines: 200_000 };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--sizes') opt.sizes = a[++i].split(',');
    else if (a[i] === '--mixes') opt.mixes = a[++i].split(',');
    else if (a[i] === '--runs') opt.runs = Math.max(1, Number(a[++i]));
    else if (a[i] === '--no-build') opt.build = false;
    else if (a[i] === '--no-collect') opt.collect = false;
    else if (a[i] === '--redaction') opt.redaction = true;
    else if (a[i] === '--lab') opt.lab = true;
    else if (a[i] === '--lab-lines') opt.labLines = Math.max(1000, Number(a[++i]));
    else {
      console.error(`bench: unknown argument ${a[i]} (use --sizes 10M,100M,1G --mixes ${Object.keys(MIXES).join(',')} --runs N --no-build --no-collect --redaction --lab --lab-lines N)`);
      process.exit(2);
    }
  }
  for (const s of opt.sizes) if (!SIZES[s]) {
    console.error(`bench: unknown size ${s} (one of ${Object.keys(SIZES).join(', ')})`);
    process.exit(2);
  }
  for (const m of opt.mixes) if (!MIXES[m]) {
    console.error(`bench: unknown mix ${m} (one of ${Object.keys(MIXES).join(', ')})`);
    process.exit(2);
  }
  return opt;
}

/** The CLI as `npm run build` makes it (scripts/build.mjs: the esbuild bundle), into bench/out/dist. */
function build() {
  process.stderr.write('bench: building into bench/out/dist ...\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--outdir', DIST], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(DIST, 'cli.js'))) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(1);
  }
}

/**
 * One compiled file per module (tsc), into bench/out/modules: the redaction
 * measurement calls the collector's writer and the analysis directly.
 */
function buildModules() {
  process.stderr.write('bench: compiling modules into bench/out/modules ...\n');
  rmSync(MODULES, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', MODULES], { encoding: 'utf8' });
  // tsc emits even with type errors (another change in progress); the bench needs only the output.
  if (!existsSync(join(MODULES, 'cli.js'))) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(1);
  }
  if (r.status !== 0) process.stderr.write(`bench: note: tsc reported type errors:\n${r.stdout.split('\n').slice(0, 5).join('\n')}\n`);
}

/** The bundle for one size and mix: generated once, kept while the generator is unchanged. */
function bundleFor(size, mix = 'realistic') {
  const name = mix === 'realistic' ? `bundle-${size}` : `bundle-${size}-${mix}`;
  const dir = join(OUT, name);
  const metaFile = join(OUT, `${name}.meta.json`);
  const journal = join(dir, 'commands', 'journal.jsonl');
  if (existsSync(metaFile) && existsSync(journal)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.generator === GENERATOR_VERSION && statSync(journal).size === meta.bytes) return { dir, journal, meta };
  }
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`bench: generating a ${size} journal (${mix}) ...\n`);
  mkdirSync(join(dir, 'commands'), { recursive: true });
  const g = generateJournal(journal, SIZES[size], { mix });
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
function measure(cmd, argv, env = {}, spawnOpts = {}) {
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
    ...spawnOpts,
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
    stream.off.push(measure(process.execPath, [child, MODULES, 'stream', 'off', journal, OUT]));
    stream.on.push(measure(process.execPath, [child, MODULES, 'stream', 'on', journal, OUT]));
    const r = spawnSync(process.execPath, [child, MODULES, 'analyze', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
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
console.log(`peak RSS by ${TIME ? 'GNU time (ru_maxrss of the child)' : "the child's own resourceUsage().maxRSS (grep, sos: n/a)"}; ${opt.runs} run(s) each, in turns, median shown\n`);

const sum = (list) => ({
  s: median(list.map((r) => r.seconds)),
  cpu: list.every((r) => r.cpu !== null) ? median(list.map((r) => r.cpu)) : null,
  rss: list.every((r) => r.rssMb !== null) ? Math.max(...list.map((r) => r.rssMb)) : null,
});
const secs = (x) => (x === null ? 'n/a' : x.toFixed(2));
const mbText = (x) => (x === null ? 'n/a' : `${x.toFixed(0)} MB`);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const rows = [];
const row = (what, m, ref, refName, ratio, goal) => rows.push({ what, m, ref, refName, ratio, goal });

// 1. The fixed cost.
{
  const runs = { cd: [], node: [] };
  for (let i = 0; i < Math.max(opt.runs, 5); i++) {
    runs.node.push(measure(process.execPath, ['-e', '']));
    runs.cd.push(measure(process.execPath, [cli, 'analyze', SEED, '--json']));
  }
  const m = sum(runs.cd);
  const ref = sum(runs.node);
  row('analyze samples/seed-incident --json', m, ref, "node -e ''", `CPU ${(m.cpu / ref.cpu).toFixed(1)}x`, `CPU <= 0.30 s: ${verdict(m.cpu !== null && m.cpu <= 0.3)}`);
}

// 2. A big journal, each mix.
const agreement = [];
for (const size of opt.sizes) {
  for (const mix of opt.mixes) {
    const { dir, journal, meta } = bundleFor(size, mix);
    warm(journal);
    const full = measure(process.execPath, [cli, 'analyze', dir, '--json'], { CHARGER_DIAG_FULL_PARSE: '1' });
    const runs = { grep: [], analyze: [] };
    for (let i = 0; i < opt.runs; i++) {
      runs.grep.push(measure('grep', ['-c', '"PRIORITY":"3"', journal]));
      runs.analyze.push(measure(process.execPath, [cli, 'analyze', dir, '--json']));
    }
    const m = sum(runs.analyze);
    const ref = sum(runs.grep);
    const agrees = runs.analyze.every((r) => r.out === full.out);
    agreement.push(`${size} ${mix}: ${meta.lines} lines, ${(meta.bytes / 1e6).toFixed(0)} MB; the full parse ${secs(full.seconds)} s (CPU ${secs(full.cpu)} s, ${mbText(full.rssMb)}); analyze prints the same analysis JSON: ${agrees ? 'yes' : 'NO'}`);
    row(`analyze, ${size} journal (${mix})`, m, ref, `grep -c '"PRIORITY":"3"'`, `wall ${(m.s / ref.s).toFixed(1)}x`, `<= 4x grep, <= 160 MB: ${verdict(m.s <= 4 * ref.s && m.rss !== null && m.rss <= 160)}`);
  }
}

// 3. collect on this machine, with its report, and sos.
let collectNote = null;
if (opt.collect) {
  const work = mkdtempSync(join(OUT, 'collect-'));
  // sos 4.0 has no --version: its report's help says whether it is here.
  const sosHere = spawnSync('sos', ['report', '--help'], { stdio: 'ignore' }).status === 0;
  const runs = { cd: [], sos: [] };
  try {
    for (let i = 0; i < opt.runs; i++) {
      runs.cd.push(measure(process.execPath, [cli, 'collect', '--since', '-60m', '--out', join(work, `cd-${i}.tar.gz`)]));
      if (sosHere) {
        const tmp = join(work, `sos-${i}`);
        mkdirSync(tmp);
        runs.sos.push(measure('sos', sosArgv(tmp)));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const m = sum(runs.cd);
  if (sosHere) {
    const ref = sum(runs.sos);
    row('collect --since -60m (with its report)', m, ref, 'sos report (9 plugins)', `sos ${(ref.s / m.s).toFixed(1)}x slower`, `<= 80 MB, >= 5x faster than sos: ${verdict(m.rss !== null && m.rss <= 80 && ref.s >= 5 * m.s)}`);
  } else {
    collectNote = 'sos is not installed here: the sos column is skipped (apt-get install sosreport to add it)';
    row('collect --since -60m (with its report)', m, null, 'sos report: skipped', '-', `<= 80 MB: ${verdict(m.rss !== null && m.rss <= 80)}`);
  }
}

console.log(`${pad('what', 42, true)} ${pad('wall s', 7)} ${pad('CPU s', 6)} ${pad('peak RSS', 9)}  ${pad('reference', 27, true)} ${pad('wall s', 7)} ${pad('CPU s', 6)} ${pad('peak RSS', 9)}  ${pad('ratio', 18, true)} goal`);
for (const r of rows) {
  const ref = r.ref ?? { s: null, cpu: null, rss: null };
  console.log(
    `${pad(r.what, 42, true)} ${pad(secs(r.m.s), 7)} ${pad(secs(r.m.cpu), 6)} ${pad(mbText(r.m.rss), 9)}  ${pad(r.refName, 27, true)} ${pad(secs(ref.s), 7)} ${pad(secs(ref.cpu), 6)} ${pad(mbText(ref.rss), 9)}  ${pad(r.ratio, 18, true)} ${r.goal}`,
  );
}
for (const a of agreement) console.log(`  ${a}`);
if (collectNote) console.log(`  ${collectNote}`);
if (opt.redaction) {
  buildModules();
  redactionCost(opt);
}
if (opt.lab) {
  const labWhy = labCollectUnavailable();
  if (labWhy) console.log(`\ncollect in the real-systemd lab: skipped (${labWhy})`);
  else {
    const cliInLab = '/run/lab/repo/' + DIST.slice(ROOT.length + 1) + '/cli.js';
    const c = await labCollectCost({ runs: opt.runs, lines: opt.labLines, cliInLab, measure, median });
    const pctOf = (on, off) => `+${(((on - off) / off) * 100).toFixed(1)}%`;
    const budget = (on, off) => ((on - off) / off <= 0.15 ? 'within the 15% budget' : 'OVER the 15% budget');
    console.log(`\ncollect --since -60m --no-report in the real-systemd lab (a journal of ${c.lines} lines from one hour, 1 in 100 with a secret), median of ${opt.runs}:`);
    console.log(`  redaction off ${c.off.seconds.toFixed(2)} s (CPU ${c.off.cpu?.toFixed(2) ?? 'n/a'} s, peak RSS ${c.off.rssMb.toFixed(0)} MB, bundle ${(c.bytes.off / 1e6).toFixed(1)} MB)`);
    console.log(`  redaction on  ${c.on.seconds.toFixed(2)} s (CPU ${c.on.cpu?.toFixed(2) ?? 'n/a'} s, peak RSS ${c.on.rssMb.toFixed(0)} MB, bundle ${(c.bytes.on / 1e6).toFixed(1)} MB)`);
    console.log(`  wall ${pctOf(c.on.seconds, c.off.seconds)}, ${budget(c.on.seconds, c.off.seconds)}${c.on.cpu && c.off.cpu ? `; CPU ${pctOf(c.on.cpu, c.off.cpu)}` : ''}`);
    const figures = (f, b) => `${f.seconds.toFixed(2)} s (CPU ${f.cpu?.toFixed(2) ?? 'n/a'} s, peak RSS ${f.rssMb.toFixed(0)} MB, archive ${(b / 1e6).toFixed(1)} MB)`;
    console.log(`\nthe third row on a real systemd (the same lab and journal), median of ${opt.runs}:`);
    console.log(`  collect --since -60m with its report  ${figures(c.report, c.bytes.report)}`);
    if (c.sos) {
      console.log(`  sos report (9 plugins)                ${figures(c.sos, c.bytes.sos)}`);
      console.log(`  sos ${(c.sos.seconds / c.report.seconds).toFixed(1)}x slower; <= 80 MB, >= 5x faster than sos: ${verdict(c.report.rssMb <= 80 && c.sos.seconds >= 5 * c.report.seconds)}`);
    } else console.log('  sos report: skipped (apt-get install sosreport to add it)');
  }
}
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on this machine slow every contender alike)`);
