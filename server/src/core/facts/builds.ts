/**
 * Which stages ship, from the builds the project declares (compose services, Bake targets,
 * `docker build` lines of Makefiles, scripts and CI jobs: `AnalyzeOptions.builds`) and the
 * targets named explicitly (`AnalyzeOptions.targets`). A stage ships when a build produces it as
 * an image: each declared `--target`, and the last stage only when a build names no target (or
 * nothing is declared at all). A stage a build exports as files (`--output type=local`) is used,
 * not shipped. Derived once per model.
 */
import type { AnalyzeOptions, ProjectBuild } from '../types';
import { findStage, stageName, type DockerfileModel, type Stage } from '../model/model';
import { KeyedCache } from '../keyed-cache';

/** A stage that ships as an image, and why. */
export interface ShippedStage {
  stage: Stage;
  /** The builds that produce it (none for the last stage when nothing is declared). */
  builds: ProjectBuild[];
  /**
   * `build`: a declared build produces it; `default`: the last stage, with nothing declared;
   * `explicit`: named by `--target`, `goMultistage.targets` or the project's config file.
   */
  reason: 'build' | 'default' | 'explicit';
}

export interface BuildFacts {
  shipped: ShippedStage[];
  /** Each stage a build produces (image or export), with those builds. */
  byStage: Map<Stage, ProjectBuild[]>;
  /** A build whose target this file cannot tell (a variable): any stage may be built. */
  unknownTarget?: ProjectBuild;
  /** Builds naming a target that no stage of this file has. */
  missingTargets: ProjectBuild[];
}

const cache = new KeyedCache<DockerfileModel, BuildFacts>();

function add(map: Map<Stage, ProjectBuild[]>, stage: Stage, build: ProjectBuild): void {
  const list = map.get(stage);
  if (list) list.push(build);
  else map.set(stage, [build]);
}

/** The build facts of a model (cached per model). */
export function buildFacts(model: DockerfileModel): BuildFacts {
  const known = cache.get(model);
  if (known) return known;
  const last = model.stages[model.stages.length - 1];
  const builds = model.options.builds ?? [];
  const byStage = new Map<Stage, ProjectBuild[]>();
  const images = new Map<Stage, ProjectBuild[]>();
  const missingTargets: ProjectBuild[] = [];
  let unknownTarget: ProjectBuild | undefined;
  for (const build of builds) {
    let stage: Stage | undefined;
    if (build.target === undefined) stage = last;
    else if (build.target === null) {
      unknownTarget ??= build;
      // Which stage is not known; the last one may be it, as before anything was declared.
      stage = last;
    } else {
      stage = /^\d+$/.test(build.target) ? undefined : findStage(model.stages, build.target);
      if (!stage) missingTargets.push(build);
    }
    if (!stage) continue;
    add(byStage, stage, build);
    if (build.output === 'image') add(images, stage, build);
  }
  let shipped: ShippedStage[] = [];
  const explicit = explicitStages(model, model.options);
  if (explicit.length > 0) {
    shipped = explicit.map((stage) => ({
      stage,
      builds: images.get(stage) ?? [],
      reason: 'explicit',
    }));
  } else if (images.size > 0) {
    shipped = model.stages
      .filter((stage) => images.has(stage))
      .map((stage) => ({ stage, builds: images.get(stage) ?? [], reason: 'build' }));
  } else if (last && byStage.size === 0) {
    // Nothing declared (or only builds naming stages this file lacks): the last stage ships.
    shipped = [{ stage: last, builds: [], reason: 'default' }];
  }
  const facts: BuildFacts = { shipped, byStage, unknownTarget, missingTargets };
  cache.set(model, facts);
  return facts;
}

/** The stages named explicitly that this file has, in file order. */
function explicitStages(model: DockerfileModel, options: AnalyzeOptions): Stage[] {
  const names = options.targets?.names ?? [];
  const stages = new Set<Stage>();
  for (const name of names) {
    const stage = findStage(model.stages, name);
    if (stage && !/^\d+$/.test(name)) stages.add(stage);
  }
  return model.stages.filter((s) => stages.has(s));
}

/** The stages that ship as images (see the module comment), in file order. */
export function shippedStages(model: DockerfileModel): ShippedStage[] {
  return buildFacts(model).shipped;
}

/** The builds that produce a stage, as an image or as exported files. */
export function buildsOf(model: DockerfileModel, stage: Stage): ProjectBuild[] {
  return buildFacts(model).byStage.get(stage) ?? [];
}

/**
 * Whether a build or an explicit target names the stage, so that it is used even when no later
 * stage uses it; `any` when a build's target is unknown. A build that may be of this file
 * (`AnalyzeOptions.possibleBuilds`) counts here too: a stage is not called unused on a guess.
 */
export function builtByName(model: DockerfileModel, stage: Stage): boolean | 'any' {
  const facts = buildFacts(model);
  if (facts.unknownTarget) return 'any';
  const possible = model.options.possibleBuilds ?? [];
  if (possible.some((b) => b.target === null)) return 'any';
  if (facts.shipped.some((s) => s.stage === stage && s.reason === 'explicit')) return true;
  if (
    possible.some(
      (b) =>
        typeof b.target === 'string' &&
        !/^\d+$/.test(b.target) &&
        findStage(model.stages, b.target) === stage,
    )
  )
    return true;
  return (facts.byStage.get(stage) ?? []).some((b) => typeof b.target === 'string');
}

/** A build in words, for messages and hovers: `service api in compose.yaml:12`. */
export function describeBuild(build: ProjectBuild): string {
  return `${build.source.label} in ${build.source.file}:${build.source.line + 1}`;
}

/** Where a shipped stage comes from, in words, for findings on a file built several ways. */
export function describeShipped(shipped: ShippedStage): string {
  const name = stageName(shipped.stage);
  if (shipped.reason === 'explicit') return `the image of ${name}, a target named explicitly`;
  if (shipped.builds.length === 0) return `the image of ${name}`;
  const shown = shipped.builds.slice(0, 2).map(describeBuild).join(', ');
  const more = shipped.builds.length > 2 ? ` and ${shipped.builds.length - 2} more` : '';
  return `the image of ${name}, built by ${shown}${more}`;
}

/** What the declared builds say about platforms. */
export interface DeclaredPlatforms {
  /** Every distinct platform named. */
  platforms: string[];
  /** Whether the file is built for several platforms (one build for several, or builds for different ones). */
  multi: boolean;
  /** The build that shows it: one for several platforms, or the first. */
  build: ProjectBuild;
}

/**
 * The platforms the declared builds name: several when one build names several (or builds name
 * different ones); one when every build names the same single platform. Undefined when nothing
 * is declared or a build leaves its platform to the builder or to a variable.
 */
export function declaredPlatforms(model: DockerfileModel): DeclaredPlatforms | undefined {
  const builds = model.options.builds ?? [];
  const platforms = new Set<string>();
  let allKnown = builds.length > 0;
  for (const build of builds) {
    if (build.platforms && build.platforms.length > 1) {
      return { platforms: [...build.platforms], multi: true, build };
    }
    if (!build.platforms || build.platforms.length === 0) allKnown = false;
    else platforms.add(build.platforms[0]);
  }
  if (platforms.size > 1) {
    const build = builds.find((b) => b.platforms?.length)!;
    return { platforms: [...platforms], multi: true, build };
  }
  if (!allKnown) return undefined;
  return { platforms: [...platforms], multi: false, build: builds[0] };
}

/**
 * Whether every build the project declares of this Dockerfile uses Docker's classic builder
 * (`DOCKER_BUILDKIT=0 docker build`), so that BuildKit's `RUN --mount` is not there to use;
 * false when none is declared (BuildKit is Docker's default builder).
 */
export function classicBuildsOnly(model: DockerfileModel): boolean {
  const builds = model.options.builds ?? [];
  return builds.length > 0 && builds.every((build) => build.classic === true);
}
