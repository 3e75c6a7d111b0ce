// Catches a Go build stage that copies the whole source before its first module download, with no
// go.mod/go.sum copied or bind-mounted first: every source change re-downloads every module.
import type { Flag, Instruction } from 'dockerfile-ast';
import { cacheMounted, imageKnown, moduleCache, modulesCopiedIn } from '../facts/go-caches';
import {
  commandLabel,
  goCommandsAndTools,
  homeDirectory,
  lineOf,
  subcommandOf,
  userAt,
  usesVendor,
  type GoCommand,
} from '../facts/go-commands';
import {
  contextBind,
  fromContext,
  goModLocalReplacements,
  goModRequirements,
  isGoModPath,
  isGoModSource,
  isWholeContext,
  moduleMode,
  mountsOf,
} from '../facts/module-sources';
import type { CopyInfo, DockerfileModel, RunInfo, Stage } from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { chainFact, stageTree } from '../facts/stage-tree';
import { detectEol } from '../text/line-index';
import { dirname, isWithin, normalize } from '../text/posix-path';
import type { Fix, TextEdit } from '../types';
import { lineOf as oneBasedLine, type Report, type Rule } from './rule';

// Subcommands that load the main module's requirements, and so download missing modules.
const FETCHING = new Set([
  'build',
  'install',
  'run',
  'test',
  'vet',
  'list',
  'get',
  'generate',
  'mod download',
  'mod tidy',
  'mod vendor',
  'mod verify',
  'mod graph',
  'mod why',
]);

// Variables that change where or how modules are downloaded: an inserted `go mod download`
// must see the same ones as the command it stands in for.
const DOWNLOAD_ENV = new Set([
  'GOPROXY',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GONOSUMCHECK',
  'GOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOAUTH',
  'GOVCS',
  'GOMODCACHE',
  'GOPATH',
  'GO111MODULE',
  'GOTOOLCHAIN',
  'GOWORK',
  'HOME',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'GIT_CONFIG_GLOBAL',
  'GIT_SSH_COMMAND',
]);

function keyword(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/**
 * The command downloads the main module's requirements (not `go install pkg@version`), whenever
 * the RUN runs: a command that runs only on some condition (`[ -f bin/app ] || go build`) may
 * download nothing, and a download added before the COPY would run every time.
 */
function fetchesModule(command: GoCommand): boolean {
  if (command.conditional) return false;
  const sub = subcommandOf(command.invocation);
  if (!FETCHING.has(sub)) return false;
  if (sub === 'install' || sub === 'run') {
    return !command.invocation.packages.some((p) => p.text.includes('@'));
  }
  return true;
}

/** The stage or a parent copied or bind-mounted go.mod (or mounted the whole context). */
function primesModules(stage: Stage, beforeLine: number): boolean {
  for (const copy of stage.copies) {
    if (lineOf(copy.instruction) >= beforeLine) continue;
    if (fromContext(copy) && copy.sources.some(isGoModSource)) return true;
  }
  for (const run of stage.runs) {
    if (lineOf(run.instruction) >= beforeLine) continue;
    for (const mount of mountsOf(run)) {
      const bind = contextBind(mount);
      if (bind === 'whole') return true;
      if (bind === 'path' && isGoModPath(mount.source ?? '')) return true;
    }
  }
  return false;
}

const primedInChain = chainFact<boolean>(
  (stage, inherited) => inherited === true || primesModules(stage, Infinity),
);

/** Of two go commands, the one on the earlier line (the first one when on the same line). */
function earlier(a: GoCommand | undefined, b: GoCommand | undefined): GoCommand | undefined {
  if (!a || !b) return a ?? b;
  return lineOf(b.run.instruction) < lineOf(a.run.instruction) ? b : a;
}

const firstFetches = new WeakMap<DockerfileModel, (GoCommand | undefined)[]>();

/**
 * The first command that loads the module in a stage or the stages built on it (a go command,
 * or a build tool that runs go), computed for every stage at once.
 */
function firstFetch(model: DockerfileModel, stage: Stage): GoCommand | undefined {
  let values = firstFetches.get(model);
  if (!values) {
    values = model.stages.map((s) =>
      goCommandsAndTools(model, s).reduce<GoCommand | undefined>(
        (first, c) => (fetchesModule(c) ? earlier(first, c) : first),
        undefined,
      ),
    );
    for (let i = model.stages.length - 1; i >= 0; i--) {
      const parent = model.stages[i].parent;
      if (parent) values[parent.index] = earlier(values[parent.index], values[i]);
    }
    firstFetches.set(model, values);
  }
  return values[stage.index];
}

/** The first COPY/ADD of the whole context into the stage, when nothing primed the modules. */
function unprimedWholeCopy(stage: Stage): CopyInfo | undefined {
  if (stage.parent && primedInChain(stage.parent)) return undefined;
  const copy = stage.copies.find(
    (c) => fromContext(c) && c.sources.length > 0 && c.sources.some(isWholeContext),
  );
  if (!copy || copy.destination?.path === undefined) return undefined;
  return primesModules(stage, lineOf(copy.instruction)) ? undefined : copy;
}

const PACKAGE_MANAGERS = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf']);

function installsPackages(command: SimpleCommand): boolean {
  if (!PACKAGE_MANAGERS.has(programName(command.words[0]) ?? '')) return false;
  return command.words.some((w) => w.text === 'add' || w.text === 'install');
}

/** Instructions of a stage strictly between two lines. */
function between(stage: Stage, from: number, to: number): Instruction[] {
  return stage.instructions.filter((i) => lineOf(i) > from && lineOf(i) < to);
}

/** The module directory of the command inside the copied tree, when the context shows one. */
function moduleDirInContext(
  model: DockerfileModel,
  destination: string,
  cwd: string,
): string | undefined | null {
  const context = model.context;
  if (!context) return undefined;
  for (let dir = cwd; isWithin(dir, destination); dir = dirname(dir)) {
    const relative = dir === destination ? '' : dir.slice(destination.length + 1);
    if (context.files.has(relative === '' ? 'go.mod' : `${relative}/go.mod`)) return relative;
    if (dir === destination) break;
  }
  return null;
}

interface FixPlan {
  files: string[];
  /** Destination text for the inserted COPY, ending in `/`. */
  destination: string;
  /** `cd` target for the download when it does not run in the COPY's WORKDIR. */
  cd?: string;
  flags: string[];
  /** A later RUN that only downloads the modules: it moves up with the COPY (not duplicated). */
  moved?: RunInfo;
}

/** Why no fix can be offered, or the plan of the inserted instructions. */
function planFix(
  model: DockerfileModel,
  stage: Stage,
  copy: CopyInfo,
  command: GoCommand,
): FixPlan | string {
  const destination = copy.destination!;
  const root = destination.path!;
  if (command.stage !== stage) return 'the download happens in a later stage';
  if (command.invocation.cwd !== root) {
    return `\`${commandLabel(command)}\` runs in ${command.invocation.cwd}, not where the source is copied (${root})`;
  }
  const copyLine = lineOf(copy.instruction);
  const runLine = lineOf(command.run.instruction);
  const inBetween = between(stage, copyLine, runLine);
  if (inBetween.some((i) => keyword(i) === 'USER')) {
    return 'a USER instruction between them changes who downloads';
  }
  const changedEnv = inBetween
    .filter((i) => keyword(i) === 'ENV' || keyword(i) === 'ARG')
    .some((i) => i.getArguments().some((a) => DOWNLOAD_ENV.has(a.getValue().split('=')[0])));
  const inline = command.invocation.inlineNames.some((n) => DOWNLOAD_ENV.has(n));
  const exported = [...DOWNLOAD_ENV].some(
    (name) => command.invocation.env.get(name) !== command.run.env.get(name),
  );
  if (changedEnv || inline || exported) {
    return 'the go command sees download settings (GOPROXY, GOPRIVATE, GOFLAGS, ...) that a download before the COPY would not';
  }
  // Packages installed after the COPY (git, certificates) may be what the download needs.
  const laterRuns = stage.runs.filter((r) => inBetween.includes(r.instruction));
  const installs = [
    ...laterRuns.flatMap((r) => r.commands),
    ...command.run.commands.slice(0, command.commandIndex),
  ].some((c) => installsPackages(c));
  if (installs) return 'packages installed after the COPY may be needed to download';
  if (mountsOf(command.run).some((m) => m.type === 'secret' || m.type === 'ssh')) {
    return 'the go command uses secret or SSH mounts for private modules';
  }
  const goModText = model.options.goMod;
  if (goModText !== undefined && goModLocalReplacements(goModText).length > 0) {
    return 'go.mod replaces modules with local directories, which `go mod download` needs too';
  }
  // COPY of a missing file fails the build: with the context known, copy go.sum only when it
  // exists. Otherwise the module has requirements (or the rule would be silent), so a go.sum.
  const files =
    model.context && !model.context.files.has('go.sum') ? ['go.mod'] : ['go.mod', 'go.sum'];
  const raw = destination.raw;
  if (raw.includes('$') || /\s/.test(raw)) return 'the COPY destination uses variables';
  const relativeDot = normalize(raw) === '.';
  const workdirChanges = inBetween.some((i) => keyword(i) === 'WORKDIR');
  const workdir = workdirChanges ? undefined : command.run.cwd;
  let target: string;
  let cd: string | undefined;
  if (relativeDot) target = './';
  else {
    target = raw.endsWith('/') ? raw : raw + '/';
    // The download must run where go.mod lands: the COPY's WORKDIR when that is the root.
    if (workdir !== root) cd = root;
  }
  // Ownership and mode follow the original COPY; `--link` keeps its layer independent too.
  const flags = (copy.instruction as unknown as { getFlags(): Flag[] })
    .getFlags()
    .filter((f) => ['chown', 'chmod', 'link'].includes(f.getName()))
    .map((f) => model.index.textOf(f.getRange()));
  return { files, destination: target, cd, flags, moved: loneDownload(model, command) };
}

/**
 * The download's RUN, when it is nothing but `go mod download` (no flags, no assignments, no
 * comment above it that would be left describing nothing): the inserted download replaces it.
 */
function loneDownload(model: DockerfileModel, command: GoCommand): RunInfo | undefined {
  const { run } = command;
  if (run.commands.length !== 1 || run.heredoc || run.exec) return undefined;
  const [only] = run.commands;
  const words = only.words.map((w) => w.text);
  if (only.assignments.length > 0 || words.join(' ') !== 'go mod download') return undefined;
  if ((run.instruction as unknown as { getFlags(): Flag[] }).getFlags().length > 0) {
    return undefined;
  }
  const line = run.instruction.getRange().start.line;
  if (
    line > 0 &&
    model.index
      .lineText(line - 1)
      .trim()
      .startsWith('#')
  )
    return undefined;
  return run;
}

function insertionFix(model: DockerfileModel, copy: CopyInfo, plan: FixPlan): Fix {
  const instruction = copy.instruction;
  const start = instruction.getRange().start;
  const lineStart = model.index.lineStart(start.line);
  const indent = model.text.slice(lineStart, model.index.offsetAt(start));
  const eol = detectEol(model.text);
  const written = model.index.textOf(instruction.getInstructionRange());
  const lower = written === written.toLowerCase();
  const copyKeyword = lower ? 'copy' : 'COPY';
  const runKeyword = lower ? 'run' : 'RUN';
  const copyLine = [copyKeyword, ...plan.flags, ...plan.files, plan.destination].join(' ');
  const download = plan.cd ? `cd ${plan.cd} && go mod download` : 'go mod download';
  const edits: TextEdit[] = [
    {
      range: { start, end: start },
      newText: `${copyLine}${eol}${indent}${runKeyword} ${download}${eol}${indent}`,
    },
  ];
  if (plan.moved) {
    // The whole lines of the later download go (it runs before the source now).
    const range = plan.moved.instruction.getRange();
    const from = model.index.lineStart(range.start.line);
    const to =
      range.end.line + 1 < model.index.lineCount
        ? model.index.lineStart(range.end.line + 1)
        : model.text.length;
    edits.push({ range: model.index.rangeOf(from, to), newText: '' });
  }
  return {
    title: `Copy ${plan.files.join(' and ')} and download modules before the source`,
    kind: 'quickfix',
    isPreferred: true,
    // It adds a layer and a network step that can fail on its own (private modules, missing
    // files the module needs to resolve).
    safe: false,
    edits,
  };
}

export const goModDownloadNotCached: Rule = {
  meta: {
    id: 'go-mod-download-not-cached',
    description:
      'The whole source is copied before the first module download, without go.mod and go.sum first.',
    defaultSeverity: 'info',
    fixable: true,
  },
  check(model: DockerfileModel, report: Report) {
    for (const stage of model.stages) {
      const copy = unprimedWholeCopy(stage);
      if (!copy) continue;
      const copyLine = lineOf(copy.instruction);
      const root = copy.destination!.path!;
      // The first go command after the COPY that loads the module: in this stage, else in a
      // stage built on it.
      const own = goCommandsAndTools(model, stage).reduce<GoCommand | undefined>(
        (first, c) =>
          lineOf(c.run.instruction) > copyLine && fetchesModule(c) ? earlier(first, c) : first,
        undefined,
      );
      // Stages built on this one come after it, so after the COPY.
      const command = stageTree(model.stages)
        .children[stage.index].map((child) => firstFetch(model, child))
        .reduce(earlier, own);
      if (!command) continue;
      const cwd = command.invocation.cwd;
      if (cwd === undefined || !isWithin(cwd, root)) continue;
      // GOPATH mode and vendored modules download nothing, nor does a module that requires
      // no other module.
      if (moduleMode(command) !== true || usesVendor(command.invocation)) continue;
      const goModText = model.options.goMod;
      if (goModText !== undefined && goModRequirements(goModText).length === 0) continue;
      const moduleDir = moduleDirInContext(model, root, cwd);
      if (moduleDir === null) continue;
      const vendor = moduleDir ? `${moduleDir}/vendor/modules.txt` : 'vendor/modules.txt';
      if (model.context?.files.has(vendor)) continue;
      // A cache mount of the module cache keeps the modules across builds anyway.
      const home = homeDirectory(
        command.invocation.env,
        userAt(command.stage, command.run.instruction),
      );
      const modcache = moduleCache(command.invocation.env, home, imageKnown(command.stage));
      const mounts = mountsOf(command.run);
      if (modcache ? cacheMounted(modcache, mounts) : mounts.some((m) => m.type === 'cache'))
        continue;
      // Modules copied in from another stage are in the layers already.
      if (modcache && modulesCopiedIn(command.stage, lineOf(command.run.instruction), modcache))
        continue;

      const plan = planFix(model, stage, copy, command);
      const sub = commandLabel(command);
      const source = copy.sources.find(isWholeContext)!.raw;
      const shown = `${copy.keyword} ${source} ${copy.destination!.raw}`;
      const message = `Every source change downloads every module again: copy go.mod and go.sum first.`;
      const detail =
        `\`${shown}\` copies the whole source before \`${sub}\` ` +
        `(line ${oneBasedLine(command.run.instruction.getRange())}), and go.mod and go.sum were not copied first: ` +
        'any change to any file invalidates this layer, and the build downloads every module again. ' +
        'Copy go.mod and go.sum and run `go mod download` before copying the rest ' +
        `(or mount a cache for the module cache${modcache ? ` at ${modcache.path}` : ''}).` +
        (typeof plan === 'string' ? ` No automatic fix: ${plan}.` : '');
      report({
        range: copy.instruction.getRange(),
        message,
        detail,
        fixes: typeof plan === 'string' ? [] : [insertionFix(model, copy, plan)],
      });
    }
  },
};
