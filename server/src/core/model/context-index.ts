import { matchSegment } from '../text/glob';

/** Files of the build context, for lookups (and their text, when the caller can read it). */
export class ContextIndex {
  readonly files: ReadonlySet<string>;
  private readonly dirs = new Set<string>(['']);

  constructor(
    files: readonly string[],
    /** Reads a context file's text (bounded by the caller); undefined when it cannot. */
    readonly read?: (path: string) => string | undefined,
    /** Whether `.dockerignore` keeps a context path out of the build. */
    readonly ignored?: (path: string) => boolean,
    /** Told of a context file the analysis set aside, and why (the caller logs it). */
    readonly skipped?: (path: string, reason: string) => void,
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

  /** Files below a directory of the context, relative to it. */
  filesBelow(dir: string): Set<string> {
    const prefix = dir === '' ? '' : dir + '/';
    const result = new Set<string>();
    for (const file of this.files)
      if (file.startsWith(prefix)) result.add(file.slice(prefix.length));
    return result;
  }
}
