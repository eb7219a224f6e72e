// A picture full of hostile device text, and the gantt grammar the Markdown block keeps to:
// shared by the report tests and the browser test.
import { AnalysisSchema, type Analysis, type Picture } from '../../src/analysis/schema.js';

export const HOSTILE = 'x <script>alert(1)</script> & "q" \'s\' : # ; %% `tick` ``` \n section title click call\u0007\u202e';

export function hostilePicture(): Picture {
  const ev = [{ source: `files/${HOSTILE}.log`, line: 3 }];
  return {
    start: '2025-12-10T01:00:00+03:00',
    end: '2025-12-10T01:15:00+03:00',
    offset: '+03:00',
    lanes: [
      {
        id: 'unit:h',
        label: HOSTILE,
        kind: 'unit',
        spans: [
          { from: '2025-12-10T01:00:00+03:00', to: '2025-12-10T01:05:00+03:00', state: 'running', evidence: ev },
          { from: '2025-12-10T01:05:00+03:00', to: '2025-12-10T01:06:00+03:00', state: 'down', evidence: ev },
          { from: '2025-12-10T01:06:00+03:00', to: '2025-12-10T01:15:00+03:00', state: 'restarting', evidence: ev },
        ],
        marks: [
          { at: '2025-12-10T01:05:00+03:00', kind: 'crash', count: 3, evidence: ev },
          { at: '2025-12-10T01:05:30+03:00', kind: 'failed-requests', count: 40, evidence: ev },
          { at: '2025-12-10T01:07:00+03:00', kind: 'probe', count: 2, failed: 1, evidence: ev },
        ],
      },
      { id: 'device', label: 'device', kind: 'device', spans: [], marks: [{ at: '2025-12-10T01:15:00+03:00', kind: 'collection', count: 1, evidence: [{ source: 'manifest.json', line: null }] }] },
    ],
    outage: { from: '2025-12-10T01:05:00+03:00', to: '2025-12-10T01:06:00+03:00', durationSeconds: 60, evidence: ev },
    density: { bucketSeconds: 4, lanesLeftOut: [HOSTILE] },
  };
}

/** The gantt grammar the block keeps to, line by line: nothing from a bundle can add a line or a statement. */
const GANTT_LINE = [
  /^gantt$/,
  /^ {4}title [^#;\n`:]+\(UTC[+-]\d{4}\)$/,
  /^ {4}title [^#;\n`:]+$/,
  /^ {4}dateFormat YYYY-MM-DD HH:mm:ss$/,
  /^ {4}axisFormat %H:%M$/,
  /^ {4}todayMarker off$/,
  /^ {4}section [^#;:\n`%]+$/,
  /^ {4}(?!section |title |click |call )[^#;:\n`%]+ :(crit|done|active), \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
  /^ {4}(?!section |title |click |call )[^#;:\n`%]+ :milestone, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, 0s$/,
];

export function ganttProblems(gantt: string): string[] {
  return gantt.split('\n').filter((l) => !GANTT_LINE.some((re) => re.test(l)));
}


/** The analysis with every +03:00 time written in UTC: the same instants on a device whose clock is UTC. */
export function inUtc(a: Analysis): Analysis {
  const text = JSON.stringify(a).replace(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+03:00/g, (_m, t: string) => new Date(`${t}+03:00`).toISOString().replace(/\.000Z$/, '+00:00'));
  return AnalysisSchema.parse(JSON.parse(text));
}

