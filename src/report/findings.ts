// Each finding in the reader's language, built from its rule id and params
// (never from the English `title`/`remediation` of the analysis JSON, which
// only the English report may fall back on for a rule this catalogue does not
// know yet).
import type { Finding } from '../analysis/schema.js';
import { md, type Md, type Params, type Translator } from './i18n.js';
import { codes, num, str, strs } from './context.js';
import { time, bytes } from './format.js';
import { code, escapeMarkdown } from './markdown.js';

export interface FindingText {
  title: string;
  /** what the bundle shows, one bullet each */
  state: string[];
  /** what to do about it */
  fix: string;
}

const yes = (b: boolean): Md => md(b ? 'yes' : 'no');

export function ruleName(t: Translator, rule: string): string {
  return t.has(`rule.${rule}.name`) ? t.t(`rule.${rule}.name`) : t.t('rule.unknown.name', { rule });
}

export function severityWord(t: Translator, s: string): string {
  return t.t(`severity.${s === 'critical' || s === 'warning' ? s : 'info'}`);
}

export function describeFinding(t: Translator, f: Finding): FindingText {
  const p = f.params;
  const k = (key: string, params: Params = {}) => t.t(`rule.${f.rule}.${key}`, { subject: f.subject, ...params });
  const state: string[] = [];
  switch (f.rule) {
    case 'process.unmanaged': {
      const ports = strs(p.ports);
      // ICU select keys are identifiers: transient-scope → transient.
      const category = (str(p.category) ?? 'other').replace(/-scope$/, '');
      const title = k('title', { category: md(category), ports: codes(ports), hasPorts: yes(ports.length > 0) });
      state.push(k('state.started', { startedAt: time(str(p.startedAt)), user: str(p.user), scope: str(p.scope) ?? str(p.cgroup), category: md(category), hasStart: yes(!!str(p.startedAt)) }));
      if (str(p.command)) state.push(k('state.command', { command: str(p.command) }));
      state.push(str(p.cwd) ? k('state.cwd', { cwd: str(p.cwd) }) : k('state.cwdUnknown'));
      if (str(p.stdout)) state.push(k('state.stdout', { stdout: str(p.stdout) }));
      const workers = Array.isArray(p.workers) ? p.workers.filter((x): x is number => typeof x === 'number') : [];
      if (workers.length) state.push(k('state.workers', { pids: codes(workers.map(String)) }));
      return { title, state, fix: k('fix', { unit: str(p.suggestedUnit) ?? f.subject, pid: String(num(p.pid) ?? '?') }) };
    }
    case 'service.no-restart': {
      const restart = str(p.restart) ?? 'no';
      state.push(k(p.restartExplicit === true ? 'state.explicit' : 'state.default', { restart: `Restart=${restart}` }));
      const exits = num(p.exitedInWindow) ?? 0;
      state.push(exits > 0 ? k('state.exited', { n: exits, last: time(str(p.lastExit)) }) : k('state.notExited'));
      if (str(p.execStart)) state.push(k('state.command', { command: str(p.execStart) }));
      const dropins = strs(p.dropins);
      if (dropins.length) state.push(k('state.dropins', { dropins: codes(dropins) }));
      return { title: k('title', { unit: str(p.unit) ?? f.subject, restart: `Restart=${restart}` }), state, fix: k('fix', { unit: str(p.unit) ?? f.subject }) };
    }
    case 'service.no-health-check': {
      const ports = strs(p.ports);
      state.push(k('state.searched', { watchdog: `WatchdogSec=${str(p.watchdogSec) ?? '0'}`, timers: num(p.timersSearched) ?? 0, cron: num(p.cronEntriesSearched) ?? 0 }));
      if (str(p.restart)) state.push(k('state.restart', { restart: `Restart=${str(p.restart)}` }));
      state.push(ports.length ? k('state.ports', { ports: codes(ports) }) : k('state.noPorts'));
      const read = Array.isArray(p.scriptsRead) ? (p.scriptsRead as { path?: unknown; via?: unknown; unread?: unknown }[]) : [];
      for (const x of read) {
        if (!str(x.path)) continue;
        state.push(str(x.unread) ? k('state.scriptUnread', { script: codes([str(x.path)!]), via: codes([str(x.via) ?? '?']), why: str(x.unread)! }) : k('state.scriptRead', { script: codes([str(x.path)!]), via: codes([str(x.via) ?? '?']), unit: str(p.unit) ?? f.subject }));
      }
      return { title: k('title', { unit: str(p.unit) ?? f.subject }), state, fix: k('fix', { unit: str(p.unit) ?? f.subject }) };
    }
    case 'service.restart-loop': {
      const statuses = strs(p.exitStatuses);
      if (statuses.length) state.push(k('state.statuses', { statuses: codes(statuses) }));
      if (num(p.maxCounter) !== null) state.push(k('state.counter', { n: num(p.maxCounter)! }));
      return {
        title: k('title', { unit: str(p.unit) ?? f.subject, n: num(p.restarts) ?? 0, first: time(str(p.first)), last: time(str(p.last)) }),
        state,
        fix: k('fix', { unit: str(p.unit) ?? f.subject, first: time(str(p.first)) }),
      };
    }
    case 'service.start-limit-hit': {
      if (num(p.startLimitBurst) !== null) state.push(k('state.limit', { burst: num(p.startLimitBurst)!, interval: num(p.startLimitIntervalSec) ?? 10 }));
      if (str(p.activeState)) state.push(k('state.active', { state: str(p.activeState) }));
      return { title: k('title', { unit: str(p.unit) ?? f.subject, at: time(str(p.at)) }), state, fix: k('fix', { unit: str(p.unit) ?? f.subject }) };
    }
    case 'service.failed': {
      const results = strs(p.results);
      if (results.length) state.push(k('state.results', { results: codes(results) }));
      if (str(p.first)) state.push(k('state.when', { first: time(str(p.first)), last: time(str(p.last)) }));
      return {
        title: k('title', { unit: str(p.unit) ?? f.subject, n: num(p.failures) ?? 0, atCollection: yes(p.failedAtCollection === true) }),
        state,
        fix: k('fix', { unit: str(p.unit) ?? f.subject }),
      };
    }
    case 'service.watchdog-timeout':
      return {
        title: k('title', { unit: str(p.unit) ?? f.subject, n: num(p.timeouts) ?? 1, watchdog: `WatchdogSec=${str(p.watchdogSec) ?? '?'}` }),
        state,
        fix: k('fix', { unit: str(p.unit) ?? f.subject, first: time(str(p.first)) }),
      };
    case 'kernel.oom-kill': {
      const pids = Array.isArray(p.pids) ? p.pids.filter((x): x is number => typeof x === 'number') : [];
      state.push(k('state.scope', { scope: md(str(p.scope) === 'cgroup' ? 'cgroup' : 'global'), memcg: str(p.memcg) ?? '—' }));
      if (pids.length) state.push(k('state.pids', { pids: codes(pids.map(String)) }));
      return {
        title: k('title', { who: str(p.comm) ?? f.subject, unit: str(p.unit), hasUnit: yes(!!str(p.unit)), n: num(p.kills) ?? 1, first: time(str(p.first)) }),
        state,
        fix:
          p.ownLimit === true && str(p.unit)
            ? k('fixOwnLimit', { unit: str(p.unit), limit: str(p.memoryMax) ? `MemoryMax=${str(p.memoryMax)}` : 'MemoryMax=' })
            : k('fix', { unit: str(p.unit) ?? f.subject }),
      };
    }
    case 'kernel.segfault': {
      const kinds = strs(p.kinds);
      if (kinds.length) state.push(k('state.kinds', { kinds: codes(kinds) }));
      return {
        title: k('title', { who: str(p.unit) ?? str(p.comm) ?? f.subject, n: num(p.crashes) ?? 1, first: time(str(p.first)) }),
        state,
        fix: k(p.startLimitHit === true ? 'fixStartLimit' : 'fix', { who: str(p.unit) ?? str(p.comm) ?? f.subject }),
      };
    }
    case 'process.port-conflict': {
      const dups = strs(p.duplicates);
      if (dups.length) {
        return { title: k('titleDuplicate', { duplicates: codes(dups) }), state: str(p.command) ? [k('state.command', { command: str(p.command) })] : [], fix: k('fix') };
      }
      if (strs(p.loggedBy).length) state.push(k('state.loggedBy', { programs: codes(strs(p.loggedBy)) }));
      const holderUnit = str(p.holderUnit);
      if (holderUnit && str(p.holder)) state.push(k('state.holderUnit', { holder: str(p.holder), unit: holderUnit }));
      else state.push(str(p.holder) ? k('state.holder', { holder: str(p.holder) }) : k('state.holderUnknown'));
      if (str(p.portFrom) === 'unit') state.push(k('state.portFromUnit'));
      const port = num(p.port) !== null ? String(num(p.port)) : str(p.port);
      const where = port ? (str(p.address) ? `${str(p.address)}:${port}` : port) : f.subject;
      // The words a person can act on: which unit to stop or which port to change, when the bundle says.
      const failed = strs(p.failedUnits)[0];
      const pid = num(p.holderPid);
      let fix = k('fix');
      if (port && failed && holderUnit) fix = k('fixUnits', { failed, holderUnit, port: md(port) });
      else if (port && failed && pid !== null && str(p.holder)) fix = k('fixProcess', { failed, holder: str(p.holder), pid: `kill ${pid}`, port: md(port) });
      const title = holderUnit && failed ? k('titleHeld', { port: where, holderUnit, n: num(p.failures) ?? 1 }) : k('title', { port: where, n: num(p.failures) ?? 1 });
      return { title, state, fix };
    }
    case 'resource.memory': {
      if (num(p.pressureSomeAvg10) !== null) state.push(k('state.pressure', { avg10: num(p.pressureSomeAvg10)! }));
      const top = p.largestProcess as { pid?: unknown; program?: unknown; rssKiB?: unknown } | null | undefined;
      if (top && typeof top === 'object' && num(top.rssKiB) !== null) {
        state.push(k('state.largest', { process: `${str(top.program) ?? '?'} (pid ${num(top.pid) ?? '?'})`, rss: md(bytes(t, num(top.rssKiB)! * 1024)) }));
      }
      return {
        title: k('title', { percent: num(p.availablePercent) ?? 0, available: md(bytes(t, num(p.availableBytes))), total: md(bytes(t, num(p.totalBytes))), at: time(str(p.at)) }),
        state,
        fix: k('fix'),
      };
    }
    case 'resource.disk':
      return {
        title: k('title', { mount: str(p.mountpoint) ?? f.subject, percent: num(p.usePercent) ?? 0, kind: md(str(p.kind) === 'inodes' ? 'inodes' : 'bytes'), at: time(str(p.at)) }),
        state: str(p.filesystem) ? [k('state.fs', { fs: str(p.filesystem), type: str(p.type) ?? '?' })] : [],
        fix: k('fix', { mount: str(p.mountpoint) ?? f.subject, kind: md(str(p.kind) === 'inodes' ? 'inodes' : 'bytes') }),
      };
    case 'resource.load':
      return {
        title: k('title', { load5: num(p.load5) ?? 0, limit: num(p.limit) ?? 0, cpus: num(p.cpus) ?? 0, at: time(str(p.at)) }),
        state: num(p.ioSomeAvg10) !== null ? [k('state.io', { io: num(p.ioSomeAvg10)!, cpu: num(p.cpuSomeAvg10) ?? 0 })] : [],
        fix: k('fix'),
      };
    case 'proxy.upstream-errors': {
      const upstreams = strs(p.upstreams);
      const statuses = Array.isArray(p.statuses) ? p.statuses.map(String) : [];
      const kinds = strs(p.kinds);
      if (kinds.length) state.push(k('state.kinds', { kinds: md(kinds.map((x) => t.t(`proxyKind.${['upstream-refused', 'upstream-timeout', 'upstream-error', 'http-5xx'].includes(x) ? x : 'other'}`)).join(', ')) }));
      if (statuses.length) state.push(k('state.statuses', { statuses: codes(statuses) }));
      const sources = strs(p.sources);
      if (sources.length) state.push(k('state.sources', { sources: codes(sources) }));
      // Each failed request once (failedRequests); analyses made before it existed have only the line count.
      const failed = num(p.failedRequests);
      if (failed !== null) state.push(k('state.counted', { n: failed, from: md(str(p.failedRequestsFrom) === 'gateway-answers' ? 'answers' : 'failures'), lines: num(p.count) ?? failed }));
      return {
        title: k(upstreams.length ? 'title' : 'titleNoUpstream', { proxy: str(p.proxy) ?? f.subject, upstreams: codes(upstreams), n: failed ?? num(p.count) ?? 0, first: time(str(p.first)), last: time(str(p.last)) }),
        state,
        fix: k('fix', { upstreams: upstreams.length ? codes(upstreams) : md(code(f.subject)), hasUpstream: yes(upstreams.length > 0) }),
      };
    }
    case 'journal.volatile':
      if (str(p.configured)) state.push(k('state.configured', { configured: `Storage=${str(p.configured)}` }));
      return { title: k('title', { storage: str(p.storage) ?? '?' }), state, fix: k('fix') };
    case 'host.rebooted':
      if (str(p.bootId)) state.push(k('state.boot', { bootId: str(p.bootId), current: yes(p.current === true) }));
      if (str(p.decidedBy)) {
        const by = { uptime: 'uptime', 'journal-clock': 'journal', 'kernel-log': 'kernel' }[str(p.decidedBy)!] ?? 'list';
        state.push(k('state.decided', { by: md(by), sources: codes(strs(p.sources)) }));
      }
      return { title: k('title', { at: time(str(p.at)) }), state, fix: k('fix') };
    case 'log.errors': {
      const count = num(p.count) ?? f.evidenceTotal;
      if (num(p.leftOutSources) !== null) {
        // The sources past the grouping limit, counted together.
        return {
          title: k('titleLeftOut', { n: count, sources: num(p.leftOutSources)!, atLeast: md(p.sourcesAtLeast === true ? 'yes' : 'no'), limit: num(p.groupLimit) ?? 0 }),
          state,
          fix: k('fixLeftOut'),
        };
      }
      const noise = num(p.noise) ?? 0;
      if (str(p.first)) state.push(k('state.when', { first: time(str(p.first)), last: time(str(p.last)) }));
      if (noise > 0) state.push(k('state.noise', { n: noise, reasons: codes(strs(p.noiseReasons)) }));
      if ((num(p.undated) ?? 0) > 0) state.push(k('state.undated', { n: num(p.undated)! }));
      const allNoise = noise > 0 && noise >= count;
      return {
        title: k('title', { n: count, source: f.subject, noise: md(allNoise ? 'all' : noise > 0 ? 'some' : 'none'), noiseCount: noise }),
        state,
        fix: allNoise ? k('fixNoise') : k('fix', { source: str(p.source) ?? f.subject }),
      };
    }
    default:
      return {
        // The analysis's own English sentences carry bundle text: escaped, and only in the English report.
        title: t.lang === 'en' ? escapeMarkdown(f.title) : t.t('rule.unknown.title', { rule: f.rule, subject: f.subject }),
        state,
        fix: t.lang === 'en' ? escapeMarkdown(f.remediation) : t.t('rule.unknown.fix', { rule: f.rule }),
      };
  }
}
