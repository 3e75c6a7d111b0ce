/**
 * The runtime side of the conversion: which instructions of the final stage describe the running
 * image and move, how the start commands are rewritten to the copied binary (in exec form where
 * the base has no shell), and the text of the runtime stage: the same working directory, the
 * binaries and the files the program reads at the paths they had, the user the program can run
 * as (files.ts and user.ts decide those).
 */
import { serviceChecks } from '../facts/start-overrides';
import type { Instruction } from 'dockerfile-ast';
import { GOLANG_IMAGE_ENV } from '../model/images';
import { argInForce, type StartCommand } from '../model/model';
import { afterInitWrapper, shellCWords } from '../facts/start';
import { parseScript } from '../model/shell';
import { onbuildTrigger } from '../model/instruction-view';
import { ZONEINFO_DIR } from '../facts/system-files';
import { basename, dirname, join, resolve } from '../text/posix-path';
import { formatExecForm, toExecForm } from '../edits/exec-form';
import { shellWord } from './build';
import {
  ALPINE_RUNTIME,
  keywordOf,
  Refusal,
  referencedVariables,
  RUNTIME_KEYWORDS,
  type Plan,
} from './plan';
import { debianRuntimeFor, installsWithApt } from './packages';
import { startedProgramArgs, type Target } from './target';
import type { RuntimeLayout, RuntimePart } from './parts';
import { buildVariable } from '../data/go-settings';

/** Go's own time zone database in the golang images (GOROOT is /usr/local/go there). */
export const GO_ZONEINFO_ZIP = '/usr/local/go/lib/time/zoneinfo.zip';

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
  // A path that already names the binary where the runtime has it stays as written.
  const cwd = plan.programCwd ?? '/';
  const pointAt = (word: string): string =>
    word.includes('/') && resolve(cwd, word) === runtimePath ? word : runtimePath;
  const rewriteArgv = (argv: string[]): string[] => {
    // `["tini", "--", "./app"]`: the wrapper stays, the program after it moves.
    const wrapped = afterInitWrapper(argv);
    if (wrapped && wrapped.length > 0) {
      const at = argv.length - wrapped.length;
      return [...argv.slice(0, at), ...rewriteArgv(wrapped)];
    }
    const goRunArgs = startedProgramArgs(argv);
    if (goRunArgs) return [runtimePath, ...goRunArgs];
    if (argv.length > 0 && isProgram(argv[0])) return [pointAt(argv[0]), ...argv.slice(1)];
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
        starts && lead ? lead[1] + pointAt(inner[0]) + script.slice(lead[0].length) : script;
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
  const goRunArgs = startedProgramArgs(words);
  if (goRunArgs) {
    text = [runtimePath, ...goRunArgs.map(shellWord)].join(' ');
  } else if (words.length > 0 && isProgram(words[0])) {
    const trimmed = shell.trimStart();
    text = pointAt(words[0]) + trimmed.slice(trimmed.split(/\s/, 1)[0].length);
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

/** What sorting the final stage's instructions reads and writes. */
interface Sorting {
  plan: Plan;
  part: RuntimePart;
  /** The start commands (CMD, ENTRYPOINT, HEALTHCHECK) by instruction. */
  starts: Map<Instruction, StartCommand>;
  /** Whether a word of a start command starts the binary. */
  isProgram: (word: string) => boolean;
  runtimePath: string;
  /** Where each variable is last used by an instruction that stays in the build stage. */
  lastBuildUse: Map<string, number>;
  /** Why the runtime needs a shell, the first reason found. */
  needsShell?: string;
}

/**
 * A word that starts the binary. Paths keep working unchanged (same WORKDIR, same binary path);
 * a bare name is pointed at the binary's path, whatever the runtime's PATH.
 */
function programMatcher(plan: Plan, target: Target): (word: string) => boolean {
  const binary = target.binaryName;
  const started = target.startedPath ?? target.builtPath;
  const cwd = plan.programCwd;
  return (word: string): boolean =>
    word === target.builtPath ||
    word === binary ||
    word === `./${binary}` ||
    word === started ||
    (cwd !== undefined && join(cwd, word) === started);
}

/**
 * Where each variable is last used by an instruction that stays in the build stage, found in one
 * pass (searching the text after every ENV would be quadratic on long files). An ENV that builds
 * on another (`ENV APP /src/${NAME}`) may be kept in the build stage: it counts too.
 */
function lastBuildUses(plan: Plan): Map<string, number> {
  const lastBuildUse = new Map<string, number>();
  plan.stage.instructions.forEach((i, position) => {
    if (isRuntimeInstruction(i) && keywordOf(i) !== 'ENV') return;
    for (const name of referencedVariables(plan.text(i))) lastBuildUse.set(name, position);
  });
  return lastBuildUse;
}

/**
 * Sorts the final stage's instructions into what moves to the runtime and what stays; rewrites
 * the start commands; switches to a runtime with a shell when a command needs one (or refuses
 * when the user chose the runtime).
 */
export function planRuntime(
  plan: Plan,
  target: Target,
  runtimePath: string,
  /** Why the program itself needs a shell's userland (it starts `sh`, `cp`, ...), if it does. */
  programShell?: string,
): RuntimePart {
  const { stage } = plan;
  const starts = new Map(
    [stage.cmd, stage.entrypoint, stage.healthcheck]
      .filter((c): c is StartCommand => c !== undefined)
      .map((c) => [c.instruction, c]),
  );
  const part: RuntimePart = {
    moved: [],
    startedFiles: [],
    usesCurl: false,
    usesWget: false,
    usesBash: false,
    hasUser: false,
    packages: [],
    tzdata: false,
  };
  const sorting: Sorting = {
    plan,
    part,
    starts,
    isProgram: programMatcher(plan, target),
    runtimePath,
    lastBuildUse: lastBuildUses(plan),
    needsShell: programShell,
  };
  if (target.script) {
    // The script needs its interpreter; alpine's sh is busybox, so bash is installed for bash.
    sorting.needsShell ??= `the start command runs the script ${target.script.path} (${target.script.shell})`;
  }
  for (const [position, instruction] of stage.instructions.entries()) {
    if (isRuntimeInstruction(instruction)) sortInstruction(sorting, instruction, position);
  }
  // A compose service's health check runs in the container as a HEALTHCHECK does.
  for (const check of serviceChecks(plan.model, stage)) {
    const tool = check.programs.find((p) => HTTP_TOOLS.has(p));
    if (tool) checkCalls(sorting, check.where, tool);
    else if (check.shell)
      sorting.needsShell ??= `${check.where} runs through a shell, which distroless and scratch do not have`;
  }
  if (sorting.needsShell && plan.runtime.hasShell !== true) {
    switchToShell(plan, sorting.needsShell);
  }
  part.usesBash ||= target.script?.shell === 'bash';
  // A program the start commands run that was copied into the image (`ADD …/tini /tini`).
  for (const command of starts.values()) {
    const first = command.exec?.[0]?.text;
    if (!first?.startsWith('/')) continue;
    const found = stage.fs.lookup(first);
    if (found.entry?.origin === 'copy' && found.entry.path === first) part.startedFiles.push(first);
  }
  return part;
}

const HTTP_TOOLS = new Set(['curl', 'wget']);
/** A health check (HEALTHCHECK, or a compose service's) calls curl or wget: the runtime has it. */
function checkCalls(sorting: Sorting, who: string, tool: string): void {
  sorting.part.usesCurl ||= tool === 'curl';
  sorting.part.usesWget ||= tool === 'wget';
  sorting.needsShell ??= `${who} calls ${tool}, which distroless and scratch do not have`;
}

/** A runtime instruction of the final stage: moved to the runtime, as written or rewritten. */
function sortInstruction(sorting: Sorting, instruction: Instruction, position: number): void {
  const { plan, part, starts } = sorting;
  const { stage } = plan;
  const keyword = keywordOf(instruction);
  const comments = plan.commentsAbove(instruction);
  if (keyword === 'ENV') {
    const declared = envNames(instruction);
    // ENV that only steers the Go build stays in the build stage.
    if (declared.every(buildVariable)) return;
    part.moved.push({
      instruction,
      text: withImageVariables(plan, plan.blockText(instruction)),
      keepInBuild: declared.some((n) => (sorting.lastBuildUse.get(n) ?? -1) > position),
    });
    return;
  }
  if (keyword === 'USER') {
    part.hasUser = true;
    const affectsBuild = stage.instructions.some(
      (i) =>
        i.getRange().start.line > instruction.getRange().end.line &&
        ['RUN', 'COPY', 'ADD'].includes(keywordOf(i)),
    );
    // Written once the runtime is settled (user.ts): alpine creates the user, the others
    // cannot; only the comments above it are kept here.
    part.moved.push({ instruction, text: comments, keepInBuild: affectsBuild });
    return;
  }
  if (keyword === 'ONBUILD') {
    // Triggers run when another image builds FROM this one: they belong to the image that ships.
    const trigger = plan.text(instruction).replace(/^\S+\s+/, '');
    const triggerCommand = parseScript(trigger.replace(/^RUN\s+/i, '')).commands;
    const shellForm = !/^RUN\s+\[/i.test(trigger);
    if (onbuildTrigger(instruction) === 'RUN' && shellForm && triggerCommand.length > 0) {
      sorting.needsShell ??= 'an ONBUILD RUN trigger runs a shell in images built from this one';
    }
    part.moved.push({ instruction, text: plan.blockText(instruction), keepInBuild: false });
    return;
  }
  const command = starts.get(instruction);
  if (command) {
    const rewritten = rewriteStart(plan, command, sorting.isProgram, sorting.runtimePath);
    sorting.needsShell ??= rewritten.needsShell;
    const argv0 =
      command.exec?.[0]?.text ?? parseScript(command.shell ?? '').commands[0]?.words[0]?.text;
    // alpine's shell is busybox sh: a command run through bash needs bash installed.
    part.usesBash ||= command.exec !== undefined && basename(argv0 ?? '') === 'bash';
    if (command.keyword === 'HEALTHCHECK' && argv0 && HTTP_TOOLS.has(argv0)) {
      checkCalls(sorting, 'the HEALTHCHECK', argv0);
    }
    part.moved.push({ instruction, text: comments + rewritten.text, keepInBuild: false });
    return;
  }
  // An overridden CMD/ENTRYPOINT, EXPOSE, LABEL…: moved as written.
  part.moved.push({ instruction, text: plan.blockText(instruction), keepInBuild: false });
}

/** A start command needs a shell the runtime lacks: refuse, or switch to a runtime with one. */
function switchToShell(plan: Plan, needsShell: string): void {
  if (plan.explicitRuntime)
    throw new Refusal(`${needsShell}, and ${plan.runtimeImage} has no shell.`);
  if (plan.runtime.libc === 'glibc') {
    // cgo with glibc and a shell: a slim Debian image of the builder's release has both.
    const image = debianRuntimeFor(plan.stage);
    plan.switchRuntime(image, `${needsShell}, and the binary needs glibc (cgo)`, [
      `${image}: ${needsShell}, and the binary needs glibc (cgo).`,
    ]);
  } else {
    plan.switchRuntime(ALPINE_RUNTIME, needsShell, [`${ALPINE_RUNTIME}: ${needsShell}.`]);
  }
}

/**
 * An ENV moved to the runtime, with the golang image's own variables (`${GOPATH}`) written out:
 * the runtime image does not define them, and the value must stay what it was.
 */
function withImageVariables(plan: Plan, text: string): string {
  if (plan.stage.parent || plan.stage.facts.family !== 'golang') return text;
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g, (whole, braced, bare) => {
    const name = (braced ?? bare) as string;
    const own = plan.stage.instructions.some(
      (i) => ['ENV', 'ARG'].includes(keywordOf(i)) && envNames(i).includes(name),
    );
    const value = GOLANG_IMAGE_ENV.get(name);
    return !own && value !== undefined && name !== 'PATH' ? value : whole;
  });
}

function isRuntimeInstruction(instruction: Instruction): boolean {
  return RUNTIME_KEYWORDS.has(keywordOf(instruction));
}

/** A COPY line; paths with blanks or quotes are written in JSON form, which keeps them whole. */
function copyLine(plan: Plan, flags: string[], source: string, destination: string): string {
  const plain = /^[^\s"'\\]+$/.test(source) && /^[^\s"'\\]+$/.test(destination);
  const paths = plain ? `${source} ${destination}` : formatExecForm([source, destination]);
  return [plan.kw('COPY'), ...flags, paths].join(' ');
}

/** The lines of the runtime stage. */
export function runtimeStageLines(
  plan: Plan,
  part: RuntimePart,
  layout: RuntimeLayout,
  /** false when the stage already copies the binary and its files (its base is replaced). */
  copyBinary = true,
): string[] {
  const { stage } = plan;
  const lines: string[] = [];
  for (const comment of plan.allComments()) lines.push(`# ${comment}`);
  lines.push(`${plan.kw('FROM')} ${plan.runtimeImage}`);
  lines.push(...argLines(plan, part), ...packageLines(plan, part));
  const user = layout.user;
  if (user.setup) lines.push(...user.setup);
  if (plan.runtime.family === 'scratch') lines.push(...scratchLines(plan, layout));
  // The user first when the working directory must be created as the user's (it writes there).
  if (user.early) {
    const original = part.moved.filter((m) => keywordOf(m.instruction) === 'USER').pop();
    if (original?.text) lines.push(original.text.replace(/\r?\n$/, '').replace(/\r?\n/g, plan.eol));
    lines.push(user.early);
  }
  const cwd = stage.workdirAtEnd;
  if (cwd !== undefined && (cwd !== '/' || plan.runtime.nonRoot)) {
    lines.push(`${plan.kw('WORKDIR')} ${cwd}`);
  }
  if (copyBinary) lines.push(...carriedLines(plan, part, layout));
  if (layout.path) lines.push(`${plan.kw('ENV')} PATH=${layout.path}`);
  lines.push(...movedLines(plan, part, user));
  return lines;
}

/**
 * The runtime starts from another image, so it declares again the ARGs the moved instructions
 * use: the stage's own, those it inherits from the stage it is built on, and global ones.
 */
function argLines(plan: Plan, part: RuntimePart): string[] {
  const { model, stage } = plan;
  const names = new Set<string>();
  for (const m of part.moved) {
    for (const name of referencedVariables(m.text)) {
      if (argInForce(model, stage, name) || model.globalArgs.some((a) => a.name === name)) {
        names.add(name);
      }
    }
  }
  return [...names].map((name) => {
    const declared = argInForce(model, stage, name);
    return `${plan.kw('ARG')} ${declared?.defaultValue !== undefined ? `${name}=${declared.defaultValue}` : name}`;
  });
}

/** The packages an alpine or Debian runtime installs. */
function packageLines(plan: Plan, part: RuntimePart): string[] {
  const lines: string[] = [];
  if (plan.runtime.family === 'alpine') {
    // tzdata: the golang image found zones in Go's own zoneinfo.zip, alpine has none.
    const packages = new Set(['ca-certificates', 'tzdata']);
    if (part.usesCurl) packages.add('curl');
    if (part.usesBash) packages.add('bash');
    for (const name of part.packages) packages.add(name);
    lines.push(`${plan.kw('RUN')} apk add --no-cache ${[...packages].join(' ')}`);
  }
  if (installsWithApt(plan)) {
    const packages = new Set(['ca-certificates', 'tzdata']);
    if (part.usesCurl) packages.add('curl');
    if (part.usesWget) packages.add('wget');
    for (const name of part.packages) packages.add(name);
    lines.push(
      `${plan.kw('RUN')} apt-get update && apt-get install -y --no-install-recommends ${[...packages].join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  }
  return lines;
}

/** What scratch lacks, copied from the build stage: certificates, zones, /tmp. */
function scratchLines(plan: Plan, layout: RuntimeLayout): string[] {
  const from = layout.buildStage;
  const lines = [
    `${plan.kw('COPY')} --from=${from} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`,
  ];
  if (layout.zoneinfo === 'system') {
    lines.push(`${plan.kw('COPY')} --from=${from} ${ZONEINFO_DIR} ${ZONEINFO_DIR}`);
  } else if (layout.zoneinfo === 'go-zip') {
    lines.push(`${plan.kw('COPY')} --from=${from} ${GO_ZONEINFO_ZIP} /zoneinfo.zip`);
    lines.push(`${plan.kw('ENV')} ZONEINFO=/zoneinfo.zip`);
  }
  if (layout.tmp) lines.push(`${plan.kw('COPY')} --from=${from} /tmp /tmp`);
  return lines;
}

/** The binaries and the files the program reads, copied from the build stage. */
function carriedLines(plan: Plan, part: RuntimePart, layout: RuntimeLayout): string[] {
  const from = layout.buildStage;
  const cwd = plan.stage.workdirAtEnd;
  const lines = layout.binaries.map((binary) =>
    copyLine(plan, [`--from=${from}`], binary.from, binary.to),
  );
  const chown = layout.user.chown ? [`--chown=${layout.user.chown}`] : [];
  if (layout.files.workdirExcluding && cwd !== undefined) {
    const excludes = layout.files.workdirExcluding.map((p) => `--exclude=${p}`);
    lines.push(copyLine(plan, [`--from=${from}`, ...chown, ...excludes], cwd, cwd));
  }
  const carried = [...layout.files.paths, ...part.startedFiles];
  for (const path of [...new Set(carried)]) {
    lines.push(copyLine(plan, [`--from=${from}`, ...chown], path, path));
  }
  for (const { path, where, directory, madeByLine } of layout.files.optional) {
    // A glob that may match nothing: BuildKit copies the file when the build has it (and a
    // folder's contents into the folder named as the destination).
    const name = basename(path);
    const glob = `${name.slice(0, -1)}[${name.slice(-1)}]`;
    const why =
      madeByLine !== undefined
        ? `may be made by the RUN on line ${madeByLine}, which the conversion cannot follow`
        : 'was not in the build context at conversion';
    lines.push(`# ${name} is read (${where}) but ${why}: copied when present.`);
    lines.push(
      copyLine(
        plan,
        [`--from=${from}`, ...chown],
        join(dirname(path), glob),
        directory ? `${path}/` : `${dirname(path)}/`,
      ),
    );
  }
  return lines;
}

/**
 * The moved instructions. The runtime's user takes the place of the original's last USER, else
 * goes before the start command; when it went first (early), the comments above the original
 * USER go with it.
 */
function movedLines(plan: Plan, part: RuntimePart, user: RuntimeLayout['user']): string[] {
  const lines: string[] = [];
  const users = part.moved.filter((m) => keywordOf(m.instruction) === 'USER');
  const lastUser = users[users.length - 1];
  let userPlaced = user.late === undefined;
  for (const m of part.moved) {
    const keyword = keywordOf(m.instruction);
    const text = m.text.replace(/\r?\n$/, '').replace(/\r?\n/g, plan.eol);
    if (keyword === 'USER') {
      if (m === lastUser && !userPlaced) {
        lines.push(...(text === '' ? [] : [text]), user.late!);
        userPlaced = true;
      } else if (text !== '' && !(m === lastUser && user.early)) lines.push(text);
      continue;
    }
    if (!userPlaced && !lastUser && (keyword === 'ENTRYPOINT' || keyword === 'CMD')) {
      lines.push(user.late!);
      userPlaced = true;
    }
    lines.push(m.text.replace(/\r?\n/g, plan.eol));
  }
  if (!userPlaced) lines.push(user.late!);
  return lines;
}
