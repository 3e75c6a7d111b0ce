/**
 * What switching an image from root to another user would break, as final-stage-runs-as-root
 * advises on it (and leaves the USER line out where it would break the start): the folders the
 * image sets up for the program that root keeps owning, the set-up kept in root's home, a program
 * that starts from or works in root's home, and a start script that uses its user's home.
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

/** A word naming a path in the home of the user running the command (`~/.netrc`, `$HOME/x`). */
const HOME_PATH = /^(?:~|\$\{HOME\})\//;

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
    if (program === undefined || /^(?:rm|rmdir|ls|cat|test|\[)$/.test(program)) continue;
    if (words.includes('config') && words.includes('--global')) {
      return { path: script.path, what: `\`${program} config --global\`` };
    }
    const targets = [...words.slice(1), ...command.redirects.map((r) => r.target?.text ?? '')];
    const home = targets.find((word) => HOME_PATH.test(word));
    if (home !== undefined) return { path: script.path, what: `\`${program} … ${home}\`` };
  }
  return undefined;
}
