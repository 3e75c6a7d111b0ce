// Catches GOPATH-era build settings in module builds: `-a -installsuffix cgo`, GO111MODULE=on and
// WORKDIR /go/src/<import path>. They no longer do anything useful and suggest they still matter.
import type { Instruction, Property } from 'dockerfile-ast';
import { removeWords } from '../edits/command-edits';
import { locateCommand } from '../model/command-words';
import {
  compareStageGoVersion,
  flagArgIndices,
  goCommandRange,
  goCommands,
  goCommandsAndTools,
  goWordIndex,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import { fromContext, isGoModSource, isWholeContext, moduleMode } from '../facts/module-sources';
import { instructionArguments } from '../model/instruction-text';
import type { DockerfileModel, Stage } from '../model/model';
import { programName } from '../model/shell';
import { subtreeTest } from '../facts/stage-tree';
import { perKey } from '../facts/memo';
import { isWithin, join, resolve } from '../text/posix-path';
import type { Fix, Range, TextEdit } from '../types';
import { shortText, type Finding, type Report, type Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';
import { unquote } from '../text/quotes';
import { keywordOf as keyword } from '../model/instruction-view';
import { removeArgument } from '../edits/instruction-edits';

type MessageId = 'rebuildAll' | 'installsuffix' | 'go111moduleOn' | 'gopathWorkdir';

const FLAG_SUBCOMMANDS = new Set(['build', 'install', 'test', 'run']);

function removal(title: string, edit: TextEdit | undefined, safe: boolean): Fix[] {
  return edit ? [{ title, kind: 'quickfix', isPreferred: true, safe, edits: [edit] }] : [];
}

/** `-a` and `-installsuffix` on go build/install/test/run (obsolete since the Go 1.10 build cache). */
function obsoleteFlags(model: DockerfileModel, command: GoCommand): Finding<MessageId>[] {
  const invocation = command.invocation;
  if (!FLAG_SUBCOMMANDS.has(invocation.subcommand)) return [];
  // Located once, and only when a flag is reported.
  let at: ReturnType<typeof locateGo> | null = null;
  const findings: Finding<MessageId>[] = [];
  for (const { flag, indices } of flagArgIndices(invocation)) {
    let message: Pick<Finding<MessageId>, 'messageId' | 'data'>;
    if (flag.name === 'a' && flag.value === true) {
      message = { messageId: 'rebuildAll' };
    } else if (flag.name === 'installsuffix') {
      const shown = typeof flag.value === 'string' ? ` ${flag.value}` : '';
      message = { messageId: 'installsuffix', data: { value: shortText(shown, 20), full: shown } };
    } else continue;
    if (at === null) at = locateGo(model, command);
    if (!at) {
      findings.push({ range: goCommandRange(model, command), ...message });
      continue;
    }
    const first = at.go + 2 + indices[0];
    const last = at.go + 2 + indices[indices.length - 1];
    const words = at.located.words;
    const range: Range = model.index.rangeOf(words[first].start, words[last].end);
    const shown = words
      .slice(first, last + 1)
      .map((w) => w.text)
      .join(' ');
    findings.push({
      range,
      ...message,
      // The binary is the same without them: only where and how often packages are compiled.
      fixes: removal(`Remove ${shown}`, removeWords(model, at.located, first, last), true),
    });
  }
  return findings;
}

const GO111MODULE = { messageId: 'go111moduleOn' } as const;

/** The stage runs go commands in module mode, here or in a stage built on it. */
const buildsModules = subtreeTest((stage) =>
  goCommands(stage).some((c) => c.invocation.subcommand !== 'env' && moduleMode(c) === true),
);

/**
 * The stages where go runs through a build tool in module mode (`make build`, whose go commands
 * see the stage's ENV), and every stage they are built on: marked once per model, each walk up
 * stopping at a stage already marked, so a long chain of stages stays linear.
 */
const toolModuleStages = perKey((model: DockerfileModel) => {
  const marked = new Set<Stage>();
  for (const stage of model.stages) {
    if (
      !goCommandsAndTools(model, stage).some((c) => c.tool !== undefined && moduleMode(c) === true)
    )
      continue;
    for (let s: Stage | undefined = stage; s && !marked.has(s); s = s.parent) marked.add(s);
  }
  return marked;
});

/** The stage, or one built on it, runs go in module mode: a go command, or a build tool's go. */
function buildsModulesHereOrBelow(model: DockerfileModel, stage: Stage): boolean {
  return buildsModules(model.stages, stage) || toolModuleStages(model).has(stage);
}

/** GO111MODULE=on in ENV, ARG, inline assignments, `env`, `export` and `go env -w`. */
function go111module(model: DockerfileModel, stage: Stage, report: Report<MessageId>): void {
  const version = compareStageGoVersion(stage, '1.16');
  if ((version ?? 0) < 0 || !buildsModulesHereOrBelow(model, stage)) return;
  // Only while nothing earlier set another value: then `on` would change something.
  const prior: string | null | undefined = stage.parent?.envAtEnd.get('GO111MODULE');
  // Removed, the setting falls back to Go's default (`on` from 1.16), unless a `go env -w` set
  // another value, which the environment overrides only while the setting is there: then it
  // does something.
  const goEnv = stage.goEnv.get('GO111MODULE');
  if (goEnv !== undefined && goEnv !== 'on') return;
  const safe = version !== undefined;
  declaredOn(model, stage, prior, safe, report);
  exportedOn(model, stage, report);
  inlineOn(model, stage, safe, report);
}

/** GO111MODULE=on in ENV and ARG, while nothing earlier (`prior`) set another value. */
function declaredOn(
  model: DockerfileModel,
  stage: Stage,
  prior: string | null | undefined,
  safe: boolean,
  report: Report<MessageId>,
): void {
  for (const instruction of stage.instructions) {
    const kind = keyword(instruction);
    if (kind === 'ENV') {
      const properties = (
        instruction as unknown as { getProperties(): Property[] }
      ).getProperties();
      properties.forEach((property, index) => {
        if (property.getName() !== 'GO111MODULE') return;
        const value = unquote(property.getValue() ?? '');
        if (value === 'on' && (prior === undefined || prior === 'on')) {
          const ranges = properties.map((p) => p.getRange());
          report({
            range: property.getRange(),
            ...GO111MODULE,
            fixes: removal(
              'Remove GO111MODULE=on',
              removeArgument(model, instruction, ranges, index),
              safe,
            ),
          });
        }
        prior = value;
      });
    } else if (kind === 'ARG') {
      const args = instructionArguments(instruction);
      args.forEach((arg, index) => {
        const text = arg.getValue();
        if (!text.startsWith('GO111MODULE=')) return;
        const value = unquote(text.slice('GO111MODULE='.length));
        if (value === 'on' && (prior === undefined || prior === 'on')) {
          report({
            range: arg.getRange(),
            ...GO111MODULE,
            fixes: removal(
              'Remove GO111MODULE=on',
              removeArgument(
                model,
                instruction,
                args.map((a) => a.getRange()),
                index,
              ),
              // `--build-arg GO111MODULE=...` could still set it: not blindly.
              false,
            ),
          });
        }
        prior = value;
      });
    }
  }
}

/** GO111MODULE=on in `export` and `go env -w` commands. */
function exportedOn(model: DockerfileModel, stage: Stage, report: Report<MessageId>): void {
  for (const run of stage.runs) {
    const before = run.env.get('GO111MODULE');
    if (before !== undefined && before !== 'on') continue;
    run.commands.forEach((command, commandIndex) => {
      const name = programName(command.words[0]);
      const exported = name === 'export' || (name === 'go' && command.words[1]?.text === 'env');
      const index = command.words.findIndex((w) => w.text === 'GO111MODULE=on');
      if (!exported || index < 0) return;
      // `export` and `go env -w` are whole commands: removing the word alone would leave them
      // empty, so they are reported without a fix.
      const located = locateCommand(model, run, commandIndex);
      const word = located?.words[located.firstWord + index];
      report({
        range: word
          ? model.index.rangeOf(word.start, word.end)
          : run.instruction.getInstructionRange(),
        ...GO111MODULE,
      });
    });
  }
}

/** GO111MODULE=on assigned inline to a go command (`GO111MODULE=on go build`, `env ...`). */
function inlineOn(
  model: DockerfileModel,
  stage: Stage,
  safe: boolean,
  report: Report<MessageId>,
): void {
  for (const command of goCommands(stage)) {
    const before = command.run.env.get('GO111MODULE');
    if (before !== undefined && before !== 'on') continue;
    const parsed = command.run.commands[command.commandIndex];
    const inline = parsed.assignments.findIndex(
      (a) => a.name === 'GO111MODULE' && a.value.text === 'on',
    );
    // `env GO111MODULE=on go ...`: only words before the go command itself.
    const viaEnv = parsed.words
      .slice(0, goWordIndex(command.invocation))
      .findIndex((w) => w.text === 'GO111MODULE=on');
    if (inline < 0 && viaEnv < 0) continue;
    const at = locateGo(model, command);
    const index = inline >= 0 ? inline : (at?.located.firstWord ?? 0) + viaEnv;
    const word = at?.located.words[index];
    report({
      range: word ? model.index.rangeOf(word.start, word.end) : goCommandRange(model, command, at),
      ...GO111MODULE,
      fixes:
        at && word
          ? removal('Remove GO111MODULE=on', removeWords(model, at.located, index, index), safe)
          : [],
    });
  }
}

/**
 * The directory each WORKDIR sets, read from what runs after it (the model resolves
 * `$GOPATH` and relative paths for RUN and COPY).
 */
function workdirs(stage: Stage): { instruction: Instruction; path: string }[] {
  const result: { instruction: Instruction; path: string }[] = [];
  const list = stage.instructions;
  list.forEach((instruction, i) => {
    if (keyword(instruction) !== 'WORKDIR') return;
    const next = list.findIndex((x, j) => j > i && keyword(x) === 'WORKDIR');
    const end = next < 0 ? list.length : next;
    const followers = list.slice(i + 1, end);
    const run = stage.runs.find((r) => followers.includes(r.instruction));
    const path = run ? run.cwd : next < 0 ? stage.workdirAtEnd : undefined;
    if (path !== undefined) result.push({ instruction, path });
  });
  return result;
}

/**
 * WORKDIR $GOPATH/src/... in a stage that builds a module there: a go.mod copied from the context
 * into that directory or below it (before or after the WORKDIR, `COPY . /go/src/app` then
 * `WORKDIR /go/src/app` as well as the other way round), and a module-mode go command running in
 * it after the WORKDIR.
 */
function gopathWorkdir(model: DockerfileModel, stage: Stage, report: Report<MessageId>): void {
  if ((compareStageGoVersion(stage, '1.13') ?? 0) < 0) return;
  const gopath = stage.envAtEnd.get('GOPATH');
  if (typeof gopath !== 'string' || gopath === '') return;
  const src = join(resolve('/', gopath.split(':')[0]), 'src');
  // A make target or build script that runs go in the folder counts as the go command would.
  const commands = goCommandsAndTools(model, stage);
  for (const { instruction, path } of workdirs(stage)) {
    if (!isWithin(path, src)) continue;
    const line = zeroBasedLine(instruction);
    const goModCopy = stage.copies.find((copy) => {
      if (!fromContext(copy)) return false;
      const destination = copy.destination?.path;
      if (destination === undefined || !isWithin(destination, path)) return false;
      if (copy.sources.some(isGoModSource)) return true;
      const knownModule = model.context?.files.has('go.mod') ?? model.goMod?.module !== undefined;
      return knownModule && copy.sources.some(isWholeContext);
    });
    if (!goModCopy) continue;
    const builds = commands.some(
      (c) =>
        zeroBasedLine(c.run.instruction) > line &&
        c.invocation.cwd !== undefined &&
        isWithin(c.invocation.cwd, path) &&
        moduleMode(c) === true,
    );
    if (!builds) continue;
    const args = instructionArguments(instruction);
    const range =
      args.length > 0
        ? { start: args[0].getRange().start, end: args[args.length - 1].getRange().end }
        : instruction.getRange();
    report({
      range,
      messageId: 'gopathWorkdir',
      data: {
        path: shortText(path),
        fullPath: path,
        copyLine: zeroBasedLine(goModCopy.instruction) + 1,
      },
      // The path stays until it is replaced, with what depends on it: not text to delete.
      tags: [],
    });
  }
}

export const obsoleteGoBuildFlags: Rule<MessageId> = {
  meta: {
    id: 'obsolete-go-build-flags',
    description:
      'GOPATH-era settings in module builds: `-a -installsuffix cgo`, GO111MODULE=on, WORKDIR /go/src/….',
    defaultSeverity: 'hint',
    fixable: true,
    tags: ['unnecessary'],
    messages: {
      rebuildAll:
        '`-a` rebuilds every package, the standard library included, each time: remove it.',
      installsuffix: '`-installsuffix{{value}}` changes nothing since Go 1.10: remove it.',
      go111moduleOn: 'GO111MODULE=on has been the default since Go 1.16: remove it.',
      gopathWorkdir: 'WORKDIR {{path}} is a GOPATH-era path, but this stage builds a module.',
    },
    details: {
      rebuildAll:
        'Before Go 1.10 it was how a CGO_ENABLED=0 build got a standard library without cgo; since then the build cache notices changed settings by itself, so `-a` only slows the build (and defeats a build cache mount).',
      installsuffix:
        '`-installsuffix{{full}}` only chose where compiled packages were installed, to keep a cgo-less standard library apart; since Go 1.10 the build cache keeps builds with different settings apart by itself, and the flag changes nothing in the binary.',
      go111moduleOn:
        'Module mode no longer needs turning on, and the setting only suggests the build depends on it.',
      gopathWorkdir:
        'WORKDIR {{fullPath}} is a GOPATH-era path, but this stage builds a Go module (go.mod is copied at line {{copyLine}}), which builds in any directory. A short directory such as /src says so; change it by hand, with what refers to it (COPY --from sources, -o outputs).',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      if ((compareStageGoVersion(stage, '1.10') ?? 0) >= 0) {
        for (const command of goCommands(stage)) {
          for (const finding of obsoleteFlags(model, command)) report(finding);
        }
      }
      go111module(model, stage, report);
      gopathWorkdir(model, stage, report);
    }
  },
};
