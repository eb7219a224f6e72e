// log.errors: error-level lines in the window, grouped by the source that wrote them.
import type { RuleFinding } from '../types.js';
import { quote } from '../helpers.js';
import type * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { codes, md, time } from '../describe-kit.js';
import { logErrorsParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'log.errors',
  severity: 'info',
  needs: ['logs'],
  summary: 'Error-priority messages in the window, grouped by source, test/mock noise marked',
  docs: `Lists error-level lines inside the window grouped by the unit or log file that wrote them:
journal PRIORITY 0-3, syslog/app lines with ERROR/CRITICAL/FATAL levels, nginx [error] and worse,
ngrok lvl=eror/crit, Python tracebacks. Lines that come from tests or mocks (the word mock,
MagicMock, pytest, unittest, conftest.py, test_ functions) are marked as noise, and a group made only
of them says so. Lines of app logs without timestamps cannot be placed in the window: they are
counted as undated. Past the first 200 sources, the rest are counted in one finding (how many lines, how many
sources) instead of one each. Informational: causes are judged by the other rules.`,
  params: logErrorsParams,
  messages,
  countsLines: true,
  crashSection: 'logs',
  describe(p, { f, k }) {
    const state: string[] = [];
    const count = p.count;
    if (p.leftOutSources !== undefined) {
      // The sources past the grouping limit, counted together.
      return { title: k('titleLeftOut', { n: count, sources: p.leftOutSources, atLeast: md(p.sourcesAtLeast === true ? 'yes' : 'no'), limit: p.groupLimit ?? 0 }), state, fix: k('fixLeftOut') };
    }
    const noise = p.noise;
    if (p.first) state.push(k('state.when', { first: time(p.first), last: time(p.last) }));
    if (noise > 0) state.push(k('state.noise', { n: noise, reasons: codes(p.noiseReasons ?? []) }));
    if (p.undated > 0) state.push(k('state.undated', { n: p.undated }));
    const allNoise = noise > 0 && noise >= count;
    return {
      title: k('title', { n: count, source: f.subject, noise: md(allNoise ? 'all' : noise > 0 ? 'some' : 'none'), noiseCount: noise }),
      state,
      fix: allNoise ? k('fixNoise') : k('fix', { source: p.source || f.subject }),
    };
  },
  run(facts) {
    const findings: RuleFinding<z.input<typeof logErrorsParams>>[] = [];
    for (const g of facts.errorGroups) {
      if (g.count === 0) continue;
      const allNoise = g.noiseCount === g.count;
      const reasons = [...new Set(g.samples.map((s) => s.noise).filter((n): n is string => !!n))].sort();
      findings.push({
        subject: g.key,
        noise: allNoise,
        params: {
          source: g.source,
          count: g.count,
          noise: g.noiseCount,
          undated: g.undated,
          noiseReasons: reasons,
          first: facts.fmt(g.firstMs),
          last: facts.fmt(g.lastMs),
        },
        evidence: quote(facts, g.samples),
      });
    }
    const left = facts.errorGroupsLeftOut;
    if (left) {
      // Not silently dropped: one finding says how many lines of how many more sources were only counted.
      const sources = `${left.sourcesAtLeast ? 'at least ' : ''}${left.sources}`;
      findings.push({
        subject: `${sources} more sources`,
        params: { count: left.lines, leftOutSources: left.sources, sourcesAtLeast: left.sourcesAtLeast, groupLimit: left.limit, noise: 0, undated: 0 },
        evidence: quote(facts, left.samples),
      });
    }
    return findings;
  },
});
