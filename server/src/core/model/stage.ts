/** Builds one stage of the model: its base, then its instructions in order. */
import type { From, Instruction, Property, Healthcheck } from 'dockerfile-ast';
import {
  classifyImage,
  DEFAULT_PATH,
  GOLANG_IMAGE_ENV,
  parseImageReference,
  type ImageFacts,
  type ImageReference,
} from './images';
import { expand, type Scope } from './variables';
import { overlay, withValue, type Env } from './env';
import { buildArgValue } from './build-args';
import type { EnvValue } from './go-invocation';
import { StageFs } from './filesystem';
import { logicalArguments } from './instruction-text';
import { flagsOf, fromParts, keywordOf } from './instruction-view';
import { argDeclarations, PLATFORM_ARGS, unquote } from './args';
import { addRun } from './run';
import { addCopy } from './copy';
import { healthcheckCommand, startCommand } from './start-commands';
import { findStageByName } from './stage-references';
import type { ArgDeclaration, DockerfileModel, Located, Stage } from './types';
import { isAbsolute, resolve } from '../text/posix-path';

function partialFacts(text: string): { reference?: ImageReference; facts: ImageFacts } {
  // Classify what can be known when only the tag is unresolved (`golang:${GO_VERSION}-alpine`).
  const reference = parseImageReference(text);
  if (reference.repository.includes('${') || reference.repository.includes('$')) {
    return { facts: classifyImage({ text: '', repository: '' }) };
  }
  // An unclosed `${` runs to the end of the tag: matching it so keeps the regex linear (requiring
  // the `}` rescanned the rest of the tag from every `${`).
  const tag = reference.tag?.includes('$')
    ? reference.tag.replace(/\$\{[^}]*(?:\}|$)|\$[A-Za-z_][A-Za-z0-9_]*/g, '').replace(/^[-.]+/, '')
    : reference.tag;
  const facts = classifyImage({ ...reference, tag: tag === '' ? undefined : tag });
  return { facts: { ...facts, goVersion: undefined } };
}

/** What the FROM line says: the base as written, the stage name, the platform. */
function fromLine(model: DockerfileModel, from: From) {
  let parts: ReturnType<typeof fromParts> = {};
  try {
    parts = fromParts(from, (range) => model.index.textOf(range));
  } catch {
    parts = {};
  }
  let platform: Located | undefined;
  try {
    // dockerfile-ast's getPlatformFlag gives up when the FROM has any other flag.
    const flag = flagsOf(from).find((f) => f.getName() === 'platform');
    const value = flag?.getValue();
    const range = flag?.getValueRange();
    if (value !== undefined && value !== null && range) platform = { text: value, range };
  } catch {
    platform = undefined;
  }
  return {
    image: parts.image,
    imageRange: parts.imageRange,
    name: parts.name,
    nameRange: parts.nameRange,
    platform,
  };
}

/** The stage's base: an earlier stage, or an image and what is known of it. */
function baseOf(
  model: DockerfileModel,
  baseText: string | undefined,
): { parent?: Stage; base?: ImageReference; facts: ImageFacts } {
  if (baseText === undefined) return { facts: classifyImage({ text: '', repository: '' }) };
  const expanded = expand(baseText, model.globalScope);
  const parent = expanded.complete ? findStageByName(model.stages, expanded.value) : undefined;
  if (parent) return { parent, facts: parent.facts };
  if (expanded.complete) {
    const base = parseImageReference(expanded.value);
    return { base, facts: classifyImage(base) };
  }
  return { facts: partialFacts(expanded.value).facts };
}

/** The stage before its instructions: what its base gives it. */
function newStage(
  model: DockerfileModel,
  stageIndex: number,
  from: From,
  instructions: Instruction[],
): Stage {
  const line = fromLine(model, from);
  const { parent, base, facts } = baseOf(model, line.image);
  const stage: Stage = {
    index: stageIndex,
    name: line.name,
    nameRange: line.nameRange,
    from,
    instructions,
    baseText: line.image,
    baseRange: line.imageRange,
    base,
    parent,
    facts,
    platform: line.platform,
    hasShell: parent ? parent.hasShell : facts.hasShell,
    shellInstruction: parent?.shellInstruction,
    args: [],
    inheritedArgs: parent ? inheritedFrom(parent) : new Map(),
    argsAtEnd: new Map(),
    scopeAtEnd: new Map(),
    envAtEnd: parent
      ? new Map(parent.envAtEnd)
      : facts.family === 'golang'
        ? new Map(GOLANG_IMAGE_ENV)
        : facts.family === 'unknown'
          ? // An image not known here may set GOPATH (a Go build image of the project's own).
            new Map([['GOPATH', null]])
          : new Map(),
    workdirAtEnd: parent
      ? parent.workdirAtEnd
      : facts.family === 'golang'
        ? '/go'
        : facts.family === 'unknown'
          ? undefined
          : '/',
    runs: [],
    goCalls: [],
    goCommands: [],
    copies: [],
    fs: new StageFs(parent?.fs),
    packages: new Set(parent?.packages ?? []),
    goEnv: new Map(parent?.goEnv ?? []),
    module: { ...(parent?.module ?? {}), path: model.goMod?.module },
    cmd: parent?.cmd,
    entrypoint: parent?.entrypoint,
    healthcheck: parent?.healthcheck,
    user: parent?.user,
    usedBy: new Set(),
  };
  if (parent) parent.usedBy.add(stageIndex);
  if (!stage.envAtEnd.has('PATH') && facts.family !== 'unknown') {
    stage.envAtEnd.set('PATH', DEFAULT_PATH);
  }
  return stage;
}

/**
 * The ARG declarations a stage built on `parent` starts with: the parent's inherited ones under
 * its own (each name's last). BuildKit (since v0.6, every Dockerfile syntax) starts a stage from
 * its parent's state, which holds the ARG values; the classic builder did not.
 */
function inheritedFrom(parent: Stage): ReadonlyMap<string, ArgDeclaration> {
  if (parent.args.length === 0) return parent.inheritedArgs;
  const own = new Map<string, ArgDeclaration>();
  for (const declaration of parent.args) own.set(declaration.name, declaration);
  return overlay(parent.inheritedArgs, own);
}

/**
 * The state of reading a stage's instructions in order: the ARG and ENV values in force.
 * The values are layers (a copy per change made long stages quadratic), with one view of both per
 * change, shared by the instructions until the next ARG or ENV. A stage built on another starts
 * with that stage's ARG values (BuildKit's behaviour). A plain object and functions rather than a
 * class: a builder lives for one stage, and V8 throws away optimized code that saw a class whose
 * objects have all died at the next full garbage collection ("weak objects"; see parse.ts).
 */
interface Builder {
  readonly model: DockerfileModel;
  readonly stage: Stage;
  argValues: Env;
  envValues: Env;
  snapshot: Scope | undefined;
  ownCmd: boolean;
}

function scopeOf(builder: Builder): Scope {
  return (builder.snapshot ??= overlay(builder.argValues, builder.envValues));
}

function readInstruction(builder: Builder, instruction: Instruction): void {
  const { model, stage } = builder;
  switch (keywordOf(instruction)) {
    case 'ARG':
      return readArg(builder, instruction);
    case 'ENV':
      return readEnv(builder, instruction);
    case 'WORKDIR':
      return readWorkdir(builder, instruction);
    case 'RUN':
      return addRun(model, stage, instruction, scopeOf(builder));
    case 'COPY':
    case 'ADD':
      return addCopy(model, stage, instruction, scopeOf(builder));
    case 'CMD':
      stage.cmd = startCommand(model, instruction, 'CMD');
      builder.ownCmd = true;
      return;
    case 'ENTRYPOINT':
      stage.entrypoint = startCommand(model, instruction, 'ENTRYPOINT');
      // Docker: setting ENTRYPOINT resets a CMD inherited from the base.
      if (!builder.ownCmd) stage.cmd = undefined;
      return;
    case 'HEALTHCHECK':
      stage.healthcheck = healthcheckCommand(model, instruction as Healthcheck);
      return;
    case 'USER':
      return readUser(builder, instruction);
    case 'SHELL':
      stage.shellInstruction = instruction;
      return;
  }
}

function readArg(builder: Builder, instruction: Instruction): void {
  const { model, stage } = builder;
  for (const declaration of argDeclarations(model, instruction)) {
    stage.args.push(declaration);
    let value: EnvValue;
    if (declaration.defaultValue !== undefined) {
      const expanded = expand(declaration.defaultValue, scopeOf(builder));
      value = buildArgValue(
        model.options,
        declaration.name,
        expanded.complete ? expanded.value : null,
      );
    } else if (PLATFORM_ARGS.has(declaration.name)) {
      value = null;
    } else {
      // Without a default the global value is taken; without one either, an inherited value
      // stays (BuildKit leaves the variable as the parent stage set it).
      const kept =
        model.globalScope.get(declaration.name) ?? builder.argValues.get(declaration.name) ?? null;
      value = buildArgValue(model.options, declaration.name, kept);
    }
    builder.argValues = withValue(builder.argValues, declaration.name, value);
    builder.snapshot = undefined;
  }
}

function readEnv(builder: Builder, instruction: Instruction): void {
  const properties = (instruction as unknown as { getProperties(): Property[] }).getProperties();
  for (const property of properties) {
    const raw = property.getValue() ?? '';
    const expanded = expand(raw, scopeOf(builder));
    const value = expanded.complete ? expanded.value : null;
    builder.stage.envAtEnd.set(property.getName(), value);
    builder.envValues = withValue(builder.envValues, property.getName(), value);
    builder.snapshot = undefined;
  }
}

function readWorkdir(builder: Builder, instruction: Instruction): void {
  const { model, stage } = builder;
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  if (!logical) return;
  const expanded = expand(unquote(logical.text.trim()), scopeOf(builder));
  if (!expanded.complete) stage.workdirAtEnd = undefined;
  else if (isAbsolute(expanded.value)) stage.workdirAtEnd = resolve('/', expanded.value);
  else if (stage.workdirAtEnd !== undefined) {
    stage.workdirAtEnd = resolve(stage.workdirAtEnd, expanded.value);
  }
  if (stage.workdirAtEnd !== undefined) {
    stage.fs.add({
      path: stage.workdirAtEnd,
      kind: 'tree',
      origin: 'workdir',
      contents: new Set(),
      instruction,
    });
  }
}

function readUser(builder: Builder, instruction: Instruction): void {
  const { model } = builder;
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  if (logical) {
    builder.stage.user = {
      value: expand(logical.text.trim(), scopeOf(builder)).value,
      instruction,
    };
  }
}

export function buildStage(
  model: DockerfileModel,
  stageIndex: number,
  from: From,
  instructions: Instruction[],
): Stage {
  const stage = newStage(model, stageIndex, from, instructions);
  const builder: Builder = {
    model,
    stage,
    argValues: stage.parent?.argsAtEnd ?? new Map(),
    envValues: new Map(stage.envAtEnd),
    snapshot: undefined,
    ownCmd: false,
  };
  for (const instruction of instructions) {
    try {
      readInstruction(builder, instruction);
    } catch {
      // A malformed instruction contributes nothing; the rest of the stage is still modelled.
    }
  }
  stage.argsAtEnd = builder.argValues;
  stage.scopeAtEnd = new Map(scopeOf(builder));
  return stage;
}
