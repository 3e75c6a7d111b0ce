/**
 * The command-line front end: `lint` for CI and `convert` for the one-shot rewrite. All analysis
 * is the core's; this file parses arguments, reads files and formats results.
 */
import { dirname, resolve } from 'node:path';
import { analyze, convertToMultiStage, buildModel, DEFAULT_RUNTIME_IMAGE } from '../core';
import { ALPINE_RUNTIME } from '../core/fixes/convert';
import type { AnalyzeOptions, Diagnostic } from '../core/types';
import { listBuildContext } from '../node/build-context';
import { findGoMod, readGoMod } from '../node/go-mod';
import { InputError, readTextFile, UsageError } from './read';

export const USAGE = `Usage:
  go-multistage lint [--format text|json] [--go-mod FILE] [--context DIR] FILE...
  go-multistage convert [--runtime distroless|scratch|alpine|IMAGE] [--go-mod FILE] FILE

lint     reports go-multistage's findings; exits 1 when one is an error, 0 otherwise
convert  prints FILE converted to a multi-stage build; exits 3 with the reason when it does not apply

Without --go-mod, the nearest go.mod above FILE is used. Without --context, the build context is
FILE's folder when it holds the Go module (go.mod), and unknown otherwise.
Exit status 2 means a usage error or a file that cannot be read.`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

interface Parsed {
  command: string;
  files: string[];
  options: Map<string, string>;
}

const VALUE_OPTIONS: Record<string, string[]> = {
  lint: ['--format', '--go-mod', '--context'],
  convert: ['--runtime', '--go-mod'],
};

function parseArgs(argv: string[]): Parsed {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    throw new UsageError('');
  }
  if (!(command in VALUE_OPTIONS)) throw new UsageError(`unknown command "${command}"`);
  const options = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (!VALUE_OPTIONS[command].includes(name))
        throw new UsageError(`unknown option ${name} for ${command}`);
      const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError(`${command} needs a Dockerfile`);
  return { command, files, options };
}

/** What the core needs to know about a Dockerfile on disk: its go.mod and build context. */
function optionsFor(file: string, parsed: Parsed, io: Io): AnalyzeOptions {
  const options: AnalyzeOptions = {};
  const explicitGoMod = parsed.options.get('--go-mod');
  const goMod = explicitGoMod
    ? (() => {
        try {
          return readGoMod(resolve(io.cwd, explicitGoMod));
        } catch {
          throw new InputError(`cannot read go.mod ${explicitGoMod}`);
        }
      })()
    : findGoMod(dirname(file));
  if (goMod) options.goMod = goMod.text;
  const contextDir = parsed.options.get('--context');
  if (contextDir !== undefined) {
    const context = listBuildContext(resolve(io.cwd, contextDir));
    if (!context) throw new InputError(`cannot list the build context ${contextDir}`);
    options.context = context;
  } else if (goMod && dirname(goMod.path) === dirname(file)) {
    options.context = listBuildContext(dirname(file));
  }
  return options;
}

function formatText(file: string, diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(
    (d) =>
      `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.rule} ${d.message}`,
  );
}

function lint(parsed: Parsed, io: Io): number {
  const format = parsed.options.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}"`);
  const results: { file: string; diagnostics: Diagnostic[] }[] = [];
  let failed = false;
  for (const file of parsed.files) {
    const path = resolve(io.cwd, file);
    const text = readTextFile(path, 'Dockerfile');
    const diagnostics = analyze(text, optionsFor(path, parsed, io));
    results.push({ file, diagnostics });
    if (diagnostics.some((d) => d.severity === 'error')) failed = true;
  }
  if (format === 'json') {
    const json = results.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({
        rule: d.rule,
        severity: d.severity,
        message: d.message,
        range: d.range,
        fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits })),
      })),
    }));
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else {
    const lines = results.flatMap((r) => formatText(r.file, r.diagnostics));
    if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
  }
  return failed ? 1 : 0;
}

const RUNTIMES: Record<string, string> = {
  distroless: DEFAULT_RUNTIME_IMAGE,
  scratch: 'scratch',
  alpine: ALPINE_RUNTIME,
};

function convert(parsed: Parsed, io: Io): number {
  if (parsed.files.length > 1) throw new UsageError('convert takes one Dockerfile');
  const runtimeOption = parsed.options.get('--runtime');
  let runtimeImage: string | undefined;
  if (runtimeOption !== undefined) {
    runtimeImage = RUNTIMES[runtimeOption];
    if (runtimeImage === undefined) {
      if (!/[/:]/.test(runtimeOption)) throw new UsageError(`unknown runtime "${runtimeOption}"`);
      runtimeImage = runtimeOption;
    }
  }
  const path = resolve(io.cwd, parsed.files[0]);
  const text = readTextFile(path, 'Dockerfile');
  const options = optionsFor(path, parsed, io);
  const result = convertToMultiStage(buildModel(text, options), { runtimeImage });
  if (!result.ok) {
    io.stderr(`go-multistage: ${parsed.files[0]}: not converted: ${result.reason}\n`);
    return 3;
  }
  io.stdout(result.text);
  for (const note of result.notes) io.stderr(`note: ${note}\n`);
  return 0;
}

/** Runs the CLI; returns the exit status. */
export function main(argv: string[], io: Io): number {
  try {
    const parsed = parseArgs(argv);
    return parsed.command === 'lint' ? lint(parsed, io) : convert(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) io.stderr(`go-multistage: ${error.message}\n\n`);
      io.stderr(USAGE + '\n');
      return error.message ? 2 : 0;
    }
    if (error instanceof InputError) {
      io.stderr(`go-multistage: ${error.message}\n`);
      return 2;
    }
    io.stderr(
      `go-multistage: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 2;
  }
}
