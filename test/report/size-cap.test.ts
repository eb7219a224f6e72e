// A bundle with thousands of error lines still gives a report that fits a
// ticket comment (60,000 by default) or a Jira field (32,767): evidence, the
// timeline and long lines are cut with a count and a pointer into the bundle,
// never the headings or a finding's first quoted line.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Analysis } from '../../src/analysis/schema.js';
import { InputError } from '../../src/errors.js';
import { analyzeSpec } from '../helpers/bundle.js';
import { SYSTEM_PROCS, appEntry, jsonl, listUnits, ps, sd, showAll, showService } from '../helpers/raw.js';
import { HEADINGS, headings, render } from './render.js';

const API = { unit: 'charger-api.service', identifier: 'uvicorn', pid: 7001 };
const DESC = 'Charger API';

const clock = (sec: number): string => {
  const m = Math.floor(sec / 60);
  return `2025-12-10T01:${String(m).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}+03:00`;
};

/**
 * A crash loop: every 5 s the API dies with a traceback (error lines), systemd
 * logs the exit, the failure, the scheduled restart and the start. 15 minutes
 * of that is thousands of error lines and hundreds of timeline events; nginx
 * in front logs a refused upstream for every request meanwhile.
 */
function crashLoopBundle() {
  const journal: string[] = [];
  // A line far longer than any budget keeps whole, first so that it is quoted.
  journal.push(appEntry(API, `ERROR:api.payload:rejected ${'x'.repeat(12_000)}`, clock(30), 3));
  let restarts = 0;
  for (let t = 31; t < 899; t += 5) {
    const trace = [
      'ERROR:    Exception in ASGI application',
      'Traceback (most recent call last):',
      '  File "/home/basar/charger/api/db.py", line 88, in write_meter_value',
      '    cur.execute(SQL_INSERT, (session_id, value, ts))',
      `sqlite3.OperationalError: database is locked (session ${t}, value ${t * 7})`,
    ];
    for (const line of trace) journal.push(appEntry(API, line, clock(t), 3));
    journal.push(sd.mainExited(API.unit, clock(t), 'exited', '1/FAILURE'));
    journal.push(sd.failed(API.unit, 'exit-code', clock(t)));
    journal.push(sd.restartScheduled(API.unit, ++restarts, clock(t + 1)));
    journal.push(sd.started(API.unit, DESC, clock(t + 1)));
  }
  const nginxError: string[] = [];
  const access: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = clock(31 + Math.floor((i * 868) / 3000));
    const hh = t.slice(11, 19);
    nginxError.push(`2025/12/10 ${hh} [error] 812#812: *${1000 + i} connect() failed (111: Connection refused) while connecting to upstream, client: 192.168.1.${i % 250}, server: charger.local, request: "GET /api/status HTTP/1.1", upstream: "http://127.0.0.1:8000/api/status", host: "charger.local"`);
    access.push(`192.168.1.${i % 250} - - [10/Dec/2025:${hh} +0300] "GET /api/status HTTP/1.1" 502 166 "-" "Mozilla/5.0"`);
  }
  return {
    files: {
      'commands/ps.txt': ps([...SYSTEM_PROCS, { pid: 7001, ppid: 1, user: 'basar', start: '2025-12-10 01:14:56', cgroup: '0::/system.slice/charger-api.service', args: '/usr/bin/python3 -m uvicorn api.main:app --port 8000' }]),
      'commands/systemctl-show.txt': showAll([showService({ id: API.unit, description: DESC, execStart: '/usr/bin/python3 -m uvicorn api.main:app --port 8000', mainPid: 7001, restart: 'always', restartUSec: '5s', nRestarts: restarts })]),
      'commands/systemctl-list-units.txt': listUnits([[API.unit, 'loaded', 'active', 'running', DESC]]),
      'commands/journal.jsonl': jsonl(journal),
      'files/var/log/nginx/error.log': nginxError.join('\n') + '\n',
      'files/var/log/nginx/access.log': access.join('\n') + '\n',
    },
  };
}

describe('size cap on a bundle with thousands of error lines', () => {
  let a: Analysis;
  beforeAll(async () => {
    a = await analyzeSpec(crashLoopBundle());
  }, 60_000);

  it('the bundle really is big: thousands of counted lines behind capped evidence', () => {
    const errors = a.findings.find((f) => f.rule === 'log.errors' && f.subject === 'charger-api.service')!;
    expect(errors.params.count).toBeGreaterThan(800);
    expect(a.findings.find((f) => f.rule === 'service.restart-loop')!.params.restarts).toBeGreaterThan(150);
    expect(a.timelineTotal).toBeGreaterThan(400);
    expect(a.findings.find((f) => f.rule === 'proxy.upstream-errors')!.params.count).toBeGreaterThanOrEqual(3000);
    // Unlimited, the report would not fit a ticket.
    expect(render(a, { lang: 'en', maxChars: 10_000_000 }).length).toBeGreaterThan(60_000);
  });

  for (const [lang, max] of [
    ['en', 60_000],
    ['tr', 60_000],
    ['en', 32_767],
    ['tr', 32_767],
  ] as const) {
    it(`${lang} under ${max}: headings kept, every finding keeps its first quoted line, cuts say where the rest is`, () => {
      const md = render(a, { lang, maxChars: max });
      expect(md.length).toBeLessThanOrEqual(max);
      expect(headings(md)).toEqual([...HEADINGS[lang]]);
      for (const f of a.findings) {
        const e = f.evidence[0]!;
        expect(md, `${f.rule} ${f.subject}`).toContain(`\`${e.source}:${e.line}\``);
        expect(md, `${f.rule} ${f.subject}`).toContain(e.text.slice(0, 120));
      }
      const cut = lang === 'en' ? /\d[\d,]* more lines? in the bundle: `commands\/journal\.jsonl`/ : /Pakette [\d.]+ satır daha var: `commands\/journal\.jsonl`/;
      expect(md).toMatch(cut);
      expect(md).toContain(lang === 'en' ? 'was shortened to stay under' : 'altında kalması için kısaltıldı');
    });
  }

  it('shortens a 12,000-character line and says how much of it is shown', () => {
    const md = render(a, { lang: 'en', maxChars: 32_767 });
    expect(md).not.toContain('x'.repeat(2001));
    expect(md).toMatch(/Line shortened: \d+ of 12,0\d\d characters shown\./);
  });

  it('refuses a cap no report can meet, with a one-line reason', () => {
    expect(() => render(a, { lang: 'en', maxChars: 3000 })).toThrow(InputError);
    expect(() => render(a, { lang: 'en', maxChars: 3000 })).toThrow(/--max-chars 3000: too small for this bundle's report \(its shortest form is \d+ characters\)/);
  });
});
