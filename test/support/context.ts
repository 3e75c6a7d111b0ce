/**
 * A build context for tests, as the CLI and the server list one: files (with their text when a
 * test gives it) and a `.dockerignore` applied the way listBuildContext applies it.
 */
import { isFolderSent, isIgnored, parseDockerignore } from '../../server/src/node/build-context';
import type { BuildContext } from '../../server/src/core/types';

/** listBuildContext does not walk a `.git` folder: it lists it as `<folder>/.git/HEAD`. */
function gitMarker(path: string): string {
  const at = path.indexOf('.git/');
  if (at < 0 || (at > 0 && path[at - 1] !== '/')) return path;
  return path.slice(0, at) + '.git/HEAD';
}

export function testContext(
  files: readonly string[] | undefined,
  contents?: Readonly<Record<string, string>>,
  dockerignore?: string,
  /** Text of some listed files, read without being added to the list. */
  readable?: Readonly<Record<string, string>>,
): BuildContext | undefined {
  if (!files && !contents && dockerignore === undefined) return undefined;
  const rules = parseDockerignore(dockerignore ?? '');
  const all = new Set([...(files ?? []), ...Object.keys(contents ?? {})]);
  if (dockerignore !== undefined) all.add('.dockerignore');
  const listed = [...new Set([...all].map(gitMarker))].filter((f) =>
    // A .git folder is listed by its HEAD whenever the folder itself is sent.
    f.endsWith('.git/HEAD')
      ? isFolderSent(rules, f.slice(0, -'/HEAD'.length))
      : !isIgnored(rules, f),
  );
  return {
    files: listed,
    ignored: dockerignore === undefined ? undefined : (path) => isIgnored(rules, path),
    readFile:
      contents || readable
        ? (path) => readable?.[path] ?? (listed.includes(path) ? contents?.[path] : undefined)
        : undefined,
  };
}
