/**
 * Runs the rules over a model and applies what is decided outside them: whether a file is in
 * scope at all (it builds Go), severity overrides and rules turned off.
 */
import type { DockerfileModel } from './model/model';
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

/**
 * Runs the given rules over a model with the user's severities and enablement: no check that the
 * file builds Go and no suppression comments (runRules applies both).
 */
export function checkRules(
  model: DockerfileModel,
  options: AnalyzeOptions,
  rules: readonly Rule[],
  run: RunRulesOptions = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const setting = options.rules?.[rule.meta.id];
    if (setting === 'off') continue;
    // An opt-in rule runs when the settings name it, or when the caller lists the rules to run
    // itself (as the rule tests do).
    if (rule.meta.enabledByDefault === false && setting === undefined && !run.rules) continue;
    try {
      rule.check(model, (finding) => {
        const severity: Severity = setting ?? finding.severity ?? rule.meta.defaultSeverity;
        const tags = finding.tags ?? rule.meta.tags;
        diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: finding.message,
          range: finding.range,
          fixes: finding.fixes ?? [],
          ...(tags && tags.length > 0 ? { tags } : {}),
        });
      });
    } catch (error) {
      if (run.strict) throw error;
      // A failing rule must not take the others down; its findings are dropped.
    }
  }
  return diagnostics;
}

/** Orders findings by where they start. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
  );
}

/** Runs every enabled rule over a model. */
export function runRules(
  model: DockerfileModel,
  options: AnalyzeOptions = {},
  run: RunRulesOptions = {},
): Diagnostic[] {
  if (!isGoDockerfile(model)) return [];
  const diagnostics = checkRules(model, options, run.rules ?? RULES, run);
  const suppressions = new Suppressions(model);
  return diagnostics.filter((d) => !suppressions.isSuppressed(d)).sort(byPosition);
}
