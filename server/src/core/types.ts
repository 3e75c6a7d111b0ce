/**
 * Public shapes of the analysis core. They mirror the LSP's zero-based ranges so the language
 * server can pass them through, but nothing here depends on an editor or on the file system.
 */

/** A zero-based position; `character` counts UTF-16 code units, as in the LSP. */
export interface Position {
  line: number;
  character: number;
}

/** A zero-based, end-exclusive range. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity as a user may set it: a severity, or `off` to silence a rule. */
export type SeveritySetting = Severity | 'off';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = [
  'off',
  'hint',
  'info',
  'warning',
  'error',
];

export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * How a fix is offered. `quickfix` edits are small and local; `refactor.rewrite` restructures the
 * file (the conversion to multi-stage).
 */
export type FixKind = 'quickfix' | 'refactor.rewrite';

export interface Fix {
  title: string;
  edits: TextEdit[];
  kind: FixKind;
  /** True when the fix is the obvious one for its finding (editors may apply it with one key). */
  isPreferred?: boolean;
  /** True when applying it blindly (fix-all) cannot change what the image does beyond the finding. */
  safe?: boolean;
}

export type DiagnosticTag = 'unnecessary' | 'deprecated';

/** One finding of one rule, with the fixes that resolve it. */
export interface Diagnostic {
  rule: string;
  /** Which of the rule's messages this is (its `meta.messages` id): stable where the text is not. */
  messageId: string;
  /** The values filled into the message's placeholders, as text. */
  data?: Record<string, string>;
  severity: Severity;
  /** One short sentence that stands alone (the Problems panel, a CLI line). */
  message: string;
  /** The reasoning behind the finding, when the message alone does not say: shown on hover. */
  detail?: string;
  range: Range;
  fixes: Fix[];
  tags?: DiagnosticTag[];
}

/**
 * The build context, when the caller knows it: the files it holds, as paths relative to the
 * context root with `/` separators (after `.dockerignore` exclusions).
 */
export interface BuildContext {
  /**
   * The files `COPY . .` brings in, relative to the context folder. A `.git` folder is not
   * walked: it is listed as `<folder>/.git/HEAD` whenever the folder itself is sent, and
   * `ignored` tells which of its parts `.dockerignore` leaves out.
   */
  files: readonly string[];
  /**
   * Reads a context file's text (a path of `files`), or undefined when it cannot be read within
   * the caller's bounds (too large, not a regular file, out of time). The conversion reads the Go
   * sources of the program it carries through it; without it, it assumes the least.
   */
  readFile?: (path: string) => string | undefined;
  /** Whether `.dockerignore` keeps a context path out of the build (listed or not). */
  ignored?: (path: string) => boolean;
  /**
   * The name of the Dockerfile's own ignore file (`Dockerfile.dockerignore`, beside it), when the
   * build reads that one instead of the context's `.dockerignore`.
   */
  ignoreFile?: string;
  /**
   * Told of a context file the analysis read and set aside, with a one-line reason (a Go source
   * that does not parse, one built only on request, the rest of a program past the reading
   * bounds): the caller logs it. Files that cannot be read at all are the caller's to report.
   */
  skipped?: (path: string, reason: string) => void;
  /** The context folder on disk, when there is one: editors link to its files. Never read here. */
  root?: string;
}

/**
 * One way the project builds this Dockerfile, found in a build file next to it (compose, Bake, a
 * Makefile, a script, a CI workflow). A value the build file leaves to a variable it does not set
 * is null (unknown); one it does not give is undefined (Docker's default).
 */
export interface ProjectBuild {
  /** Where it is declared. */
  source: {
    /** The kind of file: `compose`, `bake`, `makefile`, `script`, `github-actions`, `gitlab-ci`. */
    kind: string;
    /** The file, as shown: relative to the repository root, with `/` separators. */
    file: string;
    /** Zero-based line. */
    line: number;
    /** Who declares it in the file: `service api`, `target image`, `job release, Build`. */
    label: string;
    /** The file's URI, for links. */
    uri?: string;
  };
  /** The stage built; undefined: none named (the last stage). */
  target?: string | null;
  /** The platforms built for; undefined: not said (the builder's own). */
  platforms?: readonly string[] | null;
  /** Build arguments (`--build-arg`, compose `args`, Bake `args`). */
  args?: readonly { name: string; value: string | null }[];
  /**
   * An image, files exported from the stage (`--output type=local`), or unknown (an output the
   * build file leaves to a variable or to an expression it cannot evaluate): neither is shipped.
   */
  output: 'image' | 'export' | 'unknown';
  /** Built with Docker's classic builder (`DOCKER_BUILDKIT=0`): no `RUN --mount`, no heredocs. */
  classic?: boolean;
  /**
   * Containers of the built image that start something else than its ENTRYPOINT and CMD: a
   * compose service's `command:` or `entrypoint:` (the building service's own, or another
   * service's that runs the same image).
   */
  runs?: readonly StartOverride[];
  /** Who runs the image, when that says how: GitHub runs a Docker container action as root. */
  runner?: 'github-docker-action';
  /** The ports containers of the image listen on, as compose services declare them. */
  ports?: readonly DeclaredPorts[];
  /** The health checks compose services run in containers of the image. */
  checks?: readonly HealthCheck[];
  /** The folders of the host that compose services mount into containers of the image. */
  hostMounts?: readonly HostMounts[];
}

/**
 * A health check a compose service runs inside the container (`healthcheck: test:`): an
 * argument list (`["CMD", "curl", "-f", "…"]`), or a shell script (`CMD-SHELL`, or a string).
 */
export interface HealthCheck {
  /** Who runs it: `service api`. */
  label: string;
  /** The file, as shown (relative to the repository root); set by the reader of the files. */
  file?: string;
  /** Zero-based line of the `healthcheck:` key. */
  line: number;
  exec?: readonly string[];
  shell?: string;
}

/**
 * The container paths a compose service mounts folders or files of the host on (`./db:/app/db`,
 * `type: bind`): what the program writes there is written to the host, as the host's owner
 * allows, whatever the image says of the path's owner. Named volumes are not among them.
 */
export interface HostMounts {
  /** Who declares them: `service api`. */
  label: string;
  /** The file, as shown (relative to the repository root); set by the reader of the files. */
  file?: string;
  /** Zero-based line of the `volumes:` key. */
  line: number;
  paths: readonly string[];
}

/**
 * The ports a compose service says its container listens on: the container side of `ports:`
 * (`8080:8080`, `127.0.0.1:80:8080/tcp`, `target: 8080`) and `expose:`.
 */
export interface DeclaredPorts {
  /** Who declares them: `service api`. */
  label: string;
  /** The file, as shown (relative to the repository root); set by the reader of the files. */
  file?: string;
  /** Zero-based line of the `ports:` (or `expose:`) key. */
  line: number;
  ports: readonly number[];
}

/**
 * A container's start command set outside the Dockerfile (compose `entrypoint:`, `command:`):
 * the words as given, each list null when a word is left to a variable the file does not set.
 * An `entrypoint` clears the image's CMD; a `command` alone is passed to the image's ENTRYPOINT.
 */
export interface StartOverride {
  /** Who sets it: `service test`. */
  label: string;
  /** The file, as shown (relative to the repository root); set by the reader of the files. */
  file?: string;
  /** Zero-based line of the `command:` (or `entrypoint:`) key. */
  line: number;
  entrypoint?: readonly string[] | null;
  command?: readonly string[] | null;
}

/** Stages named explicitly as the ones that ship, and by whom (a setting, a flag, a file). */
export interface ExplicitTargets {
  names: readonly string[];
  /** Where the list comes from, in words: `--target`, `goMultistage.targets`, `.go-multistage.json`. */
  source: string;
}

export interface AnalyzeOptions {
  /** Text of the `go.mod` of the module this Dockerfile builds, when known. */
  goMod?: string;
  /** Severity overrides by rule id. */
  rules?: Readonly<Record<string, SeveritySetting>>;
  /** Base image of the runtime stage that "Convert to multi-stage" adds. */
  runtimeImage?: string;
  /** The stages "Convert to multi-stage" writes: build → runtime, or dev → build → runtime. */
  convertLayout?: 'two-stage' | 'dev-build-runtime';
  /** The build context, when known. */
  context?: BuildContext;
  /** The ways the project builds this Dockerfile, when known (see ProjectBuild). */
  builds?: readonly ProjectBuild[];
  /**
   * Builds that may be of this Dockerfile or of another: their Dockerfile is left to a variable
   * (`docker build -f $DOCKERFILE --target x`). The stages they name are not called unused (and
   * with an unknown target, none is); they count for nothing else.
   */
  possibleBuilds?: readonly ProjectBuild[];
  /** Stages that ship, named explicitly: they win over `builds` for which stages ship. */
  targets?: ExplicitTargets;
}

/** What an analysis found, and what it had to leave out (engine/analyze.ts). */
export interface DocumentAnalysis {
  diagnostics: Diagnostic[];
  /**
   * Set when the document was too large to analyse whole: which rules ran, which did not (for
   * the editor or the command line to show once, not as a finding).
   */
  note?: string;
}
