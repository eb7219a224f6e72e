// How much of a fleet the report spells out. A thousand hosts do not fit in
// a ticket comment: the renderer tries these levels in order and keeps the
// first that fits under --max-chars; what a level leaves out is counted where
// it was cut ("… and 940 more hosts"), and the summary JSON holds it all.

export interface FleetBudget {
  level: number;
  /** rows of the hosts table */
  hostRows: number;
  /** rows of the rule table */
  ruleRows: number;
  /** host names listed in one cell or sentence before "+N more" */
  labels: number;
  /** subjects listed per rule */
  subjects: number;
  /** rule ids listed per host row */
  rulesPerHost: number;
  /** outage windows shown, and hosts listed in each */
  windows: number;
  windowRows: number;
  /** rows of the not-collected and unreadable tables */
  missingRows: number;
  /** values listed per differing host fact */
  values: number;
  /** BUNDLE arguments listed in the metadata */
  inputs: number;
  /** worst hosts named in next steps */
  nextHosts: number;
}

export const FLEET_BUDGETS: readonly FleetBudget[] = [
  { level: 0, hostRows: 500, ruleRows: 60, labels: 12, subjects: 8, rulesPerHost: 8, windows: 20, windowRows: 50, missingRows: 200, values: 10, inputs: 20, nextHosts: 5 },
  { level: 1, hostRows: 200, ruleRows: 40, labels: 6, subjects: 5, rulesPerHost: 6, windows: 10, windowRows: 20, missingRows: 100, values: 8, inputs: 10, nextHosts: 5 },
  { level: 2, hostRows: 100, ruleRows: 30, labels: 4, subjects: 3, rulesPerHost: 4, windows: 6, windowRows: 10, missingRows: 50, values: 5, inputs: 5, nextHosts: 5 },
  { level: 3, hostRows: 50, ruleRows: 20, labels: 3, subjects: 2, rulesPerHost: 3, windows: 4, windowRows: 6, missingRows: 20, values: 4, inputs: 3, nextHosts: 3 },
  { level: 4, hostRows: 20, ruleRows: 20, labels: 2, subjects: 1, rulesPerHost: 2, windows: 2, windowRows: 4, missingRows: 10, values: 3, inputs: 2, nextHosts: 3 },
  { level: 5, hostRows: 10, ruleRows: 10, labels: 1, subjects: 1, rulesPerHost: 1, windows: 1, windowRows: 3, missingRows: 5, values: 2, inputs: 1, nextHosts: 1 },
  // The last: room under a cap of a few thousand characters (a chat message, a small ticket field).
  { level: 6, hostRows: 5, ruleRows: 5, labels: 1, subjects: 1, rulesPerHost: 1, windows: 1, windowRows: 2, missingRows: 3, values: 1, inputs: 1, nextHosts: 1 },
];
