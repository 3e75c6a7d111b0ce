/**
 * "Convert to multi-stage": splits a final stage that builds and ships a Go program on the
 * toolchain image into a build stage and a minimal runtime stage that receives only the binary
 * (and the files the program reads at run time).
 *
 * Layouts: `two-stage` (build → runtime) or `dev-build-runtime` (a `dev` stage with the toolchain,
 * modules and tooling, usable with `--target dev`; `build` FROM dev; the runtime). A final stage
 * that only adds runtime settings on top of a build stage (`FROM build` + `CMD`) is replaced by
 * the runtime stage instead.
 *
 * Every instruction and comment of the input is kept or moved (with the comments above it);
 * edits are one replacement per stage that changes. When the conversion cannot be done soundly,
 * it is refused with the reason.
 */
import { parseDockerfile } from '../model/parse';
import { buildModel, type DockerfileModel } from '../model/model';
import { applyEdits } from '../text/edits';
import type { TextEdit } from '../types';
import { decideCgo, disableCgo, goRunBuildLine, goVersionNotes } from './build';
import { runtimeFiles } from './files';
import {
  carriedBuilds,
  executedPrograms,
  readProgramNeeds,
  runtimePathEnv,
  scratchExtras,
} from './program';
import {
  keywordOf,
  Plan,
  Refusal,
  referencedVariables,
  type ConvertOptions,
  type ConvertResult,
} from './plan';
import { addModuleDownload } from './modules';
import { planPackages } from './packages';
import type { RuntimeLayout, RuntimePart } from './parts';
import { planRuntime, runtimeStageLines } from './runtime';
import { planUser } from './user';
import { findTarget, swapNote, type Target } from './target';

export {
  ALPINE_RUNTIME,
  CONVERT_LAYOUTS,
  RUNTIME_CHOICES,
  type ConvertLayout,
  type ConvertOptions,
  type ConvertResult,
} from './plan';

function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(0, end);
}

/** The final stage only sets runtime details on top of a parent stage that builds the binary. */
function isRuntimeOnlyChild(plan: Plan, target: Target): boolean {
  const { stage } = plan;
  if (!stage.parent?.name || !target.call || target.call.stageIndex === stage.index) return false;
  return stage.instructions.every((i) => !['RUN', 'COPY', 'ADD'].includes(keywordOf(i)));
}

/** Replaces the final stage in place: its FROM becomes the runtime, which copies the binary. */
function replaceFinalStage(plan: Plan, part: RuntimePart, layout: RuntimeLayout): number {
  const { stage } = plan;
  const generated = runtimeStageLines(plan, part, { ...layout, buildStage: stage.parent!.name! });
  // runtimeStageLines starts with comments and FROM; keep the stage's own name on the FROM.
  const from = generated.findIndex((l) => /^from /i.test(l));
  if (stage.name) generated[from] += ` ${plan.kw('AS')} ${stage.name}`;
  const moved = movedTexts(plan, part);
  const header = generated.filter((l) => !moved.has(l));
  plan.edits.push({ range: stage.from.getRange(), newText: header.join(plan.eol) });
  rewriteInPlace(plan, part);
  return 0;
}

function movedTexts(plan: Plan, part: RuntimePart): Set<string> {
  return new Set(part.moved.map((m) => m.text.replace(/\r?\n/g, plan.eol)));
}

/**
 * A final stage on golang that already copies the binary from the build stage: only its base
 * changes (flags and name stay), with what the runtime needs added after the FROM.
 */
function swapBase(plan: Plan, part: RuntimePart, target: Target, layout: RuntimeLayout): number {
  const { stage, model } = plan;
  const builder = target.copiedFrom!;
  if (!stage.baseRange)
    throw new Refusal('the FROM instruction of the final stage could not be read.');
  const generated = runtimeStageLines(
    plan,
    part,
    { ...layout, buildStage: builder.name ?? String(builder.index) },
    false,
  );
  const from = generated.findIndex((l) => /^from /i.test(l));
  const comments = generated.slice(0, from);
  const moved = movedTexts(plan, part);
  const added = generated.slice(from + 1).filter((l) => !moved.has(l));
  const fromRange = stage.from.getRange();
  if (comments.length > 0) {
    const at = { line: fromRange.start.line, character: 0 };
    plan.edits.push({ range: { start: at, end: at }, newText: comments.join(plan.eol) + plan.eol });
  }
  plan.edits.push({ range: stage.baseRange, newText: plan.runtimeImage });
  if (added.length > 0) {
    const at = model.index.positionAt(plan.blockOf(stage.from).end);
    const text = added.join(plan.eol) + plan.eol;
    // The FROM may be the last line, without a line break.
    const after = plan.blockOf(stage.from).end === model.text.length && !/\n$/.test(model.text);
    plan.edits.push({ range: { start: at, end: at }, newText: after ? plan.eol + text : text });
  }
  rewriteInPlace(plan, part);
  return 0;
}

/** Moved instructions are already in the final stage: rewrite them where they are. */
function rewriteInPlace(plan: Plan, part: RuntimePart): void {
  for (const m of part.moved) {
    const block = plan.blockOf(m.instruction);
    plan.edits.push({
      range: plan.model.index.rangeOf(
        block.start,
        plan.model.index.offsetAt(m.instruction.getRange().end),
      ),
      newText: m.text.replace(/\r?\n/g, plan.eol),
    });
  }
}

/**
 * Splits the final stage into dev and build at the build command (dev-build-runtime layout).
 * Returns the lines that start the build stage, to append when the build is added at the end
 * (`go run`), or false when the build is not in this stage.
 */
function splitDevBuild(
  plan: Plan,
  target: Target,
  devName: string,
  buildName: string,
  extraBuild: string | undefined,
): string[] | false {
  const { stage, model } = plan;
  const call = target.call;
  const made = target.builtBy?.run.instruction;
  const at =
    call && call.stageIndex === stage.index
      ? call.instruction
      : made && stage.instructions.includes(made)
        ? made
        : undefined;
  if (!at && !extraBuild) return false;
  // The build stage declares again the ARGs its instructions use. BuildKit would pass them on
  // from the dev stage; declaring them keeps the stage readable on its own and gives the same
  // values.
  const buildText = stage.instructions
    .filter((i) => !at || i.getRange().start.line >= at.getRange().start.line)
    .map((i) => plan.text(i))
    .concat(extraBuild ? [extraBuild] : [])
    .join('\n');
  const used = referencedVariables(buildText);
  const args = stage.args
    .filter(
      (a) =>
        (!at || a.instruction.getRange().start.line < at.getRange().start.line) && used.has(a.name),
    )
    .map(
      (a) =>
        `${plan.kw('ARG')} ${a.defaultValue !== undefined ? `${a.name}=${a.defaultValue}` : a.name}`,
    );
  const header = [`${plan.kw('FROM')} ${devName} ${plan.kw('AS')} ${buildName}`, ...new Set(args)];
  if (!at) return ['', ...header];
  const start = model.index.positionAt(plan.blockOf(at).start);
  plan.edits.push({
    range: { start, end: start },
    newText: plan.eol + header.join(plan.eol) + plan.eol,
  });
  return [];
}

/** Turns the final stage into build (and dev) stages and a runtime stage. */
export function convertToMultiStage(
  modelOrText: DockerfileModel | string,
  options: ConvertOptions = {},
): ConvertResult {
  const model = typeof modelOrText === 'string' ? buildModel(modelOrText) : modelOrText;
  if (model.finalStage !== model.stages[model.stages.length - 1]) {
    // A build target before the end of the file: the runtime stage the conversion appends
    // would not be what that target builds.
    return {
      ok: false,
      reason: `the image checked is the build target ${model.finalStage?.name ?? ''}, not the last stage of the file.`,
    };
  }
  try {
    return convert(model, options);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

function convert(model: DockerfileModel, options: ConvertOptions): ConvertResult {
  const target = findTarget(model);
  const plan = new Plan(model, target.stage, options);
  const { stage } = plan;
  if (stage.workdirAtEnd === undefined) {
    throw new Refusal(
      'the working directory is set from a variable with no known value, so the runtime stage could not keep it.',
    );
  }
  // Every binary the image builds comes along (a worker next to the server), not build tools.
  const builds = carriedBuilds(plan, target);
  const needs = readProgramNeeds(plan, target, builds);
  const { needsCgo, headers } = decideCgo(plan, target, needs);
  goVersionNotes(plan);
  if (!needsCgo && !target.copiedFrom) for (const call of builds.calls) disableCgo(plan, call);
  if (!needsCgo && target.copiedFrom && target.call) disableCgo(plan, target.call);
  // Packages first: they may move the runtime to alpine or Debian, which changes how USER is
  // written.
  const { executed, shellReason } = executedPrograms(plan, needs, builds, target.script);
  const packages = planPackages(plan, headers, executed);
  const runtimePath = target.startedPath ?? target.builtPath;
  const part = { ...planRuntime(plan, target, runtimePath, shellReason), ...packages };
  // A program that starts bash (`exec.Command("bash", script)`) needs it on alpine too.
  if (executed.includes('bash')) part.usesBash = true;
  const files = runtimeFiles(plan, target, needs);
  const user = planUser(plan, needs);
  const layout: RuntimeLayout = {
    buildStage: '',
    binaries: builds.binaries,
    files,
    user,
    path: runtimePathEnv(plan, builds.binaries),
    ...scratchExtras(plan, target, needs, part),
  };
  plan.notes.push(files.how);
  // COPY --exclude needs the Dockerfile frontend 1.19 or later.
  const needsSyntax = files.workdirExcluding !== undefined;
  const extraBuild = goRunBuildLine(plan, target, needsCgo);
  addModuleDownload(plan, target);
  let addedStages = 1;
  let appendix: string[] | undefined;

  if (target.copiedFrom) {
    addedStages = swapBase(plan, part, target, layout);
    plan.notes.push(swapNote(target));
    if (plan.layout === 'dev-build-runtime') {
      plan.notes.push(
        'The build stage exists already, so the dev-build-runtime layout does not apply.',
      );
    }
  } else if (isRuntimeOnlyChild(plan, target) && !extraBuild) {
    addedStages = replaceFinalStage(plan, part, layout);
  } else {
    ({ addedStages, appendix } = appendRuntime(plan, part, target, layout, extraBuild));
  }
  return assemble(plan, addedStages, appendix, needsSyntax);
}

/**
 * Names the stage that builds (and, in the dev layout, splits it at the build) and appends the
 * runtime stage after it; the moved instructions leave the build stage.
 */
function appendRuntime(
  plan: Plan,
  part: RuntimePart,
  target: Target,
  layout: RuntimeLayout,
  extraBuild: string | undefined,
): { addedStages: number; appendix: string[] } {
  const { stage, model } = plan;
  const index = model.index;
  let addedStages = 1;
  const devLayout = plan.layout === 'dev-build-runtime';
  const firstName = stage.name ?? plan.uniqueStageName(devLayout ? 'dev' : 'build');
  if (stage.name === undefined) {
    const at = stage.baseRange?.end;
    if (!at) throw new Refusal('the FROM instruction of the final stage could not be read.');
    plan.edits.push({ range: { start: at, end: at }, newText: ` ${plan.kw('AS')} ${firstName}` });
  }
  let buildName = firstName;
  const tail: string[] = [];
  if (devLayout) {
    const name = plan.uniqueStageName(firstName === 'build' ? 'build-release' : 'build');
    const split = splitDevBuild(plan, target, firstName, name, extraBuild);
    if (split) {
      buildName = name;
      addedStages = 2;
      tail.push(...split);
    } else {
      plan.notes.push(
        'The build runs in a parent stage, so the dev-build-runtime layout does not apply: two stages.',
      );
    }
  }
  if (extraBuild) tail.push(extraBuild);
  for (const m of part.moved) {
    if (m.keepInBuild) continue;
    const block = plan.blockOf(m.instruction);
    plan.edits.push({ range: index.rangeOf(block.start, block.end), newText: '' });
  }
  const appendix = [
    ...tail,
    '',
    ...runtimeStageLines(plan, part, { ...layout, buildStage: buildName }),
  ];
  return { addedStages, appendix };
}

/** Turns the plan's edits into one replacement per changed stage, and checks the result. */
function assemble(
  plan: Plan,
  addedStages: number,
  appendix: string[] | undefined,
  needsSyntax = false,
): ConvertResult {
  const { model, stage } = plan;
  const index = model.index;
  const regions = model.stages.map((s, i) => ({
    start: index.lineStart(s.from.getRange().start.line),
    end:
      i + 1 < model.stages.length
        ? index.lineStart(model.stages[i + 1].from.getRange().start.line)
        : model.text.length,
  }));
  const replacements: TextEdit[] = [];
  regions.forEach((region, i) => {
    const edits = plan.edits.filter((e) => {
      const at = index.offsetAt(e.range.start);
      return (
        at >= region.start && (at < region.end || (i === regions.length - 1 && at === region.end))
      );
    });
    const isFinal = model.stages[i] === stage;
    if (edits.length === 0 && !(isFinal && appendix)) return;
    const full = applyEdits(model.text, edits);
    let text = full.slice(region.start, full.length - (model.text.length - region.end));
    // The lines added after the stage: a build step for `go run`, then the runtime stage.
    if (isFinal && appendix)
      text = [trimTrailingNewlines(text), ...appendix].join(plan.eol) + plan.eol;
    replacements.push({ range: index.rangeOf(region.start, region.end), newText: text });
  });
  const directives = model.dockerfile.getDirectives();
  if (needsSyntax && !directives.some((d) => d.getName().toLowerCase() === 'syntax')) {
    // After the other directives (or the byte order mark); when the first stage starts there,
    // the line joins that stage's replacement so that no two edits start at the same place.
    const last = directives[directives.length - 1];
    const start = last
      ? index.lineStart(last.getRange().start.line + 1)
      : model.text.startsWith('\ufeff')
        ? 1
        : 0;
    const line = `# syntax=docker/dockerfile:1${plan.eol}`;
    const first = replacements.find((r) => index.offsetAt(r.range.start) <= start);
    if (first) {
      const bom = first.newText.startsWith('\ufeff') ? '\ufeff' : '';
      first.newText = bom + line + first.newText.slice(bom.length);
    } else {
      const at = index.positionAt(start);
      replacements.unshift({ range: { start: at, end: at }, newText: line });
    }
    plan.notes.push(
      'A `# syntax=docker/dockerfile:1` line is added: COPY --exclude needs Dockerfile syntax 1.19 or later.',
    );
  }
  const text = applyEdits(model.text, replacements);
  // Counting the FROMs of the output needs a parse, not a second model.
  if (parseDockerfile(text).getFROMs().length !== model.stages.length + addedStages) {
    throw new Refusal(
      'internal error: the converted Dockerfile does not parse into the expected stages.',
    );
  }
  return {
    ok: true,
    text,
    edits: replacements,
    runtimeImage: plan.runtimeImage,
    notes: plan.allNotes(),
  };
}
