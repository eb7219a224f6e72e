// host.rebooted: the device booted inside the window.
import type { RuleFinding } from '../types.js';
import type { Facts, Line } from '../../facts/types.js';
import { quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md, time, yes } from '../describe-kit.js';
import { rebootedParams } from './params.js';
import { messages } from './messages.js';

/** Where a boot's start time comes from, most trustworthy first. */
const SOURCES = ['uptime', 'journal-clock', 'kernel-log', 'boot-list'] as const;
type BootSource = (typeof SOURCES)[number];

interface Candidate {
  id: string;
  starts: Partial<Record<BootSource, number>>;
  lines: Line[];
}

// /proc/uptime is read a moment after the collection time the manifest records (whole seconds).
const SAME_BOOT_MS = 120_000;
const KERNEL_NEAR_MS = 300_000;

function decide(c: Candidate): { ms: number; by: BootSource } | null {
  for (const s of SOURCES) {
    const ms = c.starts[s];
    if (ms !== undefined) return { ms, by: s };
  }
  return null;
}

/** The boot /proc/uptime speaks of: the manifest's boot id, else the newest boot of the list. */
function uptimeBootId(facts: Facts): string | null {
  if (facts.hostInfo.bootId) return facts.hostInfo.bootId;
  return facts.boots.find((b) => b.index === 0)?.bootId ?? null;
}

/** params.decidedBy as the words of state.decided (anything else: the list of sources). */
const DECIDED_BY = new Map([['uptime', 'uptime'], ['journal-clock', 'journal'], ['kernel-log', 'kernel']]);

export const rule = defineRule({
  id: 'host.rebooted',
  severity: 'info',
  needs: [],
  needsAny: ['boots', 'system-log', 'kernel-log', 'uptime'],
  summary: 'The host booted inside the window',
  docs: `Fires when a boot started inside the window. Each boot's start is taken from the most
trustworthy source the bundle has, and params.decidedBy names it:
"uptime" (/proc/uptime at collection: when the running kernel started; it decides for the current
boot, and no other boot can have started after it), "journal-clock" (the journal's own clock for
that boot: an entry's realtime minus its monotonic time is the kernel's start, whichever entry it
is), "kernel-log" (the kernel's "Linux version" / "Booting Linux" lines at their true time), and last
"boot-list" (the FIRST ENTRY column of "journalctl --list-boots"). The boot list alone is weak
evidence: its first entry is the oldest line the journal still holds, which is the boot only when
nothing was vacuumed and journald started with the kernel. A journal that starts inside the window
while the kernel has run for hours (a vacuumed journal, a container or namespace whose own journal
starts late) is not a reboot. params.sources lists every source that placed the boot.
Informational: a reboot explains gaps in logs and restarts of every service; with a volatile
journal it also erased the evidence of what came before.
A device without a real-time clock can start with a wrong time and jump at boot; boot times are
reported as the logs give them.`,
  params: rebootedParams,
  messages,
  ruledOut: 7,
  cause: { order: 7, explainsDeath: true, event: { id: 'reboot', near: 'high', far: 'low', evidence: 1 } },
  describe(p, { k }) {
    const state: string[] = [];
    if (p.bootId) state.push(k('state.boot', { bootId: p.bootId, current: yes(p.current) }));
    if (p.decidedBy) {
      const by = DECIDED_BY.get(p.decidedBy) ?? 'list';
      state.push(k('state.decided', { by: md(by), sources: codes(p.sources ?? []) }));
    }
    return { title: k('title', { at: time(p.at) }), state, fix: k('fix') };
  },
  run(facts) {
    const cands = new Map<string, Candidate>();
    const get = (id: string): Candidate => {
      let c = cands.get(id);
      if (!c) {
        c = { id, starts: {}, lines: [] };
        cands.set(id, c);
      }
      return c;
    };
    const addLine = (c: Candidate, l: Line) => {
      if (c.lines.length < 4) c.lines.push(l);
    };
    for (const b of facts.boots) {
      if (b.firstEpochMs === null) continue;
      const c = get(b.bootId);
      c.starts['boot-list'] = b.firstEpochMs;
      addLine(c, { source: b.source, line: b.line, epochMs: b.firstEpochMs, text: `${b.index} ${b.bootId} ${b.firstText} ${b.lastText}`.trim() });
    }
    for (const b of facts.journalBoots) {
      const c = get(b.bootId);
      c.starts['journal-clock'] = b.firstMs;
      addLine(c, b.at);
    }
    let running: string | null = null;
    let kernelSince: number | null = null;
    if (facts.uptime && facts.collectedAtMs !== null) {
      kernelSince = facts.collectedAtMs - facts.uptime.uptimeSeconds * 1000;
      running = uptimeBootId(facts);
      if (running === null) {
        // Without a boot id, the uptime belongs to the known boot that starts with it, if any.
        running = [...cands.values()].find((c) => {
          const d = decide(c);
          return d !== null && Math.abs(d.ms - kernelSince!) < SAME_BOOT_MS;
        })?.id ?? 'current';
      }
      const c = get(running);
      c.starts.uptime = kernelSince;
      addLine(c, { source: facts.uptime.source, line: facts.uptime.line, epochMs: facts.collectedAtMs, text: `${facts.uptime.uptimeSeconds} ${facts.uptime.idleSeconds ?? ''}`.trim() });
    }
    for (const l of facts.kernelBootLines) {
      if (l.epochMs === null) continue;
      const near = [...cands.values()].find((c) => {
        const d = decide(c);
        return d !== null && Math.abs(d.ms - l.epochMs!) < KERNEL_NEAR_MS;
      });
      const c = near ?? get(`kernel@${l.epochMs}`);
      if (c.starts['kernel-log'] === undefined || l.epochMs < c.starts['kernel-log']) c.starts['kernel-log'] = l.epochMs;
      addLine(c, l);
    }

    const findings: RuleFinding<z.input<typeof rebootedParams>>[] = [];
    const decided = [...cands.values()].map((c) => ({ c, d: decide(c) })).filter((x): x is { c: Candidate; d: { ms: number; by: BootSource } } => x.d !== null);
    for (const { c, d } of decided.sort((x, y) => x.d.ms - y.d.ms)) {
      if (!facts.inWindow(d.ms)) continue;
      // The running kernel was up from kernelSince to collection: no other boot fits in that time.
      if (kernelSince !== null && c.id !== running && d.ms > kernelSince + SAME_BOOT_MS && (facts.collectedAtMs === null || d.ms <= facts.collectedAtMs)) continue;
      const shortId = c.id.startsWith('kernel@') || c.id === 'current' ? null : c.id.slice(0, 12);
      const sources = SOURCES.filter((s) => c.starts[s] !== undefined);
      findings.push({
        subject: shortId ? `boot ${shortId}` : `boot at ${facts.fmt(d.ms)}`,
        params: {
          bootId: shortId ? c.id : null,
          at: facts.fmt(d.ms),
          current: c.id === (facts.hostInfo.bootId ?? running),
          decidedBy: d.by,
          sources,
        },
        evidence: quote(facts, c.lines),
      });
    }
    return findings;
  },
});
