import { matchSegment } from '../text/glob';
import { scanGoFile, type GoFileFacts } from './go-source';
import type { BuildContext } from '../types';
import { KeyedCache } from '../keyed-cache';

/**
 * Files of the build context, for lookups (and their text, when the caller can read it). Made
 * once per BuildContext the caller gives (see contextIndexOf): the language server keeps a
 * folder's listing for a few seconds and across the versions of a document, so typing neither
 * indexes the files again nor scans the same Go sources again.
 */
export class ContextIndex {
  readonly files: ReadonlySet<string>;
  private readonly dirs = new Set<string>(['']);
  /** scanGoFile's facts of the Go files read so far, by path, with the text they are of. */
  private readonly goFacts = new Map<string, { text: string; facts: GoFileFacts }>();
  private readonly below = new Map<string, ReadonlySet<string>>();

  constructor(
    files: readonly string[],
    /** Reads a context file's text (bounded by the caller); undefined when it cannot. */
    readonly read?: (path: string) => string | undefined,
    /** Whether `.dockerignore` keeps a context path out of the build. */
    readonly ignored?: (path: string) => boolean,
    /** Told of a context file the analysis set aside, and why (the caller logs it). */
    readonly skipped?: (path: string, reason: string) => void,
    /** The ignore file the build reads: `.dockerignore`, or the Dockerfile's own. */
    readonly ignoreFile = '.dockerignore',
  ) {
    this.files = new Set(files.map((f) => f.replace(/^\.\//, '')));
    for (const file of this.files) {
      let slash = file.lastIndexOf('/');
      while (slash > 0) {
        this.dirs.add(file.slice(0, slash));
        slash = file.lastIndexOf('/', slash - 1);
      }
    }
  }

  /**
   * What scanGoFile finds in a context Go file whose text is `text`, scanned again only when the
   * text differs from the last one scanned for that path (a reader that does not keep texts).
   */
  goFile(path: string, text: string): GoFileFacts {
    const known = this.goFacts.get(path);
    if (known !== undefined && known.text === text) return known.facts;
    const facts = scanGoFile(text);
    this.goFacts.set(path, { text, facts });
    return facts;
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }

  /**
   * The files and directories a COPY glob (`src/*`, `*.yaml`) matches, as Docker matches it:
   * segment by segment, `*` never crossing a `/`.
   */
  matchGlob(pattern: string): { files: string[]; dirs: string[] } {
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    const matches = (path: string) => {
      const parts = path.split('/');
      return (
        parts.length === segments.length && parts.every((p, i) => matchSegment(segments[i], p))
      );
    };
    return {
      files: [...this.files].filter(matches),
      dirs: [...this.dirs].filter((d) => d !== '' && matches(d)),
    };
  }

  /** Files below a directory of the context, relative to it (kept per directory: do not modify). */
  filesBelow(dir: string): ReadonlySet<string> {
    let below = this.below.get(dir);
    if (below) return below;
    const prefix = dir === '' ? '' : dir + '/';
    const result = new Set<string>();
    for (const file of this.files)
      if (file.startsWith(prefix)) result.add(file.slice(prefix.length));
    this.below.set(dir, (below = result));
    return below;
  }
}

const indexes = new KeyedCache<BuildContext, ContextIndex>();

/** The index of a build context the caller gives, made on first use and kept with it. */
export function contextIndexOf(context: BuildContext): ContextIndex {
  return indexes.ensure(
    context,
    () =>
      new ContextIndex(
        context.files,
        context.readFile,
        context.ignored,
        context.skipped,
        context.ignoreFile,
      ),
  );
}
