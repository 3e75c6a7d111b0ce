/**
 * "Convert to multi-stage": splits a final stage that builds and ships a Go program on the
 * toolchain image into a build stage and a minimal runtime stage that receives only the binary.
 *
 * The result is one replacement of the final stage's text. Every instruction and comment of the
 * input is kept in place or moved (with the comments above it) into the runtime stage; nothing
 * else changes. When the conversion cannot be done soundly it is refused with a reason.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import {
  classifyImage,
  CURRENT_DEBIAN,
  DEFAULT_RUNTIME_IMAGE,
  parseImageReference,
  type ImageFacts,
  type Libc,
} from '../model/images';
import { flagValue, packageBinaryName } from '../model/go-command';
import { commandOffsets } from '../model/locate';
import {
  buildModel,
  cgoState,
  type DockerfileModel,
  type GoCall,
  type Stage,
  type StartCommand,
} from '../model/model';
import { parseScript } from '../model/shell';
import { runTarget, stageChain, startProgram } from '../model/start';
import { expand } from '../model/variables';
import { applyEdits } from '../text/edits';
import { detectEol } from '../text/line-index';
import { basename } from '../text/posix-path';
import type { TextEdit } from '../types';
import { formatExecForm, toExecForm } from './exec-form';

/** A pinned alpine release for runtimes that need a shell. */
export const ALPINE_RUNTIME = 'alpine:3.24';

export interface ConvertOptions {
  /** The runtime base image; defaults to distroless static `:nonroot`. */
  runtimeImage?: string;
}

export type ConvertResult =
  | {
      ok: true;
      /** The whole converted Dockerfile. */
      text: string;
      /** One replacement that turns the input into `text`. */
      edits: TextEdit[];
      runtimeImage: string;
      /** What the conversion decided and why (runtime switched, cgo kept, ...). */
      notes: string[];
    }
  | { ok: false; reason: string };

const MOVED = new Set([
  'EXPOSE',
  'USER',
  'LABEL',
  'MAINTAINER',
  'VOLUME',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'ENTRYPOINT',
  'CMD',
  'ENV',
]);

// Variables that steer the Go build, never the program at run time.
const BUILD_VARIABLES =
  /^(GO[A-Z0-9_]*|CGO_[A-Z_]+|CC|CXX|PATH|GOPATH|GOBIN|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GONOPROXY|GOSUMDB|GOTOOLCHAIN|GO111MODULE|DEBIAN_FRONTEND)$/;

function keywordOf(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/** Refuses with a reason. */
function refuse(reason: string): ConvertResult {
  return { ok: false, reason };
}

interface Plan {
  model: DockerfileModel;
  stage: Stage;
  runtimeImage: string;
  runtime: ImageFacts;
  notes: string[];
  /** Comment lines written above the runtime stage: why its base was chosen. */
  comments: string[];
  lower: boolean;
  eol: string;
}

function kw(plan: Plan, keyword: string): string {
  return plan.lower ? keyword.toLowerCase() : keyword;
}

/** Whether the file writes its instructions in lowercase (then generated lines follow suit). */
function prefersLowercase(model: DockerfileModel): boolean {
  let lower = 0;
  let upper = 0;
  for (const instruction of model.instructions) {
    const word = instruction.getInstruction();
    if (word === word.toLowerCase()) lower++;
    else upper++;
  }
  return lower > upper;
}

function runtimeFacts(image: string): ImageFacts {
  return classifyImage(parseImageReference(image));
}

/** The offset range of an instruction's lines with the comment lines right above it. */
function blockOf(model: DockerfileModel, instruction: Instruction): { start: number; end: number } {
  const range = instruction.getRange();
  let firstLine = range.start.line;
  while (firstLine > 0) {
    const above = model.index.lineText(firstLine - 1).trim();
    if (!above.startsWith('#')) break;
    // Parser directives at the top of the file belong to the file, not to this instruction.
    if (model.dockerfile.getDirectives().some((d) => d.getRange().start.line === firstLine - 1))
      break;
    firstLine--;
  }
  const start = model.index.lineStart(firstLine);
  const lastLine = range.end.line;
  const end =
    lastLine + 1 < model.index.lineCount ? model.index.lineStart(lastLine + 1) : model.text.length;
  return { start, end };
}

/** Names of variables an instruction's text refers to. */
function referencedVariables(text: string): Set<string> {
  return new Set(expand(text, new Map()).names);
}

function instructionText(model: DockerfileModel, instruction: Instruction): string {
  return model.index.textOf(instruction.getRange());
}

/** Locates the `-o` value or the end of the `build` word of a go build in the document. */
function locateBuildEdits(model: DockerfileModel, call: GoCall) {
  const offset = commandOffsets(model, call.run)[call.commandIndex];
  if (offset === undefined || call.run.exec) return undefined;
  const text = model.text;
  const end = model.index.offsetAt(call.run.instruction.getRange().end);
  const isBoundary = (c: string | undefined) => c === undefined || /[\s;&|)\\]/.test(c);
  const findWord = (word: string, from: number): number | undefined => {
    let at = text.indexOf(word, from);
    while (at >= 0 && at < end) {
      if (/\s/.test(text[at - 1] ?? ' ') && isBoundary(text[at + word.length])) return at;
      if (word === '-o' && text[at + 2] === '=' && /\s/.test(text[at - 1] ?? ' ')) return at;
      at = text.indexOf(word, at + 1);
    }
    return undefined;
  };
  const build = findWord(call.invocation.subcommand, offset);
  if (build === undefined) return undefined;
  const result: {
    commandStart: number;
    buildEnd: number;
    outputValue?: { start: number; end: number };
  } = {
    commandStart: offset,
    buildEnd: build + call.invocation.subcommand.length,
  };
  const o = flagValue(call.invocation, 'o');
  if (typeof o === 'string') {
    const flag = findWord('-o', result.buildEnd) ?? findWord('--o', result.buildEnd);
    if (flag === undefined) return undefined;
    let valueStart = text.indexOf(o, flag + 2);
    const quoted = text[valueStart - 1] === '"' || text[valueStart - 1] === "'";
    if (valueStart < 0 || valueStart >= end) return undefined;
    let valueEnd = valueStart + o.length;
    if (quoted) {
      valueStart--;
      valueEnd++;
    }
    // Only the gap of blanks, `=` or line continuations may separate the flag from its value.
    const gap = text.slice(flag + 2, valueStart);
    if (!/^[\s=\\]*$/.test(gap.replace(/^-?o/, ''))) return undefined;
    result.outputValue = { start: valueStart, end: valueEnd };
  }
  return result;
}

/** Quotes a shell word if it needs it. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

interface StartRewrite {
  instruction: Instruction;
  text: string;
  needsShell: boolean;
  reason?: string;
}

/**
 * Rewrites a CMD/ENTRYPOINT/HEALTHCHECK so its program is the runtime binary when it ran the
 * build's binary, in exec form when possible.
 */
function rewriteStart(
  plan: Plan,
  command: StartCommand,
  isProgram: (word: string) => boolean,
  programArgs: (words: string[]) => string[] | undefined,
  runtimePath: string,
): StartRewrite {
  const { model } = plan;
  const instruction = command.instruction;
  const original = instructionText(model, instruction);
  const prefix = model.text.slice(
    model.index.offsetAt(instruction.getRange().start),
    model.index.offsetAt(command.range.start),
  );
  const rewriteArgv = (argv: string[]): string[] => {
    const replaced = programArgs(argv);
    if (replaced) return [runtimePath, ...replaced];
    if (argv.length > 0 && isProgram(argv[0])) return [runtimePath, ...argv.slice(1)];
    return argv;
  };
  if (command.exec) {
    const argv = rewriteArgv(command.exec.map((w) => w.text));
    const changed =
      argv.some((a, i) => a !== command.exec?.[i]?.text) || argv.length !== command.exec.length;
    return {
      instruction,
      text: changed ? prefix + formatExecForm(argv) : original,
      needsShell: false,
    };
  }
  const shell = command.shell ?? '';
  const exec = toExecForm(shell);
  if (exec.ok) {
    return {
      instruction,
      text: prefix + formatExecForm(rewriteArgv(exec.argv)),
      needsShell: false,
    };
  }
  // Shell syntax: keep the shell form, with the program's word replaced when it is the binary.
  const words = parseScript(shell).commands[0]?.words.map((w) => w.text) ?? [];
  let text = shell;
  const replaced = programArgs(words);
  if (replaced) {
    text = [runtimePath, ...replaced.map(shellWord)].join(' ');
  } else if (words.length > 0 && isProgram(words[0])) {
    const trimmed = shell.trimStart();
    const first = trimmed.split(/\s/, 1)[0];
    text = runtimePath + trimmed.slice(first.length);
  }
  return { instruction, text: prefix + text, needsShell: true, reason: exec.reason };
}

/** Turns the final stage of `text` into build + runtime stages. */
export function convertToMultiStage(
  modelOrText: DockerfileModel | string,
  options: ConvertOptions = {},
): ConvertResult {
  const model = typeof modelOrText === 'string' ? buildModel(modelOrText) : modelOrText;
  const stage = model.finalStage;
  if (!stage) return refuse('the Dockerfile has no FROM instruction.');
  if (!stage.facts.goToolchain) {
    return refuse(
      `the final stage is not based on a Go toolchain image (it is ${stage.baseText ?? 'unknown'}), so there is nothing to split off.`,
    );
  }
  const calls = stageChain(stage).flatMap((s) => s.goCalls);
  const builds = calls.filter((c) => c.invocation.subcommand !== 'run');
  const target = runTarget(stage);
  if (!target) {
    if (builds.length === 0 && !calls.some((c) => c.invocation.subcommand === 'run')) {
      return refuse(
        'the Dockerfile builds no Go program (no go build or go install), so there is no binary to run.',
      );
    }
    const start = startProgram(stage);
    if (!start) {
      return refuse(
        'the image has no ENTRYPOINT or CMD, so nothing says which binary the runtime stage should run.',
      );
    }
    const names = builds
      .map((c) => (c.output.kind === 'file' ? c.output.path : undefined))
      .filter((p): p is string => p !== undefined);
    return refuse(
      `the start command (${start.argv.map((a) => a.text).join(' ')}) does not run a binary this Dockerfile builds` +
        (names.length ? ` (it builds ${names.join(', ')})` : '') +
        ', so the binary to copy cannot be located.',
    );
  }
  const requested = options.runtimeImage ?? DEFAULT_RUNTIME_IMAGE;
  const plan: Plan = {
    model,
    stage,
    runtimeImage: requested,
    runtime: runtimeFacts(requested),
    notes: [],
    comments: [],
    lower: prefersLowercase(model),
    eol: detectEol(model.text),
  };
  const explicitRuntime =
    options.runtimeImage !== undefined && options.runtimeImage !== DEFAULT_RUNTIME_IMAGE;
  const edits: TextEdit[] = [];
  const index = model.index;

  // 1. The build: which call, its output path in the build stage, and the binary's name.
  let call: GoCall | undefined = target.kind === 'binary' ? target.call : target.call;
  let binaryName: string;
  let builtPath: string;
  let extraBuild: string | undefined;
  const editableCall = (c: GoCall | undefined): c is GoCall =>
    c !== undefined && c.stageIndex === stage.index;
  if (target.kind === 'go-run') {
    const goRun = parseGoRunStart(stage);
    if (!goRun) return refuse('the `go run` start command could not be read.');
    const copiesSources = stageChain(stage).some((s) => s.copies.some((c) => c.from === undefined));
    if (!copiesSources) {
      return refuse(
        'the sources are not copied into the image (they are probably mounted at run time), so there is nothing to build.',
      );
    }
    const cwd = stage.workdirAtEnd;
    const pkg = goRun.packages;
    const named =
      pkg.length === 1 && !pkg[0].endsWith('.go')
        ? packageBinaryName({ text: pkg[0], dynamic: false, glob: false }, cwd, stage.module)
        : model.goMod?.module
          ? packageBinaryName(undefined, cwd, { root: cwd, path: model.goMod.module })
          : undefined;
    binaryName = named ?? 'app';
    builtPath = `/out/${binaryName}`;
    const flags = goRun.flags.map(shellWord).join(' ');
    extraBuild =
      `${kw(plan, 'RUN')} CGO_ENABLED=0 go build ${flags ? flags + ' ' : ''}-o ${builtPath} ` +
      (pkg.length ? pkg.map(shellWord).join(' ') : '.');
    call = undefined;
  } else {
    binaryName = basename(target.path);
    builtPath = target.path;
  }

  // 2. cgo: keep it only when the build asks for it explicitly, with a runtime that fits.
  let needsCgo = false;
  let builderLibc: Libc | undefined = stage.facts.libc;
  if (call) {
    const builder = model.stages[call.stageIndex];
    builderLibc = builder.facts.libc;
    const cgo = cgoState(builder, call);
    if (cgo.explicit && cgo.state === 'unknown') {
      return refuse(
        'CGO_ENABLED is set from a variable, so which runtime libc the binary needs cannot be known.',
      );
    }
    needsCgo = cgo.explicit && cgo.state === 'on';
  }
  if (needsCgo) {
    const fits = builderLibc !== undefined && plan.runtime.libc === builderLibc;
    if (!fits) {
      if (explicitRuntime) {
        return refuse(
          `the build sets CGO_ENABLED=1, so the binary needs ${builderLibc ?? 'a C library'}, which ${plan.runtimeImage} does not have.`,
        );
      }
      plan.runtimeImage =
        builderLibc === 'musl'
          ? ALPINE_RUNTIME
          : `gcr.io/distroless/base-${CURRENT_DEBIAN}:nonroot`;
      plan.runtime = runtimeFacts(plan.runtimeImage);
      plan.notes.push(
        `The build sets CGO_ENABLED=1, so cgo is kept and the runtime is ${plan.runtimeImage}, which has ${builderLibc}.`,
      );
      plan.comments.push(
        `CGO_ENABLED=1: the binary needs ${builderLibc}, which this base has. Shared libraries`,
        'installed in the build stage are not here: copy or install the ones the binary loads.',
      );
    }
  }

  // 3. Rewrite the go build: absolute output in /out, and CGO_ENABLED=0 when cgo is not needed.
  if (editableCall(call)) {
    const located = locateBuildEdits(model, call);
    const state = cgoState(model.stages[call.stageIndex], call);
    const addCgo = !needsCgo && state.state !== 'off';
    if (addCgo && located === undefined && !call.run.exec) {
      return refuse(
        'the go build command could not be located in the RUN instruction to add CGO_ENABLED=0.',
      );
    }
    if (addCgo && call.run.exec) {
      const start = call.run.instruction.getRange().start;
      edits.push({
        range: { start, end: start },
        newText: `${kw(plan, 'ENV')} CGO_ENABLED=0${plan.eol}`,
      });
    } else if (addCgo && located) {
      const at = index.positionAt(located.commandStart);
      edits.push({ range: { start: at, end: at }, newText: 'CGO_ENABLED=0 ' });
    }
    if (addCgo)
      plan.notes.push('CGO_ENABLED=0 makes the binary static, so it runs without a C library.');
    const referencedLater = stage.instructions
      .filter((i) => i.getRange().start.line > call!.instruction.getRange().end.line)
      .some(
        (i) => instructionText(model, i).includes(basename(builtPath)) && !MOVED.has(keywordOf(i)),
      );
    // A non-root user cannot create /out: then the build keeps writing where it did.
    const userAtBuild = userBefore(stage, call.instruction);
    const rootBuild = userAtBuild === undefined || /^(root|0)(:|$)/.test(userAtBuild);
    if (
      call.invocation.subcommand === 'build' &&
      located &&
      !referencedLater &&
      rootBuild &&
      !builtPath.startsWith('/out/')
    ) {
      const newPath = `/out/${binaryName}`;
      if (located.outputValue) {
        edits.push({
          range: index.rangeOf(located.outputValue.start, located.outputValue.end),
          newText: newPath,
        });
      } else {
        const at = index.positionAt(located.buildEnd);
        edits.push({ range: { start: at, end: at }, newText: ` -o ${newPath}` });
      }
      builtPath = newPath;
    }
  }

  // 4. What moves to the runtime stage, and how start commands change.
  const runtimePath = `/${binaryName}`;
  const isProgram = (word: string): boolean =>
    word === builtPath ||
    word === binaryName ||
    word === `./${binaryName}` ||
    (target.kind === 'binary' && word === target.path) ||
    (stage.workdirAtEnd !== undefined &&
      `${stage.workdirAtEnd}/${word}`.replace(/\/\.\//g, '/') === builtPath);
  const goRunArgs = (words: string[]): string[] | undefined => {
    if (words[0] !== 'go' && !words[0]?.endsWith('/go')) return undefined;
    if (words[1] !== 'run') return undefined;
    const parsed = parseGoRunWords(words.slice(2));
    return parsed.programArgs;
  };
  // Where each variable is last used by an instruction that stays in the build stage, found in
  // one pass (searching the text after every ENV made long files quadratic).
  const lastBuildUse = new Map<string, number>();
  stage.instructions.forEach((i, position) => {
    if (MOVED.has(keywordOf(i))) return;
    for (const name of referencedVariables(instructionText(model, i))) {
      lastBuildUse.set(name, position);
    }
  });
  const moved: { instruction: Instruction; text: string; keepInBuild: boolean }[] = [];
  let needsShell: string | undefined;
  let usesCurl = false;
  let hasUser = false;
  const startCommands = new Set(
    [stage.cmd, stage.entrypoint, stage.healthcheck].filter((c) => c !== undefined),
  );
  for (const [position, instruction] of stage.instructions.entries()) {
    const keyword = keywordOf(instruction);
    if (!MOVED.has(keyword)) continue;
    const block = blockOf(model, instruction);
    const blockText = model.text.slice(block.start, block.end).replace(/\r?\n$/, '');
    const comments = model.text.slice(block.start, index.offsetAt(instruction.getRange().start));
    if (keyword === 'ENV') {
      const declared = envNames(instruction);
      const usedByBuild = declared.some((n) => (lastBuildUse.get(n) ?? -1) > position);
      // ENV that only steers the Go build stays in the build stage.
      if (declared.every((n) => BUILD_VARIABLES.test(n))) continue;
      moved.push({ instruction, text: blockText, keepInBuild: usedByBuild });
      continue;
    }
    if (keyword === 'USER') {
      hasUser = true;
      const affectsBuild = stage.instructions.some(
        (i) =>
          i.getRange().start.line > instruction.getRange().end.line &&
          (keywordOf(i) === 'RUN' || keywordOf(i) === 'COPY'),
      );
      moved.push({
        instruction,
        text: comments + runtimeUser(plan, instruction),
        keepInBuild: affectsBuild,
      });
      continue;
    }
    const command = [...startCommands].find((c) => c.instruction === instruction);
    if (command) {
      const rewritten = rewriteStart(plan, command, isProgram, goRunArgs, runtimePath);
      if (rewritten.needsShell)
        needsShell ??= `the ${command.keyword} ${(rewritten.reason ?? 'needs a shell').replace(/^it /, '')}`;
      const argv0 =
        command.exec?.[0]?.text ?? parseScript(command.shell ?? '').commands[0]?.words[0]?.text;
      if (command.keyword === 'HEALTHCHECK' && (argv0 === 'curl' || argv0 === 'wget')) {
        usesCurl ||= argv0 === 'curl';
        needsShell ??= `the HEALTHCHECK calls ${argv0}, which distroless and scratch do not have`;
      }
      moved.push({ instruction, text: comments + rewritten.text, keepInBuild: false });
      continue;
    }
    // A CMD/ENTRYPOINT that is not the effective one (an earlier one, overridden): move as is.
    moved.push({ instruction, text: blockText, keepInBuild: false });
  }

  // 5. A start command that needs a shell (or curl) needs a runtime that has one.
  if (needsShell && plan.runtime.hasShell !== true) {
    if (explicitRuntime) {
      return refuse(`${needsShell}, and ${plan.runtimeImage} has no shell.`);
    }
    plan.runtimeImage = ALPINE_RUNTIME;
    plan.runtime = runtimeFacts(ALPINE_RUNTIME);
    plan.notes.push(`The runtime is ${ALPINE_RUNTIME} because ${needsShell}.`);
    plan.comments.push(`${ALPINE_RUNTIME}, not distroless: ${needsShell}.`);
    if (needsCgo && builderLibc === 'glibc') {
      return refuse(
        'the start command needs a shell and the build needs glibc (CGO_ENABLED=1); no minimal runtime has both.',
      );
    }
  }

  // 6. Name the build stage.
  let stageName = stage.name;
  if (stageName === undefined) {
    stageName = uniqueStageName(model, 'build');
    const at = stage.baseRange?.end;
    if (!at) return refuse('the FROM instruction of the final stage could not be read.');
    edits.push({ range: { start: at, end: at }, newText: ` ${kw(plan, 'AS')} ${stageName}` });
  }

  // 7. Remove what moves out of the build stage; add the go build for `go run`.
  for (const m of moved) {
    if (m.keepInBuild) continue;
    const block = blockOf(model, m.instruction);
    edits.push({ range: index.rangeOf(block.start, block.end), newText: '' });
  }
  let built = applyEdits(model.text, edits);
  if (!built.endsWith('\n')) built += plan.eol;
  if (extraBuild) built += extraBuild + plan.eol;

  // 8. The runtime stage.
  const lines: string[] = [];
  for (const comment of plan.comments) lines.push(`# ${comment}`);
  lines.push(`${kw(plan, 'FROM')} ${plan.runtimeImage}`);
  const argNames = new Set<string>();
  for (const m of moved) {
    for (const name of referencedVariables(m.text)) {
      if (
        stage.args.some((a) => a.name === name) ||
        model.globalArgs.some((a) => a.name === name)
      ) {
        argNames.add(name);
      }
    }
  }
  for (const name of argNames) {
    const own = [...stage.args].reverse().find((a) => a.name === name);
    lines.push(
      `${kw(plan, 'ARG')} ${own?.defaultValue !== undefined ? `${name}=${own.defaultValue}` : name}`,
    );
  }
  if (plan.runtime.family === 'alpine') {
    lines.push(`${kw(plan, 'RUN')} apk add --no-cache ca-certificates${usesCurl ? ' curl' : ''}`);
  }
  if (plan.runtime.family === 'scratch') {
    lines.push(
      `${kw(plan, 'COPY')} --from=${stageName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
    );
  }
  lines.push(`${kw(plan, 'COPY')} --from=${stageName} ${builtPath} ${runtimePath}`);
  // A non-root user before the start command, unless the image already runs as one.
  const userLine =
    !hasUser && !plan.runtime.nonRoot ? `${kw(plan, 'USER')} 65532:65532` : undefined;
  let userPlaced = userLine === undefined;
  for (const m of moved) {
    const keyword = keywordOf(m.instruction);
    if (userLine && !userPlaced && (keyword === 'ENTRYPOINT' || keyword === 'CMD')) {
      lines.push(userLine);
      userPlaced = true;
    }
    lines.push(m.text.replace(/\r?\n/g, plan.eol));
  }
  if (userLine && !userPlaced) lines.push(userLine);
  const text = trimTrailingNewlines(built) + plan.eol + plan.eol + lines.join(plan.eol) + plan.eol;

  // One replacement from the final stage's FROM to the end of the file.
  const regionStart = index.lineStart(stage.from.getRange().start.line);
  const replacement = text.slice(regionStart);
  if (model.text.slice(0, regionStart) !== text.slice(0, regionStart)) {
    return refuse('internal error: the conversion changed text before the final stage.');
  }
  // Counting the FROMs of the output needs a parse, not a second model.
  if (DockerfileParser.parse(text).getFROMs().length !== model.stages.length + 1) {
    return refuse(
      'internal error: the converted Dockerfile does not parse into the expected stages.',
    );
  }
  return {
    ok: true,
    text,
    edits: [{ range: index.rangeOf(regionStart, model.text.length), newText: replacement }],
    runtimeImage: plan.runtimeImage,
    notes: plan.notes,
  };
}

function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(0, end);
}

function envNames(instruction: Instruction): string[] {
  try {
    return (instruction as unknown as { getProperties(): { getName(): string }[] })
      .getProperties()
      .map((p) => p.getName());
  } catch {
    return [];
  }
}

/** The USER in force just before an instruction of a stage (or inherited), if any. */
function userBefore(stage: Stage, instruction: Instruction): string | undefined {
  let user = stage.parent?.user?.value;
  for (const i of stage.instructions) {
    if (i === instruction) break;
    if (keywordOf(i) === 'USER') user = i.getArgumentsContent()?.trim() ?? user;
  }
  return user;
}

function uniqueStageName(model: DockerfileModel, wanted: string): string {
  const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()));
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

/** USER for the runtime: names the runtime does not know become the numeric nonroot user. */
function runtimeUser(plan: Plan, instruction: Instruction): string {
  const original = instructionText(plan.model, instruction);
  const value = original.replace(/^\S+\s+/, '').trim();
  const user = value.split(':')[0];
  const numeric = /^\d+$/.test(user);
  const known =
    numeric ||
    user === 'root' ||
    (plan.runtime.family === 'distroless' && user === 'nonroot') ||
    plan.runtime.family === 'alpine';
  if (known) {
    if (plan.runtime.family === 'alpine' && !numeric && user !== 'root') {
      // alpine has no such user until it is created.
      return `${kw(plan, 'RUN')} adduser -D -H ${user}${plan.eol}${original}`;
    }
    return original;
  }
  plan.notes.push(
    `USER ${value} became 65532:65532 because ${plan.runtimeImage} has no user "${user}".`,
  );
  return `# ${original.split(/\r?\n/)[0]}: ${plan.runtimeImage} has no user "${user}"${plan.eol}${kw(plan, 'USER')} 65532:65532`;
}

interface GoRunStart {
  packages: string[];
  flags: string[];
  programArgs: string[];
}

/** Splits `go run [flags] pkg|files... args...` words (after `go run`). */
function parseGoRunWords(words: string[]): GoRunStart {
  const flags: string[] = [];
  let i = 0;
  while (i < words.length && words[i].startsWith('-')) {
    flags.push(words[i]);
    const name = words[i].replace(/^--?/, '');
    if (
      !name.includes('=') &&
      ['tags', 'ldflags', 'gcflags', 'mod', 'exec', 'C', 'p'].includes(name) &&
      i + 1 < words.length
    ) {
      flags.push(words[i + 1]);
      i++;
    }
    i++;
  }
  const rest = words.slice(i);
  let j = 0;
  while (j < rest.length && rest[j].endsWith('.go')) j++;
  const count = j > 0 ? j : Math.min(1, rest.length);
  return {
    flags: flags.filter((f) => !f.startsWith('-exec')),
    packages: rest.slice(0, count),
    programArgs: rest.slice(count),
  };
}

function parseGoRunStart(stage: Stage): GoRunStart | undefined {
  const start = startProgram(stage);
  if (!start) return undefined;
  const words = start.argv.map((a) => a.text);
  if (words[1] !== 'run') return undefined;
  return parseGoRunWords(words.slice(2));
}
