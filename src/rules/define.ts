// One rule, one module: everything the tool knows about a rule is declared
// where the rule is (docs/rules.md): what it checks and needs, the shape of
// its params, its words in every report language, how a finding of it reads,
// the part it plays in the report and in cause analysis, and the files it
// proposes. Everything else looks rules up; nothing else names a rule id.
import type * as z from '../zod.js';
import type { Artifact, Finding, Severity } from '../analysis/schema.js';
import type { FactKind, Facts } from '../facts/types.js';
import type { Lang, Params, Translator } from '../report/i18n.js';
import type { RuleContext, RuleResult } from './types.js';
import type { ArtifactKit } from '../analysis/artifact-kit.js';
import type { CauseRole } from '../analysis/cause-role.js';

/** A rule's messages in one language, keys relative to the rule (`title`, `state.explicit`, `fix`, `recur`, ...). */
export type Messages = Readonly<Record<string, string>>;
export type RuleMessages = Readonly<Record<Lang, Messages>>;

/** A finding in the reader's language. */
export interface FindingText {
  title: string;
  /** what the bundle shows, one bullet each */
  state: string[];
  /** what to do about it */
  fix: string;
  /**
   * The whole fix with exact paths and commands, where the report's `fix` sentence leaves them to
   * the ready-made files: the analysis JSON's `remediation` (else `fix` is)
   */
  remediation?: string;
}

export interface Describe {
  t: Translator;
  f: Finding;
  /** the rule's own message `key`, with `subject` (the finding's) and `params` */
  k(key: string, params?: Params): string;
}

/** A file the rule proposes for a finding; the engine sets `for` from the rule id. */
export type ProposedArtifact = Omit<Artifact, 'for'>;

export interface RuleModule<Id extends string = string, P extends z.ZodMiniType = z.ZodMiniType> {
  id: Id;
  severity: Severity;
  /** every kind must be present, unless `needsAny` is used instead */
  needs: FactKind[];
  /** at least one of these kinds must be present */
  needsAny?: FactKind[];
  /** one line: what it checks */
  summary: string;
  /** the explanation `charger-diag rules` prints: signals used, what is ignored, the fix */
  docs: string;
  /** the shape of a finding's params; a finding whose params fail it is described as an unknown rule's */
  params: P;
  /**
   * Its words in every report language: `name`, `title`, `fix`, `state.*`, and where it applies
   * `recur` (standing conditions), `ruledOut` (crash section) and `basis` (an outage signal).
   */
  messages: RuleMessages;
  /** one finding in the reader's language, from its parsed params */
  describe(p: z.output<P>, d: Describe): FindingText;
  /** a condition that stays after the outage and makes it likely to happen again (recurrence) */
  standing?: boolean;
  /** a fault that happened (not a standing condition); the number orders the report's lists of them */
  event?: number;
  /** when it ran and found nothing it rules a cause out; the number orders the crash section's list */
  ruledOut?: number;
  /** its params.count is the number of bundle lines behind it (it quotes only samples) */
  countsLines?: boolean;
  /** where the crash section lists it: kernel OOM/crash lines, or the log error groups */
  crashSection?: 'kernel' | 'logs';
  /** its part in "why did it happen?" (src/analysis/causes.ts) */
  cause?: CauseRole;
  /** ready-to-apply files for one of its findings */
  artifacts?(f: Finding, p: z.output<P>, kit: ArtifactKit): ProposedArtifact[];
  run(facts: Facts, ctx: RuleContext): RuleResult<z.input<P>>;
}

/** Any rule, as the engine and the renderers see it. */
export type AnyRule = RuleModule<string, z.ZodMiniType>;

/** Declares a rule; the `const` type parameter keeps its id a literal, so RuleId is the union of the registered ids. */
export function defineRule<const Id extends string, P extends z.ZodMiniType>(rule: RuleModule<Id, P>): RuleModule<Id, P> {
  return rule;
}
