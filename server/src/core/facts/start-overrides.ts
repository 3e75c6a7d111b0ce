/**
 * What containers of a stage's image start when a build file sets their command: a compose
 * service's `entrypoint:` or `command:` (ProjectBuild.runs), read as Docker reads them. An
 * entrypoint replaces the image's ENTRYPOINT and clears its CMD; a command alone replaces CMD,
 * so it is what runs only when the image's ENTRYPOINT is empty or an init wrapper (`tini --`);
 * otherwise it only passes arguments to the image's own program.
 * Computed on each call: few builds set a command.
 */
import type { StartOverride } from '../types';
import type { DockerfileModel, Stage } from '../model/model';
import {
  parseScript,
  programName,
  shellCommandScript,
  commandFromArgv,
  SHELLS,
} from '../model/shell';
import { basename } from '../text/posix-path';
import { buildsOf } from './builds';
import { isToolchainProgram } from './dev-image';
import { afterInitWrapper } from './start';
import { perStage } from './memo';

export interface OverriddenStart {
  run: StartOverride;
  /** The words the container runs; null when one is left to a variable the file does not set. */
  words: string[] | null;
  /** Who sets it, in words: `service test in docker-compose.yml:14`. */
  where: string;
}

/** The start commands that builds of the stage's image set in place of its own. */
export function overriddenStarts(model: DockerfileModel, stage: Stage): OverriddenStart[] {
  const found: OverriddenStart[] = [];
  for (const build of buildsOf(model, stage)) {
    if (build.output !== 'image' || !build.runs) continue;
    for (const run of build.runs) {
      const words = containerWords(stage, run);
      if (words === undefined) continue;
      const file = run.file ?? build.source.file;
      found.push({ run, words, where: `${run.label} in ${file}:${run.line + 1}` });
    }
  }
  return found;
}

/** The words a container runs, or undefined when the image's own program still runs. */
function containerWords(stage: Stage, run: StartOverride): string[] | null | undefined {
  if (run.entrypoint !== undefined) {
    if (run.entrypoint === null || run.command === null) return null;
    return [...run.entrypoint, ...(run.command ?? [])];
  }
  if (run.command === undefined) return undefined;
  const entrypoint = stage.entrypoint;
  const cleared = !entrypoint || entrypoint.exec?.length === 0;
  if (!cleared) {
    const words = entrypoint.exec?.map((w) => w.text);
    // `ENTRYPOINT ["tini", "--"]`: the command is what the wrapper starts.
    if (!words || afterInitWrapper(words)?.length !== 0) return undefined;
    return run.command === null ? null : [...words, ...run.command];
  }
  return run.command === null ? null : [...run.command];
}

/** The programs words run: the first (after an init wrapper), or each command of `sh -c`. */
export function programsOf(words: readonly string[]): { programs: string[]; shell?: string } {
  const command = afterInitWrapper([...words]) ?? [...words];
  if (command.length === 0) return { programs: [] };
  const shell = basename(command[0]);
  if (SHELLS.has(shell)) {
    const script = shellCommandScript(commandFromArgv(command));
    // `sh ./run.sh`: the program is the script file.
    if (script === undefined) {
      const file = command.slice(1).find((w) => !w.startsWith('-'));
      return { programs: file ? [file] : [], shell };
    }
    const programs = parseScript(script)
      .commands.map((c) =>
        programName(c.words[0] && c.words[0].text === 'exec' ? c.words[1] : c.words[0]),
      )
      .filter((name): name is string => name !== undefined);
    return { programs, shell };
  }
  return { programs: [command[0]] };
}

/** A start command set outside the Dockerfile that runs the Go toolchain or a live-reload tool. */
export function toolchainOverride(
  model: DockerfileModel,
  stage: Stage,
): OverriddenStart | undefined {
  return overriddenStarts(model, stage).find(
    (o) => o.words !== null && programsOf(o.words).programs.some(isToolchainProgram),
  );
}

/** A health check a build file runs in containers of the stage's image, with its programs. */
export interface ServiceCheck {
  /** The programs it runs: its first word, or each command of its shell script. */
  programs: string[];
  /** It runs through the image's shell (`CMD-SHELL`, or a string). */
  shell: boolean;
  /** Who runs it, in words: `the healthcheck of service api in compose.yaml:12`. */
  where: string;
}

/**
 * The health checks compose services run in containers of the stage's image (cached per stage:
 * the conversion reads them for its packages and for its runtime choice).
 */
export const serviceChecks = perStage((model: DockerfileModel, stage: Stage): ServiceCheck[] => {
  const found: ServiceCheck[] = [];
  for (const build of buildsOf(model, stage)) {
    if (build.output !== 'image') continue;
    for (const check of build.checks ?? []) {
      const where = `the healthcheck of ${check.label} in ${check.file ?? build.source.file}:${check.line + 1}`;
      const programs =
        check.shell !== undefined
          ? parseScript(check.shell).commands.flatMap((c) => programName(c.words[0]) ?? [])
          : check.exec?.[0] !== undefined
            ? [basename(check.exec[0])]
            : [];
      found.push({ programs, shell: check.shell !== undefined, where });
    }
  }
  return found;
});
