/**
 * A build context for tests, as the CLI and the server list one: files (with their text when a
 * test gives it) and a `.dockerignore` applied the way listBuildContext applies it.
 */
import { isIgnored, parseDockerignore } from '../../server/src/node/build-context';
import type { BuildContext } from '../../server/src/core/types';

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
  const listed = [...all].filter((f) => !isIgnored(rules, f));
  return {
    files: listed,
    ignored: dockerignore === undefined ? undefined : (path) => isIgnored(rules, path),
    readFile:
      contents || readable
        ? (path) => readable?.[path] ?? (listed.includes(path) ? contents?.[path] : undefined)
        : undefined,
  };
}
