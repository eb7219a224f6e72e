#!/usr/bin/env node
// Analyse every sample bundle with the built CLI and compare it with its
// expected.json (DESIGN.md §6b). Stands in for `charger-diag check samples/`
// until that command exists.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = process.argv[2] ?? 'samples';
const { parseExpected, compareExpectations } = await import('../dist/check/expectations.js');
let failed = 0;
let passed = 0;
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'manifest.json'))) continue;
  const run = spawnSync(process.execPath, ['dist/cli.js', 'analyze', dir, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    failed++;
    console.log(`FAIL ${dir}: analyze exited ${run.status}: ${run.stderr.trim()}`);
    continue;
  }
  const analysis = JSON.parse(run.stdout);
  const expFile = join(dir, 'expected.json');
  if (!existsSync(expFile)) {
    failed++;
    console.log(`FAIL ${dir}: no expected.json`);
    continue;
  }
  const failures = compareExpectations(analysis, parseExpected(readFileSync(expFile, 'utf8'), expFile));
  if (failures.length) {
    failed++;
    console.log(`FAIL ${dir}`);
    for (const f of failures) console.log(`     ${f}`);
  } else {
    passed++;
    console.log(`ok   ${dir} (${analysis.findings.length} findings)`);
  }
}
console.log(`samples: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
