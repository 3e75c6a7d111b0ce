/**
 * Images a build file makes only to take files out of them: it creates a container from the
 * image (`docker create IMAGE`, which never starts it) and copies files out (`docker export`,
 * `docker cp`) in the same text, and never pushes the image. Such a build is an export, as with
 * `--output type=local`: its image does not ship (a Docker plugin's root filesystem, binaries
 * copied out of a build image), so the rules about shipped images leave it alone.
 */

// Container commands of docker, podman or nerdctl (`docker create`, `docker container cp`); the
// rest of a command runs to its end or to the end of the command substitution it is in.
const CREATE = /\b(?:docker|podman|nerdctl)\s+(?:container\s+)?create\s([^;&|)\n`]*)/g;
const TAKE = /\b(?:docker|podman|nerdctl)\s+(?:container\s+)?(?:export|cp)\b/;
const PUSH = /\b(?:docker|podman|nerdctl)\s+(?:image\s+)?push\s([^;&|)\n`]*)/g;

/** A word as compared: without quotes, variables braced (`"$IMAGE"` is `${IMAGE}`). */
function bareWord(word: string): string {
  return word.replace(/["']/g, '').replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, '${$1}');
}

function wordsOf(pattern: RegExp, text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    for (const word of match[1].split(/\s+/)) if (word !== '') words.add(bareWord(word));
  }
  return words;
}

/** The images (as written) a text creates a container from to take files out, and never pushes. */
export function extractedImages(text: string): ReadonlySet<string> {
  if (!TAKE.test(text)) return new Set();
  const created = wordsOf(CREATE, text);
  if (created.size === 0) return created;
  for (const pushed of wordsOf(PUSH, text)) created.delete(pushed);
  return created;
}

/** A build found in a text, with the tags it gives its image and whether it pushes it. */
interface TaggedBuild {
  build: { output: 'image' | 'export' | 'unknown' };
  tags: readonly string[];
  pushes: boolean;
}

/**
 * The builds of `found` whose image `text` only takes files out of, made exports (a build that
 * pushes, or tags an image the text also pushes, keeps its image).
 */
export function markExtracted<T extends TaggedBuild>(found: T[], text: string): T[] {
  if (!found.some((f) => f.build.output === 'image' && !f.pushes && f.tags.length > 0)) {
    return found;
  }
  const extracted = extractedImages(text);
  if (extracted.size === 0) return found;
  return found.map((f) =>
    f.build.output === 'image' &&
    !f.pushes &&
    f.tags.length > 0 &&
    f.tags.every((tag) => extracted.has(bareWord(tag)))
      ? { ...f, build: { ...f.build, output: 'export' } }
      : f,
  );
}
