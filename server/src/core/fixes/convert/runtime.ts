/**
 * The runtime side of the conversion: which instructions of the final stage describe the running
 * image and move, which files the program needs at run time and are carried, how the start
 * commands are rewritten to the copied binary (in exec form where the base has no shell), and
 * the text of the runtime stage.
 */
import type { Instruction } from 'dockerfile-ast';
import type { StartCommand } from '../../model/model';
import { afterInitWrapper, shellCWords } from '../../model/start';
import { parseScript } from '../../model/shell';
import { ZONEINFO_DIR } from '../../model/system-files';
import { basename, join } from '../../text/posix-path';
import { formatExecForm, toExecForm } from '../exec-form';
import { shellWord } from './build';
import {
  ALPINE_RUNTIME,
  keywordOf,
  Refusal,
  referencedVariables,
  RUNTIME_KEYWORDS,
  type Plan,
} from './plan';
import { installsWithApt } from './packages';
import { goRunProgramArgs, type Target } from './target';

// Variables that steer the Go build, never the program at run time.
const BUILD_VARIABLES =
  /^(GO[A-Z0-9_]*|CGO_[A-Z_]+|CC|CXX|PATH|GOPATH|GOBIN|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GONOPROXY|GOSUMDB|GOTOOLCHAIN|GO111MODULE|DEBIAN_FRONTEND)$/;

// Files a program reads at run time: configuration, templates, static assets, migrations…
const ASSET_DIRECTORIES = new Set([
  'templates',
  'template',
  'static',
  'assets',
  'public',
  'web',
  'www',
  'migrations',
  'config',
  'configs',
  'conf',
  'views',
  'locales',
  'i18n',
  'data',
  'certs',
  'html',
  'ui',
  'dist',
]);
const SOURCE_NAMES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum', 'vendor', '.', '']);

/** Whether a COPY source from the build context looks like something read at run time. */
function isRuntimeAsset(source: string): boolean {
  const name = basename(source);
  if (SOURCE_NAMES.has(name) || name.endsWith('.go') || name.includes('*')) return false;
  if (ASSET_DIRECTORIES.has(name.toLowerCase())) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1;
}

export interface MovedInstruction {
  instruction: Instruction;
  /** The text for the runtime stage (with the comments above it). */
  text: string;
  /** Also stays in the build stage (it affects the build). */
  keepInBuild: boolean;
}

export interface RuntimePart {
  moved: MovedInstruction[];
  /** Absolute paths the runtime copies from the build stage besides the binary. */
  carried: string[];
  usesCurl: boolean;
  usesWget: boolean;
  usesBash: boolean;
  hasUser: boolean;
  /** Packages the runtime installs because the program may need them (alpine or Debian). */
  packages: string[];
  /** The original image installed tzdata: the runtime needs zoneinfo too. */
  tzdata: boolean;
}

interface Rewrite {
  text: string;
  /** Why the command needs a shell, when it does. */
  needsShell?: string;
}

/**
 * A start command with its program pointed at the runtime binary, in exec form where possible
 * (`go run … args` becomes the binary with `args`).
 */
function rewriteStart(
  plan: Plan,
  command: StartCommand,
  isProgram: (word: string) => boolean,
  runtimePath: string,
): Rewrite {
  const { model } = plan;
  const instruction = command.instruction;
  const prefix = model.text.slice(
    model.index.offsetAt(instruction.getRange().start),
    model.index.offsetAt(command.range.start),
  );
  const rewriteArgv = (argv: string[]): string[] => {
    // `["tini", "--", "./app"]`: the wrapper stays, the program after it moves.
    const wrapped = afterInitWrapper(argv);
    if (wrapped && wrapped.length > 0) {
      const at = argv.length - wrapped.length;
      return [...argv.slice(0, at), ...rewriteArgv(wrapped)];
    }
    const goRunArgs = goRunProgramArgs(argv);
    if (goRunArgs) return [runtimePath, ...goRunArgs];
    if (argv.length > 0 && isProgram(argv[0])) return [runtimePath, ...argv.slice(1)];
    return argv;
  };
  if (command.exec) {
    const original = command.exec.map((w) => w.text);
    const shell = basename(original[0] ?? '');
    const inner = shellCWords({ command, argv: command.exec, exec: true });
    if (inner) {
      // `["sh", "-c", "./app --port $PORT"]`: the program inside the script moves, the shell stays.
      const script = original[2];
      const lead = /^(\s*(?:exec\s+)?)(\S+)/.exec(script);
      const starts = isProgram(inner[0]);
      if (starts && lead?.[2] !== inner[0]) {
        throw new Refusal(
          `the ${command.keyword} script starts ${inner[0]} after words the conversion cannot rewrite (variables, quotes); write it as \`exec ${inner[0]} …\`.`,
        );
      }
      const rewritten =
        starts && lead ? lead[1] + runtimePath + script.slice(lead[0].length) : script;
      return {
        text: prefix + formatExecForm([original[0], original[1], rewritten, ...original.slice(3)]),
        needsShell: `the ${command.keyword} runs its command through ${shell} -c`,
      };
    }
    const argv = rewriteArgv(original);
    const changed = argv.length !== original.length || argv.some((a, i) => a !== original[i]);
    return { text: changed ? prefix + formatExecForm(argv) : plan.text(instruction) };
  }
  const shell = command.shell ?? '';
  const exec = toExecForm(shell);
  if (exec.ok) return { text: prefix + formatExecForm(rewriteArgv(exec.argv)) };
  // Shell syntax: keep the shell form, with the program's word replaced when it is the binary.
  const words = parseScript(shell).commands[0]?.words.map((w) => w.text) ?? [];
  let text = shell;
  const goRunArgs = goRunProgramArgs(words);
  if (goRunArgs) {
    text = [runtimePath, ...goRunArgs.map(shellWord)].join(' ');
  } else if (words.length > 0 && isProgram(words[0])) {
    const trimmed = shell.trimStart();
    text = runtimePath + trimmed.slice(trimmed.split(/\s/, 1)[0].length);
  }
  const reason = exec.reason.replace(/^it /, '');
  return { text: prefix + text, needsShell: `the ${command.keyword} ${reason}` };
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

/** USER for the runtime: names the runtime does not know become the numeric nonroot user. */
function runtimeUser(plan: Plan, instruction: Instruction): string {
  const original = plan.text(instruction);
  const value = original.replace(/^\S+\s+/, '').trim();
  const user = value.split(':')[0];
  const numeric = /^\d+$/.test(user);
  if (plan.runtime.family === 'alpine' && !numeric && user !== 'root') {
    // alpine has no such user until it is created.
    return `${plan.kw('RUN')} adduser -D -H ${user}${plan.eol}${original}`;
  }
  if (installsWithApt(plan) && !numeric && user !== 'root') {
    return `${plan.kw('RUN')} useradd --system --no-create-home ${user}${plan.eol}${original}`;
  }
  if (numeric || user === 'root' || (plan.runtime.family === 'distroless' && user === 'nonroot')) {
    return original;
  }
  plan.notes.push(
    `USER ${value} became 65532:65532 because ${plan.runtimeImage} has no user "${user}".`,
  );
  return `# ${original.split(/\r?\n/)[0]}: ${plan.runtimeImage} has no user "${user}"${plan.eol}${plan.kw('USER')} 65532:65532`;
}

/**
 * Sorts the final stage's instructions into what moves to the runtime, what stays, and what
 * files are carried; rewrites the start commands; switches to a runtime with a shell when a
 * command needs one (or refuses when the user chose the runtime).
 */
export function planRuntime(
  plan: Plan,
  target: Target,
  builtPath: string,
  runtimePath: string,
): RuntimePart {
  const { stage } = plan;
  const binary = target.binaryName;
  const isProgram = (word: string): boolean =>
    word === builtPath ||
    word === binary ||
    word === `./${binary}` ||
    word === target.startedPath ||
    (stage.workdirAtEnd !== undefined &&
      join(stage.workdirAtEnd, word) === (target.startedPath ?? builtPath));
  // Where each variable is last used by an instruction that stays in the build stage, found in
  // one pass (searching the text after every ENV would be quadratic on long files).
  const lastBuildUse = new Map<string, number>();
  stage.instructions.forEach((i, position) => {
    if (isRuntimeInstruction(i)) return;
    for (const name of referencedVariables(plan.text(i))) lastBuildUse.set(name, position);
  });
  const starts = new Map(
    [stage.cmd, stage.entrypoint, stage.healthcheck]
      .filter((c): c is StartCommand => c !== undefined)
      .map((c) => [c.instruction, c]),
  );
  const part: RuntimePart = {
    moved: [],
    carried: [],
    usesCurl: false,
    usesWget: false,
    usesBash: false,
    hasUser: false,
    packages: [],
    tzdata: false,
  };
  let needsShell: string | undefined;
  const users: MovedInstruction[] = [];
  for (const [position, instruction] of stage.instructions.entries()) {
    const keyword = keywordOf(instruction);
    const comments = plan.commentsAbove(instruction);
    if (keyword === 'COPY' || keyword === 'ADD') {
      part.carried.push(...carriedPaths(plan, instruction));
      continue;
    }
    if (!isRuntimeInstruction(instruction)) continue;
    if (keyword === 'ENV') {
      const declared = envNames(instruction);
      // ENV that only steers the Go build stays in the build stage.
      if (declared.every((n) => BUILD_VARIABLES.test(n))) continue;
      part.moved.push({
        instruction,
        text: plan.blockText(instruction),
        keepInBuild: declared.some((n) => (lastBuildUse.get(n) ?? -1) > position),
      });
      continue;
    }
    if (keyword === 'USER') {
      part.hasUser = true;
      const affectsBuild = stage.instructions.some(
        (i) =>
          i.getRange().start.line > instruction.getRange().end.line &&
          ['RUN', 'COPY', 'ADD'].includes(keywordOf(i)),
      );
      // Written once the runtime is settled: alpine creates the user, the others cannot.
      users.push({ instruction, text: comments, keepInBuild: affectsBuild });
      part.moved.push(users[users.length - 1]);
      continue;
    }
    if (keyword === 'ONBUILD') {
      // Triggers run when another image builds FROM this one: they belong to the image that ships.
      const trigger = plan.text(instruction).replace(/^\S+\s+/, '');
      const triggerCommand = parseScript(trigger.replace(/^RUN\s+/i, '')).commands;
      if (/^RUN\s/i.test(trigger) && !/^RUN\s+\[/i.test(trigger) && triggerCommand.length > 0) {
        needsShell ??= 'an ONBUILD RUN trigger runs a shell in images built from this one';
      }
      part.moved.push({ instruction, text: plan.blockText(instruction), keepInBuild: false });
      continue;
    }
    const command = starts.get(instruction);
    if (command) {
      const rewritten = rewriteStart(plan, command, isProgram, runtimePath);
      needsShell ??= rewritten.needsShell;
      const argv0 =
        command.exec?.[0]?.text ?? parseScript(command.shell ?? '').commands[0]?.words[0]?.text;
      // alpine's shell is busybox sh: a command run through bash needs bash installed.
      part.usesBash ||= command.exec !== undefined && basename(argv0 ?? '') === 'bash';
      if (command.keyword === 'HEALTHCHECK' && (argv0 === 'curl' || argv0 === 'wget')) {
        part.usesCurl ||= argv0 === 'curl';
        part.usesWget ||= argv0 === 'wget';
        needsShell ??= `the HEALTHCHECK calls ${argv0}, which distroless and scratch do not have`;
      }
      part.moved.push({ instruction, text: comments + rewritten.text, keepInBuild: false });
      continue;
    }
    // An overridden CMD/ENTRYPOINT, EXPOSE, LABEL…: moved as written.
    part.moved.push({ instruction, text: plan.blockText(instruction), keepInBuild: false });
  }
  if (needsShell && plan.runtime.hasShell !== true) {
    if (plan.explicitRuntime)
      throw new Refusal(`${needsShell}, and ${plan.runtimeImage} has no shell.`);
    if (plan.runtime.libc === 'glibc') {
      throw new Refusal(
        `${needsShell}, and the build needs glibc (CGO_ENABLED=1); no minimal runtime has both.`,
      );
    }
    plan.switchRuntime(ALPINE_RUNTIME, `The runtime is ${ALPINE_RUNTIME} because ${needsShell}.`, [
      `${ALPINE_RUNTIME}, not distroless: ${needsShell}.`,
    ]);
  }
  for (const user of users) user.text += runtimeUser(plan, user.instruction);
  // A program the start commands run that was copied into the image (`ADD …/tini /tini`).
  for (const command of starts.values()) {
    const first = command.exec?.[0]?.text;
    if (!first?.startsWith('/')) continue;
    const found = stage.fs.lookup(first);
    if (found.entry?.origin === 'copy' && found.entry.path === first) part.carried.push(first);
  }
  return part;
}

function isRuntimeInstruction(instruction: Instruction): boolean {
  return RUNTIME_KEYWORDS.has(keywordOf(instruction));
}

/**
 * The asset directories (templates, static, migrations, ...) a COPY of a whole context directory
 * brought along with the sources, when the build context is known: those without Go files or a
 * package.json (sources of Go or of a frontend, not files read at run time).
 */
function assetDirectoriesIn(plan: Plan, instruction: Instruction): string[] {
  const paths: string[] = [];
  for (const entry of plan.stage.fs.entries) {
    if (entry.instruction !== instruction || entry.kind !== 'tree' || !entry.contents) continue;
    const sources = new Map<string, boolean>();
    for (const file of entry.contents) {
      const slash = file.indexOf('/');
      if (slash <= 0) continue;
      const top = file.slice(0, slash);
      const source = file.endsWith('.go') || basename(file) === 'package.json';
      sources.set(top, (sources.get(top) ?? false) || source);
    }
    for (const [name, source] of sources) {
      if (!source && ASSET_DIRECTORIES.has(name.toLowerCase())) paths.push(join(entry.path, name));
    }
  }
  return paths;
}

/** Runtime files a COPY/ADD put into the final stage, as absolute paths in the build stage. */
function carriedPaths(plan: Plan, instruction: Instruction): string[] {
  const copy = plan.stage.copies.find((c) => c.instruction === instruction);
  if (!copy || copy.heredoc || !copy.destination?.path) return [];
  const destination = copy.destination;
  const fromStage = copy.from?.target.kind === 'stage' ? copy.from.target.stage : undefined;
  // What another stage of the Dockerfile produced (assets, generated files), or what the build
  // context holds that is read at run time.
  const paths: string[] = copy.from ? [] : assetDirectoriesIn(plan, instruction);
  for (const source of copy.sources) {
    if (source.text.includes('$')) continue;
    if (copy.from) {
      if (fromStage?.facts.goToolchain) continue;
      if (copy.from.target.kind !== 'stage' && copy.from.target.kind !== 'image') continue;
    } else if (!isRuntimeAsset(source.text)) {
      continue;
    }
    const name = basename(source.text);
    const isFile = name.lastIndexOf('.') > 0 && !source.text.endsWith('/');
    paths.push(destination.directory && isFile ? join(destination.path!, name) : destination.path!);
  }
  return paths;
}

/** The lines of the runtime stage. */
export function runtimeStageLines(
  plan: Plan,
  part: RuntimePart,
  buildStage: string,
  builtPath: string,
  runtimePath: string,
  /** false when the stage already copies the binary and its files (its base is replaced). */
  copyBinary = true,
): string[] {
  const { model, stage } = plan;
  const lines: string[] = [];
  for (const comment of plan.comments) lines.push(`# ${comment}`);
  lines.push(`${plan.kw('FROM')} ${plan.runtimeImage}`);
  // ARGs are per stage: declare again the ones the moved instructions use.
  const names = new Set<string>();
  for (const m of part.moved) {
    for (const name of referencedVariables(m.text)) {
      if (
        stage.args.some((a) => a.name === name) ||
        model.globalArgs.some((a) => a.name === name)
      ) {
        names.add(name);
      }
    }
  }
  for (const name of names) {
    const own = [...stage.args].reverse().find((a) => a.name === name);
    lines.push(
      `${plan.kw('ARG')} ${own?.defaultValue !== undefined ? `${name}=${own.defaultValue}` : name}`,
    );
  }
  if (plan.runtime.family === 'alpine') {
    const packages = new Set(['ca-certificates']);
    if (part.tzdata) packages.add('tzdata');
    if (part.usesCurl) packages.add('curl');
    if (part.usesBash) packages.add('bash');
    for (const name of part.packages) packages.add(name);
    lines.push(`${plan.kw('RUN')} apk add --no-cache ${[...packages].join(' ')}`);
  }
  if (installsWithApt(plan)) {
    const packages = new Set(['ca-certificates']);
    if (part.tzdata) packages.add('tzdata');
    if (part.usesCurl) packages.add('curl');
    if (part.usesWget) packages.add('wget');
    for (const name of part.packages) packages.add(name);
    lines.push(
      `${plan.kw('RUN')} apt-get update && apt-get install -y --no-install-recommends ${[...packages].join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  }
  if (plan.runtime.family === 'scratch') {
    lines.push(
      `${plan.kw('COPY')} --from=${buildStage} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
    );
    if (part.tzdata) {
      lines.push(`${plan.kw('COPY')} --from=${buildStage} ${ZONEINFO_DIR} ${ZONEINFO_DIR}`);
    }
  }
  const carried = copyBinary ? [...new Set(part.carried)] : [];
  // Carried files keep their paths; the program finds them relative to the same WORKDIR.
  if (carried.length > 0 && stage.workdirAtEnd && stage.workdirAtEnd !== '/') {
    lines.push(`${plan.kw('WORKDIR')} ${stage.workdirAtEnd}`);
  }
  if (copyBinary) lines.push(`${plan.kw('COPY')} --from=${buildStage} ${builtPath} ${runtimePath}`);
  for (const path of carried) lines.push(`${plan.kw('COPY')} --from=${buildStage} ${path} ${path}`);
  // A non-root user before the start command, unless the image already runs as one.
  const userLine =
    !part.hasUser && !plan.runtime.nonRoot ? `${plan.kw('USER')} 65532:65532` : undefined;
  let userPlaced = userLine === undefined;
  for (const m of part.moved) {
    const keyword = keywordOf(m.instruction);
    if (userLine && !userPlaced && (keyword === 'ENTRYPOINT' || keyword === 'CMD')) {
      lines.push(userLine);
      userPlaced = true;
    }
    lines.push(m.text.replace(/\r?\n/g, plan.eol));
  }
  if (userLine && !userPlaced) lines.push(userLine);
  return lines;
}
