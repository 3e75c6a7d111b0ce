// Catches a literal GOARCH (`GOARCH=amd64`) in a Dockerfile that otherwise builds for several
// platforms: every platform's image then gets the same Go binary, which fails on the others.
import type { Instruction, Property } from 'dockerfile-ast';
import { commandOffsets } from '../model/command-words';
import {
  PLATFORM_ARGS,
  runOf,
  type DockerfileModel,
  type RunInfo,
  type Stage,
} from '../model/model';
import {
  declaredAt,
  effectivePlatform,
  isTargetArg,
  PLATFORM_ARG_PARTS,
  usesPlatformArgs,
  variableName,
} from '../facts/platform';
import { declareArgsEdit, mergeInsertions } from '../edits/declare-args';
import { heredocsOf, instructionVariables } from '../model/instruction-text';
import { programName, type SimpleCommand, type Word } from '../model/shell';
import { isGoBuildStage } from '../facts/start';
import type { Fix, Range, TextEdit } from '../types';
import { declaredPlatforms, describeBuild } from '../facts/builds';
import { shortText, type Report, type Rule } from './rule';
import { replaceRange } from '../edits/fixer';
import { keywordOf } from '../model/instruction-view';
import { isWindowsStage } from '../facts/windows';

/** The architecture of a platform (`linux/arm64/v8` → `arm64`). */
function archOf(platform: string | undefined): string | undefined {
  return platform?.split('/')[1];
}

/** A literal `NAME=value` in the document. */
interface Literal {
  name: 'GOOS' | 'GOARCH';
  value: string;
  /** Range of the value as written (quotes included). */
  valueRange: Range;
  quote: string;
  /** Range of `NAME=value`. */
  range: Range;
}

interface Found {
  stage: Stage;
  instruction: Instruction;
  goarch: Literal;
  goos?: Literal;
  exec: boolean;
}

const REPLACEMENT = { GOOS: 'TARGETOS', GOARCH: 'TARGETARCH' } as const;

/** Literal values a command gives to a name: inline, through `env`, `export` or `go env -w`. */
function literalValues(command: SimpleCommand, name: string): string[] {
  const values = command.assignments
    .filter((a) => a.name === name && !a.value.dynamic)
    .map((a) => a.value.text);
  const program = programName(command.words[0]);
  let words: Word[] = [];
  if (program === 'env' || program === 'export') words = command.words.slice(1);
  else if (
    program === 'go' &&
    command.words[1]?.text === 'env' &&
    command.words[2]?.text === '-w'
  ) {
    words = command.words.slice(3);
  }
  for (const word of words) {
    if (word.text.startsWith(name + '=') && !word.dynamic) {
      values.push(word.text.slice(name.length + 1));
    }
  }
  return values;
}

const BOUNDARY = /[\s;&|("'[,]/;

/** `NAME=value` occurrences with a literal value between two offsets of the document. */
function literalsIn(model: DockerfileModel, name: 'GOOS' | 'GOARCH', start: number, end: number) {
  const text = model.text;
  const found: Literal[] = [];
  let at = text.indexOf(name + '=', start);
  while (at >= 0 && at < end) {
    const before = at === 0 ? ' ' : text[at - 1];
    const valueStart = at + name.length + 1;
    if (BOUNDARY.test(before)) {
      let valueEnd = valueStart;
      const quote = text[valueStart] === '"' || text[valueStart] === "'" ? text[valueStart] : '';
      if (quote) {
        const close = text.indexOf(quote, valueStart + 1);
        valueEnd = close < 0 || close >= end ? -1 : close + 1;
      } else {
        while (valueEnd < end && !/[\s;&|)"\\]/.test(text[valueEnd])) valueEnd++;
      }
      const value =
        valueEnd < 0 ? '' : text.slice(valueStart + quote.length, valueEnd - quote.length);
      if (valueEnd > valueStart && /^[A-Za-z0-9_]+$/.test(value)) {
        found.push({
          name,
          value,
          quote,
          valueRange: model.index.rangeOf(valueStart, valueEnd),
          range: model.index.rangeOf(at, valueEnd),
        });
      }
    }
    at = text.indexOf(name + '=', at + 1);
  }
  return found;
}

/** Whether a RUN works out the platform itself (`case $TARGETPLATFORM in ... GOARCH=arm64`). */
function mapsPlatformItself(model: DockerfileModel, run: RunInfo): boolean {
  if (/(^|[\s;&|(])(case|if|\[\[?|test)\s/.test(run.script ?? '')) return true;
  return instructionVariables(run.instruction, model.index, PLATFORM_ARG_PARTS).some((v) =>
    PLATFORM_ARGS.has(variableName(v)),
  );
}

/** Document spans of each command of a RUN: from its start to the next command's. */
function commandSpans(model: DockerfileModel, run: RunInfo): { start: number; end: number }[] {
  const offsets = commandOffsets(model, run);
  let end = model.index.offsetAt(run.instruction.getRange().end);
  const body = heredocsOf(run.instruction, model.index)[0];
  if (run.heredoc && body && run.script === body.body) end = model.index.offsetAt(body.range.end);
  return offsets.map((start, i) => {
    if (start === undefined) return { start: -1, end: -1 };
    let next: number | undefined;
    for (let k = i + 1; k < offsets.length && next === undefined; k++) next = offsets[k];
    return { start, end: next ?? end };
  });
}

function fromRun(model: DockerfileModel, stage: Stage, run: RunInfo): Found[] {
  // Most RUNs set no GOARCH: the words tell without locating the commands in the text.
  if (!run.commands.some((c) => literalValues(c, 'GOARCH').length > 0)) return [];
  if (mapsPlatformItself(model, run)) return [];
  const spans = commandSpans(model, run);
  const found: Found[] = [];
  run.commands.forEach((command, i) => {
    if (literalValues(command, 'GOARCH').length === 0) return;
    const span = spans[i];
    if (!span || span.start < 0) return;
    const goarch = literalsIn(model, 'GOARCH', span.start, span.end)[0];
    if (!goarch) return;
    const goos =
      literalValues(command, 'GOOS').length > 0
        ? literalsIn(model, 'GOOS', span.start, span.end)[0]
        : undefined;
    found.push({ stage, instruction: run.instruction, goarch, goos, exec: run.exec });
  });
  return found;
}

function propertyLiteral(
  model: DockerfileModel,
  property: Property,
  name: 'GOOS' | 'GOARCH',
): Literal | undefined {
  const valueRange = property.getValueRange();
  if (!valueRange) return undefined;
  const raw = model.index.textOf(valueRange);
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  const value = property.getValue() ?? '';
  if (!/^[A-Za-z0-9_]+$/.test(value)) return undefined;
  return {
    name,
    value,
    quote,
    valueRange,
    range: { start: property.getNameRange().start, end: valueRange.end },
  };
}

function fromEnv(model: DockerfileModel, stage: Stage, instruction: Instruction): Found[] {
  let properties: Property[];
  try {
    properties = (instruction as unknown as { getProperties(): Property[] }).getProperties();
  } catch {
    return [];
  }
  const goarchProperty = properties.find((p) => p.getName() === 'GOARCH');
  const goarch = goarchProperty && propertyLiteral(model, goarchProperty, 'GOARCH');
  if (!goarch) return [];
  const goosProperty = properties.find((p) => p.getName() === 'GOOS');
  const goos = goosProperty && propertyLiteral(model, goosProperty, 'GOOS');
  return [{ stage, instruction, goarch, goos, exec: false }];
}

function replacementFix(model: DockerfileModel, found: Found): Fix | undefined {
  // Exec form runs no shell, so `$TARGETARCH` would reach the program as written.
  if (found.exec) return undefined;
  const literals = [found.goos, found.goarch].filter((l): l is Literal => l !== undefined);
  const edits: TextEdit[] = [];
  const at = model.index.offsetAt(found.instruction.getRange().start);
  const missing = literals
    .map((l) => REPLACEMENT[l.name])
    .filter((name) => !declaredAt(model, found.stage, name, at));
  if (missing.length > 0) edits.push(declareArgsEdit(model, found.stage, missing));
  for (const literal of literals) {
    // Single quotes would keep `$` from expanding; double quotes keep the word whole.
    const quote = literal.quote === '"' ? '"' : '';
    edits.push(replaceRange(literal.valueRange, `${quote}$${REPLACEMENT[literal.name]}${quote}`));
  }
  const what = literals.map((l) => `${l.name}=$${REPLACEMENT[l.name]}`).join(' ');
  return {
    title: `Build for the target platform (${what})`,
    kind: 'quickfix',
    isPreferred: true,
    safe: false,
    edits: mergeInsertions(model, edits),
  };
}

type MessageId = 'fixedForSeveral' | 'fixedForOther';

export const hardcodedGoarch: Rule<MessageId> = {
  meta: {
    id: 'hardcoded-goarch',
    description:
      'A literal GOARCH (GOARCH=amd64) in a Dockerfile that otherwise builds for several platforms.',
    defaultSeverity: 'info',
    fixable: true,
    messages: {
      fixedForSeveral: 'GOARCH is fixed to {{goarch}} in a Dockerfile built for several platforms.',
      fixedForOther: 'GOARCH is fixed to {{goarch}}, not the architecture its build declares.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    // The platforms the project's builds declare decide; without them, the file builds for
    // several platforms when it reads the target ARGs or runs a stage on the build machine. A
    // single-platform build may pin GOARCH on purpose, to that platform's architecture.
    const declared = declaredPlatforms(model);
    const multiPlatform = declared
      ? declared.multi
      : usesPlatformArgs(model, (name) => isTargetArg(name) || name === 'BUILDPLATFORM');
    const declaredArch = declared && !declared.multi ? archOf(declared.platforms[0]) : undefined;
    if (!multiPlatform && declaredArch === undefined) return;
    const found: Found[] = [];
    for (const stage of model.stages) {
      // The classic Windows builder sets no `$TARGETARCH` to use instead.
      if (!isGoBuildStage(stage) || isWindowsStage(model, stage)) continue;
      // A stage pinned to a constant platform (`--platform=linux/amd64`) builds for it on purpose.
      const platform = effectivePlatform(stage);
      if (platform && !platform.text.includes('$')) continue;
      for (const instruction of stage.instructions) {
        const keyword = keywordOf(instruction);
        if (keyword === 'ENV') found.push(...fromEnv(model, stage, instruction));
        if (keyword === 'RUN') {
          const run = runOf(instruction);
          if (run) found.push(...fromRun(model, stage, run));
        }
      }
    }
    // Several different literal GOARCH values are a deliberate per-architecture build matrix.
    if (new Set(found.map((f) => f.goarch.value)).size > 1) return;
    for (const f of found) {
      // A build for one platform may pin its own architecture.
      if (!multiPlatform && f.goarch.value === declaredArch) continue;
      const fix = replacementFix(model, f);
      const goos = f.goos ? ` (and GOOS to ${f.goos.value})` : '';
      const why = !declared
        ? 'this Dockerfile builds for several platforms (it uses the TARGET* ARGs or ' +
          '--platform=$BUILDPLATFORM): the image of every platform gets'
        : multiPlatform
          ? `${describeBuild(declared.build)} builds it for ${declared.platforms.join(', ')}: ` +
            'the image of every platform gets'
          : `${describeBuild(declared.build)} builds it for ${declared.platforms[0]}: the image gets`;
      report({
        range: f.goarch.range,
        messageId: multiPlatform ? 'fixedForSeveral' : 'fixedForOther',
        data: { goarch: shortText(f.goarch.value, 20) },
        detail:
          `GOARCH is fixed to ${f.goarch.value}${goos} while ${why} a binary for ` +
          `${f.goarch.value}, which fails with "exec format error" ` +
          `${multiPlatform ? 'on the others' : 'there'}. Use ` +
          'GOARCH=$TARGETARCH (declared with `ARG TARGETARCH`).' +
          (f.exec ? ' (Exec-form RUN does not expand variables: use the shell form or ENV.)' : ''),
        fixes: fix ? [fix] : [],
      });
    }
  },
};
