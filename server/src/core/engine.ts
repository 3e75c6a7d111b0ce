/**
 * Runs the rules over a model and applies what is decided outside them: whether a file is in
 * scope at all (it builds Go), severity overrides and rules turned off.
 */
import { buildModel, type DockerfileModel } from './model/model';
import { RULES } from './rules';
import type { Rule } from './rules/rule';
import { Suppressions } from './suppression';
import type { AnalyzeOptions, Diagnostic, Severity } from './types';

/** True when the Dockerfile builds or runs Go: only then do go-multistage's rules apply. */
export function isGoDockerfile(model: DockerfileModel): boolean {
  return model.stages.some(
    (stage) =>
      stage.facts.goToolchain ||
      stage.goCalls.length > 0 ||
      stage.runs.some((run) =>
        run.commands.some((c) => c.words[0]?.text === 'go' || c.words[0]?.text === 'xx-go'),
      ),
  );
}

export interface RunRulesOptions {
  /** Rethrow a rule's exception instead of skipping the rule (for tests). */
  strict?: boolean;
  rules?: readonly Rule[];
}

/** Runs every enabled rule over a model. */
export function runRules(
  model: DockerfileModel,
  options: AnalyzeOptions = {},
  run: RunRulesOptions = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!isGoDockerfile(model)) return diagnostics;
  for (const rule of run.rules ?? RULES) {
    const setting = options.rules?.[rule.meta.id];
    if (setting === 'off') continue;
    try {
      rule.check(model, (finding) => {
        const severity: Severity = setting ?? finding.severity ?? rule.meta.defaultSeverity;
        diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: finding.message,
          range: finding.range,
          fixes: finding.fixes ?? [],
          ...(rule.meta.tags ? { tags: rule.meta.tags } : {}),
        });
      });
    } catch (error) {
      if (run.strict) throw error;
      // A failing rule must not take the others down; its findings are dropped.
    }
  }
  const suppressions = new Suppressions(model);
  const kept = diagnostics.filter((d) => !suppressions.isSuppressed(d));
  kept.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return kept;
}

/**
 * Analyses a Dockerfile's text and returns go-multistage's findings, each with its fixes.
 * Never throws: malformed input yields the findings that can still be made, or none.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  let model: DockerfileModel;
  try {
    model = buildModel(text, options);
  } catch {
    return [];
  }
  return runRules(model, options);
}
