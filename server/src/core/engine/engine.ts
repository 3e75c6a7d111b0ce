/**
 * Runs the rules over a model and applies what is decided outside them: whether a file is in
 * scope at all (it builds Go), severity overrides and rules turned off.
 */
import { describeShipped, shippedStages, type ShippedStage } from '../facts/builds';
import { withFinalStage, type DockerfileModel } from '../model/model';
import { hasGoToolchain } from '../facts/go-toolchain';
import { RULES } from '../rules';
import { renderFinding, type MessageData, type Rule } from '../rules/rule';
import { carryConvertible, markConvertible } from './conversion-fix';
import { Suppressions } from './suppression';
import type { AnalyzeOptions, Diagnostic, Severity } from '../types';
import { KeyedCache } from '../keyed-cache';

/**
 * True when the Dockerfile builds or runs Go: only then do go-multistage's rules apply. A text
 * that never spells Go is settled without parsing it.
 */
export function isGoDockerfile(model: DockerfileModel): boolean {
  return spellsGo(model) && buildsGo(model);
}

/** Whether a stage has a Go toolchain or runs a go command (walks the stages). */
export function buildsGo(model: DockerfileModel): boolean {
  return model.stages.some(
    (stage) =>
      hasGoToolchain(stage) ||
      stage.goCalls.length > 0 ||
      stage.runs.some((run) =>
        run.commands.some((c) => c.words[0]?.text === 'go' || c.words[0]?.text === 'xx-go'),
      ),
  );
}

/** `go` as a word or a path's part (`/usr/local/go/bin/go`, `xx-go`, `chainguard/go`), or `golang`. */
const GO_WORD = /(?:^|[^a-z0-9])go(?:[^a-z0-9]|$)|golang/i;

/**
 * Line continuations, then the quotes and escapes a shell removes from a word: `g\o`, `g""o`
 * and a `go` broken across lines by a continuation all run go.
 */
const QUOTING = /[\\`]\r?\n|[\\'"`]/g;

/**
 * Whether the text, or a declared build's argument, spells `go` or `golang` at all, also once its
 * quoting is removed: without that no stage can have a Go toolchain image, copy one in or run a
 * go command (only a name cut into pieces across variables would escape the test), so 27 of the
 * 28 Dockerfiles of the corpus that build no Go are settled without a parse.
 */
export function spellsGo(model: DockerfileModel): boolean {
  return (
    GO_WORD.test(model.text) ||
    GO_WORD.test(model.text.replace(QUOTING, '')) ||
    (model.options.builds ?? []).some((b) =>
      b.args?.some((a) => a.value !== null && GO_WORD.test(a.value)),
    )
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
    const found: Diagnostic[] = [];
    // Which shipped image each finding came from, when the rule runs once per shipped stage.
    let origins: Map<Diagnostic, ShippedStage> | undefined;
    try {
      for (const view of rule.meta.perShippedStage ? shippedViews(model) : [{ model }]) {
        rule.check(view.model, (finding) => {
          const severity: Severity = setting ?? finding.severity ?? rule.meta.defaultSeverity;
          const tags = finding.tags ?? rule.meta.tags;
          // The text from the rule's templates; the id (and its data) stay for tests and tools.
          const { message, detail } = renderFinding(rule.meta, finding);
          const diagnostic: Diagnostic = {
            rule: rule.meta.id,
            messageId: finding.messageId,
            ...(finding.data !== undefined ? { data: stringValues(finding.data) } : {}),
            severity,
            message,
            ...(detail !== undefined ? { detail } : {}),
            range: finding.range,
            fixes: finding.fixes ?? [],
            ...(tags && tags.length > 0 ? { tags } : {}),
          };
          if (finding.resolvedByConversion) markConvertible(diagnostic, view.model);
          found.push(diagnostic);
          if (view.shipped) (origins ??= new Map()).set(diagnostic, view.shipped);
        });
      }
    } catch (error) {
      if (run.strict) throw error;
      // A failing rule must not take the others down; its findings are dropped.
      continue;
    }
    diagnostics.push(...(origins ? nameShippedImages(found, origins) : found));
  }
  return diagnostics;
}

/** A finding's data with its values as the text they render as. */
function stringValues(data: MessageData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(data)) values[key] = String(data[key]);
  return values;
}

/**
 * The model as each stage that ships sees it: the rules about the shipped image read
 * `model.finalStage`, so each view sets it to one of those stages (the model itself when it is
 * the last stage and the only one).
 */
function shippedViews(model: DockerfileModel): ShippedView[] {
  // The same views for every rule, so that what a view's rules derive from it (the Go runtime
  // of its final stage) is derived once.
  let views = viewsOf.get(model);
  if (views) return views;
  const shipped = shippedStages(model);
  views =
    shipped.length === 1 && shipped[0].stage === model.finalStage
      ? [{ model }]
      : shipped.map((s) => ({
          model: s.stage === model.finalStage ? model : withFinalStage(model, s.stage),
          shipped: shipped.length > 1 ? s : undefined,
        }));
  viewsOf.set(model, views);
  return views;
}

interface ShippedView {
  model: DockerfileModel;
  shipped?: ShippedStage;
}

const viewsOf = new KeyedCache<DockerfileModel, ShippedView[]>();

/**
 * Findings of a file that ships several images say which one they come from; the same finding
 * made for several images is made once, naming them all.
 */
function nameShippedImages(
  found: Diagnostic[],
  origins: ReadonlyMap<Diagnostic, ShippedStage>,
): Diagnostic[] {
  const byKey = new Map<string, { diagnostic: Diagnostic; images: ShippedStage[] }>();
  for (const diagnostic of found) {
    const { start, end } = diagnostic.range;
    const key = `${start.line}:${start.character}:${end.line}:${end.character}\0${diagnostic.message}`;
    const known = byKey.get(key);
    const origin = origins.get(diagnostic);
    if (known) {
      if (origin && !known.images.includes(origin)) known.images.push(origin);
    } else byKey.set(key, { diagnostic, images: origin ? [origin] : [] });
  }
  return [...byKey.values()].map(({ diagnostic, images }) => {
    if (images.length === 0) return diagnostic;
    const named = {
      ...diagnostic,
      message: `${diagnostic.message} (In ${images.map(describeShipped).join('; in ')}.)`,
    };
    carryConvertible(diagnostic, named);
    return named;
  });
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
  if (diagnostics.length === 0) return diagnostics;
  const suppressions = new Suppressions(model);
  return diagnostics.filter((d) => !suppressions.isSuppressed(d)).sort(byPosition);
}
