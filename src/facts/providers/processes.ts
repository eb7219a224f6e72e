// Processes (ps), their listening sockets (ss) and what /proc says of them
// (procinfo: exe, cwd, where stdout and stderr go).
import { parsePs } from '../../parse/ps.js';
import { parseSs } from '../../parse/ss.js';
import { parseProcInfo, type ProcInfoRecord } from '../../parse/procinfo.js';
import { classifyCgroup, isSystemdCgroup } from '../cgroup.js';
import type { FactKind } from '../types.js';
import { foldSpaces, type Provider } from './types.js';

export const processesProvider: Provider = {
  name: 'processes',
  reads: ['ps', 'listeners', 'procinfo'],
  provides: [
    { kind: 'processes', from: [{ source: 'ps', what: 'ps output' }], unreadable: 'no process could be read' },
    { kind: 'cgroups', from: [{ source: 'ps', what: 'ps output' }], unreadable: 'no cgroup column (plain ps auxww output)' },
    { kind: 'listeners', from: [{ source: 'listeners', what: 'ss output' }] },
  ],
  async run(ctx, draft) {
    const present: FactKind[] = [];
    const readButEmpty: Partial<Record<FactKind, string>> = {};
    const { processes } = draft;
    const psEntry = ctx.first('ps');
    if (psEntry) {
      const psRaw = await ctx.text(psEntry);
      const psLines = psRaw.split('\n');
      const r = parsePs(psRaw, psEntry.path!, ctx.clock);
      ctx.note(psEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      const patterns = ctx.config.serverPatterns.map((p) => new RegExp(p));
      for (const p of r.records) {
        const cg = classifyCgroup(p.cgroupPaths);
        processes.push({
          pid: p.pid,
          ppid: p.ppid,
          user: p.user,
          program: p.program,
          args: p.args,
          cgroup: p.cgroupPaths[0] ?? p.cgroupRaw,
          category: p.cgroupRaw === null ? 'unknown' : cg.category,
          cgroupUnit: cg.unit,
          startEpochMs: p.startEpochMs,
          rssKiB: p.rssKiB,
          kernelThread: p.kernelThread,
          ports: [],
          listenerLines: [],
          psLine: { source: p.source, line: p.line, epochMs: ctx.collectedAtMs, text: foldSpaces(psLines[p.line - 1] ?? p.args) },
          exe: null,
          cwd: null,
          stdout: null,
          stderr: null,
          procinfoLine: null,
          matchesPattern: !p.kernelThread && patterns.some((re) => re.test(p.args)),
        });
      }
      if (r.records.length > 0) present.push('processes');
      else readButEmpty.processes = psEntry.path!;
      if (r.records.some((p) => p.cgroupRaw !== null)) present.push('cgroups');
      else readButEmpty.cgroups = psEntry.path!;
    }

    let ssLines: string[] = [];
    const ssEntry = ctx.first('listeners');
    if (ssEntry) {
      const ssRaw = await ctx.text(ssEntry);
      ssLines = ssRaw.split('\n');
      const r = parseSs(ssRaw, ssEntry.path!);
      ctx.note(ssEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.listeners = r.records;
      present.push('listeners');
    }
    let procinfo: ProcInfoRecord[] = [];
    const piEntry = ctx.first('procinfo');
    if (piEntry) {
      const r = parseProcInfo(await ctx.text(piEntry), piEntry.path!);
      ctx.note(piEntry, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      procinfo = r.records;
    }

    const byPid = new Map(processes.map((p) => [p.pid, p]));
    for (const l of draft.listeners) {
      if (l.state !== 'LISTEN' || !l.netid.startsWith('tcp')) continue;
      for (const owner of l.processes) {
        const p = byPid.get(owner.pid);
        if (!p) continue;
        if (!p.ports.includes(l.local)) p.ports.push(l.local);
        p.listenerLines.push({ source: l.source, line: l.line, epochMs: ctx.collectedAtMs, text: foldSpaces(ssLines[l.line - 1] ?? l.local) });
      }
    }
    for (const i of procinfo) {
      const p = byPid.get(i.pid);
      if (!p) continue;
      p.exe = i.exe;
      p.cwd = i.cwd;
      p.stdout = i.stdout;
      p.stderr = i.stderr;
      p.procinfoLine = { source: i.source, line: i.line, epochMs: ctx.collectedAtMs, text: procinfoText(i) };
    }
    draft.hasServiceManager = processes.some((p) => !p.kernelThread && isSystemdCgroup(p.category));
    return { present, readButEmpty };
  },
};

function procinfoText(i: ProcInfoRecord): string {
  const parts = [`pid ${i.pid}`];
  if (i.exe) parts.push(`exe ${i.exe}`);
  if (i.cwd) parts.push(`cwd ${i.cwd}`);
  if (i.stdout) parts.push(`stdout ${i.stdout}`);
  if (i.stderr && i.stderr !== i.stdout) parts.push(`stderr ${i.stderr}`);
  if (i.error) parts.push(`(${i.error})`);
  return parts.join(', ');
}
