/**
 * The module download layer go-mod-download-not-cached offers and the conversion adds: `COPY
 * go.mod go.sum ./` and `RUN go mod download` inserted before the whole-source COPY, or the
 * reason it cannot be added soundly (download settings, private modules, local replacements, ...).
 */
import type { Instruction } from 'dockerfile-ast';
import { commandLabel, type GoCommand } from '../facts/go-commands';
import { zeroBasedLine } from '../text/line-index';
import type { UncachedDownload } from '../facts/module-download';
import { mountsOf } from '../facts/module-sources';
import type { CopyInfo, DockerfileModel, RunInfo, Stage } from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { detectEol } from '../text/line-index';
import { normalize } from '../text/posix-path';
import type { Fix, TextEdit } from '../types';
import { flagsOf, keywordOf as keyword } from '../model/instruction-view';

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

const PACKAGE_MANAGERS = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf']);

function installsPackages(command: SimpleCommand): boolean {
  if (!PACKAGE_MANAGERS.has(programName(command.words[0]) ?? '')) return false;
  return command.words.some((w) => w.text === 'add' || w.text === 'install');
}

/** Instructions of a stage strictly between two lines. */
function between(stage: Stage, from: number, to: number): Instruction[] {
  return stage.instructions.filter((i) => zeroBasedLine(i) > from && zeroBasedLine(i) < to);
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

// The settings every go command checks, with the values it takes (cmd/go's buildcfg.Check).
const CHECKED_SETTINGS: ReadonlyMap<string, RegExp> = new Map([
  ['GOARM', /^[5-7](?:,(?:softfloat|hardfloat))?$/],
  ['GOAMD64', /^v[1-4]$/],
  ['GO386', /^(?:sse2|softfloat)$/],
  ['GOARM64', /^v[89]\.\d(?:,(?:lse|crypto))*$/],
  ['GOMIPS', /^(?:hardfloat|softfloat)$/],
  ['GOMIPS64', /^(?:hardfloat|softfloat)$/],
  ['GOPPC64', /^power(?:8|9|10)$/],
  ['GORISCV64', /^rva2[02]u64$/],
  ['GOOS', /^[a-z0-9]+$/],
  ['GOARCH', /^[a-z0-9]+$/],
]);

/** Whether an ENV value of a checked setting is one every go command accepts (empty is unset). */
function validGoSetting(name: string, value: string | null): boolean {
  const valid = CHECKED_SETTINGS.get(name);
  return value !== null && (value === '' || valid === undefined || valid.test(value));
}

/** The checked Go settings (GOARM, GOAMD64) a RUN assigns before its go command, or on it. */
function resetGoSettings(command: GoCommand): string[] {
  const names = [...command.invocation.inlineNames];
  for (const c of command.run.commands.slice(0, command.commandIndex)) {
    names.push(...c.assignments.map((a) => a.name));
    const program = programName(c.words[0]);
    if (program === 'export' || program === 'declare' || program === 'typeset') {
      for (const word of c.words.slice(1)) {
        const eq = word.text.indexOf('=');
        if (eq > 0) names.push(word.text.slice(0, eq));
      }
    }
  }
  return names.filter((name) => CHECKED_SETTINGS.has(name));
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
  const copyLine = zeroBasedLine(copy.instruction);
  const runLine = zeroBasedLine(command.run.instruction);
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
  // Every go command checks the Go settings it runs with (`invalid GOARM: must be 5, 6, 7`): one
  // the RUN sets anew before its go command (`export GOARM=${GOARM#v}`) may not be valid as the
  // ENV has it, where the download would run.
  const reset = resetGoSettings(command).find((name) => {
    const value = command.run.env.get(name);
    return value !== undefined && !validGoSetting(name, value);
  });
  if (reset !== undefined) {
    return `the RUN sets ${reset} anew before its go command, and a download before the COPY would run with the ENV's ${reset}`;
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
  if (model.goMod?.replaces.some((r) => r.local)) {
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
  const flags = flagsOf(copy.instruction)
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
  if (flagsOf(run.instruction).length > 0) {
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

/**
 * The fix that copies go.mod and go.sum and downloads the modules before the whole source, or why
 * none can be offered.
 */
export function moduleDownloadFix(model: DockerfileModel, found: UncachedDownload): Fix | string {
  const plan = planFix(model, found.stage, found.copy, found.command);
  return typeof plan === 'string' ? plan : insertionFix(model, found.copy, plan);
}
