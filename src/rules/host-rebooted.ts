// host.rebooted: the device booted inside the window.
import type { Rule, RuleFinding } from './types.js';
import type { Line } from '../facts/types.js';
import { quote } from './helpers.js';

export const rule: Rule = {
  id: 'host.rebooted',
  severity: 'info',
  needs: [],
  needsAny: ['boots', 'system-log', 'kernel-log', 'uptime'],
  summary: 'The host booted inside the window',
  docs: `Fires when a boot started inside the window: a boot in "journalctl --list-boots" whose first
entry is inside it, a new _BOOT_ID in the journal, a kernel "Linux version" line, or /proc/uptime
placing the boot inside it. Informational: a reboot explains gaps in logs and restarts of every
service; with a volatile journal it also erased the evidence of what came before.
A device without a real-time clock can start with a wrong time and jump at boot; boot times are
reported as the logs give them.`,
  run(facts) {
    const boots = new Map<string, { ms: number; lines: Line[] }>();
    const add = (id: string, ms: number | null, line: Line | null) => {
      if (ms === null || !facts.inWindow(ms)) return;
      const b = boots.get(id) ?? { ms, lines: [] };
      b.ms = Math.min(b.ms, ms);
      if (line && b.lines.length < 4) b.lines.push(line);
      boots.set(id, b);
    };
    for (const b of facts.boots) add(b.bootId, b.firstEpochMs, { source: b.source, line: b.line, epochMs: b.firstEpochMs, text: `${b.index} ${b.bootId} ${b.firstText} ${b.lastText}`.trim() });
    for (const b of facts.journalBoots) add(b.bootId, b.firstMs, b.at);
    const current = facts.hostInfo.bootId;
    if (facts.uptime && facts.collectedAtMs !== null) {
      const bootMs = facts.collectedAtMs - facts.uptime.uptimeSeconds * 1000;
      const known = [...boots.values()].some((b) => Math.abs(b.ms - bootMs) < 120_000);
      if (!known) add(current ?? 'current', bootMs, { source: facts.uptime.source, line: facts.uptime.line, epochMs: facts.collectedAtMs, text: `${facts.uptime.uptimeSeconds} ${facts.uptime.idleSeconds ?? ''}`.trim() });
    }
    for (const l of facts.kernelBootLines) {
      const near = [...boots.values()].find((b) => l.epochMs !== null && Math.abs(b.ms - l.epochMs) < 300_000);
      if (near) {
        if (near.lines.length < 4) near.lines.push(l);
      } else add(`kernel@${l.epochMs}`, l.epochMs, l);
    }
    const findings: RuleFinding[] = [];
    for (const [id, b] of [...boots].sort(([, a], [, c]) => a.ms - c.ms)) {
      const shortId = id.startsWith('kernel@') ? null : id.slice(0, 12);
      findings.push({
        subject: shortId ? `boot ${shortId}` : `boot at ${facts.fmt(b.ms)}`,
        params: { bootId: id.startsWith('kernel@') ? null : id, at: facts.fmt(b.ms), current: id === current },
        title: `The host booted at ${facts.fmt(b.ms)}, inside the window`,
        evidence: quote(facts, b.lines),
        remediation: `Find out why it rebooted (power loss, watchdog, kernel panic: journalctl -b -1 -n 50 shows the end of the previous boot if the journal is persistent).`,
      });
    }
    return findings;
  },
};
