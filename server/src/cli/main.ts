/**
 * The command-line front end: `lint` for CI and `convert` for the one-shot rewrite. All analysis
 * is the core's; this file parses arguments, reads and writes files and formats results.
 */
import { dirname, relative, resolve } from 'node:path';
import { analyzeDocument, buildModel, convertToMultiStage, findRule } from '../core';
import { CONVERT_LAYOUTS, RUNTIME_CHOICES, type ConvertLayout } from '../core/convert';
import { fixAll } from '../core/engine/fix-all';
import {
  SEVERITY_SETTINGS,
  type AnalyzeOptions,
  type Diagnostic,
  type SeveritySetting,
} from '../core/types';
import { VERSION } from '../core/version';
import { listBuildContext } from '../node/build-context';
import { contextFor } from '../node/project';
import { findGoMod, readGoMod } from '../node/go-mod';
import type { SkipReporter } from '../node/project-reader';
import { ProjectBuilds, repositoryRoot } from '../node/project-builds';
import {
  configGoMod,
  projectView,
  type FoundConfig,
  type ProjectView,
} from '../node/project-settings';
import { describeBuild } from '../core/facts/builds';
import type { RuleDocLink } from '../node/rule-docs';
import { describeFsError, RewriteRefused, type ReadForRewrite } from '../node/file-rewrite';
import { unifiedDiff } from './diff';
import { expandFileArguments } from './files';
import { decodeStdin, InputError, readDockerfile, UsageError } from './read';
import { plural, report } from './report';
import { escapeControls } from './terminal';

export const USAGE = `go-multistage: the command line of Go Multi-Stage, which checks and fixes
Dockerfiles that build Go programs.

Usage:
  go-multistage lint [options] [--] FILE... (FILE may be a glob, a folder, or - for stdin)
  go-multistage convert [options] [--] FILE

lint options:
  --format text|json|sarif|github
                             output format (default text; github: workflow annotations)
  --fix                      apply the safe fixes and write the files back
  --max-warnings N           exit 1 when there are more than N warnings
  --rule ID=SEVERITY         a rule's severity: off|hint|info|warning|error (repeatable;
                             turns on an opt-in rule such as go-build-missing-release-flags)
  --go-mod FILE              the go.mod of the module (default: the nearest above each file)
  --context DIR              the build context (default: the one the project's builds declare, else
                             the Dockerfile's folder, or the go.mod's folder above it, when the
                             files the Dockerfile copies are there)
  --target NAME              a stage that ships (repeatable): the checks of the shipped image run
                             on these stages instead of those the build files name
  --verbose                  say on stderr which builds of each file were found, and which build
                             files were skipped and why
  --no-error-on-empty        a folder without a Dockerfile, or a glob matching nothing, is a
                             note on stderr instead of an error (for CI over many repositories)

convert options:
  --runtime distroless|scratch|alpine|IMAGE   the runtime stage's base (default distroless)
  --layout two-stage|dev-build-runtime        the stages to write (default two-stage)
  --write                    rewrite FILE in place instead of printing it
  --diff                     print a unified diff instead of the file
  --go-mod FILE
  --context DIR
  --verbose

lint exits 1 when a finding is an error (or warnings exceed --max-warnings), 0 otherwise.
convert prints the converted file, or exits 3 with the reason when it does not apply.
Exit status 2 means a usage error, a file that cannot be read, or one that could not be
written back. go-multistage --version prints the version.`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Standard input, as bytes (checked to be UTF-8) or text. */
  readStdin: () => string | Uint8Array;
  /** Writes a file read for rewriting back with new text; throws when it cannot or may not. */
  writeFile: (file: ReadForRewrite, text: string) => void;
  /** Whether stdout is a terminal (colours are used only then). */
  color: boolean;
  /** Where a rule's page is (SARIF's `helpUri`); none when not given. */
  ruleLink?: RuleDocLink;
}

interface Parsed {
  command: 'lint' | 'convert';
  files: string[];
  options: Map<string, string>;
  flags: Set<string>;
  /** Severity overrides from `--rule ID=SEVERITY`. */
  rules: Record<string, SeveritySetting>;
  /** Stages named with `--target`. */
  targets: string[];
}

const VALUE_OPTIONS: Record<Parsed['command'], string[]> = {
  lint: ['--format', '--go-mod', '--context', '--max-warnings', '--rule', '--target'],
  convert: ['--runtime', '--go-mod', '--context', '--layout'],
};
const FLAG_OPTIONS: Record<Parsed['command'], string[]> = {
  lint: ['--fix', '--verbose', '--no-error-on-empty'],
  convert: ['--write', '--diff', '--verbose'],
};

function parseArgs(argv: string[]): Parsed {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    throw new UsageError('');
  }
  if (command !== 'lint' && command !== 'convert')
    throw new UsageError(`unknown command "${command}"`);
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const rules: Record<string, SeveritySetting> = {};
  const targets: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      // Everything after `--` is a file, even when it starts with a dash.
      files.push(...rest.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (FLAG_OPTIONS[command].includes(name) && eq < 0) {
        flags.add(name);
        continue;
      }
      if (!VALUE_OPTIONS[command].includes(name)) {
        throw new UsageError(`unknown option ${name} for ${command}`);
      }
      const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (name === '--rule') addRuleSetting(rules, value);
      else if (name === '--target') {
        if (value.trim() === '') throw new UsageError('--target needs a stage name');
        targets.push(value.trim());
      } else options.set(name, value);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError(`${command} needs a Dockerfile`);
  return { command, files, options, flags, rules, targets };
}

/** `--rule ID=SEVERITY`, checked against the rules and severities there are. */
function addRuleSetting(rules: Record<string, SeveritySetting>, value: string): void {
  const eq = value.indexOf('=');
  const id = eq < 0 ? value : value.slice(0, eq);
  const severity = eq < 0 ? '' : value.slice(eq + 1);
  if (!findRule(id)) throw new UsageError(`--rule: unknown rule "${id}"`);
  if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
    throw new UsageError(
      `--rule ${id}: the severity must be one of ${SEVERITY_SETTINGS.join(', ')}`,
    );
  }
  rules[id] = severity as SeveritySetting;
}

/** Says on stderr, once per file, that a project file was there but not read, and why. */
function skipReporter(io: Io): SkipReporter {
  const said = new Set<string>();
  return (path, reason) => {
    if (said.has(path)) return;
    said.add(path);
    io.stderr(`note: ${escapeControls(`skipped ${path}: ${reason}`)}\n`);
  };
}

/** What is read once per run and shared by the files it lints. */
interface RunState {
  skipped: SkipReporter;
  /** Build files are skipped in silence unless `--verbose`. */
  builds: ProjectBuilds;
  verbose: boolean;
}

function runState(io: Io, parsed: Parsed): RunState {
  const skipped = skipReporter(io);
  const verbose = parsed.flags.has('--verbose');
  return { skipped, builds: new ProjectBuilds(verbose ? skipped : () => undefined), verbose };
}

/** What the core needs to know about a Dockerfile on disk: go.mod, build context, builds, config. */
function optionsFor(
  path: string | undefined,
  text: string,
  parsed: Parsed,
  io: Io,
  state: RunState,
): { options: AnalyzeOptions; config?: FoundConfig } {
  const { skipped } = state;
  const options: AnalyzeOptions = {};
  let view: ProjectView | undefined;
  let root: string | undefined;
  if (path) {
    root = repositoryRoot(dirname(path), undefined, io.cwd);
    view = projectView(path, root, state.builds, {
      targets:
        parsed.targets.length > 0 ? { names: parsed.targets, source: '--target' } : undefined,
      skipped,
      problem: (file, message) => io.stderr(`note: ${escapeControls(`${file}: ${message}`)}\n`),
    });
    if (view.builds.length > 0) options.builds = view.builds;
    if (view.possibleBuilds.length > 0) options.possibleBuilds = view.possibleBuilds;
    if (view.targets) options.targets = view.targets;
    if (state.verbose) reportBuilds(io, path, view);
  } else if (parsed.targets.length > 0) {
    options.targets = { names: parsed.targets, source: '--target' };
  }
  // The command line's --rule wins over the configuration file's rules.
  const rules = { ...view?.config?.config.rules, ...parsed.rules };
  if (Object.keys(rules).length > 0) options.rules = rules;
  const explicitGoMod = parsed.options.get('--go-mod');
  const configGoModPath =
    root === undefined
      ? undefined
      : configGoMod(view?.config, root, (file, message) =>
          io.stderr(`note: ${escapeControls(`${file}: ${message}`)}\n`),
        );
  let goMod;
  if (explicitGoMod || configGoModPath) {
    const given = explicitGoMod ? resolve(io.cwd, explicitGoMod) : configGoModPath!;
    const shown = explicitGoMod ?? configGoModPath!;
    try {
      goMod = readGoMod(given, shown);
    } catch (error) {
      throw new InputError(error instanceof Error ? error.message : `cannot read go.mod ${shown}`);
    }
  } else {
    goMod = findGoMod(path ? dirname(path) : io.cwd, undefined, skipped);
  }
  if (goMod) options.goMod = goMod.text;
  const contextDir = parsed.options.get('--context');
  if (contextDir !== undefined) {
    const context = listBuildContext(resolve(io.cwd, contextDir), skipped, path);
    if (!context) throw new InputError(`cannot list the build context ${contextDir}`);
    options.context = context;
  } else if (view?.contextDir) {
    options.context = listBuildContext(view.contextDir, skipped, path);
  } else if (path) {
    options.context = contextFor(path, text, goMod?.path, (dir) =>
      listBuildContext(dir, skipped, path),
    );
  }
  return { options, config: view?.config };
}

/** `--verbose`: the builds found for a file, one line each. */
function reportBuilds(io: Io, path: string, view: ProjectView): void {
  const shown = relative(io.cwd, path) || path;
  const say = (line: string) => io.stderr(`note: ${escapeControls(`${shown}: ${line}`)}\n`);
  if (view.builds.length === 0) say('no build declared');
  for (const build of [...view.builds, ...view.possibleBuilds]) {
    const parts = [
      build.target === undefined
        ? 'the last stage'
        : build.target === null
          ? 'an unknown target'
          : `target ${build.target}`,
    ];
    if (build.platforms) parts.push(`for ${build.platforms.join(',')}`);
    else if (build.platforms === null) parts.push('for unknown platforms');
    if (build.output === 'export') parts.push('exported as files');
    else if (build.output === 'unknown') parts.push('output unknown (not taken as an image)');
    if (build.possible) parts.push('if its Dockerfile variable names this file');
    say(
      `${build.possible ? 'maybe built' : 'built'} by ${describeBuild(build)}: ${parts.join(', ')}`,
    );
  }
  if (view.targets)
    say(`stages that ship: ${view.targets.names.join(', ')} (${view.targets.source})`);
}

function lint(parsed: Parsed, io: Io): number {
  const format = parsed.options.get('--format') ?? 'text';
  if (!['text', 'json', 'sarif', 'github'].includes(format))
    throw new UsageError(`unknown format "${format}"`);
  const maxWarningsText = parsed.options.get('--max-warnings');
  const maxWarnings = maxWarningsText === undefined ? -1 : Number(maxWarningsText);
  if (!Number.isInteger(maxWarnings) || (maxWarningsText !== undefined && maxWarnings < 0)) {
    throw new UsageError('--max-warnings needs a whole number');
  }
  const fix = parsed.flags.has('--fix');
  const { files, unmatched, empty } = expandFileArguments(parsed.files, io.cwd);
  const problems = [
    ...(unmatched.length > 0 ? [`no files match ${unmatched.join(', ')}`] : []),
    ...(empty.length > 0 ? [`no Dockerfile in the folder ${empty.join(', ')}`] : []),
  ];
  if (problems.length > 0 && !parsed.flags.has('--no-error-on-empty')) {
    throw new InputError(problems.join('; '));
  }
  // Nothing to lint there is then said, and the report (maybe of no file) is written as usual.
  for (const problem of problems) io.stderr(`note: ${escapeControls(problem)}\n`);
  if (fix && files.includes('-')) throw new UsageError('--fix cannot write back to standard input');
  const results: { file: string; diagnostics: Diagnostic[] }[] = [];
  const state = runState(io, parsed);
  let fixedFiles = 0;
  let fixedProblems = 0;
  let unwritten = 0;
  for (const file of files) {
    const stdin = file === '-';
    const path = stdin ? undefined : resolve(io.cwd, file);
    const source = path === undefined ? undefined : readDockerfile(path);
    const text = source ? source.text : decodeStdin(io.readStdin());
    const { options } = optionsFor(path, text, parsed, io, state);
    let checked = text;
    if (fix && source) {
      const result = fixAll(text, options);
      if (result.text !== text) {
        // A file that cannot be written is reported and left as it was; the others go on.
        if (writeBack(io, file, source, result.text)) {
          fixedFiles++;
          fixedProblems += result.applied;
          checked = result.text;
        } else {
          unwritten++;
        }
      }
    }
    const shown = stdin ? '<stdin>' : file;
    const analysis = analyzeDocument(checked, options);
    // A document too large to analyse whole says which rules ran (on stderr, in every format).
    if (analysis.note) io.stderr(`note: ${escapeControls(`${shown}: ${analysis.note}`)}\n`);
    results.push({ file: shown, diagnostics: analysis.diagnostics });
  }
  report(format, results, io, fix ? { files: fixedFiles, problems: fixedProblems } : undefined);
  if (unwritten > 0) {
    io.stderr(
      `go-multistage: ${unwritten} of ${plural(fixedFiles + unwritten, 'file')} to fix could not ` +
        'be written back (each is left as it was)\n',
    );
    return 2;
  }
  const errors = results.some((r) => r.diagnostics.some((d) => d.severity === 'error'));
  const warnings = results.reduce(
    (n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length,
    0,
  );
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(
      `go-multistage: ${plural(warnings, 'warning')}, more than --max-warnings ${maxWarnings}\n`,
    );
    return 1;
  }
  return errors ? 1 : 0;
}

function convert(parsed: Parsed, io: Io): number {
  if (parsed.files.length > 1) throw new UsageError('convert takes one Dockerfile');
  const runtimeOption = parsed.options.get('--runtime');
  let runtimeImage: string | undefined;
  if (runtimeOption !== undefined) {
    runtimeImage = (RUNTIME_CHOICES as Record<string, string>)[runtimeOption];
    if (runtimeImage === undefined) {
      if (!/[/:]/.test(runtimeOption)) throw new UsageError(`unknown runtime "${runtimeOption}"`);
      runtimeImage = runtimeOption;
    }
  }
  const layoutOption = parsed.options.get('--layout') as ConvertLayout | undefined;
  if (layoutOption !== undefined && !CONVERT_LAYOUTS.includes(layoutOption)) {
    throw new UsageError(`unknown layout "${layoutOption}"`);
  }
  const write = parsed.flags.has('--write');
  const diff = parsed.flags.has('--diff');
  const file = parsed.files[0];
  if (write && file === '-') throw new UsageError('--write cannot write back to standard input');
  const path = file === '-' ? undefined : resolve(io.cwd, file);
  const source = path === undefined ? undefined : readDockerfile(path);
  const text = source ? source.text : decodeStdin(io.readStdin());
  const { options, config } = optionsFor(path, text, parsed, io, runState(io, parsed));
  // The command line's choices win over the configuration file's.
  const result = convertToMultiStage(buildModel(text, options), {
    runtimeImage: runtimeImage ?? config?.config.runtimeImage,
    layout: layoutOption ?? config?.config.convertLayout ?? 'two-stage',
  });
  const name = file === '-' ? '<stdin>' : file;
  if (!result.ok) {
    io.stderr(`go-multistage: ${escapeControls(`${name}: not converted: ${result.reason}`)}\n`);
    return 3;
  }
  // The converted file and the diff are data, printed as they are (for a file or `git apply`);
  // the messages around them are escaped.
  if (diff) io.stdout(unifiedDiff(text, result.text, `a/${name}`, `b/${name}`));
  if (write && source) {
    if (!writeBack(io, file, source, result.text)) return 2;
    io.stderr(`converted ${escapeControls(name)}\n`);
  } else if (!diff) {
    io.stdout(result.text);
  }
  for (const note of result.notes) io.stderr(`note: ${escapeControls(note)}\n`);
  return 0;
}

/**
 * Writes a fixed or converted file back; on failure says why on one line (the file is left as it
 * was) and returns false.
 */
function writeBack(io: Io, shown: string, source: ReadForRewrite, text: string): boolean {
  try {
    io.writeFile(source, text);
    return true;
  } catch (error) {
    const reason =
      error instanceof RewriteRefused
        ? `it ${error.message}, so it is left as it is`
        : `${describeFsError(error)}; it is left as it was`;
    io.stderr(`go-multistage: ${escapeControls(`${shown}: not written back: ${reason}`)}\n`);
    return false;
  }
}

/** Runs the CLI; returns the exit status. */
export function main(argv: string[], io: Io): number {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  try {
    const parsed = parseArgs(argv);
    return parsed.command === 'lint' ? lint(parsed, io) : convert(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      if (!error.message) {
        io.stdout(USAGE + '\n');
        return 0;
      }
      io.stderr(`go-multistage: ${escapeControls(error.message)}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr(`go-multistage: ${escapeControls(error.message)}\n`);
      return 2;
    }
    // A bug: its stack (code locations only) helps a report; its message may quote the input.
    const message = error instanceof Error ? error.message : String(error);
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1) : [];
    io.stderr(
      [`go-multistage: internal error: ${escapeControls(message)}`, ...frames].join('\n') + '\n',
    );
    return 2;
  }
}
