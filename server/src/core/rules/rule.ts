/**
 * The shape of a rule: data (`meta`, with the rule's messages) plus a check function that reads
 * the model and reports findings by message id. Rules never decide the final severity or whether
 * they are enabled, nor render their text; the engine does.
 */
import type { DockerfileModel } from '../model/model';
import type { DiagnosticTag, Fix, Range, Severity } from '../types';

/** The values a message's `{{name}}` placeholders take. */
export type MessageData = Readonly<Record<string, string | number>>;

export interface RuleMeta<MessageIds extends string = string> {
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
  /**
   * What the rule says, by message id: one short sentence that stands alone (the Problems panel,
   * a CLI line), with `{{name}}` placeholders filled from the finding's `data`. A finding names
   * its message by id, so tests match the id and not the prose. Cases that read differently
   * are different ids, not one template full of conditions.
   */
  messages: Readonly<Record<MessageIds, string>>;
  /**
   * The detail of some messages (why it matters, what to do: shown on hover), a template filled
   * from the same data. A finding whose detail is assembled from parts passes it as `detail`.
   */
  details?: Readonly<Partial<Record<MessageIds, string>>>;
}

export interface Finding<MessageIds extends string = string> {
  range: Range;
  /** Which of the rule's `meta.messages` this finding says. */
  messageId: MessageIds;
  /** The values of the message's (and its detail's) placeholders. */
  data?: MessageData;
  /**
   * The detail as text, when it is assembled from parts rather than a template of
   * `meta.details`: it takes the template's place.
   */
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

export type Report<MessageIds extends string = string> = (finding: Finding<MessageIds>) => void;

/**
 * A rule; `MessageIds` lists the ids of its messages, so that TypeScript checks that `meta`
 * declares each of them and that the rule reports no other.
 */
export interface Rule<MessageIds extends string = string> {
  meta: RuleMeta<MessageIds>;
  check(model: DockerfileModel, report: Report<MessageIds>): void;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

/**
 * Fills a template's `{{name}}` placeholders from the data, in one pass (a value that itself
 * holds `{{…}}` stays as it is); a placeholder without a value is left standing.
 */
export function renderTemplate(template: string, data: MessageData | undefined): string {
  if (!data || !template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}

/** A finding's message and detail as text, from the rule's templates and the finding's data. */
export function renderFinding(
  meta: RuleMeta,
  finding: Finding,
): { message: string; detail?: string } {
  const template: string | undefined = Object.hasOwn(meta.messages, finding.messageId)
    ? meta.messages[finding.messageId]
    : undefined;
  // An id the rule does not declare (TypeScript rules it out) shows as itself, never throws.
  const message =
    template !== undefined ? renderTemplate(template, finding.data) : finding.messageId;
  const detailTemplate = meta.details?.[finding.messageId];
  const detail =
    finding.detail ??
    (detailTemplate !== undefined ? renderTemplate(detailTemplate, finding.data) : undefined);
  return detail !== undefined ? { message, detail } : { message };
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

/**
 * An image reference cut to `max` characters in its middle, so that its last name and its tag,
 * what a message is about, stay (`docker.mirror.example.com/library/golang:alpine` →
 * `docker.mirror.example.com/li…/golang:alpine`); cut at the end when that part alone is long
 * or a digest pins the image.
 */
export function shortImage(text: string, max = 40): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.lastIndexOf('/') + 1);
  if (tail === text || text.includes('@') || tail.length + 8 > max) return shortText(text, max);
  return `${text.slice(0, max - tail.length - 2)}…/${tail}`;
}
