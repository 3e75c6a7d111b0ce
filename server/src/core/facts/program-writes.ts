/**
 * Where a Go program writes, as far as its sources tell (program-needs.ts): nothing, below its
 * working directory, elsewhere, or somewhere not known; and the ports the programs of a final
 * stage listen on. The conversion keeps root when the
 * answer is elsewhere or not known; final-stage-runs-as-root offers no USER line alone where the
 * program writes at all (the folders it writes must become the user's too).
 */
import type { GoRuntime } from './go-runtime';
import { runtimeBuildCalls } from './go-runtime';
import { programNeeds, type ProgramNeeds } from './program-needs';
import { programSources, programsBuilt, type ProgramSources } from './program-sources';
import { buildsOf } from './builds';
import { KeyedCache } from '../keyed-cache';
import type { DockerfileModel, Stage } from '../model/model';
import { isWithin, resolve } from '../text/posix-path';

/** Where the program writes, as far as its sources tell. */
export type WriteScope =
  | { kind: 'none' }
  | { kind: 'workdir'; where: string }
  | { kind: 'elsewhere'; path: string; where: string }
  | { kind: 'unknown'; why: string };

/**
 * Where a program whose needs were read writes: the temporary directory counts as nothing, a
 * path below the working directory (not `/`) as the working directory's.
 */
export function writeScope(needs: ProgramNeeds | undefined, cwd: string | undefined): WriteScope {
  if (!needs || !needs.sources.complete) {
    return {
      kind: 'unknown',
      why: `what the program writes is not known (${needs?.sources.incomplete ?? 'its Go sources were not read'})`,
    };
  }
  let inWorkdir: string | undefined;
  for (const write of needs.writes) {
    if (write.temporary) continue;
    if (write.path === undefined) {
      return {
        kind: 'unknown',
        why: `it writes to a path computed at run time (${write.call} in ${write.where})`,
      };
    }
    const path = cwd === undefined ? write.path : resolve(cwd, write.path);
    const private_ = cwd !== undefined && cwd !== '/' && isWithin(path, cwd);
    if (!private_) return { kind: 'elsewhere', path: write.path, where: write.where };
    inWorkdir ??= `${write.path} (${write.where})`;
  }
  return inWorkdir ? { kind: 'workdir', where: inWorkdir } : { kind: 'none' };
}

/**
 * A write of the program into a folder a compose service mounts from the host (`./db:/app/db`),
 * as a clause about the program: there the host's owner decides who may write, and a non-root
 * user that owns the folder in the image may not. Undefined when none is, or the writes are not
 * known (writeScope says so).
 */
export function hostMountedWrite(
  model: DockerfileModel,
  stage: Stage,
  needs: ProgramNeeds | undefined,
  cwd: string | undefined,
): string | undefined {
  const mounts = buildsOf(model, stage).flatMap((b) => b.hostMounts ?? []);
  if (!needs || mounts.length === 0) return undefined;
  for (const write of needs.writes) {
    if (write.temporary || write.path === undefined) continue;
    const path = cwd === undefined ? write.path : resolve(cwd, write.path);
    for (const mount of mounts) {
      const target = mount.paths.find((p) => isWithin(path, p));
      if (target === undefined) continue;
      const where = `${mount.file ?? 'compose'}:${mount.line + 1}, ${mount.label}`;
      return `it writes ${write.path} (${write.where}) in ${target}, which ${where} mounts from the host, where the host's owner of the folder decides who may write`;
    }
  }
  return undefined;
}

/** The write scope as a clause about the program. */
export function describeWrites(scope: WriteScope): string {
  switch (scope.kind) {
    case 'none':
      return 'it writes nothing';
    case 'workdir':
      return `it writes ${scope.where}`;
    case 'elsewhere':
      return `it writes ${scope.path} (${scope.where}), outside its working directory`;
    case 'unknown':
      return scope.why;
  }
}

/**
 * Where the programs the final stage got from its Go builds write, when their sources were all
 * read: the first that writes outside the temporary directory; undefined when none does or when
 * the sources are not known.
 */
export function runtimeWrites(model: DockerfileModel, runtime: GoRuntime): WriteScope | undefined {
  for (const sources of runtimePrograms(model, runtime)) {
    if (!sources.complete) continue;
    const scope = writeScope(programNeeds(sources), runtime.stage.workdirAtEnd);
    if (scope.kind !== 'none') return scope;
  }
  return undefined;
}

/**
 * The addresses the programs the final stage got from its Go builds listen on, as their sources
 * (read as far as they could be) write them (`http.ListenAndServe(":80", nil)`).
 */
export function runtimeListens(
  model: DockerfileModel,
  runtime: GoRuntime,
): ProgramNeeds['listens'] {
  return runtimePrograms(model, runtime).flatMap((sources) => programNeeds(sources).listens);
}

/**
 * Whether the programs the final stage got from its Go builds import a client of the Docker
 * daemon (or name its socket): undefined when their sources were not all read.
 */
export function runtimeTalksToDocker(
  model: DockerfileModel,
  runtime: GoRuntime,
): boolean | undefined {
  const programs = runtimePrograms(model, runtime);
  if (programs.length === 0 || programs.some((p) => !p.complete)) return undefined;
  return programs.some((sources) => programNeeds(sources).dockerDaemon !== undefined);
}

const programsCache = new KeyedCache<GoRuntime, ProgramSources[]>();

/**
 * The sources of the programs the final stage got from its Go builds, when the build context is
 * known: those its go builds compile, or, for a program a build tool made (`make build`, which
 * the analysis does not tie to one package), every Go source its build stages copied.
 */
function runtimePrograms(model: DockerfileModel, runtime: GoRuntime): ProgramSources[] {
  const known = programsCache.get(runtime);
  if (known) return known;
  const calls = runtimeBuildCalls(runtime);
  const programs = programsBuilt(model, calls) ?? [];
  if (calls.length === 0 && model.context) {
    for (const builder of runtime.builders) {
      programs.push(programSources(model, builder, { kind: 'all' }));
    }
  }
  programsCache.set(runtime, programs);
  return programs;
}
