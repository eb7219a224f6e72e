// Facts are built by one provider per source: each declares what it reads and
// which fact kinds it provides, and why a kind is missing is worded from those
// declarations (facts/missing.ts) out of the sources' records.
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/facts/providers/index.js';
import { FACT_KINDS } from '../../src/facts/types.js';
import { SOURCE_IDS } from '../../src/sources/catalogue.js';
import { buildFacts } from '../../src/facts/build.js';
import { openBundle } from '../../src/bundle/reader.js';
import { ConfigSchema } from '../../src/config.js';
import { factsOf, writeBundle } from '../helpers/bundle.js';

const PS = `  PID  PPID USER                             STARTED                      ELAPSED   RSS %CPU CGROUP                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           COMMAND
    1     0 root                             Wed Dec 10 00:00:00 2025        900  9000  0.0 0::/init.scope                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   /sbin/init
`;

describe('fact providers', () => {
  it('provide every fact kind once, read every catalogue source once, and explain a kind only by sources they read', () => {
    const kinds = PROVIDERS.flatMap((p) => p.provides.map((x) => x.kind));
    expect([...kinds].sort()).toEqual([...FACT_KINDS].sort());
    // os (uname, os-release) is not read for facts: the manifest's host block carries the system's name.
    const reads = PROVIDERS.flatMap((p) => p.reads);
    expect([...reads, 'os'].sort()).toEqual([...SOURCE_IDS].sort());
    for (const p of PROVIDERS) for (const x of p.provides) for (const f of x.from) expect(p.reads, `${p.name} ${x.kind}`).toContain(f.source);
  });

  it('say why a kind is missing from the status the collector recorded for its source', async () => {
    const facts = await factsOf({
      manifest: {
        sources: [
          { id: 'ps', command: 'ps -eo ...', status: 'denied', error: 'ps: permission denied' },
          { id: 'listeners', path: 'commands/ss-ltnup.txt', status: 'timeout', error: 'timed out' },
          { id: 'load', path: 'files/proc/loadavg', status: 'ok' },
          { id: 'load', command: 'copy of /proc/uptime', status: 'unavailable', error: 'live-only source' },
        ],
      },
      files: { 'files/proc/loadavg': '0.10 0.20 0.30 1/100 1234\n' },
    });
    expect(facts.available.has('load')).toBe(true);
    expect(facts.missingReason.processes).toBe('ps: denied (ps: permission denied)');
    expect(facts.missingReason.cgroups).toBe('ps: denied (ps: permission denied)');
    expect(facts.missingReason.listeners).toBe('commands/ss-ltnup.txt: timeout (timed out)');
    // The uptime's own record, not the first one of its source (loadavg, read).
    expect(facts.missingReason.uptime).toBe('load: unavailable (live-only source)');
    expect(facts.missingReason.memory).toBe('no /proc/meminfo in the bundle');
    expect(facts.missingReason['unit-config']).toBe('no unit files under files/*/systemd/system and no systemctl show output in the bundle');
    expect(facts.missingReason['kernel-log']).toBe('no journal, dmesg or kern.log in the bundle (no journal in the bundle; no dmesg in the bundle)');
    expect(facts.available.has('cpus')).toBe(true);
    expect(facts.missingReason.cpus).toBeUndefined();
  });

  it('say when a source was read and still gave nothing for a kind', async () => {
    const facts = await factsOf({ files: { 'commands/ps.txt': PS.replace(/ CGROUP +/, ' ').replace(/ 0::\/init\.scope +/, ' ') } });
    expect(facts.available.has('processes')).toBe(true);
    expect(facts.missingReason.cgroups).toBe('commands/ps.txt: no cgroup column (plain ps auxww output)');
  });

  it('refuse a provider that reads a source it does not declare', async () => {
    const provider = PROVIDERS.find((p) => p.name === 'cron')!;
    const reads = provider.reads;
    const { dir, cleanup } = writeBundle({ files: {} });
    const bundle = await openBundle(dir);
    try {
      (provider as { reads: typeof reads }).reads = [];
      await expect(buildFacts(bundle, ConfigSchema.parse({}))).rejects.toThrow('fact provider cron reads cron, which it does not declare');
    } finally {
      (provider as { reads: typeof reads }).reads = reads;
      await bundle.close();
      cleanup();
    }
  });
});
