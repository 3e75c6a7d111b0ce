// Catches a runtime stage of a multi-stage Go build that copies sources in: the build context
// (`COPY . .`), or a build stage's source tree, module cache, build cache or whole GOPATH.
import { goRuntime, isDelveImage } from '../facts/go-runtime';
import { joinContinuations } from '../model/instruction-text';
import { mountOptionsOf } from '../model/instruction-view';
import type { CopyInfo, CopySource, DockerfileModel, Stage } from '../model/model';
import { isGoBuildStage, stageChain } from '../facts/start';
import { bringsWholeContext } from '../facts/module-sources';
import { isWithin, resolve } from '../text/posix-path';
import { shortText, type Report, type Rule } from './rule';

/** How a stage refers to another in `--from` (its name, else its index). */
function stageRef(stage: Stage): string {
  return stage.name ?? String(stage.index);
}

/** `COPY --from=<stage> <path>` lines for the Go binaries a stage built, to suggest instead. */
function binaryCopies(stages: readonly Stage[]): string[] {
  const lines: string[] = [];
  for (const stage of stages) {
    const own = new Set(stageChain(stage).map((s) => s.index));
    for (const { path, binary } of stage.fs.goBinaries()) {
      if (!own.has(binary.call.stageIndex)) continue;
      const line = `COPY --from=${stageRef(stage)} ${path}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

function suggestion(stages: readonly Stage[]): string {
  const copies = binaryCopies(stages);
  if (copies.length === 0) {
    return (
      'Copy only the binary the build writes (give its go build an `-o /out/<name>` so the path ' +
      'is known) and the files the program reads at run time.'
    );
  }
  return (
    `Copy only the binary (${copies.map((c) => `\`${c} …\``).join(', ')}) and the files the ` +
    'program reads at run time.'
  );
}

/** Whether the build context holds Go code, as far as the Dockerfile (or the context) tells. */
function contextHoldsGo(model: DockerfileModel): boolean {
  if (model.context) {
    for (const file of model.context.files) {
      if (file === 'go.mod' || file.endsWith('/go.mod') || file.endsWith('.go')) return true;
    }
    return false;
  }
  // A Go build stage that takes its input from the context: `COPY . .`, `COPY go.mod go.sum ./`,
  // `COPY *.go ./`, or a bind mount of the context.
  return model.stages.some(
    (stage) =>
      isGoBuildStage(stage) &&
      (stage.copies.some(
        (copy) =>
          !copy.from &&
          !copy.heredoc &&
          copy.sources.some(
            (s) =>
              bringsWholeContext(s) || (!s.remote && /(^|\/)go\.(mod|sum)$|\.go$/.test(s.text)),
          ),
      ) ||
        stage.runs.some((run) =>
          mountOptionsOf(run.instruction).some((m) => m.type === 'bind' && m.from === undefined),
        )),
  );
}

interface HeavyDir {
  path: string;
  what: string;
  /** The module's sources (not a cache): `--exclude` of the Go files leaves them out. */
  sources?: boolean;
}

/** The directories of a Go build stage that must not reach a runtime image. */
function heavyDirs(stage: Stage): HeavyDir[] {
  const env = stage.envAtEnd;
  const value = (name: string): string | undefined => {
    const v = env.get(name);
    return typeof v === 'string' && v.startsWith('/') ? resolve('/', v.split(':')[0]) : undefined;
  };
  // GOPATH defaults to $HOME/go; the golang images set it to /go. The module cache lives in
  // $GOPATH/pkg/mod and the build cache in $HOME/.cache/go-build unless GOMODCACHE/GOCACHE move them.
  const gopath = value('GOPATH') ?? '/root/go';
  const dirs: HeavyDir[] = [
    { path: gopath, what: `GOPATH (${gopath}), which holds the module cache` },
    { path: value('GOMODCACHE') ?? `${gopath}/pkg/mod`, what: 'the Go module cache' },
    { path: value('GOCACHE') ?? '/root/.cache/go-build', what: 'the Go build cache' },
  ];
  const root = stage.module.root;
  if (root !== undefined) {
    dirs.push({
      path: root,
      what: `the Go sources of stage ${stageRef(stage)} (its module root ${root})`,
      sources: true,
    });
  }
  return dirs;
}

/** `--exclude` patterns that leave the Go sources and module files out of a copy. */
function excludesSources(excludes: readonly string[]): boolean {
  return excludes.some((e) => /^(\*\*\/)?\*\.go$/.test(e)) && excludes.includes('go.mod');
}

/** What a `COPY --from=<Go build stage> <path>` brings that it should not, if anything. */
function heavyCopy(from: Stage, path: string, excludes: readonly string[]): string | undefined {
  if (path === '/') {
    return `the whole filesystem of stage ${stageRef(from)}: the Go toolchain, the module cache and the sources`;
  }
  const found = from.fs.lookup(path);
  if (found.entry?.kind === 'file' && found.entry.path === path) return undefined;
  for (const dir of heavyDirs(from)) {
    // The directory itself, or a parent of it (copying /go/src brings a module under it).
    if (!isWithin(dir.path, path)) continue;
    // A working directory copied without its Go files and go.mod brings no sources.
    if (dir.sources && excludesSources(excludes)) continue;
    return dir.what;
  }
  return undefined;
}

function reportContextCopy(
  model: DockerfileModel,
  copy: CopyInfo,
  source: CopySource,
  builders: readonly Stage[],
  report: Report<MessageId>,
) {
  const written = joinContinuations(
    model.index.textOf(copy.instruction.getRange()),
    model.escapeChar,
  )
    .replace(/\s+/g, ' ')
    .trim();
  report({
    range: source.range,
    messageId: 'wholeContext',
    data: { copy: shortText(written), suggestion: suggestion(builders) },
  });
}

type MessageId = 'wholeContext' | 'heavyCopy';

export const sourceInFinalStage: Rule<MessageId> = {
  meta: {
    id: 'source-in-final-stage',
    description:
      'The runtime stage copies the build context, Go sources, module cache or GOPATH instead of the binary.',
    defaultSeverity: 'warning',
    fixable: false,
    perShippedStage: true,
    messages: {
      wholeContext: '`{{copy}}` copies the whole build context into the runtime image.',
      heavyCopy: '`{{copy}}` puts {{what}} into the runtime image.',
    },
    details: {
      wholeContext:
        'It brings the Go sources, go.mod and go.sum, and anything else the context holds (.git, local configuration, secrets) unless .dockerignore excludes it. {{suggestion}}',
      heavyCopy: 'It copies {{fullWhat}} into the runtime image. {{suggestion}}',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    // A final stage on the Go toolchain is go-toolchain-in-final-stage's concern; a single-stage
    // build needs its sources where it builds.
    if (!runtime || runtime.toolchain || model.stages.length < 2) return;
    const chain = stageChain(runtime.stage);
    // A final stage that builds Go itself needs its inputs; one that runs delve needs sources.
    if (chain.some(isGoBuildStage) || isDelveImage(runtime.stage)) return;
    const goContext = contextHoldsGo(model);
    for (const stage of chain) {
      for (const copy of stage.copies) {
        if (copy.heredoc) continue;
        if (!copy.from) {
          if (!goContext) continue;
          const whole = copy.sources.find(bringsWholeContext);
          if (whole) reportContextCopy(model, copy, whole, runtime.builders, report);
          continue;
        }
        if (copy.from.target.kind !== 'stage') continue;
        const from = copy.from.target.stage;
        if (!isGoBuildStage(from)) continue;
        for (const source of copy.sources) {
          if (source.text.includes('$')) continue;
          const path = resolve('/', source.text);
          const what = heavyCopy(from, path, copy.excludes);
          if (!what) continue;
          report({
            range: source.range,
            messageId: 'heavyCopy',
            data: {
              copy: shortText(`COPY --from=${copy.from.raw} ${source.raw}`),
              what: what.split(' (')[0],
              fullWhat: what,
              suggestion: suggestion([from]),
            },
          });
        }
      }
    }
  },
};
