/**
 * What switching an image from root to another user would break, as final-stage-runs-as-root
 * advises on it (and leaves the USER line out where it would break the start): the folders the
 * image sets up for the program that root keeps owning, the set-up kept in root's home, a program
 * that starts from or works in root's home or is given a path there, a start script that uses
 * its user's home; and whether the image starts as root on purpose (an init, an entrypoint that
 * drops privileges), which no USER line should change.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import { keywordOf } from '../model/instruction-view';
import { instructionArguments } from '../model/instruction-text';
import { programName } from '../model/shell';
import { oneBasedLine } from '../text/line-index';
import { isWithin } from '../text/posix-path';
import { programCandidates, programWords, stageChain, startProgram } from './start';
import { startScript } from './start-script';

/**
 * The instructions the stage's image is made of, the stages it is built on first, each with its
 * text as written: what the advice on root-owned folders and root's home reads.
 */
function imageInstructions(
  model: DockerfileModel,
  stage: Stage,
): { instruction: Instruction; text: string }[] {
  return stageChain(stage).flatMap((s) =>
    s.instructions.map((instruction) => ({
      instruction,
      text: model.index.textOf(instruction.getRange()),
    })),
  );
}

/**
 * The folders the image sets up for the program to write to, which root owns unless the
 * Dockerfile hands them over: its VOLUMEs, the HOME its ENV names (`ENV HOME=/data`) and a
 * WORKDIR it makes with `mkdir` (`RUN mkdir -p /data` + `WORKDIR /data`: a program writing to
 * relative paths writes there). One that an instruction of the stages mentions with `chown`,
 * `--chown`, `chmod` or `--chmod` is taken to be handed over.
 */
export function dataFolders(model: DockerfileModel, stage: Stage): string[] {
  const folders = new Set<string>();
  const made = imageInstructions(model, stage);
  for (const { instruction } of made) {
    if (keywordOf(instruction) !== 'VOLUME') continue;
    for (const argument of instructionArguments(instruction)) {
      const path = argument.getValue().replace(/[[\]",]/g, '');
      if (path.startsWith('/') && !path.includes('$')) folders.add(path);
    }
  }
  const home = stage.envAtEnd.get('HOME');
  if (home && home.startsWith('/') && home !== '/' && !home.includes('$')) folders.add(home);
  const workdir = stage.workdirAtEnd;
  if (
    workdir !== undefined &&
    workdir !== '/' &&
    !workdir.includes('$') &&
    made.some(({ text }) => /\bmkdir\b/.test(text) && text.includes(workdir))
  ) {
    folders.add(workdir);
  }
  if (folders.size === 0) return [];
  const owning = made.filter(({ text }) => /\bch(own|mod)\b|--ch(own|mod)=/.test(text));
  return [...folders].filter((f) => !owning.some(({ text }) => text.includes(f)));
}

/** Whether the program starts from root's home or works in it: how, for the advice. */
export function runsFromRootHome(stage: Stage): string | undefined {
  const inRootHome = (path: string | undefined) => path !== undefined && isWithin(path, '/root');
  const start = startProgram(stage);
  const program = start ? programWords(stage, start)[0] : undefined;
  if (program !== undefined && programCandidates(stage, program).some(inRootHome)) {
    return 'starts from';
  }
  return inRootHome(stage.workdirAtEnd) ? 'works in' : undefined;
}

/** A RUN command that writes under root's home (`~/`, `/root/`, `$HOME/` with HOME unset). */
const ROOT_HOME_PATH = /(?:^|[\s=>"'])(?:~|\/root|\$HOME|\$\{HOME\})\//;

/**
 * The set-up the image keeps in root's home, which another user cannot read: `git config
 * --global` and other RUN commands that write under `~` or `/root` (removals are clean-up, not
 * set-up), and ENV values under `/root` (`ENV APP_CONFIG=/root/.app/config.yml`). Described for
 * the advice: `` `git config --global` (line 11) ``.
 */
export function rootHomeSetup(model: DockerfileModel, stage: Stage): string[] {
  const home = stage.envAtEnd.get('HOME');
  if (home !== undefined && home !== '/root') return [];
  const found: string[] = [];
  for (const { instruction, text } of imageInstructions(model, stage)) {
    if (keywordOf(instruction) !== 'RUN') continue;
    const line = oneBasedLine(instruction.getRange());
    const commands = text
      .split(/&&|\|\||;|\n/)
      .map((c) => c.replace(/^[\s\\]*(?:RUN\s+)?/i, ''))
      .filter((c) => !/^(?:rm|rmdir)\s/.test(c));
    if (commands.some((c) => /^git\s+config\b.*\s--global\b/.test(c))) {
      found.push(`\`git config --global\` (line ${line})`);
    } else if (commands.some((c) => ROOT_HOME_PATH.test(c))) found.push(`line ${line}`);
  }
  for (const [name, value] of stage.envAtEnd) {
    if (value !== null && isWithin(value, '/root')) found.push(`\`ENV ${name}=${value}\``);
  }
  return found;
}

/**
 * A word naming a path in the home of the user running the command (`~/.netrc`, `$HOME/x`),
 * also as an option's value (`--kubeconfig=$HOME/.kube/config`).
 */
const HOME_PATH = /^(?:[-\w]*=)?(?:~|\$\{HOME\})\//;

/** A word naming a path in root's home, also as an option's value (`--config=/root/.app`). */
const ROOT_HOME_WORD = /^(?:[-\w]*=)?\/root(?:\/|$)/;

// Commands whose paths are no use of a home: clean-up and looking.
const NO_HOME_USE = /^(?:rm|rmdir|ls|cat|test|\[)$/;

/**
 * How the start script uses the home of the user it runs as: a `config --global` (git's,
 * dolt's) or a path under `~` or `$HOME` it names (to write there, or to read or enter what it
 * expects there). Described for the advice, with the script's path.
 */
export function startScriptHomeUse(
  model: DockerfileModel,
  stage: Stage,
): { path: string; what: string } | undefined {
  const script = startScript(model, stage);
  if (!script) return undefined;
  for (const command of script.commands) {
    const words = command.words.map((w) => w.text);
    const program = programName(command.words[0]);
    if (program === undefined || NO_HOME_USE.test(program)) continue;
    if (words.includes('config') && words.includes('--global')) {
      return { path: script.path, what: `\`${program} config --global\`` };
    }
    const targets = [...words.slice(1), ...command.redirects.map((r) => r.target?.text ?? '')];
    const home = targets.find((word) => HOME_PATH.test(word));
    // `exec /app …` is named by the program it runs.
    const shown = program === 'exec' ? (command.words[1]?.text ?? program) : program;
    if (home !== undefined) return { path: script.path, what: `\`${shown} … ${home}\`` };
  }
  return undefined;
}

/**
 * A path in root's home that the start command or its start script gives the program
 * (`CMD ["/app", "--kubeconfig", "/root/.kube/config"]`): another user cannot enter /root, so the
 * program would lose it. With where it is named, for the advice.
 */
export function startRootHomePath(
  model: DockerfileModel,
  stage: Stage,
): { path: string; where: string } | undefined {
  const home = stage.envAtEnd.get('HOME');
  if (home !== undefined && home !== '/root') return undefined;
  const rootPath = (words: readonly string[]) => words.find((w) => ROOT_HOME_WORD.test(w));
  for (const command of [stage.entrypoint, stage.cmd]) {
    const words = command?.exec
      ? command.exec.map((w) => w.text)
      : (command?.shell?.trim().split(/\s+/) ?? []);
    // CMD's words are all arguments behind an ENTRYPOINT.
    const args = command === stage.cmd && stage.entrypoint ? words : words.slice(1);
    const path = rootPath(args);
    if (path !== undefined) return { path, where: `its ${command!.keyword}` };
  }
  const script = startScript(model, stage);
  for (const command of script?.commands ?? []) {
    const program = programName(command.words[0]);
    if (program === undefined || NO_HOME_USE.test(program)) continue;
    const path = rootPath([
      ...command.words.slice(1).map((w) => w.text),
      ...command.redirects.map((r) => r.target?.text ?? ''),
    ]);
    if (path !== undefined) return { path, where: `the start script ${script!.path}` };
  }
  return undefined;
}

// Tools an entrypoint uses to start as root (to fix volume ownership, bind ports) and then drop to
// another user, and the packages that provide them.
const PRIVILEGE_DROPPERS = new Set([
  'gosu',
  'su-exec',
  'setpriv',
  's6-setuidgid',
  'chpst',
  'runuser',
]);
const DROPPER_PACKAGES = new Set(['gosu', 'su-exec', 's6', 's6-overlay', 'runit']);
// Init systems and supervisors: they run as root by design and start services as their users.
const INITS = new Set(['init', 'systemd', 's6-svscan', 'supervisord', 'runsvdir']);
const INIT_PACKAGES = new Set(['systemd', 'systemd-sysv', 'openrc', 'supervisor']);

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A user operand that is not root (`app`, `$USER`, `1000`). */
function otherUser(word: string | undefined): boolean {
  return word !== undefined && word !== 'root' && word !== '0' && !word.startsWith('-');
}

/**
 * A command of a start script that runs the rest as another user: the droppers above, `su USER
 * -c …`, `runuser -u USER`, `chroot --userspec=USER`, `start-stop-daemon --chuid USER`,
 * `sudo -u USER` (an operand written with a variable counts: the script picks the user).
 */
function dropsRoot(words: readonly string[]): boolean {
  const [program, ...args] = words[0] === 'exec' ? words.slice(1) : words;
  const name = base(program ?? '');
  if (PRIVILEGE_DROPPERS.has(name)) return true;
  if (name === 'su') {
    const operands = args.filter(
      (w, i) =>
        !w.startsWith('-') && !['-s', '--shell', '-c', '--command'].includes(args[i - 1] ?? ''),
    );
    return otherUser(operands[0]) && args.some((w) => w === '-c' || w.startsWith('--command'));
  }
  if (name === 'chroot') return args.some((w) => w.startsWith('--userspec'));
  if (name === 'start-stop-daemon')
    return args.some((w) => w === '--chuid' || w === '-c' || w.startsWith('--chuid='));
  if (name === 'sudo' || name === 'doas') {
    const at = args.indexOf('-u');
    return at >= 0 && otherUser(args[at + 1]);
  }
  return false;
}

/**
 * Whether the image starts as root on purpose: an init or supervisor, or an entrypoint that can
 * drop privileges (gosu, su-exec, setpriv, s6-setuidgid) is part of it, or the start script
 * (read from the build context) runs its program as another user (`exec su app -c …`).
 */
export function startsAsRootOnPurpose(model: DockerfileModel, stage: Stage): boolean {
  const script = startScript(model, stage);
  if (script?.commands.some((c) => dropsRoot(c.words.map((w) => w.text)))) return true;
  const chain = stageChain(stage);
  if (
    chain.some((s) => [...s.packages].some((p) => DROPPER_PACKAGES.has(p) || INIT_PACKAGES.has(p)))
  ) {
    return true;
  }
  if (stage.fs.entries.some((e) => PRIVILEGE_DROPPERS.has(base(e.path)))) return true;
  const words = [stage.entrypoint, stage.cmd].flatMap((command) =>
    command?.exec ? command.exec.map((w) => w.text) : (command?.shell?.trim().split(/\s+/) ?? []),
  );
  if (words.some((w) => PRIVILEGE_DROPPERS.has(base(w)))) return true;
  // The program each command starts, also behind a minimal init (`tini --`, `dumb-init`).
  const programs = [stage.entrypoint, stage.cmd].flatMap((command) => {
    const argv = command?.exec
      ? command.exec.map((w) => w.text)
      : (command?.shell?.trim().split(/\s+/) ?? []);
    const first = argv[0];
    if (first && (base(first) === 'tini' || base(first) === 'dumb-init')) {
      return argv
        .slice(1)
        .filter((w) => !w.startsWith('-'))
        .slice(0, 1);
    }
    return first ? [first] : [];
  });
  // s6-overlay's entrypoint is /init.
  return programs.some((p) => INITS.has(base(p)) || p === '/init');
}
