/**
 * The shape of a rule: data (`meta`) plus a check function that reads the model and reports.
 * Rules never decide the final severity or whether they are enabled; the engine does.
 */
import type { DockerfileModel } from '../model/model';
import type { DiagnosticTag, Fix, Range, Severity } from '../types';

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the file name and the doc name. */
  id: string;
  /** One line: what the rule catches. */
  description: string;
  defaultSeverity: Severity;
  /** Whether the rule offers fixes. */
  fixable: boolean;
  /** Tags of the rule's findings (`unnecessary` shows them faded), unless a finding sets its own. */
  tags?: DiagnosticTag[];
  /**
   * False for an opt-in rule: the engine runs it only when the user's `goMultistage.rules`
   * setting names it with a severity. Defaults to true.
   */
  enabledByDefault?: boolean;
  /**
   * `stage` when what the rule reports about a stage depends only on that stage's own
   * instructions and the image its FROM names, never on another stage: the rule then also runs
   * on documents too large to analyse whole, which are checked a few stages at a time.
   */
  scope?: 'stage';
  /**
   * True when the rule checks the image that ships, which it reads as `model.finalStage`: the
   * engine runs it once for each stage that ships (each declared build target, or the last
   * stage; see facts/builds.ts), with `model.finalStage` set to that stage.
   */
  perShippedStage?: boolean;
}

export interface Finding {
  range: Range;
  /** One short sentence that stands alone (the Problems panel, a CLI line). */
  message: string;
  /** Why it matters or what to do, when the message alone does not say: shown on hover. */
  detail?: string;
  fixes?: Fix[];
  /** A severity for this finding when the rule's default depends on the case. */
  severity?: Severity;
  /**
   * Tags for this finding, in place of the rule's `meta.tags` (an empty list for none): a rule
   * whose findings are not all deletable text tags only those that are.
   */
  tags?: DiagnosticTag[];
  /**
   * The finding is what "Convert to multi-stage" resolves. The rule does not run the conversion:
   * the engine offers it as the finding's quick fix, or says in the detail why it is not offered,
   * from the one conversion computed per model, when a caller asks (engine/conversion-fix.ts).
   */
  resolvedByConversion?: boolean;
}

export type Report = (finding: Finding) => void;

export interface Rule {
  meta: RuleMeta;
  check(model: DockerfileModel, report: Report): void;
}

/**
 * Edit distance counting an adjacent transposition as one edit (optimal string alignment),
 * case-insensitive, for "did you mean" suggestions (`biuld` is one edit from `build`).
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.length][y.length];
}

/**
 * Text from the Dockerfile as a message quotes it: cut to `max` characters with "…", so that a
 * long image reference (a digest) or path does not crowd out the sentence. The detail quotes it
 * whole.
 */
export function shortText(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
