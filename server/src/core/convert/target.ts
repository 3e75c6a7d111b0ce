/**
 * What the conversion carries to the runtime: the Go binary the final stage starts (built by
 * `go build`/`go install` in it or its parents, or to be built from a `go run` start command),
 * or why there is nothing sound to carry.
 */
import { developmentImage, sourcesInImage } from '../facts/dev-image';
import { packageBinaryName } from '../model/go-invocation';
import {
  moduleFor,
  type DockerfileModel,
  type GoCall,
  type RunInfo,
  type Stage,
} from '../model/model';
import { startScript } from '../facts/start-script';
import {
  builtBinary,
  programCandidates,
  programWords,
  runTarget,
  stageChain,
  startProgram,
  toolBuiltStart,
  type StartProgram,
} from '../facts/start';
import { basename } from '../text/posix-path';
import { goCommandsAndTools } from '../facts/go-commands';
import { copiedGoToolchain } from '../facts/go-toolchain';
import { rootStage } from '../facts/stage-tree';
import { BUILD_TOOLS } from '../facts/build-tools';
import { Refusal } from './plan';
import { keywordOf } from '../model/instruction-view';
import { isWindowsStage } from '../facts/windows';

export interface GoRunStart {
  packages: string[];
  flags: string[];
  programArgs: string[];
}

export interface Target {
  stage: Stage;
  /** The go command that builds the binary (absent for `go run`: the conversion adds one). */
  call?: GoCall;
  binaryName: string;
  /** Where the binary is in the build stage (may still change when the build is edited). */
  builtPath: string;
  /** The original path the start command used, for `binary` targets. */
  startedPath?: string;
  goRun?: GoRunStart;
  /** The binary is written by a build tool the analysis does not read (`make`, a script). */
  builtBy?: { tool: string; run: RunInfo; commandIndex: number };
  /**
   * The final stage is a golang image of its own that already copies the binary from the build
   * stage: only its base changes, and the build keeps its output path.
   */
  copiedFrom?: Stage;
  /** The start command runs a shell script (copied from the context) that starts the binary. */
  script?: StartScript;
}

export interface StartScript {
  /** The script's path in the image. */
  path: string;
  /** Its interpreter (`sh`, `bash`). */
  shell: string;
  /** The programs its commands run, by name (the binary's included; not its own functions). */
  programs: string[];
  /** The go commands it runs, by subcommand (`go build`, `go mod download`). */
  goUses: string[];
}

// go subcommands whose next word is a subcommand of their own.
const GO_COMMAND_GROUPS = new Set(['mod', 'work', 'tool']);

/** How a go command of a script is named: `go build`, `go mod download`. */
function goUse(words: string[]): string {
  const [go, ...rest] = words;
  const operands = rest.filter((w) => !w.startsWith('-'));
  const sub = operands[0];
  if (sub === undefined) return basename(go);
  const group = GO_COMMAND_GROUPS.has(sub) && operands[1] !== undefined ? ` ${operands[1]}` : '';
  return `${basename(go)} ${sub}${group}`;
}

/**
 * A start command that runs a shell script the Dockerfile copied in from the build context
 * (`ENTRYPOINT ["/entrypoint.sh"]`, `CMD ["sh", "start.sh"]`), which in turn starts a binary the
 * Dockerfile built: the script is read to find that binary.
 */
function scriptStart(model: DockerfileModel, stage: Stage): Target | undefined {
  const script = startScript(model, stage);
  if (!script) return undefined;
  const programs: string[] = [];
  const goUses: string[] = [];
  let found: { call: GoCall; path: string } | undefined;
  for (const command of script.commands) {
    const all = command.words.map((w) => w.text);
    const commandWords = all[0] === 'exec' ? all.slice(1) : all;
    const program = commandWords[0];
    // A call of one of the script's own functions runs no program.
    if (program === undefined || program.includes('$') || script.functions.has(program)) continue;
    if (['go', 'gofmt'].includes(basename(program))) goUses.push(goUse(commandWords));
    programs.push(basename(program));
    const binary = builtBinary(stage, program);
    if (binary) found = binary;
  }
  if (!found) return undefined;
  return {
    stage,
    call: found.call,
    binaryName: basename(found.path),
    builtPath: found.path,
    startedPath: found.path,
    script: { path: script.path, shell: script.shell, programs, goUses: [...new Set(goUses)] },
  };
}

const GO_RUN_VALUE_FLAGS = new Set(['tags', 'ldflags', 'gcflags', 'mod', 'exec', 'C', 'p']);

/** Splits the words after `go run`: flags, the package (or `.go` files), the program's arguments. */
export function parseGoRunWords(words: string[]): GoRunStart {
  const flags: string[] = [];
  let i = 0;
  while (i < words.length && words[i].startsWith('-')) {
    flags.push(words[i]);
    const name = words[i].replace(/^--?/, '');
    if (!name.includes('=') && GO_RUN_VALUE_FLAGS.has(name) && i + 1 < words.length) {
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
    // `-exec` runs the binary through another program: meaningless once it is built.
    flags: flags.filter((f, k) => !f.startsWith('-exec') && flags[k - 1] !== '-exec'),
    packages: rest.slice(0, count),
    programArgs: rest.slice(count),
  };
}

/**
 * The program arguments when `words` starts the program through the go command: `go run …`
 * (the built binary replaces it), or the old golang images' `go-wrapper run …`, which only
 * executes the binary `go-wrapper install` built. Undefined for any other command.
 */
export function startedProgramArgs(words: string[]): string[] | undefined {
  const program = basename(words[0] ?? '');
  if (words[1] !== 'run') return undefined;
  if (program === 'go-wrapper') return words.slice(2);
  if (program !== 'go') return undefined;
  return parseGoRunWords(words.slice(2)).programArgs;
}

/**
 * A final stage based on golang directly (no parent stage, no build of its own) whose start
 * program is a Go binary it copies from a build stage: its FROM can become the runtime.
 */
function copiedBinary(
  model: DockerfileModel,
  stage: Stage,
  start: StartProgram,
): Target | undefined {
  if (stage.parent || stage.goCalls.length > 0) return undefined;
  const [program] = programWords(stage, start);
  if (!program || program.includes('$')) return undefined;
  const candidates = programCandidates(stage, program);
  const found = stage.fs
    .goBinaries()
    .find((b) => candidates.includes(b.path) && b.entry.origin === 'copy');
  if (!found) return undefined;
  const ref = found.binary.call;
  const builder = model.stages[ref.stageIndex];
  const call = builder?.goCalls.find(
    (c) => c.instruction === ref.instruction && c.invocation === ref.invocation,
  );
  if (!call) return undefined;
  // Commands of the stage may need what the golang image has (a shell, apt, the go command).
  if (stage.runs.length > 0) {
    refuse(
      `the final stage copies ${found.path} from stage ${builder.name ?? builder.index} onto the golang image and runs commands there (RUN), which a minimal runtime may not support; replace its FROM by hand.`,
    );
  }
  return {
    stage,
    call,
    binaryName: basename(found.path),
    builtPath: found.binary.builtAt,
    startedPath: found.path,
    copiedFrom: builder,
  };
}

/** What the plan says when only the final stage's base changes. */
export function swapNote(target: Target): string {
  return `The final stage keeps copying ${target.startedPath} from stage ${target.copiedFrom!.name ?? target.copiedFrom!.index}; only its golang base became the runtime. If the program runs the go command (a linter, a code generator), keep the golang base.`;
}

/** What shows a stage is on Windows, for the refusal. */
function windowsEvidence(stage: Stage): string {
  const platform = stage.platform?.text;
  if (platform !== undefined && /^windows/i.test(platform.trim())) return `--platform=${platform}`;
  const root = rootStage(stage);
  return root.base?.text ?? root.baseText ?? 'its base image';
}

/** Why a start command that runs the toolchain, a build tool or a live-reload tool is refused. */
function toolchainStartReason(start: string): string {
  const tool = basename(start.split(' ')[0] ?? '');
  if (BUILD_TOOLS.has(tool)) {
    return `the start command (${start}) runs ${tool}, whose recipes run when the container starts: the runtime would need ${tool}, its build description and every program the recipes run (the toolchain too, when they compile), which the conversion does not carry; start the program directly to convert.`;
  }
  return `the start command (${start}) runs the Go toolchain, a build tool or a live-reload tool, so the image needs the toolchain at run time (a test or development image).`;
}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** Finds what to carry, or throws a Refusal with the reason. */
export function findTarget(model: DockerfileModel): Target {
  const stage = model.finalStage;
  if (!stage) refuse('the Dockerfile has no FROM instruction.');
  if (!stage.facts.goToolchain) refuseNonToolchain(stage);
  // The runtime images the conversion offers are Linux ones, and its paths and users too.
  if (isWindowsStage(model, stage)) {
    refuse(
      `the final stage builds on Windows (${windowsEvidence(stage)}), and the conversion writes a Linux runtime stage (distroless or scratch, /etc paths, numeric users).`,
    );
  }
  const calls = stageChain(stage).flatMap((s) => s.goCalls);
  const builds = calls.filter((c) => c.invocation.subcommand !== 'run');
  const target = runTarget(stage);
  const start = startProgram(stage);
  const written = (stage.entrypoint ?? stage.cmd)?.shell?.trim();
  if (written?.startsWith('[')) {
    // `CMD ["app"] # comment`: not JSON, so Docker runs the whole text through /bin/sh.
    refuse(
      `the ${(stage.entrypoint ?? stage.cmd)!.keyword} is not valid JSON (\`${written}\`), so Docker runs it as a shell command as written and the program never starts; fix it first.`,
    );
  }
  // A development or test image needs the toolchain at run time (the same decision keeps
  // go-toolchain-in-final-stage silent). A live-reload tool or test runner the image installs
  // (`go install …/air@latest`) is not the program: it rebuilds the sources at run time.
  const development = developmentImage(stage);
  if (target && development) {
    refuse(toolchainStartReason(development.start));
  }
  if (!target) return targetOfStart(model, stage, start, builds, development);
  if (target.kind === 'binary') {
    return {
      stage,
      call: target.call,
      binaryName: basename(target.path),
      builtPath: target.path,
      startedPath: target.path,
    };
  }
  return goRunTarget(model, stage, start);
}

/** Why a final stage that is not on a Go toolchain image is not converted. */
function refuseNonToolchain(stage: Stage): never {
  const copied = copiedGoToolchain(stage);
  if (copied) {
    const from = copied.copy.from?.value ?? 'a golang image';
    refuse(
      `the final stage copies the Go toolchain in from ${from} (line ${copied.copy.instruction.getRange().start.line + 1}) onto ${rootStage(stage).baseText ?? 'its base'}, and only a stage based on a Go toolchain image is split; build in a stage of its own and copy the binary into the final stage by hand.`,
    );
  }
  const prebuilt = stage.copies.some((c) =>
    c.sources.some((s) => s.raw.includes('TARGETPLATFORM')),
  );
  refuse(
    prebuilt
      ? 'the final stage copies prebuilt binaries (GoReleaser style): it already ships no toolchain.'
      : `the final stage is not based on a Go toolchain image the conversion knows (${baseDescription(stage)}), so there is nothing to split off.`,
  );
}

/**
 * What to carry when the start command runs no binary a go command builds: one a build tool or
 * a script makes, or one copied from another stage; else the reason there is none.
 */
function targetOfStart(
  model: DockerfileModel,
  stage: Stage,
  start: StartProgram | undefined,
  builds: GoCall[],
  development: ReturnType<typeof developmentImage>,
): Target {
  const made = start && toolBuiltStart(stage, start);
  if (made) {
    return {
      stage,
      binaryName: basename(made.path),
      builtPath: made.path,
      startedPath: made.path,
      builtBy: { tool: made.tool, run: made.run, commandIndex: made.commandIndex },
    };
  }
  const script = start && scriptStart(model, stage);
  if (script) return script;
  const [program, sub] = start ? programWords(stage, start) : [];
  if (program && basename(program) === 'go-wrapper' && sub === 'run') {
    const onbuild = stage.instructions.some((i) => keywordOf(i) === 'ONBUILD');
    refuse(
      onbuild
        ? '`go-wrapper run` starts the binary `go-wrapper install` builds, and here only ONBUILD triggers build it, in the images built FROM this one: a base image for other builds, not an image of a program.'
        : '`go-wrapper run` starts the binary `go-wrapper install` builds, and this Dockerfile runs no `go-wrapper install` in its working directory.',
    );
  }
  if (development?.kind === 'idle') {
    refuse(
      `the start command (${development.start}) keeps the container idle instead of starting a program: a development container that tools are run in.`,
    );
  }
  if (development?.kind === 'toolchain') {
    refuse(toolchainStartReason(development.start));
  }
  const swap = start && copiedBinary(model, stage, start);
  if (swap) return swap;
  // A binary another stage built, copied into a final stage based on golang on its own.
  const copied = stage.copies.find(
    (c) =>
      c.from?.target.kind === 'stage' &&
      (c.from.target.stage.facts.goToolchain || c.from.target.stage.goCalls.length > 0),
  );
  if (builds.length === 0 && copied) {
    const from = copied.from!.target.kind === 'stage' ? copied.from!.target.stage : undefined;
    refuse(
      `the final stage builds nothing itself: it copies from stage ${from?.name ?? from?.index} onto the golang image, which the program may use at run time (a Go tool such as a linter or a site generator); if it does not, replace that FROM with a minimal runtime by hand.`,
    );
  }
  if (builds.length === 0) refuseNoBuild(model, stage, start);
  if (!start) {
    refuse(
      builds.length > 1
        ? 'several binaries are built and no ENTRYPOINT or CMD says which one the image runs.'
        : 'the image has no ENTRYPOINT or CMD, so nothing says which binary the runtime stage should run.',
    );
  }
  const names = builds
    .map((c) => (c.output.kind === 'file' ? c.output.path : undefined))
    .filter((p): p is string => p !== undefined);
  // `CMD ["./main serve"]`: exec form takes the whole string as the program's name.
  const written = start.argv[0]?.text.trim() ?? '';
  const oneString = start.exec && /\s/.test(written);
  refuse(
    `the start command (${start.argv.map((a) => a.text).join(' ')}) does not run a binary this Dockerfile builds` +
      (names.length ? ` (it builds ${names.join(', ')})` : '') +
      (oneString
        ? `: exec form runs "${written}" as one program name, blanks included (write each word as its own string)`
        : '') +
      ', so the binary to copy cannot be located.',
  );
}

/**
 * Why there is no binary: no go build or go install in the final stage or the stages it is built
 * on. Go builds of other stages (a linter built from source, mounted into a lint stage) are named.
 */
function refuseNoBuild(
  model: DockerfileModel,
  stage: Stage,
  start: StartProgram | undefined,
): never {
  const chain = new Set(stageChain(stage));
  // A build tool or script that runs go (`make build`, `./scripts/build.sh`): there is a Go
  // build, but not one whose binary the conversion can tie to the start command.
  const tool = [...chain]
    .flatMap((s) => goCommandsAndTools(model, s))
    .find(
      (c) =>
        c.tool !== undefined &&
        (c.toolGo === undefined ||
          c.toolGo.unread ||
          c.toolGo.commands.some((g) => ['build', 'install', 'run'].includes(g.subcommand))),
    );
  if (tool) {
    const started = start
      ? ` the start command (${start.argv.map((a) => a.text).join(' ')})`
      : ' the image';
    refuse(
      `the Go build ${tool.toolGo ? 'runs' : 'may run'} through \`${tool.tool}\` (line ${tool.run.instruction.getRange().start.line + 1}), and which binary it makes for${started} to run is not known here; build with go build in the Dockerfile, or split off a runtime stage by hand.`,
    );
  }
  const elsewhere = model.stages
    .filter((s) => !chain.has(s))
    .flatMap((s) => s.goCalls.map((call) => ({ s, call })))
    .filter(({ call }) => ['build', 'install'].includes(call.invocation.subcommand ?? ''));
  if (elsewhere.length === 0) {
    refuse(
      'the Dockerfile runs no go build or go install, so there is no Go program to carry to a runtime.',
    );
  }
  const places = elsewhere.slice(0, 3).map(({ s, call }) => {
    const output = call.output.kind === 'file' ? ` of ${call.output.path}` : '';
    return `go ${call.invocation.subcommand}${output} in stage ${s.name ?? s.index} (line ${call.instruction.getRange().start.line + 1})`;
  });
  const more = elsewhere.length > 3 ? ` and ${elsewhere.length - 3} more` : '';
  refuse(
    `the final stage${stage.name ? ` ${stage.name}` : ''} and the stages it is built on run no go build or go install; the Dockerfile's other builds (${places.join(', ')}${more}) are in stages the final stage is not built on, so there is no Go program of its own to carry to a runtime.`,
  );
}

/** `go run`: the program is built from the sources in the image. */
function goRunTarget(
  model: DockerfileModel,
  stage: Stage,
  start: StartProgram | undefined,
): Target {
  // `go run`: the sources must be in the image to build them.
  const words = start?.argv.map((a) => a.text) ?? [];
  const goRun = words[1] === 'run' ? parseGoRunWords(words.slice(2)) : undefined;
  if (!goRun) refuse('the `go run` start command could not be read.');
  if (!sourcesInImage(model, stage)) {
    refuse(
      'the sources are not copied into the image (they are probably mounted at run time), so there is nothing to build.',
    );
  }
  const cwd = stage.workdirAtEnd;
  const pkg = goRun.packages;
  const named =
    pkg.length === 1 && !pkg[0].endsWith('.go')
      ? packageBinaryName(
          { text: pkg[0], dynamic: false, glob: false },
          cwd,
          moduleFor(model, stage, cwd),
        )
      : model.goMod?.module
        ? packageBinaryName(undefined, cwd, { root: cwd, path: model.goMod.module })
        : undefined;
  const binaryName = named ?? 'app';
  // Built into a directory on every runtime's PATH, out of the way of the working directory.
  return { stage, binaryName, builtPath: `/usr/local/bin/${binaryName}`, goRun };
}

/** What a stage is built on, in words: `it is alpine:3.20`, `it is built on stage release (alpine:3.20)`. */
function baseDescription(stage: Stage): string {
  if (!stage.parent) return `it is ${stage.baseText ?? 'an unknown image'}`;
  const root = rootStage(stage).baseText;
  return `it is built on stage ${stage.baseText}${root ? ` (${root})` : ''}`;
}
