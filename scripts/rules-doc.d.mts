// Types of rules-doc.mjs, for the tests that use it.
/** One rule as `charger-diag rules --json` prints it; further fields may appear. */
export interface CatalogueRule {
  id: string;
  severity: string;
  needs?: string[];
  needsAny?: string[];
  summary: string;
  docs: string;
  [field: string]: unknown;
}
export declare const ROOT: string;
export declare const RULES_DOC: string;
export declare function catalogueJson(cli?: string): CatalogueRule[];
export declare function parseCatalogue(text: string): CatalogueRule[];
export declare function readTemplates(dir?: string): { head: string; tail: string };
export declare function escapeText(text: string): string;
export declare function code(text: string): string;
export declare function wrap(text: string, indent?: string): string;
export declare function renderDocs(docs: string): string;
export declare function renderRule(rule: CatalogueRule): string;
export declare function renderRulesDoc(rules: CatalogueRule[], templates: { head: string; tail: string }): string;
export declare function generate(): string;
