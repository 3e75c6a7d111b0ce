/**
 * Completions that know the stages and the Go module: earlier stage names after `--from=` and
 * in `FROM`, BuildKit mounts for the Go caches after `RUN --mount=`, `--platform=$BUILDPLATFORM`
 * for cross-compiling builders, and the golang image tags of go.mod's Go version after
 * `FROM golang:`. They work on half-typed lines: the text before the cursor decides.
 */
import type { Instruction } from 'dockerfile-ast';
import { compareGoVersions } from '../model/gomod';
import { runOf, type DockerfileModel, type Stage } from '../model/model';
import { goModImagePin } from './templates';
import { raisedPinReason } from '../edits/golang-tag';
import { packageCompletions, variableCompletions } from './go-completion';
import type { Position, Range } from '../types';
import { keywordOf } from '../model/instruction-view';

export type EditCompletionKind = 'stage' | 'mount' | 'platform' | 'image' | 'variable' | 'package';

/** A completion, shaped like an LSP CompletionItem with a text edit. */
export interface EditCompletion {
  label: string;
  kind: EditCompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text to put in place of `range` (what was typed of the value, and its rest). */
  newText: string;
  range: Range;
  sortText: string;
  /** The text the editor filters on (the label when absent). */
  filterText?: string;
}

interface Context {
  model: DockerfileModel;
  position: Position;
  instruction: Instruction;
  keyword: string;
  /** The stage the instruction belongs to (for FROM, the stage it starts). */
  stage: Stage | undefined;
  /** The whitespace-delimited word at the cursor: its text before the cursor, and where it is. */
  word: string;
  wordStart: number;
  wordEnd: number;
  goModText?: string;
}

function rangeOn(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function instructionAt(model: DockerfileModel, position: Position): Instruction | undefined {
  return model.instructions.find((instruction) => {
    const range = instruction.getRange();
    return range.start.line <= position.line && position.line <= range.end.line;
  });
}

function stageOf(model: DockerfileModel, instruction: Instruction): Stage | undefined {
  return model.stages.find((s) => s.from === instruction || s.instructions.includes(instruction));
}

/** Stages before `stage` (none before the first FROM). */
function earlierStages(model: DockerfileModel, stage: Stage | undefined): Stage[] {
  return stage === undefined ? [] : model.stages.filter((s) => s.index < stage.index);
}

function baseDescription(stage: Stage): string {
  if (stage.parent) return `FROM ${stage.parent.name ?? stage.parent.index}`;
  return stage.baseText ?? '';
}

function stageItems(
  ctx: Context,
  valueStart: number,
  valueEnd: number,
  options: { prefix?: string; byIndex: boolean },
): EditCompletion[] {
  const prefix = options.prefix ?? '';
  const items: EditCompletion[] = [];
  for (const stage of earlierStages(ctx.model, ctx.stage).reverse()) {
    const reference = stage.name ?? (options.byIndex ? String(stage.index) : undefined);
    if (reference === undefined) continue;
    items.push({
      label: prefix + reference,
      kind: 'stage',
      detail: baseDescription(stage),
      documentation:
        stage.name === undefined
          ? `Stage ${stage.index} has no name: it is referenced by its index.`
          : undefined,
      newText: prefix + reference,
      range: rangeOn(ctx.position.line, valueStart, valueEnd),
      // The nearest stage first: it is most often the one a COPY --from wants.
      sortText: `0${String(items.length).padStart(3, '0')}`,
    });
  }
  return items;
}

interface MountChoice {
  value: string;
  detail: string;
  documentation: string;
}

/** The `--mount` values a Go build wants, with the caches where this stage's go command keeps them. */
function mountChoices(ctx: Context): MountChoice[] {
  const run = ctx.stage && ctx.instruction ? runOf(ctx.instruction) : undefined;
  const env = run?.env;
  const known = (name: string, fallback: string): string => {
    const value = env?.get(name);
    return typeof value === 'string' && value.startsWith('/') ? value : fallback;
  };
  // The golang images run as root with GOPATH=/go: modules in /go/pkg/mod, the build cache in
  // $HOME/.cache/go-build. An ENV GOMODCACHE / GOCACHE in the stage moves them.
  const modCache = known('GOMODCACHE', `${known('GOPATH', '/go')}/pkg/mod`);
  const buildCache = known('GOCACHE', '/root/.cache/go-build');
  return [
    {
      value: `type=cache,target=${modCache}`,
      detail: 'Go module cache',
      documentation:
        'Keeps downloaded modules between builds, so a changed go.sum only fetches what changed.',
    },
    {
      value: `type=cache,target=${buildCache}`,
      detail: 'Go build cache',
      documentation: 'Keeps compiled packages between builds, so only changed packages recompile.',
    },
    {
      value: 'type=bind,target=.',
      detail: 'Build context, read-only, at the working directory',
      documentation:
        'Builds from the context without a `COPY . .` layer; nothing written there is kept.',
    },
    {
      value: 'type=bind,source=go.mod,target=go.mod',
      detail: 'go.mod for go mod download',
      documentation:
        'With go.sum bound the same way, `go mod download` runs in a layer that only changes with them.',
    },
    {
      value: 'type=bind,source=go.sum,target=go.sum',
      detail: 'go.sum for go mod download',
      documentation: 'Pairs with the go.mod bind mount.',
    },
    {
      value: 'type=secret,id=netrc,target=/root/.netrc',
      detail: 'Credentials for private modules',
      documentation:
        'A .netrc for private module hosts, passed with `docker build --secret id=netrc,src=$HOME/.netrc`; it never lands in a layer.',
    },
    {
      value: 'type=ssh',
      detail: 'SSH agent for private modules over git+ssh',
      documentation: 'Forwards the agent given with `docker build --ssh default`.',
    },
  ];
}

function mountItems(ctx: Context, valueStart: number, prefix = ''): EditCompletion[] {
  return mountChoices(ctx).map((choice, i) => ({
    label: prefix + choice.value,
    kind: 'mount',
    detail: choice.detail,
    documentation: choice.documentation,
    newText: prefix + choice.value,
    range: rangeOn(ctx.position.line, valueStart, ctx.wordEnd),
    sortText: `1${String(i).padStart(3, '0')}`,
  }));
}

const PLATFORM_DOC =
  'Runs this stage on the builder’s own platform. Go cross-compiles: declare `ARG TARGETOS TARGETARCH` ' +
  'and build with `GOOS=$TARGETOS GOARCH=$TARGETARCH`, so multi-platform images build without emulation.';

function platformItem(ctx: Context, start: number, text: string): EditCompletion {
  return {
    label: text,
    kind: 'platform',
    detail: 'Build on the builder’s platform',
    documentation: PLATFORM_DOC,
    newText: text,
    range: rangeOn(ctx.position.line, start, ctx.wordEnd),
    sortText: `2000`,
  };
}

/** The golang image tags for go.mod's Go version: plain, alpine and the Debian variants. */
export function golangTags(version: string): { tag: string; detail: string }[] {
  const tags = [
    { tag: version, detail: 'Debian, with gcc: cgo on by default' },
    { tag: `${version}-alpine`, detail: 'Alpine (musl), no C compiler: cgo off by default' },
  ];
  // golang images carry Debian 13 (trixie) variants from Go 1.25; bookworm ones remain.
  if (compareGoVersions(version, '1.25') >= 0) {
    tags.push({ tag: `${version}-trixie`, detail: 'Debian 13 (trixie)' });
  }
  tags.push({ tag: `${version}-bookworm`, detail: 'Debian 12 (bookworm)' });
  return tags;
}

function golangItems(ctx: Context, start: number, prefix: string): EditCompletion[] {
  const goPin = goModImagePin(ctx.goModText);
  if (goPin === undefined) return [];
  const version = goPin.pin;
  const raised = goPin.raisedFrom !== undefined;
  const source = raised
    ? `go.mod: Go ${goPin.raisedFrom}, out of support; Go ${version} is the oldest supported`
    : `go.mod: Go ${version}`;
  const documentation = raised
    ? `${raisedPinReason(goPin)}: golang-image-outdated would report its image. Go ${version} is the oldest supported release, and any newer Go builds the module.`
    : 'The Go version go.mod asks for. The golang images set GOTOOLCHAIN=local, so an older image than go.mod fails the build.';
  return golangTags(version).map(({ tag, detail }, i) => ({
    label: prefix + tag,
    kind: 'image',
    detail: `${detail} — ${source}`,
    documentation,
    newText: prefix + tag,
    range: rangeOn(ctx.position.line, start, ctx.wordEnd),
    sortText: `3${String(i).padStart(3, '0')}`,
  }));
}

/**
 * The length of the image name when `word` is a golang image being given a tag: `golang:`,
 * `library/golang:1.2`, `registry:5000/library/golang:` (any registry mirror). Scanned by hand
 * rather than with one regex, which backtracks badly on long runs of path segments.
 */
function golangImageName(word: string): number | undefined {
  const slash = word.lastIndexOf('/');
  const colon = word.indexOf(':', slash + 1);
  if (colon < 0 || word.slice(slash + 1, colon).toLowerCase() !== 'golang') return undefined;
  if (/[\s@]/.test(word.slice(colon + 1))) return undefined;
  const segments = slash < 0 ? [] : word.slice(0, slash).split('/');
  return segments.every((segment) => /^[\w.-]+(?::\d+)?$/.test(segment)) ? colon : undefined;
}

function fromCompletions(ctx: Context): EditCompletion[] {
  const { word, wordStart } = ctx;
  const platform = /^--platform=(.*)$/i.exec(word);
  if (platform) return [platformItem(ctx, wordStart + '--platform='.length, '$BUILDPLATFORM')];
  if (word.startsWith('-')) {
    return '--platform='.startsWith(word.toLowerCase())
      ? [platformItem(ctx, wordStart, '--platform=$BUILDPLATFORM')]
      : [];
  }
  // Only the image slot: no other word (but flags) between FROM and the cursor.
  const line = ctx.model.index.lineText(ctx.position.line);
  const keyword = ctx.instruction.getInstructionRange();
  const from = keyword.end.line === ctx.position.line ? keyword.end.character : 0;
  const before = line.slice(from, wordStart).trim();
  if (before.split(/\s+/).some((w) => w !== '' && !w.startsWith('--'))) return [];
  const golangName = golangImageName(word);
  if (golangName !== undefined) return golangItems(ctx, wordStart + golangName + 1, '');
  if (word.includes(':') || word.includes('@')) return [];
  const items = stageItems(ctx, wordStart, ctx.wordEnd, { byIndex: false });
  if ('golang'.startsWith(word.toLowerCase()))
    items.push(...golangItems(ctx, wordStart, 'golang:'));
  if (word === '' && before === '')
    items.push(platformItem(ctx, wordStart, '--platform=$BUILDPLATFORM'));
  return items;
}

function copyCompletions(ctx: Context): EditCompletion[] {
  const { word, wordStart } = ctx;
  const from = /^--from=/i.exec(word);
  if (from) {
    return stageItems(ctx, wordStart + from[0].length, ctx.wordEnd, { byIndex: true });
  }
  if (word.length >= 2 && '--from='.startsWith(word.toLowerCase())) {
    return stageItems(ctx, wordStart, ctx.wordEnd, { prefix: '--from=', byIndex: true });
  }
  return [];
}

function runCompletions(ctx: Context): EditCompletion[] {
  const { word, wordStart } = ctx;
  const packages = packageCompletions(ctx.model, ctx.stage, ctx.position, {
    text: word,
    start: wordStart,
    end: ctx.wordEnd,
  });
  if (packages.length > 0) return packages;
  const mount = /^--mount=/i.exec(word);
  if (mount) {
    const value = word.slice(mount[0].length);
    const valueStart = wordStart + mount[0].length;
    // Inside `from=` of the mount: the stage to mount (by name only: BuildKit resolves a mount's
    // from= by name, a number there is an image).
    const option = /(^|,)from=([^,]*)$/i.exec(value);
    if (option) {
      const start = valueStart + option.index + option[1].length + 'from='.length;
      const line = ctx.model.index.lineText(ctx.position.line);
      const rest = /^[^\s,]*/.exec(line.slice(ctx.position.character))?.[0] ?? '';
      return stageItems(ctx, start, ctx.position.character + rest.length, { byIndex: false });
    }
    return mountItems(ctx, valueStart);
  }
  if (word.length >= 2 && '--mount='.startsWith(word.toLowerCase())) {
    return mountItems(ctx, wordStart, '--mount=');
  }
  return [];
}

/**
 * The stage-aware completions at a position of a Dockerfile, given the model of its text (built
 * from the text as it is now, half-typed line included) and the module's go.mod text.
 */
export function stageCompletions(
  model: DockerfileModel,
  position: Position,
  goModText?: string,
): EditCompletion[] {
  const instruction = instructionAt(model, position);
  if (!instruction) return [];
  const keywordRange = instruction.getInstructionRange();
  // The cursor on the keyword itself completes nothing here.
  if (keywordRange.end.line === position.line && position.character <= keywordRange.end.character) {
    return [];
  }
  const line = model.index.lineText(position.line);
  const before = line.slice(0, position.character);
  let wordFrom = before.length;
  while (wordFrom > 0 && !/\s/.test(before[wordFrom - 1])) wordFrom--;
  const word = before.slice(wordFrom);
  const rest = /^\S*/.exec(line.slice(position.character))?.[0] ?? '';
  const ctx: Context = {
    model,
    position,
    instruction,
    keyword: keywordOf(instruction),
    stage: stageOf(model, instruction),
    word,
    wordStart: position.character - word.length,
    wordEnd: position.character + rest.length,
    goModText,
  };
  try {
    const variables = variableCompletions(model, instruction, ctx.stage, position);
    if (variables.length > 0) return variables;
    switch (ctx.keyword) {
      case 'FROM':
        return fromCompletions(ctx);
      case 'COPY':
      case 'ADD':
        return copyCompletions(ctx);
      case 'RUN':
        return runCompletions(ctx);
      default:
        return [];
    }
  } catch {
    return [];
  }
}
