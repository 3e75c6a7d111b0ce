/**
 * The shell script a stage's start command runs, when the Dockerfile copied it in from the build
 * context and the context can be read (`ENTRYPOINT ["/entrypoint.sh"]`, `CMD ["sh", "start.sh"]`):
 * where it is, its interpreter and its commands. Read once per stage; the conversion reads it to
 * find the binary it starts, final-stage-runs-as-root to see whether it drops root.
 */
import { contextPathOf, type DockerfileModel, type Stage } from '../model/model';
import { SHELLS, parseScript, type SimpleCommand } from '../model/shell';
import { basename, isAbsolute, isWithin, join, resolve } from '../text/posix-path';
import { perStage } from './memo';
import { programWords, stageChain, startProgram } from './start';

export interface StartScript {
  /** The script's path in the image. */
  path: string;
  /** Its interpreter (`sh`, `bash`). */
  shell: string;
  /** Its commands, in order (nested ones included, as parseScript gives them). */
  commands: SimpleCommand[];
  /** The functions it defines (`log() {`, `function build {`): calling one runs no program. */
  functions: ReadonlySet<string>;
}

/** The names of the functions a shell script defines (`log() {`, `function build {`). */
export function shellFunctionNames(text: string): Set<string> {
  const names = new Set<string>();
  const definition =
    /^[ \t]*(?:function[ \t]+([A-Za-z_][\w.:-]*)(?:[ \t]*\(\))?|([A-Za-z_][\w.:-]*)[ \t]*\(\))[ \t]*(?:\{|\(|$)/gm;
  for (const match of text.matchAll(definition)) names.add(match[1] ?? match[2]);
  return names;
}

/** Stages a path is followed through, at the most (`COPY --from` of a `COPY --from` …), and
 * places looked at in all (a file of many copies to `/` from stage to stage must stay cheap). */
const MAX_HOPS = 8;
const MAX_LOOKUPS = 256;

/**
 * The context path an image path of the stage came from: a COPY of the build context into the
 * stage (or a stage it is built on), or a `COPY --from` of an earlier stage that has it from the
 * context (`COPY . .` in the build stage, then `COPY --from=build /src/docker ./docker`). A RUN of
 * the earlier stage may have changed the file since; for a start script, read to see what it
 * runs, the context's text is the best guess there is.
 */
function contextSource(
  stage: Stage,
  path: string,
  hops = 0,
  budget = { lookups: MAX_LOOKUPS },
): string | undefined {
  if (budget.lookups-- <= 0) return undefined;
  const direct = contextPathOf(stage, path);
  if (direct !== undefined || hops >= MAX_HOPS) return direct;
  for (const s of stageChain(stage)) {
    for (let i = s.copies.length - 1; i >= 0; i--) {
      const copy = s.copies[i];
      const from = copy.from?.target;
      const destination = copy.destination?.path;
      if (from?.kind !== 'stage' || destination === undefined) continue;
      for (const source of copy.sources) {
        if (source.text.includes('$') || /[*?[]/.test(source.text)) continue;
        const sourcePath = resolve('/', source.text);
        // Where the path was in the earlier stage: a file copied into the destination folder,
        // onto the destination, or inside a folder whose contents were copied into it.
        const earlier: string[] = [];
        if (copy.destination?.directory && path === join(destination, basename(sourcePath))) {
          earlier.push(sourcePath);
        }
        if (path === destination) earlier.push(sourcePath);
        else if (isWithin(path, destination)) {
          earlier.push(
            join(sourcePath, path.slice(destination === '/' ? 1 : destination.length + 1)),
          );
        }
        for (const candidate of earlier) {
          const found = contextSource(from.stage, candidate, hops + 1, budget);
          if (found !== undefined) return found;
        }
      }
    }
  }
  return undefined;
}

/** The start script of the stage, when its start command runs one the context holds. */
export const startScript = perStage(
  (model: DockerfileModel, stage: Stage): StartScript | undefined => {
    const read = model.context?.read;
    const start = startProgram(stage);
    if (!read || !start) return undefined;
    const words = programWords(stage, start);
    if (words.length === 0) return undefined;
    const viaShell = SHELLS.has(basename(words[0])) && words[1] && !words[1].startsWith('-');
    const written = viaShell ? words[1] : words[0];
    if (written.includes('$') || (!written.includes('/') && !viaShell)) return undefined;
    const cwd = stage.workdirAtEnd;
    if (!isAbsolute(written) && cwd === undefined) return undefined;
    const path = resolve(cwd ?? '/', written);
    const contextPath = contextSource(stage, path);
    const text = contextPath === undefined ? undefined : read(contextPath);
    if (text === undefined) return undefined;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
    const shell = shebang
      ? basename(shebang[1]) === 'env'
        ? (shebang[2] ?? '')
        : basename(shebang[1])
      : viaShell
        ? basename(words[0])
        : 'sh';
    if (!SHELLS.has(shell)) return undefined;
    return {
      path,
      shell,
      commands: parseScript(text).commands,
      functions: shellFunctionNames(text),
    };
  },
);
