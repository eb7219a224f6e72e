// How much detail a report carries. The Markdown renderer tries the levels in
// order and keeps the first that fits under --max-chars: evidence per finding
// first, then timeline rows and log samples, then line length; section
// headings and each finding's first evidence line are kept at every level.

export interface Budget {
  level: number;
  /** evidence lines shown in the open per finding */
  evidenceInline: number;
  /** further evidence lines folded into <details> (0: cut, with a pointer into the bundle) */
  evidenceFolded: number;
  /** rows of the appendix timeline */
  timelineRows: number;
  /** quoted lines longer than this are shortened (and say so) */
  lineMax: number;
  /** the plan shows the files; otherwise it points at the implementation step that writes them */
  filesInPlan: boolean;
  /** per-finding "current state" bullets */
  stateBullets: boolean;
  /** the services table in Problem detection */
  servicesTable: boolean;
}

export const BUDGETS: readonly Budget[] = [
  { level: 0, evidenceInline: 3, evidenceFolded: 20, timelineRows: 400, lineMax: 2000, filesInPlan: true, stateBullets: true, servicesTable: true },
  { level: 1, evidenceInline: 2, evidenceFolded: 6, timelineRows: 120, lineMax: 1000, filesInPlan: true, stateBullets: true, servicesTable: true },
  { level: 2, evidenceInline: 1, evidenceFolded: 2, timelineRows: 40, lineMax: 500, filesInPlan: false, stateBullets: true, servicesTable: true },
  { level: 3, evidenceInline: 1, evidenceFolded: 0, timelineRows: 16, lineMax: 300, filesInPlan: false, stateBullets: true, servicesTable: true },
  { level: 4, evidenceInline: 1, evidenceFolded: 0, timelineRows: 0, lineMax: 160, filesInPlan: false, stateBullets: false, servicesTable: false },
];

export const DEFAULT_MAX_CHARS = 60_000;
