// The catalogue's steps run side by side (collect/steps.ts): the manifest must
// still list their records in catalogue order, a step must not start before
// the steps it reads, and a failure must not leave steps writing behind it.
// The archive of a bundle lists its files sorted, whatever order they were
// written in.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { extractTarball, DEFAULT_LIMITS } from '../../src/bundle/tar.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSteps, type Step } from '../../src/collect/steps.js';
import { packBundle } from '../../src/collect/bundle-writer.js';
import { Staging } from '../../src/collect/staging.js';
import type { RunContext, SourceRecord } from '../../src/collect/types.js';
import { list } from 'tar';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Bytes that differ from one offset to the next, so a chunk written twice or out of place shows. */
const patterned = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(i / 251)) & 0xff));

function context(): { ctx: RunContext; records: SourceRecord[] } {
  const records: SourceRecord[] = [];
  const ctx = { record: (r: SourceRecord) => records.push(r), step: () => undefined } as unknown as RunContext;
  return { ctx, records };
}

/** A step that records `id` once at its start and once at its end, after `ms`. */
function step(id: string, ms: number, log: string[], needs: number[] = []): Step {
  return {
    needs,
    run: async (c) => {
      log.push(`start ${id}`);
      c.record({ id, status: 'ok', error: 'first' });
      await sleep(ms);
      c.record({ id, status: 'ok', error: 'second' });
      log.push(`end ${id}`);
    },
  };
}

describe('runSteps', () => {
  it('passes records on in step order although later steps end first', async () => {
    const { ctx, records } = context();
    const log: string[] = [];
    await runSteps(ctx, [step('slow', 80, log), step('fast', 5, log), step('middle', 30, log)], 4);
    // All three ran at once: the fast ones ended before the slow one.
    expect(log.indexOf('end fast')).toBeLessThan(log.indexOf('end slow'));
    expect(records.map((r) => `${r.id} ${r.error}`)).toEqual(['slow first', 'slow second', 'fast first', 'fast second', 'middle first', 'middle second']);
  });

  it('starts a step only once the steps it needs have ended, and never more than the limit at once', async () => {
    const { ctx } = context();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const counted = (s: Step): Step => ({
      needs: s.needs,
      run: async (c) => {
        most = Math.max(most, ++running);
        try {
          await s.run(c);
        } finally {
          running--;
        }
      },
    });
    await runSteps(ctx, [step('ps', 40, log), step('a', 10, log, [0]), step('b', 10, log, [0]), step('c', 10, log, [0]), step('d', 10, log, [1, 2])].map(counted), 2);
    expect(log.indexOf('start a')).toBeGreaterThan(log.indexOf('end ps'));
    expect(log.indexOf('start d')).toBeGreaterThan(Math.max(log.indexOf('end a'), log.indexOf('end b')));
    expect(most).toBe(2);
  });

  it('after a failure starts nothing more, lets the running steps end, and throws the first failure', async () => {
    const { ctx } = context();
    const log: string[] = [];
    const failing: Step = {
      needs: [],
      run: async () => {
        await sleep(10);
        throw new Error('disk full');
      },
    };
    await expect(runSteps(ctx, [step('long', 60, log), failing, step('later', 5, log), step('after', 5, log, [1])], 2)).rejects.toThrow('disk full');
    // The step already running ended before runSteps returned; the ones queued never started.
    expect(log).toEqual(['start long', 'end long']);
  });
});

describe('packBundle', () => {
  let out: string | null = null;
  afterEach(() => {
    if (out) rmSync(out, { recursive: true, force: true });
    out = null;
  });

  it('lists the files sorted, parents first, whatever order they were written in', async () => {
    out = mkdtempSync(join(tmpdir(), 'cd-pack-'));
    const staging = Staging.create(out);
    staging.begin('b');
    for (const rel of ['manifest.json', 'commands/ps.txt', 'files/etc/os-release', 'commands/df.txt', 'commands/dmesg.txt', 'files/etc/cron.d/x']) await staging.writeFile(rel, `${rel}\n`);
    const { path } = await packBundle(staging);
    const names: string[] = [];
    await list({ file: path, onReadEntry: (e) => names.push(e.path) });
    expect(names).toEqual([
      'b/',
      'b/commands/',
      'b/commands/df.txt',
      'b/commands/dmesg.txt',
      'b/commands/ps.txt',
      'b/files/',
      'b/files/etc/',
      'b/files/etc/cron.d/',
      'b/files/etc/cron.d/x',
      'b/files/etc/os-release',
      'b/manifest.json',
    ]);
  });

  it('writes a tar.gz that this tool and GNU tar read back byte for byte: long and non-ASCII paths, empty and block-sized files', async () => {
    out = mkdtempSync(join(tmpdir(), 'cd-pack-'));
    const staging = Staging.create(out);
    staging.begin('charger-diag-device-20260101-000000');
    const long = `files/srv/${'app-'.repeat(30)}logs/nohup.out`;
    const files: Record<string, Buffer> = {
      'manifest.json': Buffer.from('{}\n'),
      'commands/empty.txt': Buffer.alloc(0),
      'commands/block.txt': Buffer.alloc(512, 0x61),
      'commands/big.txt': Buffer.from(Array.from({ length: 9000 }, (_, i) => `line ${i}\n`).join('')),
      [long]: Buffer.from('started\n'),
      'files/srv/şarj/app.log': Buffer.from('ölçüm\n'),
      // Sizes around the writer's 64 KiB buffer: headers and data cut at its edge, several buffers for one file.
      'commands/edge-1.bin': patterned(65_537),
      'commands/edge-2.bin': patterned(65_024),
      'commands/several.bin': patterned(200_000),
    };
    for (const [rel, data] of Object.entries(files)) await staging.writeFile(rel, data);
    const { path, sha256 } = await packBundle(staging);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);

    const mine = join(out, 'mine');
    mkdirSync(mine);
    const tree = await extractTarball(path, mine, DEFAULT_LIMITS, 'bundle');
    const gnu = join(out, 'gnu');
    mkdirSync(gnu);
    execFileSync('tar', ['-xzf', path, '-C', gnu]);
    for (const [rel, data] of Object.entries(files)) {
      const inside = `charger-diag-device-20260101-000000/${rel}`;
      expect(tree.files.get(inside), inside).toBe(data.length);
      expect(readFileSync(join(mine, inside)).equals(data), inside).toBe(true);
      expect(readFileSync(join(gnu, inside)).equals(data), inside).toBe(true);
    }
    expect([...tree.files.keys()].length).toBe(Object.keys(files).length);
  });

  it('rejects with the error of the output when the archive cannot be written, and does not hang', async () => {
    out = mkdtempSync(join(tmpdir(), 'cd-pack-'));
    const staging = Staging.create(out);
    staging.begin('b');
    await staging.writeFile('commands/big.txt', Buffer.alloc(3 * 1024 * 1024, 0x61));
    // The temporary archive's name is taken: its open fails (as a full disk's write would) while the tar is being written.
    writeFileSync(staging.scratchPath('bundle.tar.gz'), '');
    await expect(packBundle(staging)).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
