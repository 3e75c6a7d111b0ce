/**
 * The invariants every input must keep, as a list of violations (empty when all hold): the core
 * does not throw, its findings are well-formed, every fix applies cleanly and is not offered
 * again once applied, fix-all is idempotent, and "Convert to multi-stage" yields a file that
 * re-parses and cannot be converted again. Pure and synchronous, so a worker can run it under a
 * time and memory limit.
 */
import {
  analyze,
  applyEdits,
  attachConversions,
  buildModel,
  convertToMultiStage,
  runRules,
  type AnalyzeOptions,
  type Diagnostic,
  type DockerfileModel,
  type TextEdit,
} from '../../server/src/core';
import { fixAll } from '../../server/src/core/engine/fix-all';
import { sortEdits } from '../../server/src/core/text/edits';
import { LineIndex } from '../../server/src/core/text/line-index';

export interface CheckOptions {
  analyze?: AnalyzeOptions;
  /** Apply every fix and check the result (default true). */
  fixes?: boolean;
  /** Runtime images to convert with; none skips the conversion (default: the default image). */
  runtimes?: (string | undefined)[];
}

const SUSPICIOUS = ['undefined', 'NaN', '[object Object]'];

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Runs `fn`; a thrown exception becomes a violation. */
function attempt<T>(violations: string[], what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    violations.push(`${what} threw: ${describe(error)}`);
    return undefined;
  }
}

function checkRange(
  violations: string[],
  index: LineIndex,
  what: string,
  range: TextEdit['range'],
): void {
  const { start, end } = range;
  const valid = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.character >= 0 &&
    p.line < index.lineCount &&
    p.character <= index.lineText(p.line).length;
  if (!valid(start) || !valid(end)) {
    violations.push(`${what}: range outside the document ${JSON.stringify(range)}`);
  } else if (index.offsetAt(start) > index.offsetAt(end)) {
    violations.push(`${what}: range ends before it starts ${JSON.stringify(range)}`);
  }
}

function checkFindings(violations: string[], index: LineIndex, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    const what = `finding ${d.rule}`;
    if (typeof d.message !== 'string' || d.message.trim() === '') {
      violations.push(`${what}: empty message`);
    } else {
      for (const word of SUSPICIOUS) {
        if (d.message.includes(word))
          violations.push(`${what}: message mentions ${word}: ${d.message}`);
      }
    }
    checkRange(violations, index, what, d.range);
    for (const fix of d.fixes) {
      if (fix.title.trim() === '') violations.push(`${what}: a fix without a title`);
      for (const edit of fix.edits)
        checkRange(violations, index, `${what} fix "${fix.title}"`, edit.range);
    }
  }
}

/** Analyses a text strictly (a rule's exception is a violation, not a skipped rule). */
function strictAnalysis(
  violations: string[],
  what: string,
  text: string,
  options: AnalyzeOptions,
): { model: DockerfileModel; diagnostics: Diagnostic[] } | undefined {
  const model = attempt(violations, `buildModel(${what})`, () => buildModel(text, options));
  if (!model) return undefined;
  const diagnostics = attempt(violations, `rules(${what})`, () =>
    attachConversions(runRules(model, options, { strict: true }), true),
  );
  if (!diagnostics) return undefined;
  checkFindings(violations, model.index, diagnostics);
  return { model, diagnostics };
}

function withFix(diagnostics: Diagnostic[], rule: string, title: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule && d.fixes.some((f) => f.title === title));
}

/** Applies a fix and checks the text it makes. */
function checkFix(
  violations: string[],
  text: string,
  options: AnalyzeOptions,
  before: Diagnostic[],
  diagnostic: Diagnostic,
  title: string,
  edits: TextEdit[],
): void {
  const what = `fix "${title}" of ${diagnostic.rule}`;
  const index = new LineIndex(text);
  if (attempt(violations, `${what}: edits overlap;`, () => sortEdits(index, edits)) === undefined) {
    return;
  }
  const fixed = attempt(violations, `${what}: applyEdits`, () => applyEdits(text, edits));
  if (fixed === undefined) return;
  if (fixed === text) {
    violations.push(`${what}: the fix changes nothing`);
    return;
  }
  const after = strictAnalysis(violations, `text after ${what}`, fixed, options);
  if (!after) return;
  // Idempotence: the finding is gone, or what is offered again changes nothing.
  const offeredBefore = withFix(before, diagnostic.rule, title).length;
  const again = withFix(after.diagnostics, diagnostic.rule, title);
  if (again.length >= offeredBefore) {
    for (const d of again) {
      for (const fix of d.fixes.filter((f) => f.title === title)) {
        const twice = attempt(violations, `${what}, applied again`, (): string =>
          applyEdits(fixed, fix.edits),
        );
        if (twice !== undefined && twice !== fixed) {
          violations.push(`${what}: still offered and still changes the text after applying it`);
          return;
        }
      }
    }
  }
}

function checkConversion(
  violations: string[],
  text: string,
  model: DockerfileModel,
  options: AnalyzeOptions,
  runtimeImage: string | undefined,
): void {
  const what = `convertToMultiStage(${runtimeImage ?? 'default runtime'})`;
  const result = attempt(violations, what, () => convertToMultiStage(model, { runtimeImage }));
  if (!result) return;
  if (!result.ok) {
    if (typeof result.reason !== 'string' || result.reason.trim() === '') {
      violations.push(`${what}: refused without a reason`);
    }
    return;
  }
  const index = new LineIndex(text);
  for (const edit of result.edits) checkRange(violations, index, what, edit.range);
  const applied = attempt(violations, `${what}: applyEdits`, () => applyEdits(text, result.edits));
  if (applied !== undefined && applied !== result.text) {
    violations.push(`${what}: its edits do not produce its text`);
  }
  const after = strictAnalysis(violations, `text after ${what}`, result.text, options);
  if (!after) return;
  // One runtime stage more, or, in a multi-stage file whose final stage only runs what another
  // stage built (`FROM build` + `CMD`, or golang + `COPY --from=build`), that stage replaced.
  const counts = [model.stages.length + 1];
  if (model.stages.length > 1) counts.push(model.stages.length);
  if (!counts.includes(after.model.stages.length)) {
    violations.push(
      `${what}: ${model.stages.length} stage(s) became ${after.model.stages.length}, not one more`,
    );
  }
  if (after.diagnostics.some((d) => d.rule === 'go-toolchain-in-final-stage')) {
    violations.push(`${what}: the converted file still ships the toolchain`);
  }
  const again = attempt(violations, `${what}, converting again`, () =>
    convertToMultiStage(after.model, { runtimeImage }),
  );
  if (again?.ok) violations.push(`${what}: the converted file can be converted again`);
}

/** Fix-all (the safe fixes, repeated until none is left): re-parses, and a second run is a no-op. */
function checkFixAll(violations: string[], text: string, options: AnalyzeOptions): void {
  const first = attempt(violations, 'fixAll', () => fixAll(text, options));
  if (!first || first.applied === 0) return;
  if (!strictAnalysis(violations, 'text after fixAll', first.text, options)) return;
  const second = attempt(violations, 'fixAll, run again', () => fixAll(first.text, options));
  if (second && (second.applied !== 0 || second.text !== first.text)) {
    violations.push(`fixAll is not idempotent: a second run applied ${second.applied} fix(es)`);
  }
}

/** Every invariant violated by `text` (empty when the core handles it cleanly). */
export function checkText(text: string, options: CheckOptions = {}): string[] {
  const violations: string[] = [];
  const analyzeOptions = options.analyze ?? {};
  attempt(violations, 'analyze', () => analyze(text, analyzeOptions));
  const first = strictAnalysis(violations, 'input', text, analyzeOptions);
  if (!first) return violations;
  if (options.fixes !== false) {
    for (const diagnostic of first.diagnostics) {
      for (const fix of diagnostic.fixes) {
        checkFix(
          violations,
          text,
          analyzeOptions,
          first.diagnostics,
          diagnostic,
          fix.title,
          fix.edits,
        );
      }
    }
  }
  if (options.fixes !== false) checkFixAll(violations, text, analyzeOptions);
  for (const runtime of options.runtimes ?? [undefined]) {
    checkConversion(violations, text, first.model, analyzeOptions, runtime);
  }
  return violations;
}
