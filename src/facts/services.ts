// Services: unit files (merged with drop-ins), "systemctl show" properties
// and list-units state joined per unit, with their processes, ports, journal
// events and the probes (timers, cron, ExecStartPost) that watch them.
import type { Config } from '../config.js';
import type { UnitDefinition, Directive } from '../parse/unit-file.js';
import { isSiteLocalPath } from '../parse/unit-file.js';
import { execCommandLines, type UnitPropsRecord } from '../parse/systemctl-show.js';
import type { UnitStateRecord } from '../parse/systemctl-list-units.js';
import type { TimerRecord } from '../parse/systemctl-list-timers.js';
import { parseSystemdTimespan } from '../time.js';
import type { Facts, HealthScriptFact, Line, ProbeFact, ServiceFact, TimerFact } from './types.js';
import { commandPaths, scriptCommandLines } from '../parse/script-refs.js';
import { portOf } from '../net/address.js';

/** The bundle's health-script copies by device path, and the ones recorded without a copy. */
export interface ScriptInputs {
  texts: Map<string, { source: string; text: string; truncated: boolean }>;
  notes: { devicePath: string; status: string; error: string | null }[];
}

interface Inputs {
  facts: Facts;
  unitFiles: UnitDefinition[];
  props: UnitPropsRecord[];
  unitStates: UnitStateRecord[];
  timers: TimerRecord[];
  config: Config;
  scripts?: ScriptInputs;
}

// A script line worth quoting when saying what a script does: a probe or a restart.
const PROBE_WORD = /\b(?:curl|wget|nc|ncat|netcat|systemctl|ss|timeout)\b/;
const MAX_SCRIPT_LINES = 3;
const SYSTEM_PATH = /^\/(?:bin|sbin|lib|lib64|usr\/(?:bin|sbin|lib|lib64|libexec|share))\//;

function directiveLine(d: Directive | undefined): Line | null {
  return d ? { source: d.source, line: d.line, epochMs: null, text: d.text } : null;
}

/** WorkingDirectory=/User= values may carry systemd prefixes ("-", "!", "~"). */
function cleanPath(v: string | undefined | null): string | null {
  if (!v || v === '[not set]') return null;
  return v.replace(/^[-!~]+/, '') || null;
}

/** Items by key, each list in the items' order; items without a key are left out. */
function groupBy<T>(items: readonly T[], key: (item: T) => string | null | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null || k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function portsFromCommand(cmd: string): string[] {
  const out = new Set<string>();
  const port = /(?:--port|-p|--listen-port)[=\s]+(\d{2,5})\b/.exec(cmd);
  if (port) out.add(port[1]!);
  for (const m of cmd.matchAll(/(?:--bind|-b|--listen|--host-port)[=\s]+(?:[\w.[\]:-]*:)?(\d{2,5})\b/g)) out.add(m[1]!);
  return [...out];
}

export function buildServices({ facts, unitFiles, props, unitStates, timers, config, scripts }: Inputs): { services: ServiceFact[]; timers: TimerFact[]; scripts: HealthScriptFact[] } {
  const defs = new Map(unitFiles.map((u) => [u.name, u]));
  const propsBy = new Map(props.map((p) => [p.unit, p]));
  const stateBy = new Map(unitStates.map((s) => [s.unit, s]));
  const names = new Set<string>();
  for (const n of [...defs.keys(), ...propsBy.keys(), ...stateBy.keys()]) if (n.endsWith('.service') && !n.includes('@.')) names.add(n);

  // By unit once, instead of a pass over every process and event per service.
  const processesOf = groupBy(facts.processes.filter((x) => x.category === 'system-service'), (x) => x.cgroupUnit);
  const eventsOf = groupBy(facts.systemdEvents, (e) => e.unit);

  const services: ServiceFact[] = [];
  for (const name of [...names].sort()) {
    const def = defs.get(name) ?? null;
    const pr = propsBy.get(name) ?? null;
    const st = stateBy.get(name) ?? null;
    const p = pr?.props ?? null;
    const propsLine = (key: string): Line | null =>
      pr && pr.lines[key] !== undefined ? { source: pr.source, line: pr.lines[key]!, epochMs: facts.collectedAtMs, text: `${key}=${pr.props[key]}` } : null;
    const fragmentPath = def?.fragment?.devicePath ?? (p?.FragmentPath || null);
    const siteLocal = config.siteLocalUnits.includes(name) || (fragmentPath !== null && isSiteLocalPath(fragmentPath));
    const eff = def?.effective;
    // The running manager's view (systemctl show) wins: it has every drop-in applied.
    const restart = p?.Restart ?? eff?.restart ?? null;
    const type = p?.Type ?? eff?.type ?? null;
    const watchdogRaw = p?.WatchdogUSec !== undefined ? parseSystemdTimespan(p.WatchdogUSec) : (eff?.watchdogSec ?? null);
    // systemd arms the watchdog only for 0 < WatchdogSec < infinity; 252 reports "infinity" for units that never set it.
    const watchdogUs = watchdogRaw !== null && !Number.isFinite(watchdogRaw) ? 0 : watchdogRaw;
    const execStart = p?.ExecStart ? execCommandLines(p.ExecStart) : (eff?.execStart.map((d) => d.value.replace(/^[-@:+!]+/, '')) ?? []);
    const execStartLine = directiveLine(eff?.execStart[0]) ?? propsLine('ExecStart');
    const execStartPost = eff
      ? eff.execStartPost.map((d) => ({ command: d.value, line: directiveLine(d) }))
      : p?.ExecStartPost
        ? execCommandLines(p.ExecStartPost).map((c) => ({ command: c, line: propsLine('ExecStartPost') }))
        : [];
    const activeState = p?.ActiveState ?? st?.active ?? null;
    const stateLine = st
      ? { source: st.source, line: st.line, epochMs: facts.collectedAtMs, text: `${st.unit} ${st.load} ${st.active} ${st.sub} ${st.description}`.trim() }
      : propsLine('ActiveState');
    const processes = processesOf.get(name) ?? [];
    const ports = new Set<string>();
    for (const x of processes) for (const port of x.ports) ports.add(port);
    const mainPid = p?.MainPID && p.MainPID !== '0' ? Number(p.MainPID) : (processes[0]?.pid ?? null);
    services.push({
      name,
      fragmentPath,
      siteLocal,
      masked: def?.masked ?? (p?.LoadState === 'masked' || st?.load === 'masked'),
      definition: def,
      props: p,
      propsLine,
      type,
      restart,
      watchdogUs,
      startLimitBurst: p?.StartLimitBurst !== undefined ? Number(p.StartLimitBurst) : (eff?.startLimitBurst ?? null),
      startLimitIntervalUs: p?.StartLimitIntervalUSec !== undefined ? parseSystemdTimespan(p.StartLimitIntervalUSec) : (eff?.startLimitIntervalSec ?? null),
      user: cleanPath(p?.User) ?? eff?.user ?? null,
      workingDirectory: cleanPath(p?.WorkingDirectory) ?? eff?.workingDirectory ?? null,
      execStart,
      execStartLine,
      execStartPost,
      description: p?.Description ?? eff?.description ?? st?.description ?? null,
      loadState: p?.LoadState ?? st?.load ?? null,
      activeState,
      subState: p?.SubState ?? st?.sub ?? null,
      result: p?.Result ?? null,
      stateLine,
      nRestarts: p?.NRestarts !== undefined ? Number(p.NRestarts) : null,
      mainPid: Number.isFinite(mainPid) ? mainPid : null,
      events: eventsOf.get(name) ?? [],
      ports: [...ports].sort(),
      processes: processes.map((x) => x.pid),
      probes: [],
    });
  }

  // Timers: from list-timers, unit files and show blocks; what each activates.
  const timerFacts = new Map<string, TimerFact>();
  // A masked timer's row names nothing it activates: it starts nothing.
  for (const t of timers) if (t.activates) timerFacts.set(t.unit, { unit: t.unit, activates: t.activates, line: { source: t.source, line: t.line, epochMs: facts.collectedAtMs, text: `${t.unit} → ${t.activates}` } });
  for (const u of unitFiles) {
    if (!u.name.endsWith('.timer') || u.masked || timerFacts.has(u.name)) continue;
    const target = u.get('Timer', 'Unit')?.value ?? u.name.replace(/\.timer$/, '.service');
    timerFacts.set(u.name, { unit: u.name, activates: target, line: directiveLine(u.get('Timer', 'OnUnitActiveSec') ?? u.get('Timer', 'OnCalendar') ?? u.get('Timer', 'OnBootSec')) });
  }
  for (const pr of props) {
    if (!pr.unit.endsWith('.timer') || timerFacts.has(pr.unit)) continue;
    timerFacts.set(pr.unit, { unit: pr.unit, activates: pr.props.Unit ?? pr.unit.replace(/\.timer$/, '.service'), line: null });
  }

  // Probe commands and where they come from.
  const commandsOf = (unit: string): { command: string; line: Line | null }[] => {
    const svc = services.find((s) => s.name === unit);
    const def = defs.get(unit);
    if (def) return def.effective.execStart.map((d) => ({ command: d.value, line: directiveLine(d) }));
    if (svc) return svc.execStart.map((c) => ({ command: c, line: svc.execStartLine }));
    return [];
  };
  type Candidate = { kind: ProbeFact['kind']; via: string; command: string; line: Line | null; self: string | null; script?: string };
  const candidates: Candidate[] = [];
  const siteLocalUnit = (unit: string) => {
    const path = defs.get(unit)?.fragment?.devicePath ?? propsBy.get(unit)?.props.FragmentPath ?? null;
    return config.siteLocalUnits.includes(unit) || (path !== null && path !== '' && isSiteLocalPath(path));
  };
  for (const t of timerFacts.values()) for (const c of commandsOf(t.activates)) candidates.push({ kind: 'timer', via: `${t.unit} → ${t.activates}`, ...c, self: t.activates });
  for (const c of facts.cron) candidates.push({ kind: 'cron', via: c.source, command: c.command, line: { source: c.source, line: c.line, epochMs: null, text: `${c.schedule} ${c.user ?? ''} ${c.command}`.replace(/\s+/g, ' ') }, self: null });

  // The scripts those commands run: each of their lines is a command of the same check, one level deeper at most.
  const scriptFacts = new Map<string, HealthScriptFact>();
  const expand = (c: Candidate, siteLocal: boolean): Candidate[] => {
    if (!scripts) return [];
    const out: Candidate[] = [];
    const walk = (command: string, via: string, nested: boolean, parentLocal: boolean) => {
      for (const path of commandPaths(command)) {
        // A package's own script (under /usr, /bin, /sbin, /lib) is no site's health check, nor what it runs.
        const local = parentLocal && !SYSTEM_PATH.test(path);
        const copy = scripts.texts.get(path);
        const note = scripts.notes.find((n) => n.devicePath === path);
        if (!copy && !note) continue;
        const key = `${c.kind}\0${via}\0${path}`;
        const lines = copy ? scriptCommandLines(copy.text) : [];
        if (!scriptFacts.has(key)) {
          const asLine = (l: { line: number; text: string }): Line => ({ source: copy!.source, line: l.line, epochMs: null, text: l.text.trim() });
          const probing = lines.filter((l) => PROBE_WORD.test(l.text));
          scriptFacts.set(key, {
            path,
            source: copy?.source ?? null,
            via,
            kind: c.kind === 'watchdog' ? 'timer' : c.kind,
            siteLocal: local,
            nested,
            lines: (probing.length ? probing : lines).slice(0, MAX_SCRIPT_LINES).map(asLine),
            unread: copy ? null : `${note!.status}${note!.error ? `: ${note!.error}` : ''}`,
          });
        }
        for (const l of lines) {
          out.push({ kind: c.kind, via: `${via} → ${path}`, command: l.text.trim(), line: { source: copy!.source, line: l.line, epochMs: null, text: l.text.trim() }, self: c.self, script: path });
          if (!nested) walk(l.text, `${via} → ${path}`, true, local);
        }
      }
    };
    walk(c.command, c.via, false, siteLocal);
    return out;
  };
  const timerSiteLocal = new Map([...timerFacts.values()].map((t) => [`${t.unit} → ${t.activates}`, siteLocalUnit(t.unit) || siteLocalUnit(t.activates)]));
  for (const c of [...candidates]) candidates.push(...expand(c, c.kind === 'cron' ? true : (timerSiteLocal.get(c.via) ?? false)));

  // Every candidate's command at once, to rule out most services with one search each: a host
  // lists some 300 services, and going through every command for each took 40 ms of the analysis.
  // A unit name or port holds no line break, so a text found in no command is not in this either.
  const candidateText = candidates.map((c) => c.command).join('\n');
  for (const s of services) {
    const direct: Candidate[] = s.execStartPost.map((e) => ({ kind: 'exec-start-post' as const, via: s.name, command: e.command, line: e.line, self: null }));
    const own = [...direct, ...direct.flatMap((c) => expand(c, s.siteLocal))];
    const ports = new Set([...s.ports.map(portOf), ...s.execStart.flatMap(portsFromCommand)]);
    const urls = config.healthUrls.filter((h) => !h.unit || h.unit === s.name).map((h) => h.url);
    const short = s.name.replace(/\.service$/, '');
    const anyHolds = (text: string) => candidateText.includes(text) || own.some((c) => c.command.includes(text));
    if (urls.length === 0 && !anyHolds(short) && ![...ports].some(anyHolds)) continue;
    // A pattern can match only a command that holds its port or unit name as text: the RegExps
    // (85 services on a small device, each compiled cold) are made only for those.
    const commands = [...candidates, ...own].filter((c) => c.self !== s.name);
    const unitRe = commands.some((c) => c.command.includes(short))
      ? new RegExp(`systemctl\\s+(?:--\\S+\\s+)*(?:restart|try-restart|reload-or-restart|is-active|status)\\s+(?:\\S+\\s+)*${escapeRe(short)}(?:\\.service)?(?=\\s|$|[;&|)'"])`)
      : null;
    const portRes = [...ports].filter((p) => commands.some((c) => c.command.includes(p))).map((p) => new RegExp(`(?::|--port[=\\s]+|\\bport\\s+)${p}\\b`));
    for (const c of commands) {
      const matched =
        portRes.find((re) => re.test(c.command))?.source ??
        urls.find((u) => c.command.includes(u)) ??
        (unitRe?.test(c.command) ? `systemctl … ${s.name}` : undefined);
      if (matched) s.probes.push({ kind: c.kind, via: c.via, command: c.command, line: c.line, matched, ...(c.script ? { script: c.script } : {}) });
    }
  }
  return {
    services,
    timers: [...timerFacts.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
    scripts: [...scriptFacts.values()].sort((a, b) => a.path.localeCompare(b.path) || a.via.localeCompare(b.via)),
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
