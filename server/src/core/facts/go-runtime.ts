/**
 * The runtime side of a Go image: whether the final stage is the image of a Go program built in
 * this Dockerfile, which stages built what it ships, and which well-known files (CA bundle,
 * zoneinfo, passwd) it holds. The rules about users, certificates, time zones, health checks and
 * stray sources all start from here, so that a Node or nginx image, or a Go project's Dockerfile
 * that only copies a prebuilt binary, gets nothing from them.
 * Computed on each call; whether a stage chain builds Go is kept per stage.
 */
import type { GoBinary } from '../model/filesystem';
import type { CopyInfo, DockerfileModel, GoCall, Stage } from '../model/model';
import {
  isGoBuildStage,
  programCandidates,
  programWords,
  runTarget,
  stageChain,
  startProgram,
} from './start';
import { startScript } from './start-script';
import { parseScript, SHELLS, type SimpleCommand } from '../model/shell';
import { perKey } from './memo';
import { hasGoToolchain } from './go-toolchain';
import { chainFact } from './stage-tree';
import { basename, dirname, isWithin, resolve } from '../text/posix-path';

/** The final stage of a Go image and where what it runs comes from. */
export interface GoRuntime {
  /** The final stage. */
  stage: Stage;
  /** Go binaries built in the Dockerfile that the stage holds, with their paths in it. */
  binaries: { path: string; binary: GoBinary }[];
  /**
   * Stages that built what the final stage ships: the stages of the known Go binaries, and the Go
   * build stages it copies programs from (a `make build` the analysis cannot follow). Nearest
   * first, without duplicates.
   */
  builders: Stage[];
  /** The final stage is itself built on a Go toolchain image, or has the toolchain copied in. */
  toolchain: boolean;
}

// Paths that a runtime stage copies from a Go build stage without that being the program: system
// files (certificates, zoneinfo, passwd), the toolchain, caches, scratch space.
const SUPPORT_PREFIXES = [
  '/etc',
  '/usr/share',
  '/usr/lib',
  '/lib',
  '/usr/local/go',
  '/go/pkg',
  '/root/.cache',
  '/tmp',
  '/var',
];

function isSupportPath(path: string): boolean {
  return SUPPORT_PREFIXES.some((prefix) => isWithin(path, prefix));
}

// Files whose extension says they are data, not a program (a rendered compose.yml, a config, a
// page, a certificate): a stage that copies only such files from a Go build stage ships no Go.
const DATA_FILE =
  /\.(?:ya?ml|json|toml|ini|conf|cfg|txt|md|html?|css|m?js|map|sql|pem|crt|key|env|xml|csv|png|jpe?g|gif|svg|ico|tmpl|tpl|template|proto)$/i;

/** Whether a COPY source from a Go build stage may be a program (not support or data files). */
function mayBeProgram(text: string): boolean {
  if (text.includes('$')) return true;
  const path = resolve('/', text);
  return !isSupportPath(path) && !DATA_FILE.test(path);
}

/** The `COPY --from=<stage>` instructions of a stage and its parents. */
function stageCopies(stage: Stage): { stage: Stage; copy: CopyInfo; from: Stage }[] {
  const result: { stage: Stage; copy: CopyInfo; from: Stage }[] = [];
  for (const s of stageChain(stage)) {
    for (const copy of s.copies) {
      if (copy.from?.target.kind === 'stage') {
        result.push({ stage: s, copy, from: copy.from.target.stage });
      }
    }
  }
  return result;
}

/** A Go build stage that ran a build: `go build`/`go install`, or a RUN the analysis cannot follow. */
function builtSomething(stage: Stage): boolean {
  return isGoBuildStage(stage) && buildsInChain(stage);
}

/** The stage or one it is built on ran a go build or install, or a RUN not followed. */
const buildsInChain = chainFact<boolean>(
  (stage, inherited) =>
    inherited === true ||
    stage.fs.opaque !== undefined ||
    stage.goCalls.some(
      (c) => c.invocation.subcommand === 'build' || c.invocation.subcommand === 'install',
    ),
);

/** Whether the program the stage starts is a Go binary built in the Dockerfile (not `go run`). */
function startsGoProgram(stage: Stage): boolean {
  if (runTarget(stage)?.kind === 'binary') return true;
  const start = startProgram(stage);
  const program = start?.argv[0]?.text;
  if (!program || program.includes('$')) return false;
  for (const path of programCandidates(stage, program)) {
    const found = stage.fs.lookup(path);
    if (found.presence === 'yes' && found.entry?.goBinaries?.length) return true;
  }
  return false;
}

/**
 * The final stage when it is the image of a Go program built in this Dockerfile: it holds a Go
 * binary the model followed, or copies a program from a Go build stage. A final stage built on
 * a Go toolchain image counts only when it starts a Go binary built in the Dockerfile (a
 * development or CI image that merely has Go installed, or runs `go run`, does not).
 */
export const goRuntime: (model: DockerfileModel) => GoRuntime | undefined = perKey((model) => {
  const stage = model.finalStage;
  if (!stage) return undefined;
  const toolchain = hasGoToolchain(stage);
  const binaries = stage.fs.goBinaries().map(({ path, binary }) => ({ path, binary }));
  const builders: Stage[] = [];
  const add = (s: Stage | undefined) => {
    if (s && !builders.includes(s)) builders.push(s);
  };
  for (const { binary } of binaries) add(model.stages[binary.call.stageIndex]);
  for (const { copy, from } of stageCopies(stage)) {
    if (!builtSomething(from)) continue;
    if (copy.sources.some((s) => mayBeProgram(s.text))) {
      add(from);
    }
  }
  if (toolchain) {
    if (!startsGoProgram(stage)) return undefined;
    add(stage);
  } else if (builders.length === 0) {
    return undefined;
  }
  return { stage, binaries, builders, toolchain };
});

/**
 * A delve image: it runs or ships `dlv`. Such images are debugging tools (they want the sources
 * for source-level debugging), not what gets deployed.
 */
export function isDelveImage(stage: Stage): boolean {
  const start = startProgram(stage);
  if (start?.argv.some((w) => /(^|\/)dlv$/.test(w.text))) return true;
  if (stage.fs.goBinaries().some(({ path }) => /(^|\/)dlv$/.test(path))) return true;
  return stage.fs.entries.some((e) => /(^|\/)dlv$/.test(e.path));
}

/** The go commands that built the runtime's known Go binaries, each once, in binary order. */
export function runtimeBuildCalls(runtime: GoRuntime): GoCall[] {
  return [...new Set(runtime.binaries.map(({ binary }) => binary.call as GoCall))];
}

// Programs that run a script or a program named in their arguments: what they start is not known
// from their own name.
const RUNNERS = new Set([...SHELLS, 'env', 'python', 'python3', 'node', 'perl']);

/**
 * The file names of the programs the runtime got from its Go builds (`/app/server` → `server`):
 * the Go binaries followed, and what the COPYs from the build stages bring. Undefined when a COPY
 * brings files whose names are not written (a variable, a glob, a directory's contents).
 */
function goProgramNames(runtime: GoRuntime): Set<string> | undefined {
  const names = new Set(runtime.binaries.map(({ path }) => basename(path)));
  for (const { copy, from } of stageCopies(runtime.stage)) {
    if (!runtime.builders.includes(from)) continue;
    for (const source of copy.sources) {
      const text = source.text;
      if (isSupportPath(resolve('/', text))) continue;
      if (/[$*?[]/.test(text) || /(^|\/)\.?\/?$/.test(text)) return undefined;
      names.add(basename(text));
    }
    const destination = copy.destination;
    if (destination?.path !== undefined && !destination.directory) {
      names.add(basename(destination.path));
    }
  }
  return names;
}

/**
 * Whether a command of a start script may run one of the Go programs: it names one, or the
 * program it runs is a variable (other than `"$@"`, the start command's own words).
 */
function mayRunGo(command: SimpleCommand, names: ReadonlySet<string>): boolean {
  if (command.words.some((w) => names.has(basename(w.text)))) return true;
  if (command.assignments.some((a) => names.has(basename(a.value.text)))) return true;
  const [first, second] = command.words;
  const program = first?.text === 'exec' ? second?.text : first?.text;
  return program !== undefined && program.includes('$') && program !== '$@' && program !== '$*';
}

/**
 * The words of a start instruction: exec-form strings (and the words of one that is a script),
 * or the shell-form text's words.
 */
function startWords(command: { exec?: { text: string }[]; shell?: string } | undefined): string[] {
  if (!command) return [];
  const scriptWords = (script: string) =>
    parseScript(script).commands.flatMap((c) => c.words.map((w) => w.text));
  if (!command.exec) return scriptWords(command.shell ?? '');
  // An exec-form string with blanks may be a script (`sh -c "cd /srv && exec app"`).
  return command.exec.flatMap((w) =>
    /\s/.test(w.text) ? [w.text, ...scriptWords(w.text)] : [w.text],
  );
}

/**
 * Whether the container starts another program than the runtime's Go programs: an ENTRYPOINT
 * or CMD of the Dockerfile runs a program the image has from its base or its packages (`sshd`,
 * `rpmbuild`, `nginx`), and neither its words nor the start script it runs name a Go program
 * of the runtime. The Go binary is then a helper or a payload (a PAM helper that sshd runs, a
 * package's source): what the container runs as is that program's business. False whenever it
 * is not known: no start command, a variable, a program the Dockerfile put in the image, a shell
 * or interpreter whose script cannot be read.
 */
export function startsOtherProgram(model: DockerfileModel, runtime: GoRuntime): boolean {
  const stage = runtime.stage;
  const start = startProgram(stage);
  if (!start || runTarget(stage) || startsGoProgram(stage)) return false;
  const names = goProgramNames(runtime);
  if (!names || names.size === 0) return false;
  const words = [...startWords(stage.entrypoint), ...startWords(stage.cmd)];
  if (words.some((word) => names.has(basename(word)))) return false;
  const [program] = programWords(stage, start);
  if (program === undefined || program.includes('$')) return false;
  const script = startScript(model, stage);
  if (script) return !script.commands.some((command) => mayRunGo(command, names));
  if (RUNNERS.has(basename(program))) return false;
  // A program the Dockerfile wrote into the image may be a Go build it could not follow, or a
  // script the context does not hold.
  return programCandidates(stage, program).every((path) => !writtenHere(stage, path));
}

/** Whether the Dockerfile put a file at `path`: a known write, or a COPY or ADD to it or its folder. */
function writtenHere(stage: Stage, path: string): boolean {
  if (stage.fs.lookup(path).entry !== undefined) return true;
  // A COPY of a directory writes below its destination, whether or not that ends with a slash.
  return stageChain(stage).some((s) =>
    s.copies.some(({ destination }) => {
      return destination?.path !== undefined && isWithin(path, destination.path);
    }),
  );
}

// The folders of the PATH the usual bases set (Debian's, Alpine's, the golang images' less Go).
const DEFAULT_PATH = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

/**
 * The final stage starts nothing of its own (no ENTRYPOINT or CMD in it or the stages it is built
 * on: its base's default shell runs), builds no Go program itself, and every Go program it got
 * from the build stages lands in a folder below the top that is not on its PATH: the programs
 * are a payload for another tool (an RPM's sources), not what the container runs. False when a
 * destination or the PATH is not known.
 */
export function shipsGoAsPayload(runtime: GoRuntime): boolean {
  const stage = runtime.stage;
  if (stage.entrypoint || stage.cmd || runtime.builders.includes(stage)) return false;
  // An image without a shell (scratch, distroless) is there to run its programs, named by
  // `docker run` or a pod's command when the image does not.
  if (stage.hasShell === false) return false;
  const path = stage.envAtEnd.get('PATH');
  if (path === null) return false;
  const folders = path === undefined ? DEFAULT_PATH : path.split(':').map((p) => resolve('/', p));
  const places: string[] = runtime.binaries.map(({ path: binary }) => dirname(binary));
  for (const { copy, from } of stageCopies(stage)) {
    if (!runtime.builders.includes(from)) continue;
    const destination = copy.destination;
    if (destination?.path === undefined) return false;
    places.push(destination.directory ? destination.path : dirname(destination.path));
  }
  // A program at the top (`/app`) or in a program folder is there to be run.
  return places.length > 0 && places.every((place) => place !== '/' && !folders.includes(place));
}
