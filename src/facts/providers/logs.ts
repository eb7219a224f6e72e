// The logs, each in one streaming pass through one scanner: the journal export,
// syslog files, dmesg and the application logs (nginx, ngrok and others).
import { devicePathOf } from '../../bundle/sources.js';
import type { LogRecord, ParseProblem } from '../../parse/types.js';
import { readJournal } from '../../parse/journal.js';
import { readJournalFast } from '../../parse/journal-fast.js';
import { readSyslog } from '../../parse/syslog.js';
import { parseDmesg } from '../../parse/dmesg.js';
import { readLines, streamRecords } from '../../parse/lines.js';
import { createAppLogParser, detectAppLogFormat } from '../../parse/app-log.js';
import { LogScanner, type LogKind } from '../log-scan.js';
import type { FactKind } from '../types.js';
import type { Provider } from './types.js';
import { heavyWork, HEAVY_JOURNAL_BYTES, HEAVY_TEXT_LOG_BYTES } from '../../compilers.js';

const JOURNAL = { source: 'journal', what: 'journal' } as const;

export const logsProvider: Provider = {
  name: 'logs',
  reads: ['journal', 'syslog', 'dmesg', 'app-log'],
  provides: [
    { kind: 'logs', from: [JOURNAL], reason: ([journal]) => `no journal, syslog or application log in the bundle (${journal})` },
    { kind: 'system-log', from: [JOURNAL], reason: ([journal]) => `no journal or syslog in the bundle (${journal})` },
    {
      kind: 'kernel-log',
      from: [JOURNAL, { source: 'dmesg', what: 'dmesg' }],
      reason: ([journal, dmesg]) => `no journal, dmesg or kern.log in the bundle (${journal}; ${dmesg})`,
    },
    { kind: 'proxy-log', from: [], reason: () => 'no nginx or ngrok log in the bundle (neither a log file nor journal lines of nginx or ngrok)' },
  ],
  // Needs the uptime (resources) first: it dates the current boot.
  async run(ctx, draft) {
    const gapMs = ctx.config.thresholds.outageGapSeconds * 1000;
    const currentBootMs = draft.uptime && ctx.collectedAtMs !== null ? ctx.collectedAtMs - draft.uptime.uptimeSeconds * 1000 : null;
    const scanner = new LogScanner((ms) => ctx.inWindow(ms), gapMs, currentBootMs);
    draft.scanner = scanner;
    const read = draft.logSourcesRead;

    const journal = ctx.first('journal');
    const dmesg = ctx.first('dmesg');
    // Big logs are heavy work: the optimizing compiler pays for itself on them (src/compilers.ts).
    const textBytes = [...ctx.ok('syslog'), ...ctx.ok('app-log'), ...(dmesg ? [dmesg] : [])].reduce((n, e) => n + ctx.bundle.size(e.path!), 0);
    if (textBytes >= HEAVY_TEXT_LOG_BYTES || (journal && ctx.bundle.size(journal.path!) >= HEAVY_JOURNAL_BYTES)) heavyWork();
    if (journal) {
      const onRecord = (rec: LogRecord) => scanner.add(rec, 'journal');
      const path = ctx.bundle.pathOf(journal.path!);
      let r: { records: number; skipped: number; problems: ParseProblem[] };
      if (process.env.CHARGER_DIAG_FULL_PARSE === '1') {
        // Every line through JSON.parse: the reference the fast path is measured and tested against.
        r = await readJournal(path, journal.path!, onRecord);
      } else {
        const hash = ctx.bundle.wantsContentHash?.(journal.path!) ?? false;
        const thread = ctx.read.journalThread === false ? { thread: false } : {};
        const fast = await readJournalFast(path, journal.path!, { window: { sinceMs: ctx.sinceMs, untilMs: ctx.lastMs }, hash, ...thread }, (rec, lacks) =>
          scanner.add(rec, 'journal', false, lacks),
        );
        scanner.countQuiet(journal.path!, fast.quietInWindow);
        if (fast.sha256 !== null) ctx.bundle.adoptContentHash?.(journal.path!, fast.sha256);
        r = fast;
      }
      ctx.note(journal, { records: r.records, skipped: r.skipped, problems: r.problems });
      read.kernel.push(journal.path!);
      read.system.push(journal.path!);
    }
    for (const e of ctx.ok('syslog')) {
      const isKern = /kern\.log/.test(e.path!);
      const kind: LogKind = isKern ? 'kernel-file' : 'syslog';
      const r = await readSyslog(ctx.bundle.pathOf(e.path!), e.path!, ctx.clock, ctx.referenceMs, (rec) => scanner.add(rec, kind, journal !== undefined));
      ctx.note(e, { records: r.records, skipped: r.skipped, problems: r.problems });
      read.kernel.push(e.path!);
      if (!isKern) read.system.push(e.path!);
    }
    if (dmesg) {
      const r = parseDmesg(await ctx.text(dmesg), dmesg.path!);
      ctx.note(dmesg, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      for (const rec of r.records) scanner.add(rec, 'dmesg');
      read.kernel.push(dmesg.path!);
    }
    const proxyFiles: string[] = [];
    for (const e of ctx.ok('app-log')) {
      const devicePath = devicePathOf(e.path!) ?? e.path!;
      const head: string[] = [];
      for await (const l of readLines(ctx.bundle.pathOf(e.path!))) {
        head.push(l.text);
        if (head.length >= 50) break;
      }
      const format = detectAppLogFormat(devicePath, head);
      if (format === 'ngrok' || format.startsWith('nginx')) proxyFiles.push(e.path!);
      const parse = createAppLogParser(format, e.path!, ctx.clock, { referenceMs: ctx.referenceMs });
      const r = await streamRecords(ctx.bundle.pathOf(e.path!), (l) => parse(l.text, l.line), (rec) => scanner.add(rec, 'app'));
      ctx.note(e, { records: r.records, skipped: r.skipped, problems: r.problems });
      read.app.push(e.path!);
    }
    scanner.finish();

    const present: FactKind[] = [];
    if (read.system.length + read.app.length > 0) present.push('logs');
    if (read.system.length > 0) present.push('system-log');
    if (read.kernel.length > 0) present.push('kernel-log');
    if (proxyFiles.length > 0 || scanner.proxiesSeen.size > 0) present.push('proxy-log');
    return { present };
  },
};
