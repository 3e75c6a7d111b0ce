/**
 * What a Go program needs at run time, read from its sources (program-sources.ts): the paths it
 * names (files it opens, templates it parses, directories it serves, config names), where it
 * writes, which C libraries its cgo code links (whether it needs cgo is cgo-need.ts's), and
 * whether it carries its own time zone data. The conversion to multi-stage reads this to carry
 * the files the program reads, to keep the image's user able to write where the program writes,
 * and to give its cgo code the libraries it links.
 * Cached per ProgramSources (so per model, as those are).
 */
import type { GoMod } from '../model/gomod';
import type { GoCallSite, GoStringLiteral } from '../model/go-source';
import type { ProgramSources } from './program-sources';
import { DOCKER_CLIENTS } from './root-tools';
import { CGO_MODULES, cgoModuleOf } from './cgo-need';
import { KeyedCache } from '../keyed-cache';
import { fileInBuild } from '../model/go-build-constraint';
import {
  isDotenvFile,
  listenPort,
  shellScript,
  looksLikePath,
  looksLikeRegexp,
  readsCarriedFiles,
  REGEXP_FUNCTIONS,
  sqliteFile,
} from './go-literals';

/** A place in the sources, `cmd/api/main.go:12` (1-based line). */
export type SourcePlace = string;

export interface NamedPath {
  /** As written in the source (`./templates/*.html`, `conf/app.ini`, `/etc/app/config.yaml`). */
  path: string;
  /** Passed to a function known to open, read, serve or parse files (not just any string). */
  access: boolean;
  /** The whole argument of that call (not a part of a path built at run time). */
  whole: boolean;
  /** That function reads the file (it does not create it: not os.Create, os.OpenFile, ...). */
  reads: boolean;
  /** That function takes a folder (`http.Dir`, `os.ReadDir`, `os.DirFS`, `filepath.WalkDir`). */
  folder?: boolean;
  where: SourcePlace;
}

export interface ProgramWrite {
  /** The path written as named in the source, or undefined when it is computed at run time. */
  path?: string;
  /** The write goes to the temporary directory (`os.TempDir()`, `os.CreateTemp("", …)`, /tmp). */
  temporary: boolean;
  call: string;
  where: SourcePlace;
}

export interface ProgramNeeds {
  sources: ProgramSources;
  /** The program's go.mod, as copied from the build context, parsed, when read. */
  goMod?: GoMod;
  namedPaths: NamedPath[];
  writes: ProgramWrite[];
  /** C libraries the cgo code links (`-lsqlite3`, pkg-config names), beyond the C library. */
  cLibraries: string[];
  /** Import paths of every file read. */
  imports: Set<string>;
  /** The program embeds the time zone database (`import _ "time/tzdata"`). */
  embedsTimeZones: boolean;
  /** Addresses it listens on, as written (`:80`, `0.0.0.0:443`), with their ports. */
  listens: { address: string; port: number; where: SourcePlace }[];
  /** Where it talks to the Docker daemon (a Docker client package, `/var/run/docker.sock`). */
  dockerDaemon?: SourcePlace;
  /** Programs it starts (os/exec): the name when written out, undefined when computed. */
  executes: {
    program?: string;
    where: SourcePlace;
    /**
     * For a shell (`exec.Command("sh", "-c", script)`): its script, or null when it is made at
     * run time (a variable, a spread argument list); undefined for other programs.
     */
    script?: string | null;
  }[];
}

// The C library and the libraries every glibc and musl system has with it.
const LIBC_PARTS = new Set(['c', 'm', 'pthread', 'dl', 'rt', 'resolv', 'util', 'crypt']);

// Functions (by their last name) that open, read, serve or parse the files their arguments name.
const FILE_FUNCTIONS = new Set([
  'Open',
  'OpenFile',
  'ReadFile',
  'ReadDir',
  'Stat',
  'Lstat',
  'DirFS',
  'Dir',
  'ServeFile',
  'ParseFiles',
  'ParseGlob',
  'LoadHTMLGlob',
  'LoadHTMLFiles',
  'Static',
  'StaticFile',
  'StaticFS',
  'File',
  'Glob',
  'Walk',
  'WalkDir',
  'Load',
  'Overload',
  'SetConfigFile',
  'AddConfigPath',
  'SetConfigName',
  'DecodeFile',
  'LoadFile',
  'ParseFile',
  'LoadX509KeyPair',
  'ListenAndServeTLS',
  'Create',
  'WriteFile',
  'Mkdir',
  'MkdirAll',
]);

// Of those, the ones whose first argument is a URL path (gin's, echo's, fiber's Static).
const ROUTE_FIRST = new Set(['Static', 'StaticFS', 'StaticFile']);

// Of those, the ones that may create the file they name.
const CREATING_FUNCTIONS = new Set(['OpenFile', 'Create', 'WriteFile', 'Mkdir', 'MkdirAll']);

/**
 * A function (by its last name) that takes a file: one of FILE_FUNCTIONS, or one named for a
 * file it is given (`option.WithCredentialsFile`, `LoadConfigFile`, `ReadFiles`).
 */
function fileFunction(name: string): boolean {
  return FILE_FUNCTIONS.has(name) || /[a-z]Files?$/.test(name);
}

/** A file function that writes, creates or removes what it names rather than reading it. */
function creates(name: string): boolean {
  return (
    CREATING_FUNCTIONS.has(name) || /^(?:Write|Create|Save|Remove|Delete|Append|Temp|Mk)/.test(name)
  );
}

// Of the file functions, the ones that take a folder.
const FOLDER_FUNCTIONS = new Set([
  'ReadDir',
  'DirFS',
  'Dir',
  'Static',
  'StaticFS',
  'Walk',
  'WalkDir',
]);

interface WriteFunction {
  /** Argument positions that name what is written. */
  paths: number[];
  /** An empty literal (or absent argument) means the temporary directory. */
  emptyIsTemporary?: boolean;
}

// Standard-library and common module functions that create or change files, by callee.
const WRITE_FUNCTIONS: ReadonlyMap<string, WriteFunction> = new Map([
  ['os.Create', { paths: [0] }],
  ['os.WriteFile', { paths: [0] }],
  ['io/ioutil.WriteFile', { paths: [0] }],
  ['os.Mkdir', { paths: [0] }],
  ['os.MkdirAll', { paths: [0] }],
  ['os.Rename', { paths: [0, 1] }],
  ['os.Remove', { paths: [0] }],
  ['os.RemoveAll', { paths: [0] }],
  ['os.Symlink', { paths: [1] }],
  ['os.Link', { paths: [1] }],
  ['os.Chmod', { paths: [0] }],
  ['os.Chown', { paths: [0] }],
  ['os.Chtimes', { paths: [0] }],
  ['os.Truncate', { paths: [0] }],
  ['os.CreateTemp', { paths: [0], emptyIsTemporary: true }],
  ['os.MkdirTemp', { paths: [0], emptyIsTemporary: true }],
  ['io/ioutil.TempFile', { paths: [0], emptyIsTemporary: true }],
  ['io/ioutil.TempDir', { paths: [0], emptyIsTemporary: true }],
  ['go.etcd.io/bbolt.Open', { paths: [0] }],
  ['github.com/boltdb/bolt.Open', { paths: [0] }],
  ['github.com/syndtr/goleveldb/leveldb.OpenFile', { paths: [0] }],
  ['github.com/tidwall/buntdb.Open', { paths: [0] }],
  ['github.com/cockroachdb/pebble.Open', { paths: [0] }],
  ['github.com/dgraph-io/badger.DefaultOptions', { paths: [0] }],
  ['github.com/dgraph-io/badger/v2.DefaultOptions', { paths: [0] }],
  ['github.com/dgraph-io/badger/v3.DefaultOptions', { paths: [0] }],
  ['github.com/dgraph-io/badger/v4.DefaultOptions', { paths: [0] }],
  ['gorm.io/driver/sqlite.Open', { paths: [0] }],
  ['github.com/glebarez/sqlite.Open', { paths: [0] }],
  ['.SaveUploadedFile', { paths: [1] }],
]);

// Keyed fields that name a file or directory (`FilePath:`, `ConfigFile:`, `TemplateDir:`); a
// bare `Path:` is as often a URL's (`url.URL{Path: "/v3/videos"}`, a route, a cookie's), and
// some `…Path` fields name no file (Kubernetes' `FieldPath: "metadata.name"`, a JSON path).
const PATH_KEY = /(?:File|.Path|Dir|Directory|Folder|Root)(?:name)?$/;
const NOT_FILE_KEY =
  /^(?:Field|JSON|Json|URL|Url|API|Api|HTTP|Http|Metrics|Health|Base|Route|Request|Cookie|Prefix|Web|Endpoint)Path$/;

// Keyed fields that name a file the program writes (lumberjack's log file).
const WRITE_KEYS = new Set(['Filename', 'LogFile', 'LogPath']);

/** `file:line` of a call or literal. */
function place(file: string, line: number): SourcePlace {
  return `${file}:${line + 1}`;
}

/** The functions that open a database handle: a driver name, then a data source. */
const SQL_OPENS = new Set(['database/sql.Open', 'github.com/jmoiron/sqlx.Open']);

function writeOf(call: GoCallSite, file: string): ProgramWrite[] {
  const where = place(file, call.line);
  if (SQL_OPENS.has(call.callee)) {
    // SQLite drivers keep the database in a file named by the data source.
    const driver = call.args[0]?.literal ?? '';
    if (!driver.includes('sqlite')) return [];
    const dsn = call.args[1];
    const path = dsn?.literal !== undefined ? sqliteFile(dsn.literal) : undefined;
    if (dsn?.literal !== undefined && path === undefined) return [];
    // A database in /tmp is a temporary file, which any user may write.
    const temporary = path !== undefined && /^\/tmp(\/|$)/.test(path);
    return [{ path: temporary ? undefined : path, temporary, call: call.callee, where }];
  }
  if (call.callee === 'os.OpenFile') {
    const flags = call.args[1]?.text ?? '';
    if (!/O_(WRONLY|RDWR|CREATE|APPEND|TRUNC)/.test(flags) && /O_RDONLY/.test(flags)) return [];
  }
  const known =
    WRITE_FUNCTIONS.get(call.callee) ??
    (call.callee === 'os.OpenFile' ? { paths: [0] } : undefined);
  if (!known) return [];
  return known.paths.map((position) => {
    const argument = call.args[position];
    const literal = argument?.literal;
    if (known.emptyIsTemporary && (argument === undefined || literal === '')) {
      return { temporary: true, call: call.callee, where };
    }
    const named = literal ?? argument?.prefix;
    const temporary =
      /\bTempDir\(\)/.test(argument?.text ?? '') ||
      (named !== undefined && /^\/tmp(\/|$)/.test(named));
    return { path: temporary ? undefined : named, temporary, call: call.callee, where };
  });
}

/** What one string literal of `file` says: a port listened on, the Docker socket, a path. */
function literalNeeds(
  needs: ProgramNeeds,
  file: string,
  literal: GoStringLiteral,
  embedded: readonly string[],
) {
  // A value compared with (`r.URL.Path == "/index.html"`) is a route or a name, not a use.
  if (literal.compared) return;
  const port = listenPort(literal);
  if (port !== undefined) {
    needs.listens.push({ address: literal.value, port, where: place(file, literal.line) });
  }
  if (literal.value.endsWith('docker.sock')) needs.dockerDaemon ??= place(file, literal.line);
  if (!looksLikePath(literal.value)) return;
  // A database handle's driver name and data source (`sql.Open("sqlite", dsn)`) are no file it
  // reads; a SQLite database it writes is writeOf's.
  const callee =
    literal.callee !== undefined && SQL_OPENS.has(literal.callee) ? undefined : literal.callee;
  const last = callee?.slice(callee.lastIndexOf('.') + 1);
  if (last !== undefined && ROUTE_FIRST.has(last) && literal.argument === 0) return;
  const access =
    last !== undefined &&
    fileFunction(last) &&
    !readsCarriedFiles(callee!, literal.value, embedded);
  // Wildcards alone (`"*"`, a CORS origin or a CSS selector) name a file only given to a file
  // function (`filepath.Glob("*")`); a regular expression (`".*"`, `"^v[0-9]+$"`) never does.
  if (!access && /^[*?]+(?:\.[*?]+)?$/.test(literal.value)) return;
  if (!access && (REGEXP_FUNCTIONS.test(literal.callee ?? '') || looksLikeRegexp(literal.value)))
    return;
  // A dotenv file the program names, wherever (`var EnvFile = ".env"`, then a path built with
  // it): its configuration, read at start like godotenv.Load()'s (not its templates).
  const dotenv = isDotenvFile(literal.value);
  // A file extension joined to a name made at run time (`name + ".tmp"`) names no file here.
  if (!dotenv && literal.joined && /^\.[A-Za-z0-9]+$/.test(literal.value)) return;
  needs.namedPaths.push({
    path: literal.value,
    access: access || dotenv,
    reads: (access && !creates(last)) || dotenv,
    folder: last !== undefined && FOLDER_FUNCTIONS.has(last),
    whole: literal.whole || dotenv,
    where: place(file, literal.line),
  });
  // A keyed field that names a file the program uses (`swagger.Config{FilePath: "…"}`).
  if (
    literal.key !== undefined &&
    PATH_KEY.test(literal.key) &&
    !NOT_FILE_KEY.test(literal.key) &&
    !WRITE_KEYS.has(literal.key)
  ) {
    needs.namedPaths.push({
      path: literal.value,
      access: true,
      reads: true,
      whole: true,
      where: place(file, literal.line),
    });
  }
  if (literal.key !== undefined && WRITE_KEYS.has(literal.key)) {
    needs.writes.push({
      path: literal.value,
      temporary: false,
      call: literal.key,
      where: place(file, literal.line),
    });
  }
}

/**
 * What one call of `file` says: a file function given a named string, a write, a `.env` read,
 * a program run. `original` is the call as written, `call` with named strings resolved.
 */
function callNeeds(
  needs: ProgramNeeds,
  file: string,
  original: GoCallSite,
  call: GoCallSite,
  embedded: readonly string[],
) {
  // A file function given a named string (`os.ReadFile(tokenFile)`).
  const last = call.callee.slice(call.callee.lastIndexOf('.') + 1);
  if (fileFunction(last)) {
    call.args.forEach((arg, i) => {
      if (original.args[i]?.identifier === undefined || arg.literal === undefined) return;
      if (i === 0 && ROUTE_FIRST.has(last)) return;
      if (!looksLikePath(arg.literal)) return;
      if (readsCarriedFiles(call.callee, arg.literal, embedded)) return;
      needs.namedPaths.push({
        path: arg.literal,
        access: true,
        reads: !creates(last),
        folder: FOLDER_FUNCTIONS.has(last),
        whole: true,
        where: place(file, call.line),
      });
    });
  }
  needs.writes.push(...writeOf(call, file));
  // godotenv.Load() reads .env from the working directory.
  if (
    /^github\.com\/joho\/godotenv\.(Load|Overload|Read)$/.test(call.callee) &&
    call.args.length === 0
  ) {
    needs.namedPaths.push({
      path: '.env',
      access: true,
      reads: true,
      whole: true,
      where: place(file, call.line),
    });
  }
  if (call.callee === 'os/exec.Command' || call.callee === 'os/exec.CommandContext') {
    const first = call.callee === 'os/exec.Command' ? 0 : 1;
    const name = call.args[first]?.literal;
    const script = name === undefined ? undefined : shellScript(call.args.slice(first), name);
    needs.executes.push({
      program: name,
      where: place(file, call.line),
      ...(script !== undefined ? { script } : {}),
    });
  }
}

const cache = new KeyedCache<ProgramSources, Map<string, ProgramNeeds>>();

/**
 * Reads what the program needs at run time out of its scanned sources. `tagSets`, when known,
 * are the `-tags` of each build of the program: a file only a build tag no build sets compiles
 * (`//go:build generate`, `//go:build tools`) is then left out; unknown, only the files no Linux
 * build compiles are.
 */
export function programNeeds(
  sources: ProgramSources,
  tagSets?: readonly (readonly string[])[],
): ProgramNeeds {
  let perTags = cache.get(sources);
  if (!perTags) {
    perTags = new Map();
    cache.set(sources, perTags);
  }
  const key = tagSets === undefined ? '?' : JSON.stringify(tagSets);
  const known = perTags.get(key);
  if (known) return known;
  const needs: ProgramNeeds = {
    sources,
    goMod: sources.goMod,
    namedPaths: [],
    writes: [],
    cLibraries: [],
    imports: new Set(),
    embedsTimeZones: false,
    listens: [],
    executes: [],
  };
  // The images made here run Linux: a file that no Linux build compiles (`_android.go`,
  // `_windows.go`, `//go:build darwin`), whatever the architecture and cgo, needs nothing; nor
  // does one that no build's tags compile, when the tags are known.
  const builds = (tagSets ?? [undefined]).flatMap((tags) => [
    { goos: 'linux', cgo: true, tags },
    { goos: 'linux', cgo: false, tags },
  ]);
  const files = sources.files.filter(({ path, facts }) =>
    builds.some((build) => fileInBuild(path, facts.buildConstraint, build) !== false),
  );
  // Strings given a name anywhere in the program (`tokenFile = "token.tok"`): an argument that
  // is that name stands for the string; one given the start of a string, for that start.
  const strings = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const { facts } of files) {
    for (const [name, value] of facts.prefixes) prefixes.set(name, value);
    for (const [name, value] of facts.strings) strings.set(name, value);
  }
  const resolved = (call: GoCallSite): GoCallSite => ({
    ...call,
    args: call.args.map((a) => {
      const name = a.identifier;
      if (name === undefined) return a;
      if (strings.has(name)) return { ...a, literal: strings.get(name) };
      return prefixes.has(name) ? { ...a, prefix: prefixes.get(name) } : a;
    }),
  });
  // What `//go:embed` lines put in the binary, across the program's files.
  const embedded = files.flatMap(({ facts }) => facts.embeds);
  for (const { path: file, facts } of files) {
    for (const path of facts.imports) needs.imports.add(path);
    if (facts.importsC) {
      for (const library of facts.cgoLibraries) {
        if (!LIBC_PARTS.has(library) && !needs.cLibraries.includes(library))
          needs.cLibraries.push(library);
      }
    }
    for (const literal of facts.literals) literalNeeds(needs, file, literal, embedded);
    for (const original of facts.calls)
      callNeeds(needs, file, original, resolved(original), embedded);
    if (
      facts.imports.some((i) =>
        DOCKER_CLIENTS.some((c) => i === c.package || i.startsWith(c.package + '/')),
      )
    ) {
      needs.dockerDaemon ??= file;
    }
    // Importing godotenv's autoload package reads .env from the working directory at start.
    if (facts.imports.includes('github.com/joho/godotenv/autoload')) {
      needs.namedPaths.push({ path: '.env', access: true, reads: true, whole: true, where: file });
    }
  }
  needs.embedsTimeZones = needs.imports.has('time/tzdata');
  for (const path of needs.imports) {
    const module = cgoModuleOf(path);
    if (!module) continue;
    const library = `the C library ${module} wraps`;
    if (CGO_MODULES.get(module) === 'system' && !needs.cLibraries.includes(library)) {
      needs.cLibraries.push(library);
    }
  }
  perTags.set(key, needs);
  return needs;
}

/**
 * The standard packages that programs import, when their sources were all read whole and they
 * import nothing but the standard library and their own module; undefined otherwise (a package
 * from elsewhere may open TLS connections, load time zones or run programs, none of which shows).
 */
export function standardLibraryImports(
  programs: readonly ProgramSources[],
): ReadonlySet<string> | undefined {
  if (programs.length === 0) return undefined;
  const imports = new Set<string>();
  for (const sources of programs) {
    if (!sources.complete || sources.files.length === 0) return undefined;
    const own = sources.goMod?.module;
    for (const { facts } of sources.files) {
      if (facts.importsC || facts.malformed !== undefined) return undefined;
      for (const path of facts.imports) {
        if (own !== undefined && (path === own || path.startsWith(own + '/'))) continue;
        // The standard library's paths have no dot in their first element.
        if (path.split('/')[0].includes('.')) return undefined;
        imports.add(path);
      }
    }
  }
  return imports;
}
