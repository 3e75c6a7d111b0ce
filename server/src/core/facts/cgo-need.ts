/**
 * Why a go command's program needs cgo, if it does: from its Go sources when the build context
 * is known (a file of the build that imports "C", or a package of a module that builds only
 * with cgo), else from go.mod (it requires such a module). The two kinds of evidence stay
 * apart: a go.mod requirement may serve tests or another program of the module. Read by the
 * conversion (keep cgo, and a runtime with the C library) and by the rules on cgo.
 * Cached per go command.
 */
import { fileInBuild, type BuildTarget } from '../model/go-build-constraint';
import { contextBind, contextGoMod, mountsOf } from './module-sources';
import { flagValue } from '../model/go-invocation';
import type { GoMod } from '../model/gomod';
import { moduleFor, type ContextIndex, type DockerfileModel, type GoCall } from '../model/model';
import { dirname } from '../text/posix-path';
import {
  callPackages,
  mergePackages,
  programSources,
  type ProgramSourceFile,
  type ProgramSources,
} from './program-sources';
import { KeyedCache } from '../keyed-cache';

/**
 * Modules that build only with cgo. `bundled`: they compile their C code in (sqlite, zstd,
 * librdkafka) and need only the C library at run time; `system`: they link a shared library that
 * the runtime image must have (libvips, ImageMagick, libpcap, Oracle's client, ...).
 */
export const CGO_MODULES: ReadonlyMap<string, 'bundled' | 'system'> = new Map([
  ['github.com/mattn/go-sqlite3', 'bundled'],
  ['github.com/mutecomm/go-sqlcipher', 'bundled'],
  ['github.com/xeodou/go-sqlcipher', 'bundled'],
  ['github.com/rqlite/go-sqlite3', 'bundled'],
  ['github.com/confluentinc/confluent-kafka-go', 'bundled'],
  ['github.com/confluentinc/confluent-kafka-go/v2', 'bundled'],
  ['github.com/DataDog/zstd', 'bundled'],
  ['github.com/valyala/gozstd', 'bundled'],
  ['github.com/mattn/go-oci8', 'system'],
  ['github.com/godror/godror', 'system'],
  ['github.com/google/gopacket/pcap', 'system'],
  ['github.com/h2non/bimg', 'system'],
  ['github.com/davidbyttow/govips', 'system'],
  ['github.com/davidbyttow/govips/v2', 'system'],
  ['gopkg.in/gographics/imagick.v2', 'system'],
  ['gopkg.in/gographics/imagick.v3', 'system'],
  ['github.com/tecbot/gorocksdb', 'system'],
  ['github.com/linxGnu/grocksdb', 'system'],
  ['github.com/libgit2/git2go', 'system'],
  ['github.com/ceph/go-ceph', 'system'],
  ['github.com/go-gl/glfw', 'system'],
  ['github.com/veandco/go-sdl2', 'system'],
  ['github.com/apple/foundationdb/bindings/go', 'system'],
  ['gocv.io/x/gocv', 'system'],
  ['github.com/seccomp/libseccomp-golang', 'system'],
  ['github.com/go-gst/go-gst', 'system'],
  ['github.com/tensorflow/tensorflow/tensorflow/go', 'system'],
]);

/**
 * Modules whose package, built without cgo, is a stub that compiles and fails when used:
 * go-sqlite3's driver answers every Open with "Binary was compiled with 'CGO_ENABLED=0',
 * go-sqlite3 requires cgo to work. This is a stub". (The others fail to compile instead.)
 */
export const CGO_STUB_MODULES: ReadonlySet<string> = new Set(['github.com/mattn/go-sqlite3']);

/**
 * SQLite drivers written in Go (or WebAssembly): a program that imports one opens its databases
 * with it, and go-sqlite3 reached only through another package (golang-migrate's driver handed
 * the program's *sql.DB) links as its cgo-less stub, which fails only when it opens one itself.
 */
const PURE_GO_SQLITE = [
  'modernc.org/sqlite',
  'github.com/glebarez/go-sqlite',
  'github.com/glebarez/sqlite',
  'github.com/ncruces/go-sqlite3',
];

/** The pure Go SQLite driver some file of the program imports, if any. */
function pureGoSqlite(files: readonly ProgramSourceFile[]): string | undefined {
  for (const file of files) {
    for (const path of file.facts.imports) {
      const driver = PURE_GO_SQLITE.find((d) => path === d || path.startsWith(d + '/'));
      if (driver) return driver;
    }
  }
  return undefined;
}

/**
 * Packages of other modules that import a cgo-only one: a program that imports them links it.
 * Counted only when the module's go.mod lists the cgo-only module (a later release may have
 * moved to a pure Go driver).
 */
const CGO_IMPORTERS: ReadonlyMap<string, string> = new Map([
  ['gorm.io/driver/sqlite', 'github.com/mattn/go-sqlite3'],
  ['github.com/jinzhu/gorm/dialects/sqlite', 'github.com/mattn/go-sqlite3'],
  ['github.com/golang-migrate/migrate/v4/database/sqlite3', 'github.com/mattn/go-sqlite3'],
  ['github.com/golang-migrate/migrate/v4/database/sqlcipher', 'github.com/mutecomm/go-sqlcipher'],
]);

/**
 * The cgo-only module an import path belongs to (its packages, and the longest module path that
 * matches: `…/confluent-kafka-go/v2/kafka` is of the v2 module), if any.
 */
export function cgoModuleOf(importPath: string): string | undefined {
  let found: string | undefined;
  for (const module of CGO_MODULES.keys()) {
    const matches = importPath === module || importPath.startsWith(module + '/');
    if (matches && module.length > (found?.length ?? 0)) found = module;
  }
  return found;
}

export interface CgoNeed {
  /**
   * `sources`: the program's Go sources show it (the built packages and the packages of their
   * module they import). `go.mod`: only the module's go.mod does, by requiring a cgo-only module,
   * which may be there for tests or for another program of the module.
   */
  evidence: 'sources' | 'go.mod';
  /** The cgo-only module, when one is the reason (imported, or required). */
  module?: string;
  /** A package of another module through which the program imports it (`gorm.io/driver/sqlite`). */
  via?: string;
  /** sources: the file (its path in the build context) that imports "C" or the module. */
  file?: string;
  /** sources: that file imports "C" (the reason is not a module). */
  importsC?: boolean;
  /** go.mod: the requirement is marked `// indirect`. */
  indirect?: boolean;
  /**
   * Not a need to act on: the program also builds without cgo (the file asks for cgo in its
   * build constraint, its package has a `!cgo` counterpart, or whether it is built is not known
   * here), or go.mod's requirement is indirect or goes against sources that were read whole.
   */
  weak: boolean;
  /** Why, as a clause: `import "C" in db/sqlite.go`, `go.mod requires github.com/mattn/go-sqlite3, …`. */
  reason: string;
}

/** What build constraints see of a go command's build: GOOS (linux unless set), GOARCH, -tags. */
export function buildTargetOf(call: GoCall | undefined): BuildTarget {
  const env = call?.invocation.env;
  const literal = (name: string) => {
    const value = env?.get(name);
    return typeof value === 'string' && /^[a-z0-9]+$/.test(value) ? value : undefined;
  };
  const flag = call ? flagValue(call.invocation, 'tags') : undefined;
  const goflags = env?.get('GOFLAGS');
  let tags: string[] | undefined = [];
  if (typeof flag === 'string') {
    tags = /[$`]/.test(flag) ? undefined : flag.split(/[\s,]+/).filter(Boolean);
  }
  if (goflags === null || (typeof goflags === 'string' && goflags.includes('tags'))) {
    tags = undefined;
  }
  return { goos: literal('GOOS') ?? 'linux', goarch: literal('GOARCH'), tags };
}

/** The cgo-only module a file's imports bring in, and the package of another module they do it through. */
function cgoImport(
  file: ProgramSourceFile,
  goMods: readonly (GoMod | undefined)[],
): { module: string; via?: string } | undefined {
  for (const path of file.facts.imports) {
    const module = cgoModuleOf(path);
    if (module) return { module };
    const behind = CGO_IMPORTERS.get(path);
    if (behind && goMods.some((m) => m?.requires.some((r) => cgoModuleOf(r.path) === behind))) {
      return { module: behind, via: path };
    }
  }
  return undefined;
}

/**
 * The package of `file` has a file built only without cgo (`//go:build !cgo`): the author gave
 * the cgo code a counterpart.
 */
function hasNoCgoCounterpart(
  files: readonly ProgramSourceFile[],
  file: ProgramSourceFile,
  build: BuildTarget,
): boolean {
  const dir = dirname(file.imagePath);
  return files.some(
    (other) =>
      dirname(other.imagePath) === dir &&
      !other.facts.importsC &&
      fileInBuild(other.path, other.facts.buildConstraint, { ...build, cgo: false }) === true &&
      fileInBuild(other.path, other.facts.buildConstraint, { ...build, cgo: true }) === false,
  );
}

/** The strongest use of cgo in the sources: a file that needs it before one that uses it if it can. */
function sourcesNeed(
  sources: ProgramSources,
  goMods: readonly (GoMod | undefined)[],
  build: BuildTarget,
): CgoNeed | undefined {
  let optional: CgoNeed | undefined;
  let importsC: CgoNeed | undefined;
  for (const file of sources.files) {
    const { facts } = file;
    const withCgo = fileInBuild(file.path, facts.buildConstraint, { ...build, cgo: true });
    // A file for another system (a _darwin.go, `//go:build windows`) is not built here.
    if (withCgo === false) continue;
    const imported = cgoImport(file, goMods);
    if (!imported && !facts.importsC) continue;
    const withoutCgo = fileInBuild(file.path, facts.buildConstraint, { ...build, cgo: false });
    // Go leaves out a file that imports "C" when cgo is off; a `!cgo` file may stand in for it.
    let weak = withCgo !== true || withoutCgo !== true;
    if (!imported) weak ||= hasNoCgoCounterpart(sources.files, file, build);
    const pureDriver =
      imported?.via && CGO_STUB_MODULES.has(imported.module)
        ? pureGoSqlite(sources.files)
        : undefined;
    if (pureDriver) weak = true;
    const need: CgoNeed = imported
      ? {
          evidence: 'sources',
          ...imported,
          file: file.path,
          weak,
          reason: imported.via
            ? `${file.path} imports ${imported.via}, which uses ${imported.module}, a module that builds only with cgo` +
              (pureDriver ? ` (the program opens SQLite with ${pureDriver}, in pure Go)` : '')
            : `${file.path} imports ${imported.module}, which builds only with cgo`,
        }
      : {
          evidence: 'sources',
          file: file.path,
          importsC: true,
          weak,
          reason: `import "C" in ${file.path}`,
        };
    if (imported && !weak) return need;
    if (!weak) importsC ??= need;
    else optional ??= need;
  }
  return importsC ?? optional;
}

/** A cgo-only module go.mod requires (a direct requirement first). */
function goModNeed(
  goMods: readonly (GoMod | undefined)[],
  sourcesRead: boolean,
): CgoNeed | undefined {
  let indirect: CgoNeed | undefined;
  for (const goMod of goMods) {
    for (const required of goMod?.requires ?? []) {
      const module = cgoModuleOf(required.path);
      if (!module) continue;
      const need: CgoNeed = {
        evidence: 'go.mod',
        module,
        indirect: required.indirect,
        weak: required.indirect || sourcesRead,
        reason: `go.mod requires ${module}${required.indirect ? ' (indirectly)' : ''}, which builds only with cgo`,
      };
      if (!required.indirect) return need;
      indirect ??= need;
    }
  }
  return indirect;
}

/**
 * Why a program needs cgo, from its sources when they were read (`sources`), else from the
 * go.mod files given (the one copied with the sources, the document's). Sources read whole that
 * show no need make a go.mod requirement weak: it serves another package or the tests.
 */
export function cgoNeedOf(
  sources: ProgramSources | undefined,
  goMods: readonly (GoMod | undefined)[],
  build: BuildTarget,
): CgoNeed | undefined {
  const fromSources = sources ? sourcesNeed(sources, goMods, build) : undefined;
  if (fromSources && !fromSources.weak) return fromSources;
  const fromGoMod = goModNeed(goMods, sources?.complete === true);
  if (fromGoMod && !fromGoMod.weak) return fromGoMod;
  return fromSources ?? fromGoMod;
}

/** Every package argument names a package of the module or a directory, not one from elsewhere. */
function buildsOwnPackages(model: DockerfileModel, call: GoCall): boolean {
  const stage = model.stages[call.stageIndex];
  const module = moduleFor(model, stage, call.invocation.cwd).path ?? model.goMod?.module;
  return call.invocation.packages.every(({ text }) => {
    if (text.includes('@')) return false;
    if (/^(\.|\/)/.test(text) || text.endsWith('.go')) return true;
    return module !== undefined && (text === module || text.startsWith(module + '/'));
  });
}

/**
 * The go.mod files that tell what the program a go command builds requires: the one its sources
 * were read with; else the analysis's go.mod, when the command builds its own packages and the
 * module it builds is that go.mod's or cannot be told. None for a package from elsewhere
 * (`go install tool@latest`) or a module of its own (a folder with its own go.mod copied in).
 */
export function goModsOfBuild(
  model: DockerfileModel,
  call: GoCall,
  sourcesGoMod: GoMod | undefined,
): GoMod[] {
  if (sourcesGoMod) return [sourcesGoMod];
  if (!model.goMod || !buildsOwnPackages(model, call)) return [];
  const stage = model.stages[call.stageIndex];
  const built = moduleFor(model, stage, call.invocation.cwd).path;
  return built === undefined || built === model.goMod.module ? [model.goMod] : [];
}

/**
 * Bounds of the scan of a module's sources in the build context (the context reader's time
 * budget bounds it too). A large module's generated code passes 16 MiB: seaweedfs has 17.
 */
const MAX_MODULE_FILES = 5000;
const MAX_MODULE_BYTES = 48 * 1024 * 1024;
/** go.mod files of the context looked at for the one that declares the module. */
const MAX_GO_MODS = 64;

/**
 * Whether the go command takes its module from the build context: a go.mod a COPY brought
 * (`COPY . .`, `COPY go.mod go.sum ./`), in this stage or one it is built on, or a bind mount
 * of the context. Otherwise its sources come from elsewhere (`git clone`, a download, another
 * stage), and the go.mod the analysis was given is not shown to be theirs.
 */
function moduleFromContext(model: DockerfileModel, call: GoCall): boolean {
  const stage = model.stages[call.stageIndex];
  if (moduleFor(model, stage, call.invocation.cwd).root !== undefined) return true;
  return mountsOf(call.run).some((mount) => contextBind(mount) !== undefined);
}

/** The context folder of the go.mod that declares `modulePath` (the shallowest), if any. */
function contextModuleDir(model: DockerfileModel, modulePath: string): string | undefined {
  const files = model.context?.files;
  if (!files) return undefined;
  const goMods = [...files]
    .filter((f) => f === 'go.mod' || f.endsWith('/go.mod'))
    .sort((a, b) => a.split('/').length - b.split('/').length)
    .slice(0, MAX_GO_MODS);
  for (const path of goMods) {
    if (contextGoMod(model, path)?.module === modulePath) {
      const dir = dirname(path);
      return dir === '.' ? '' : dir;
    }
  }
  return undefined;
}

/**
 * Where the module's own Go files (in the build context, below `dir`, not in a nested module,
 * vendor/ or testdata/, no tests) use the cgo-only module: `built` when a file that imports it
 * is in this build whatever else holds, `constrained` when every such file is behind a build
 * constraint the build does not set or that cannot be judged here (`//go:build rocksdb` with
 * `-tags "$TAGS"`), `none` when no file imports it; undefined when the files cannot all be read.
 */
function moduleUse(
  model: DockerfileModel,
  dir: string,
  goMod: GoMod,
  module: string,
  build: BuildTarget,
): 'built' | 'constrained' | 'none' | undefined {
  const context = model.context;
  if (!context?.read) return undefined;
  const prefix = dir === '' ? '' : dir + '/';
  // Relative to `dir`, in the context's order.
  const below = [...context.filesBelow(dir)];
  const nested = below
    .filter((f) => f !== 'go.mod' && f.endsWith('/go.mod'))
    .map((f) => f.slice(0, -'go.mod'.length));
  const names = [module, ...[...CGO_IMPORTERS].filter(([, m]) => m === module).map(([p]) => p)];
  let files = 0;
  let bytes = 0;
  let use: 'constrained' | 'none' = 'none';
  for (const relative of below) {
    if (!relative.endsWith('.go') || relative.endsWith('_test.go')) continue;
    const parts = relative.split('/');
    if (parts.some((p) => p === 'vendor' || p === 'testdata' || /^[._]/.test(p))) continue;
    if (nested.some((n) => relative.startsWith(n))) continue;
    const path = prefix + relative;
    if (++files > MAX_MODULE_FILES) return undefined;
    const text = context.read(path);
    if (text === undefined) return undefined;
    bytes += text.length;
    if (bytes > MAX_MODULE_BYTES) return undefined;
    if (!names.some((name) => text.includes(name))) continue;
    const facts = context.goFile(path, text);
    if (facts.ignored) continue;
    // What a file that does not parse imports is not known.
    if (facts.malformed !== undefined) return undefined;
    const imported = cgoImport({ path, imagePath: path, facts }, [goMod]);
    if (imported?.module !== module) continue;
    if (fileInBuild(path, facts.buildConstraint, { ...build, cgo: true }) === true) return 'built';
    use = 'constrained';
  }
  return use;
}

/**
 * A need only go.mod shows, held against what else is known. When the build does not take its
 * module from the context and the context holds no module of that path, the go.mod read is not
 * shown to be the one built: weak. When the context holds the module, its own files settle it:
 * the need stands if a file imports the cgo-only module in every build, and is weak if none does
 * or only files behind a build constraint this build does not set. A scan that cannot read
 * every file leaves the need as it was.
 */
function checkGoModNeed(
  model: DockerfileModel,
  call: GoCall,
  need: CgoNeed,
  goMod: GoMod | undefined,
  build: BuildTarget,
): CgoNeed {
  if (need.evidence !== 'go.mod' || need.weak || need.module === undefined) return need;
  const fromContext = moduleFromContext(model, call);
  const dir = goMod?.module !== undefined ? contextModuleDir(model, goMod.module) : undefined;
  if (dir === undefined || !goMod) {
    return fromContext
      ? need
      : {
          ...need,
          weak: true,
          reason: `${need.reason}; but the build's sources do not come from the build context, so that go.mod may not be theirs`,
        };
  }
  // Kept with the build context, not the model: each version of the document asks again, and the
  // answer depends on the context's files, the go.mod and the build only.
  const key = `${dir}\0${need.module}\0${JSON.stringify(build)}\0${JSON.stringify(goMod)}`;
  const context = model.context!;
  let known = moduleUses.get(context);
  if (!known) moduleUses.set(context, (known = new Map()));
  if (!known.has(key)) known.set(key, moduleUse(model, dir, goMod, need.module, build));
  const use = known.get(key);
  if (use === 'none') {
    return {
      ...need,
      weak: true,
      reason: `${need.reason}; but no Go file of the module imports it`,
    };
  }
  if (use === 'constrained') {
    return {
      ...need,
      weak: true,
      reason: `${need.reason}; but only files behind a build constraint this build does not set import it`,
    };
  }
  return need;
}

const moduleUses = new KeyedCache<
  ContextIndex,
  Map<string, 'built' | 'constrained' | 'none' | undefined>
>();

const cache = new KeyedCache<GoCall, { need: CgoNeed | undefined }>();

/**
 * Why the program a go command builds needs cgo, if it does: its sources when the build context
 * is known and the packages it builds are (not every package of the context), else go.mod.
 * Nothing for a command that builds a package from elsewhere (`go install tool@v1`).
 */
export function cgoNeed(model: DockerfileModel, call: GoCall): CgoNeed | undefined {
  const known = cache.get(call);
  if (known) return known.need;
  let need: CgoNeed | undefined;
  if (buildsOwnPackages(model, call)) {
    const packages = mergePackages(callPackages(model, call));
    const stage = model.stages[call.stageIndex];
    const sources =
      model.context && packages.kind !== 'all' ? programSources(model, stage, packages) : undefined;
    const build = buildTargetOf(call);
    const goMods = goModsOfBuild(model, call, sources?.goMod);
    need = cgoNeedOf(sources, goMods, build);
    if (need) need = checkGoModNeed(model, call, need, goMods[0], build);
  }
  cache.set(call, { need });
  return need;
}
