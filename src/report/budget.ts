// How much detail a report carries. The Markdown renderer tries the levels in
// order and keeps the first that fits under --max-chars. Low-severity findings
// are folded first: past a few, info findings (then warnings, and at the very
// last criticals) are no longer detailed one by one but counted by check in
// one table that says where the full list is. Then evidence per finding, then
// timeline rows and log samples, then line length, and last the tables of
// resources and sources shrink to what is not normal. Section headings and each
// detailed finding's first evidence line are kept at every level; the last
// levels do not grow with the number of findings, units or sources, so the
// default cap always fits and so does one of a few thousand characters.

/** How many findings of each severity are detailed one by one; the rest are folded. */
export interface Fold {
  critical: number;
  warning: number;
  info: number;
  /** subjects named per folded row, and in any list of subjects, before "+N more" */
  subjects: number;
}

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
  /** resources and sources tables list only what is not normal / not ok, counting the rest */
  compact: boolean;
  fold: Fold;
}

const ALL: Fold = { critical: Infinity, warning: Infinity, info: Infinity, subjects: Infinity };
const INFO_FEW: Fold = { critical: Infinity, warning: Infinity, info: 10, subjects: 8 };
const LOW_FEW: Fold = { critical: Infinity, warning: 10, info: 3, subjects: 5 };
const LEAST: Fold = { critical: 5, warning: 2, info: 0, subjects: 3 };
const NONE_BUT_WORST: Fold = { critical: 1, warning: 0, info: 0, subjects: 2 };
/** The last resort: every finding counted by check, none detailed (hundreds of critical findings under a small cap). */
const COUNTED: Fold = { critical: 0, warning: 0, info: 0, subjects: 2 };

type Detail = Omit<Budget, 'level' | 'fold'>;
const D0: Detail = { evidenceInline: 3, evidenceFolded: 20, timelineRows: 400, lineMax: 2000, filesInPlan: true, stateBullets: true, servicesTable: true, compact: false };
const D1: Detail = { evidenceInline: 2, evidenceFolded: 6, timelineRows: 120, lineMax: 1000, filesInPlan: true, stateBullets: true, servicesTable: true, compact: false };
const D2: Detail = { evidenceInline: 1, evidenceFolded: 2, timelineRows: 40, lineMax: 500, filesInPlan: false, stateBullets: true, servicesTable: true, compact: false };
const D3: Detail = { evidenceInline: 1, evidenceFolded: 0, timelineRows: 16, lineMax: 300, filesInPlan: false, stateBullets: true, servicesTable: true, compact: false };
const D4: Detail = { evidenceInline: 1, evidenceFolded: 0, timelineRows: 0, lineMax: 160, filesInPlan: false, stateBullets: false, servicesTable: false, compact: false };
const D5: Detail = { ...D4, compact: true };

export const BUDGETS: readonly Budget[] = (
  [
    [D0, ALL],
    [D0, INFO_FEW],
    [D1, INFO_FEW],
    [D1, LOW_FEW],
    [D2, LOW_FEW],
    [D3, LOW_FEW],
    [D4, LOW_FEW],
    [D4, LEAST],
    [D5, LEAST],
    [D5, NONE_BUT_WORST],
    [D5, COUNTED],
  ] as const
).map(([d, fold], level) => ({ level, ...d, fold }));

/**
 * The all-clear report (nothing reached warning, no outage): short. Every
 * heading stays, one line each where nothing happened; the services table
 * says what was checked; resources and sources are counted except what is not
 * normal; the timeline is counted by kind; info findings are listed as notes.
 * Smaller levels follow only if it does not fit the cap.
 */
export const ALL_CLEAR: readonly Budget[] = [{ level: 0, ...D5, servicesTable: true, fold: ALL }, ...BUDGETS.filter((b) => b.compact)];

export const DEFAULT_MAX_CHARS = 60_000;
