/**
 * Build arguments from the declared builds (`--build-arg`, compose and Bake `args`): they set the
 * value of the ARG of the same name, in place of its default.
 */
import type { AnalyzeOptions } from '../types';

/**
 * The value of a build argument over every declared build: the one value they all give it (a
 * build that does not set it keeps `fallback`, the Dockerfile's default); null when they differ
 * or one is unknown; `fallback` when no build sets it.
 */
export function buildArgValue(
  options: AnalyzeOptions,
  name: string,
  fallback: string | null,
): string | null {
  const builds = options.builds ?? [];
  if (!builds.some((b) => b.args?.some((a) => a.name === name))) return fallback;
  let value: string | null | undefined;
  for (const build of builds) {
    const given = build.args?.find((a) => a.name === name);
    const v = given ? given.value : fallback;
    if (v === null) return null;
    if (value === undefined) value = v;
    else if (value !== v) return null;
  }
  return value ?? fallback;
}
