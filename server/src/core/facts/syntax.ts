/**
 * The Dockerfile syntax a file asks for with its `# syntax=` directive, for the features that
 * need a recent frontend (`${VAR#prefix}` in ENV and ARG from 1.7, `COPY --exclude` from 1.19).
 * Computed on each call (one directive line read).
 */
import type { DockerfileModel } from '../model/model';

/**
 * Whether the `# syntax=` directive names docker/dockerfile at version 1.`minor` or later:
 * `docker/dockerfile:1` (the newest 1.x), `:1.7`, `:1.7.1`, `:1.7-labs`, with or without the
 * `docker.io/` prefix. False without a directive (the builder's own frontend, of unknown age) or
 * for another frontend.
 */
export function syntaxAtLeast(model: DockerfileModel, minor: number): boolean {
  let value: string | undefined;
  try {
    value = model.dockerfile
      .getDirectives()
      .find((d) => d.getName().toLowerCase() === 'syntax')
      ?.getValue();
  } catch {
    return false;
  }
  const match =
    /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:1(?:\.(\d+))?(?:\.\d+)?(?:-labs)?(?:@\S+)?$/.exec(
      value?.trim() ?? '',
    );
  if (!match) return false;
  return match[1] === undefined || Number(match[1]) >= minor;
}

/** Whether the file has a `# syntax=` directive at all. */
export function hasSyntaxDirective(model: DockerfileModel): boolean {
  try {
    return model.dockerfile.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax');
  } catch {
    return false;
  }
}
